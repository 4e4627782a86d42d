"""The crm toolset's write tools: create_debtor, create_creditor, log_activity.

A new debtor or creditor is a new person or organisation with its address, bank account and
identifiers, built as AFAS's KnSalesRelation*/KnPurchaseRelation* connectors want it; the
policies check the identifiers and send look-alikes of existing relations to a person (a second
creditor with a new IBAN is how payment fraud starts). An activity is a dossier item (KnSubject)
on an organisation or person.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from policies.facts import ActivityFacts, RelationFacts, RelationKind, RelationRole, WriteTool
from policies.values import normalise_iban, person_display_name
from server.outcomes import InvalidToolInput
from server.writes.kinds import WriteKind
from server.writes.result import WriteResult
from tools.base import ToolSpec
from tools.deps import ToolDeps
from tools.payloads import readback_work as rb
from tools.payloads.lookups import text
from tools.payloads.relation import relation_body, relation_connector
from tools.payloads.subject import activity_body
from tools.payloads.writing import (
    GUARD,
    AddressInput,
    DryRun,
    SourceConfidence,
    WriteInput,
    submit,
)

_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
# Dossier item type 1 (a note) unless the agent names another: the types are AFAS configuration.
NOTE = 1


class CreateRelationInput(WriteInput):
    """A new debtor or creditor in plain terms."""

    kind: Literal["person", "organisation"] = Field(
        description="organisation for a company or institution, person for a private customer "
        "or supplier."
    )
    name: str | None = Field(
        None,
        min_length=1,
        max_length=255,
        description="The organisation's name as it should show. Organisations only: give a "
        "person's name in parts (last_name, first_name, initials, name_prefix).",
    )
    first_name: str | None = Field(
        None, max_length=50, description="A person's first name(s), e.g. 'Anna'. Persons only."
    )
    initials: str | None = Field(
        None, max_length=15, description="A person's initials, e.g. 'A.M.'. Persons only."
    )
    name_prefix: str | None = Field(
        None,
        max_length=15,
        description="Prefix of a person's last name, e.g. 'van', 'de', 'van der'. Persons only.",
    )
    last_name: str | None = Field(
        None,
        max_length=80,
        description="A person's last name without its prefix, e.g. 'Berg' for Anna van der "
        "Berg. Required for a person.",
    )
    address: AddressInput | None = Field(None, description="Visiting (and postal) address.")
    iban: str | None = Field(
        None,
        min_length=15,
        max_length=42,
        description="Bank account as IBAN, spaces allowed, e.g. 'NL91 ABNA 0417 1643 00'.",
    )
    kvk_number: str | None = Field(
        None,
        pattern=r"^\d{8}$",
        description="Chamber of Commerce (KvK) number, 8 digits; organisations only.",
    )
    vat_number: str | None = Field(
        None, max_length=20, description="VAT number (btw-nummer), e.g. 'NL001234567B01'."
    )
    email: str | None = Field(None, pattern=_EMAIL, description="E-mail address.")
    dry_run: DryRun = False
    source_confidence: SourceConfidence = None


_PERSON_NAME = ("first_name", "initials", "name_prefix", "last_name")


def _names(args: CreateRelationInput) -> tuple[str, dict[str, str | None]]:
    """The name AFAS shows for the relation, and a person's name parts (all None otherwise).

    Raises:
        InvalidToolInput: a person without a last name or with one `name`, or an organisation
            without a name or with a person's name parts.
    """
    parts = {part: text(getattr(args, part)) for part in _PERSON_NAME}
    if args.kind == "organisation":
        given = [f"`{part}`" for part, value in parts.items() if value is not None]
        if given:
            raise InvalidToolInput(
                f"{', '.join(given)}: name parts belong to a person, this is an organisation",
                hint="Pass the organisation's name as name, or create the relation as a person",
            )
        name = text(args.name)
        if name is None:
            raise InvalidToolInput(
                "`name`: an organisation needs its name", hint="Pass the name as it should show"
            )
        return name, parts
    if args.name is not None:
        raise InvalidToolInput(
            "`name`: a person's name goes in parts, so AFAS can sort, address and match it",
            hint="Pass last_name and, where known, first_name, initials and name_prefix "
            "instead of name",
        )
    last_name = parts["last_name"]
    if last_name is None:
        raise InvalidToolInput(
            "`last_name`: a person needs a last name",
            hint="Pass last_name (without its prefix) and, where known, first_name, initials "
            "and name_prefix",
        )
    shown = person_display_name(
        last_name=last_name, first_name=parts["first_name"], name_prefix=parts["name_prefix"]
    )
    return shown, parts


async def _create(deps: ToolDeps, args: CreateRelationInput, role: RelationRole) -> WriteResult:
    name, parts = _names(args)
    address = None if args.address is None else args.address.to_facts(field="address")
    facts = RelationFacts(
        role=role,
        kind=RelationKind(args.kind),
        name=name,
        first_name=parts["first_name"],
        initials=parts["initials"],
        name_prefix=parts["name_prefix"],
        last_name=parts["last_name"],
        country=address.country if address is not None else "NL",
        address=address,
        iban=normalise_iban(args.iban) if args.iban else None,
        kvk_number=args.kvk_number,
        vat_number=text(args.vat_number),
        email=text(args.email),
    )
    tool = WriteTool.CREATE_DEBTOR if role is RelationRole.DEBTOR else WriteTool.CREATE_CREDITOR
    return await submit(
        deps,
        tool=tool,
        connector=relation_connector(facts),
        action="insert",
        body=relation_body(facts, today=deps.today()),
        facts=facts,
        dry_run=args.dry_run,
        source_confidence=args.source_confidence,
    )


async def create_debtor(deps: ToolDeps, args: CreateRelationInput) -> WriteResult:
    """Handler of `create_debtor`."""
    return await _create(deps, args, RelationRole.DEBTOR)


async def create_creditor(deps: ToolDeps, args: CreateRelationInput) -> WriteResult:
    """Handler of `create_creditor`."""
    return await _create(deps, args, RelationRole.CREDITOR)


class LogActivityInput(WriteInput):
    """A dossier item on an organisation or person."""

    relation_id: str = Field(
        min_length=1,
        max_length=15,
        description="The organisation/person number (BcCo) as get_debtor or get_creditor "
        "shows it, not the debtor or creditor number.",
    )
    subject: str = Field(
        min_length=1,
        max_length=255,
        description="What it is about, in one line, e.g. 'Called about invoice 2026-0012'.",
    )
    text: str | None = Field(None, max_length=4000, description="The notes, as long as needed.")
    date: dt.date | None = Field(None, description="When it happened; default today.")
    item_type: int | None = Field(
        None,
        ge=1,
        description="Dossier item type code as configured in AFAS (e.g. 1 note, 2 phone call, "
        "3 meeting); default 1.",
    )
    dry_run: DryRun = False
    source_confidence: SourceConfidence = None


async def log_activity(deps: ToolDeps, args: LogActivityInput) -> WriteResult:
    """Handler of `log_activity`."""
    facts = ActivityFacts(
        relation_id=args.relation_id.strip(),
        subject=args.subject.strip(),
        text=text(args.text),
        subject_type=str(args.item_type or NOTE),
        activity_date=args.date or deps.today(),
    )
    return await submit(
        deps,
        tool=WriteTool.LOG_ACTIVITY,
        connector="KnSubject",
        action="insert",
        body=activity_body(facts),
        facts=facts,
        dry_run=args.dry_run,
        source_confidence=args.source_confidence,
    )


_RELATION_COPY = (
    "Give an organisation's name, or a person's name in parts (last_name, and first_name, "
    "initials and name_prefix where known), and where known the address, IBAN, KvK number "
    "(organisations), VAT number and e-mail; search first (search_{plural}) so you do not "
    "create one that exists. The server checks the IBAN checksum and KvK format, and sends a "
    "{role} with the same IBAN, KvK number, or name and postal code as an existing one to a "
    "person. It does not change an existing {role}. "
)

TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        name="create_debtor",
        toolset="crm",
        title="Create debtor",
        description=(
            "Create a new debtor (a customer you invoice): a new organisation or person with "
            "its sales relation. " + _RELATION_COPY.format(plural="debtors", role="debtor") + GUARD
        ),
        input_model=CreateRelationInput,
        output_model=WriteResult,
        handler=create_debtor,
        read_only=False,
        destructive=False,
        idempotent=False,
    ),
    ToolSpec(
        name="create_creditor",
        toolset="crm",
        title="Create creditor",
        description=(
            "Create a new creditor (a supplier you pay): a new organisation or person with its "
            "purchase relation. "
            + _RELATION_COPY.format(plural="creditors", role="creditor")
            + "New creditors are reviewed by a person before they are sent. "
            + GUARD
        ),
        input_model=CreateRelationInput,
        output_model=WriteResult,
        handler=create_creditor,
        read_only=False,
        destructive=False,
        idempotent=False,
    ),
    ToolSpec(
        name="log_activity",
        toolset="crm",
        title="Log activity",
        description=(
            "Add a dossier item (a note, call or meeting) to an organisation's or person's "
            "dossier in AFAS, so colleagues see it with the relation. Use the organisation/"
            "person number (BcCo) from get_debtor or get_creditor. It does not change or close "
            "existing dossier items, and attaches no files. " + GUARD
        ),
        input_model=LogActivityInput,
        output_model=WriteResult,
        handler=log_activity,
        read_only=False,
        destructive=False,
        idempotent=False,
    ),
)


def _relation_kind(tool: WriteTool) -> WriteKind:
    return WriteKind(
        tool=tool,
        facts_type=RelationFacts,
        expectations=rb.relation_expectations,
        locate=rb.relation_locate,
        describe=rb.describe_relation,
    )


WRITE_KINDS: tuple[WriteKind, ...] = (
    _relation_kind(WriteTool.CREATE_DEBTOR),
    _relation_kind(WriteTool.CREATE_CREDITOR),
    WriteKind(
        tool=WriteTool.LOG_ACTIVITY,
        facts_type=ActivityFacts,
        expectations=rb.activity_expectations,
        locate=rb.activity_locate,
        describe=rb.describe_activity,
    ),
)
