"""Debtors and creditors as the crm tools show them, and the reads both share.

AFAS keeps both as relations of an organisation or person (`BcCo`) with nearly the same fields,
spelt differently per connector (`AdressLine1` on debtors, `Adressline1` on creditors). One
`RelationKind` per connector names its fields; the output models share a base.

Blocked and deleted relations may come back as shells (R5): a get shows them as
`blocked_or_deleted` with no details, a search leaves them out and counts them. Bank account
numbers are masked (see `mask_iban`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from server.afas.filters import Filter, FilterGroup, Operator
from server.afas.models import Row
from server.outcomes import UnknownRecord
from tools._reads import Found, Source, find_one, not_blocked, read_page
from tools._values import (
    FieldReader,
    MissingValues,
    flag,
    mask_iban,
    moment,
    money,
    shell_warning,
    text,
)
from tools.base import DataWarning
from tools.deps import ToolDeps

Status = Literal["active", "blocked", "blocked_or_deleted", "unknown"]
STATUS_DESCRIPTION = (
    "active: in use. blocked: AFAS has it blocked; no new invoices or entries. "
    "blocked_or_deleted: AFAS returned only its number with every other field empty (a blocked "
    "or deleted record); its details are unknown and it must not be used. unknown: AFAS gave no "
    "blocked status (see warnings)."
)


@dataclass(frozen=True)
class RelationKind:
    """One relation connector: its fields and the words for its records."""

    kind: str
    source: Source
    id_field: str
    name_field: str
    address_fields: tuple[str, str, str]
    vat_number_field: str
    payment_field: str
    search_tool: str


DEBTORS = RelationKind(
    kind="debtor",
    source=Source("debtors", frozenset({"DebtorId", "DebtorName", "BcCo", "Blocked"}), "debtor"),
    id_field="DebtorId",
    name_field="DebtorName",
    address_fields=("AdressLine1", "AdressLine3", "AdressLine4"),
    vat_number_field="VatNr",
    payment_field="PayCon",
    search_tool="search_debtors",
)
CREDITORS = RelationKind(
    kind="creditor",
    source=Source(
        "creditors", frozenset({"CreditorId", "CreditorName", "BcCo", "Blocked"}), "creditor"
    ),
    id_field="CreditorId",
    name_field="CreditorName",
    address_fields=("Adressline1", "Adressline3", "Adressline4"),
    vat_number_field="Btw-nummer",
    payment_field="PaymentCondition",
    search_tool="search_creditors",
)


class Relation(BaseModel):
    """What debtors and creditors share."""

    name: str | None = Field(description="The organisation's or person's name.")
    relation_id: str | None = Field(
        description="The organisation/person number (AFAS BcCo) behind it; dossier items "
        "(log_activity) and projects refer to this number."
    )
    search_name: str | None = Field(description="AFAS's short search name.")
    address: list[str] = Field(
        description="The postal address as AFAS formats it, one line each: street and number; "
        "postcode and city; country when abroad."
    )
    phone: str | None = Field(description="Telephone number.")
    email: str | None = Field(description="E-mail address.")
    iban_masked: str | None = Field(
        description="The bank account (IBAN) with all but the country code and the last four "
        "characters starred, e.g. 'NL**************2180'. The full number is never shown; to "
        "check an invoice's IBAN, compare the last four with the user."
    )
    vat_number: str | None = Field(description="VAT identification number.")
    chamber_of_commerce_number: str | None = Field(description="Chamber of Commerce (KvK) number.")
    payment_condition: str | None = Field(description="AFAS's payment condition code, e.g. '30'.")
    vat_duty: str | None = Field(description="AFAS's VAT liability code.")
    credit_limit: str | None = Field(
        description="Credit limit as an exact decimal string ('2500.00'); null when none is set."
    )
    blocked: bool | None = Field(description="True: AFAS has this relation blocked.")
    created: str | None = Field(description="When it was created, ISO 8601, Amsterdam offset.")
    modified: str | None = Field(description="Last change, ISO 8601, Amsterdam offset.")


def meaning(kind: RelationKind) -> dict[str, str]:
    """Optional field id -> output field, for `field_missing` warnings."""
    return {
        "SearchName": "search_name",
        **dict.fromkeys(kind.address_fields, "address"),
        "TelNr": "phone",
        "Email": "email",
        "IBAN": "iban_masked",
        kind.vat_number_field: "vat_number",
        "ChOfCommNr": "chamber_of_commerce_number",
        kind.payment_field: "payment_condition",
        "VatDuty": "vat_duty",
        "CreditLimit": "credit_limit",
        "CreateDate": "created",
        "ModifiedDate": "modified",
        "CollectAccount": "collective_account",
        "CurrencyId": "currency",
        "AutoPayment": "direct_debit/automatic_payment",
        "TempBlocked": "temporarily_blocked",
    }


def shared_fields(kind: RelationKind, row: Row, read: FieldReader) -> dict[str, object]:
    """The `Relation` fields of one (non-shell) row."""
    lines = [text(read(row, name)) for name in kind.address_fields]
    return {
        "name": text(row.values[kind.name_field]),
        "relation_id": text(row.values["BcCo"]),
        "search_name": text(read(row, "SearchName")),
        "address": [line for line in lines if line],
        "phone": text(read(row, "TelNr")),
        "email": text(read(row, "Email")),
        "iban_masked": mask_iban(read(row, "IBAN")),
        "vat_number": text(read(row, kind.vat_number_field)),
        "chamber_of_commerce_number": text(read(row, "ChOfCommNr")),
        "payment_condition": text(read(row, kind.payment_field)),
        "vat_duty": text(read(row, "VatDuty")),
        "credit_limit": money(read(row, "CreditLimit")),
        "blocked": flag(row.values["Blocked"]),
        "created": moment(read(row, "CreateDate")),
        "modified": moment(read(row, "ModifiedDate")),
    }


def status_of(row: Row) -> Status:
    """What the row says about the relation's state."""
    if row.shell:
        return "blocked_or_deleted"
    blocked = flag(row.values["Blocked"])
    return "unknown" if blocked is None else ("blocked" if blocked else "active")


def check_values(missing: MissingValues, key: str, relation: Relation) -> None:
    """Note the values a relation is not to be acted on without."""
    missing.check(key, name=relation.name, relation_id=relation.relation_id)
    if relation.blocked is None:
        missing.check(key, blocked_status=None)


async def get_row(deps: ToolDeps, kind: RelationKind, record_id: str) -> tuple[Row, Found]:
    """The relation's row (possibly a shell); `UnknownRecord` when AFAS has none."""
    row, found = await find_one(deps, kind.source, record_id)
    if row is None:
        raise UnknownRecord(
            kind.kind,
            record_id,
            hint=f"Check the number, or find it by name with {kind.search_tool}",
        )
    return row, found


def shell_found(kind: RelationKind, record_id: str, connector_id: str) -> DataWarning:
    """The warning on a get that found only a shell (R5)."""
    return DataWarning(
        code="record_is_shell",
        message=f"AFAS returned {kind.kind} {record_id} from {connector_id} as a shell: its "
        "number with every other field empty. It is blocked or deleted; its details are not "
        "available and it must not be used for new transactions (R5)",
    )


def search_filters(kind: RelationKind, *, name: str | None, city: str | None) -> list[FilterGroup]:
    """Name and city conditions (city is matched in the postcode-and-city address line)."""
    conditions = []
    if name:
        conditions.append(Filter(kind.name_field, Operator.CONTAINS, name))
    if city:
        conditions.append(Filter(kind.address_fields[1], Operator.CONTAINS, city))
    return [FilterGroup(*conditions)] if conditions else []


async def search_page(
    deps: ToolDeps,
    kind: RelationKind,
    *,
    filters: list[FilterGroup],
    include_blocked: bool,
    limit: int,
    after: str | None,
) -> tuple[Found, list[DataWarning]]:
    """One page of non-shell relations, and the warnings about what was left out."""
    keep = None if include_blocked else not_blocked
    found = await read_page(deps, kind.source, filters=filters, limit=limit, after=after, keep=keep)
    warnings = list(found.warnings)
    if found.shells:
        warnings.append(shell_warning(kind.kind, found.shells, connector_id=found.connector_id))
    if include_blocked and filters and after is None:
        # A shell has no name or address, so a name or city search can never match it.
        probe = await read_page(
            deps,
            kind.source,
            filters=[FilterGroup(Filter(kind.name_field, Operator.IS_EMPTY))],
            limit=1,
            after=None,
            max_calls=1,
        )
        if probe.shells:
            warnings.append(
                DataWarning(
                    code="blocked_records_not_searchable",
                    message=f"AFAS returns some blocked or deleted {kind.kind}s as shells "
                    f"without name or address (R5); a name or city search cannot match them, "
                    f"so blocked {kind.kind}s may be missing here. get_{kind.kind} with a "
                    "number shows its state",
                )
            )
    return found, warnings
