"""Every body the write tools can send validates against AFAS's official OpenAPI request schema.

The schemas in `../shared/afas/official/openapi/` are stricter than AFAS itself, and stricter than
AFAS's own examples in the same files; validating against them as printed would reject every
official example. So the schema is read the way AFAS's server reads a body (afas-api.md 5.1),
and each relaxation is one AFAS documents or its own examples prove:

- A scalar may travel as its text: `"2013"` for an integer, `"1806.22"` for a number, `"1"`/
  `"false"` for a boolean; and a code field may travel as a number (`"SfTp": 4`). Every official
  example does this; the product sends decimals as text on purpose (no float ever carries an
  amount) and W7's legacy flags as `"1"`/`"0"`.
- An official example may send several rows in one call (a list where the schema has one
  `Element`); each row is validated on its own.
- Dates are AFAS wire dates: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` in Amsterdam wall time; a
  time field typed as a date-time (`StTi`) takes the time of day alone.
- A field the schema lists as required is not required when an official example of the same
  operation leaves it out (e.g. `FiEntries.EnNo`, the entry number AFAS assigns itself).

And one tightening: a `Fields` map may only hold field ids the schema documents (plus AFAS's
GUID-like custom field ids), and an element only `Fields`, `Objects` and `@` keys, so a misspelt
field id fails here instead of being dropped by AFAS. The product's bodies must use the shapes
the schema defines (`Objects` as a list; `Element` as a list where the schema says so) with no
normalisation; the official examples, which also use AFAS's other accepted shapes, are
normalised first (map-form `Objects`, a lone `Element`).

KnEmployee has no spec in the folder; `test_no_spec_covers_knemployee` notices when one appears.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from datetime import date, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator, FormatChecker

from policies.facts import (
    AccountKind,
    ActivityFacts,
    Address,
    HoursFacts,
    JournalEntryFacts,
    JournalLine,
    LeaveFacts,
    RelationFacts,
    RelationKind,
    RelationRole,
)
from tools.payloads._elements import reference
from tools.payloads.hours import hours_body
from tools.payloads.journal import journal_body
from tools.payloads.leave import leave_body
from tools.payloads.relation import relation_body, relation_connector
from tools.payloads.subject import activity_body

Schema = dict[str, Any]

# The spec file of each connector the write tools use, and the method they use it with.
SPEC_FILES: dict[str, str] = {
    "FiEntries": "Mutaties.json",
    "KnSalesRelationPer": "Organisaties en personen.json",
    "KnSalesRelationOrg": "Organisaties en personen.json",
    "KnPurchaseRelationPer": "Inkoop.json",
    "KnPurchaseRelationOrg": "Inkoop.json",
    "PtRealization": "Projecten en nacalculatie.json",
    "HrAbsence": "Verlof en Ziekte.json",
    "KnSubject": "Dossiers en bijlagen en workflows.json",
}

# Official examples that break AFAS's own documented grammar or schema beyond the relaxations
# above; each must keep failing, so the list cannot hide a validator that got too strict.
KNOWN_SLIPS: dict[tuple[str, str], str] = {
    ("FiEntries", "Journal"): "`Fields` of the header is a list (afas-api.md 5.1 calls it a slip)",
    ("HrAbsence", "2 regels"): "leave reasons 'H' and 'HF', outside the schema's list of codes",
    ("FiEntries", "Direct Debit Entries"): "sends `null` for InId; what null does is undocumented",
    ("KnPurchaseRelationOrg", "EDA"): "`false` for the credit limit, `true` for a VAT-duty code",
    ("KnPurchaseRelationOrg", "met persoon EDA"): "`false` for the credit limit, `true` for "
    "a VAT-duty code",
    ("KnPurchaseRelationOrg", "gRekening"): "`true` for the payment method code",
    ("KnPurchaseRelationPer", "EDA"): "`false` for the credit limit, `true` for a VAT-duty code",
    ("KnPurchaseRelationPer", "Maximaal"): "`false` for amounts and codes",
    ("KnSalesRelationOrg", "EDA"): "a fiscal number longer than the field",
    ("KnSalesRelationOrg", "IBAN checkIBAN false"): "`true` for the VAT-duty code",
    ("KnSalesRelationOrg", "IBAN checkIBAN true"): "`true` for the VAT-duty code",
    ("KnSubject", "Employee with Workflow Id"): "a field `id` the schema does not have",
}

_CUSTOM_FIELD = r"^U[0-9A-F]{32}$"  # custom fields use their GUID-like id (afas-api.md 5.1)
_WIRE_TEXT = {
    "integer": r"^-?\d+$",
    "number": r"^-?(\d+(\.\d*)?|\.\d+)$",
    "boolean": r"^(?i:true|false|1|0)$",
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?")
_TIME = re.compile(r"\d{2}:\d{2}(:\d{2})?")


# --- reading the spec ------------------------------------------------------------------------


@cache
def _spec(path: Path) -> Schema:
    loaded: Schema = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _resolve(spec: Schema, node: Any, seen: tuple[str, ...] = ()) -> Any:
    """The schema with every local `$ref` inlined (the request schemas are not recursive)."""
    if isinstance(node, dict):
        if "$ref" in node:
            ref = node["$ref"]
            if ref in seen:
                raise ValueError(f"recursive $ref {ref}")
            target: Any = spec
            for part in ref.removeprefix("#/").split("/"):
                target = target[part]
            return _resolve(spec, target, (*seen, ref))
        return {key: _resolve(spec, value, seen) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve(spec, item, seen) for item in node]
    return node


def operation(shared: Path, connector: str, method: str) -> Schema:
    """The resolved request body of `/connectors/{connector}` for one method."""
    spec = _spec(shared / "afas" / "official" / "openapi" / SPEC_FILES[connector])
    op = spec["paths"][f"/connectors/{connector}"][method]
    content = op["requestBody"]["content"]["application/json"]
    resolved: Schema = _resolve(spec, content)
    return resolved


def examples(shared: Path, connector: str, method: str) -> dict[str, Any]:
    """AFAS's own example bodies for the operation, by name."""
    content = operation(shared, connector, method)
    return {name: ex["value"] for name, ex in content.get("examples", {}).items()}


# --- the schema as AFAS's server reads a body -------------------------------------------------


def _is_object(node: Any) -> bool:
    return isinstance(node, dict) and node.get("type") == "object"


def _items(node: Schema) -> Schema:
    return node["items"] if node.get("type") == "array" else node


def _walk_pairs(schema: Schema, body: Any, where: str) -> Iterator[tuple[str, Schema, Any]]:
    """(location, Fields schema, Fields value) for every element of a body, along the schema."""
    if not _is_object(schema) or not isinstance(body, dict):
        return
    for name, sub in schema.get("properties", {}).items():
        if name not in body:
            continue
        value = body[name]
        here = f"{where}/{name}"
        if name == "Fields" and _is_object(sub):
            yield here, sub, value
        elif sub.get("type") == "array" and isinstance(value, list):
            for item in value:
                yield from _walk_pairs(_items(sub), item, here)
        else:
            yield from _walk_pairs(sub, value, here)


def optional_in_examples(shared: Path, connector: str, method: str) -> dict[str, set[str]]:
    """Per `Fields` location, the required fields some official example leaves out."""
    schema = operation(shared, connector, method)["schema"]
    relaxed: dict[str, set[str]] = {}
    for example in examples(shared, connector, method).values():
        for row in rows_of(schema, example):
            for where, fields_schema, value in _walk_pairs(schema, normalise(schema, row), ""):
                if isinstance(value, dict):
                    left_out = set(fields_schema.get("required", ())) - set(value)
                    relaxed.setdefault(where, set()).update(left_out)
    return relaxed


def wire_schema(shared: Path, connector: str, method: str) -> Schema:
    """The request schema with AFAS's wire relaxations and the field-id tightening applied."""
    schema = copy.deepcopy(operation(shared, connector, method)["schema"])
    relaxed = optional_in_examples(shared, connector, method)

    def visit(node: Any, where: str, *, in_fields: bool) -> None:
        if not isinstance(node, dict):
            return
        kind = node.get("type")
        if in_fields and kind in _WIRE_TEXT:
            original = {k: node.pop(k) for k in list(node) if k != "description"}
            node["anyOf"] = [original, {"type": "string", "pattern": _WIRE_TEXT[kind]}]
            return
        if in_fields and kind == "string":
            node["type"] = ["string", "integer", "number"]
            if "enum" in node:
                numeric = [int(v) for v in node["enum"] if v.isdigit() and str(int(v)) == v]
                node["enum"] = [*node["enum"], *numeric]
            return
        if kind == "object":
            props = node.get("properties", {})
            if where.endswith("/Fields"):
                node["required"] = [
                    f for f in node.get("required", ()) if f not in relaxed.get(where, set())
                ]
                node["additionalProperties"] = False
                node["patternProperties"] = {_CUSTOM_FIELD: {}}
            elif {"Fields", "Objects"} & set(props):
                node["additionalProperties"] = False
                node["patternProperties"] = {"^@": {}}
            for name, sub in props.items():
                visit(sub, f"{where}/{name}", in_fields=where.endswith("/Fields"))

        elif kind == "array":
            visit(node.get("items"), where, in_fields=in_fields)

    visit(schema, "", in_fields=False)
    return schema


def _wire_formats() -> FormatChecker:
    checker = FormatChecker(formats=())

    @checker.checks("date")
    def _date(value: object) -> bool:
        if not isinstance(value, str):
            return True
        return bool(_DATE.fullmatch(value) or _DATE_TIME.fullmatch(value))

    @checker.checks("date-time")
    def _date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        return any(form.fullmatch(value) for form in (_DATE_TIME, _DATE, _TIME))

    return checker


def problems(shared: Path, connector: str, method: str, body: Any) -> list[str]:
    """Where a body breaks the (wire-read) schema, one line per problem; empty when valid."""
    validator = Draft7Validator(
        wire_schema(shared, connector, method), format_checker=_wire_formats()
    )
    return sorted(
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message[:160]}"
        for error in validator.iter_errors(body)
    )


# --- AFAS's other accepted shapes, for its own examples only -----------------------------------


def rows_of(schema: Schema, body: Any) -> list[Any]:
    """A body with several root rows as one body per row, where the schema has a single row."""
    ((root, inner),) = body.items()
    element_schema = schema["properties"][root]["properties"]["Element"]
    rows = inner.get("Element") if isinstance(inner, dict) else None
    if _is_object(element_schema) and isinstance(rows, list):
        return [{root: {**inner, "Element": row}} for row in rows]
    return [body]


def normalise(schema: Any, body: Any) -> Any:
    """An official example in the schema's shapes: map-form `Objects` as a list, a lone
    `Element` as a one-item list where the schema wants a list."""
    if not isinstance(schema, dict) or not isinstance(body, dict):
        return body
    out = dict(body)
    for name, sub in schema.get("properties", {}).items():
        if name not in out:
            continue
        value = out[name]
        if name == "Objects" and isinstance(value, dict):
            value = [{key: item} for key, item in value.items()]
        if sub.get("type") == "array":
            items = value if isinstance(value, list) else [value]
            out[name] = [normalise(sub.get("items"), item) for item in items]
        else:
            out[name] = normalise(sub, value)
    return out


# --- the product's bodies ---------------------------------------------------------------------

DAY = date(2026, 3, 5)
ADDRESS = Address("Raadhuislaan", "105 bis", "3833 LC", "Leusden")
IBAN = "NL91ABNA0417164300"


def _journal_bodies() -> Iterator[tuple[str, dict[str, Any]]]:
    lines = (
        JournalLine(AccountKind.DEBTOR, "10001", debit=Decimal("121.00"), description="Factuur"),
        JournalLine(AccountKind.LEDGER, "8000", credit=Decimal("100.00"), vat_code="1"),
        JournalLine(AccountKind.LEDGER, "1500", credit=Decimal("21.00")),
    )
    entry = JournalEntryFacts(1, "20", DAY, lines, description="Verkoop")
    yield "sales entry", journal_body(entry, year=2026, period=3, voucher=reference(entry))
    allocated = (
        JournalLine(AccountKind.LEDGER, "4000", debit=Decimal("50"), cost_centre="200"),
        JournalLine(
            AccountKind.LEDGER, "4500", debit=Decimal("25"), project_id="P100", project_item="K01"
        ),
        JournalLine(AccountKind.CREDITOR, "20001", credit=Decimal("75")),
    )
    entry = JournalEntryFacts(1, "10", DAY, allocated)
    body = journal_body(entry, year=2026, period=3, voucher=reference(entry))
    yield "allocation and project lines", body


def _relation_bodies() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for role in RelationRole:
        for kind in RelationKind:
            organisation = kind is RelationKind.ORGANISATION
            person_name: dict[str, Any] = (
                {}
                if organisation
                else {
                    "first_name": "Piet",
                    "initials": "P.J.",
                    "name_prefix": "van",
                    "last_name": "Jansen",
                }
            )
            full = RelationFacts(
                role,
                kind,
                "Jansen Installatie" if organisation else "Piet van Jansen",
                "NL",
                address=ADDRESS,
                iban=IBAN,
                kvk_number="12345678" if organisation else None,
                vat_number="NL001234567B01",
                email="info@example.nl",
                **person_name,
            )
            bare = RelationFacts(
                role, kind, "Naam", "NL", last_name=None if organisation else "Naam"
            )
            for label, facts in (("every field", full), ("name only", bare)):
                body = relation_body(facts, today=DAY)
                yield f"{role} {kind} {label}", relation_connector(facts), body


def product_bodies() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(case, connector, body) for every shape the write tools can send."""
    for label, body in _journal_bodies():
        yield f"post_journal_entry {label}", "FiEntries", body
    for label, connector, body in _relation_bodies():
        yield f"create_{label}", connector, body
    for description in ("Montage", None):
        hours = HoursFacts("1000123", "P100", DAY, Decimal("7.5"), "300", description)
        body = hours_body(hours, external_key=reference(hours))
        yield f"register_hours description={description}", "PtRealization", body
    whole = LeaveFacts("1000123", "V", DAY, date(2026, 3, 9), "Vakantie")
    yield "submit_leave_request whole days", "HrAbsence", leave_body(whole)
    part = LeaveFacts("1000123", "V", DAY, DAY, from_time=time(13, 0), until_time=time(17, 30))
    yield "submit_leave_request partial", "HrAbsence", leave_body(part)
    for text in ("Teruggebeld over de factuur", None):
        activity = ActivityFacts("1000551", "Telefoongesprek", "2", DAY, text=text)
        yield f"log_activity text={bool(text)}", "KnSubject", activity_body(activity)


PRODUCT_CASES = list(product_bodies())


@pytest.mark.parametrize(
    ("connector", "body"),
    [pytest.param(c, b, id=case) for case, c, b in PRODUCT_CASES],
)
def test_every_body_the_write_tools_send_validates_against_afas_openapi(
    shared_dir: Path, connector: str, body: dict[str, Any]
) -> None:
    assert problems(shared_dir, connector, "post", body) == []


def test_every_covered_connector_has_a_product_body() -> None:
    assert {connector for _case, connector, _body in PRODUCT_CASES} == set(SPEC_FILES)


@pytest.mark.parametrize("connector", sorted(SPEC_FILES))
def test_afas_own_examples_pass_the_wire_reading_of_the_schema(
    shared_dir: Path, connector: str
) -> None:
    schema = operation(shared_dir, connector, "post")["schema"]
    found = examples(shared_dir, connector, "post")
    assert found, f"the spec has no POST examples for {connector}"
    failing = {
        name: [
            problem
            for row in rows_of(schema, body)
            for problem in problems(shared_dir, connector, "post", normalise(schema, row))
        ]
        for name, body in found.items()
    }
    failing = {name: errors for name, errors in failing.items() if errors}
    expected = {name for (c, name) in KNOWN_SLIPS if c == connector}
    assert set(failing) == expected, failing


def test_a_misspelt_field_id_fails_the_validation(shared_dir: Path) -> None:
    hours = HoursFacts("1000123", "P100", DAY, Decimal("8"), "300")
    body = hours_body(hours, external_key=reference(hours))
    body["PtRealization"]["Element"]["Fields"]["Qty"] = "8"
    assert problems(shared_dir, "PtRealization", "post", body) == [
        "PtRealization/Element/Fields: 'Qty' does not match any of the regexes: '^U[0-9A-F]{32}$'"
    ]


def test_a_field_every_example_sends_stays_required(shared_dir: Path) -> None:
    hours = HoursFacts("1000123", "P100", DAY, Decimal("8"), "300")
    body = hours_body(hours, external_key=reference(hours))
    del body["PtRealization"]["Element"]["Fields"]["ItCd"]
    assert problems(shared_dir, "PtRealization", "post", body) == [
        "PtRealization/Element/Fields: 'ItCd' is a required property"
    ]


def test_a_date_in_the_wrong_form_fails_the_validation(shared_dir: Path) -> None:
    leave = LeaveFacts("1000123", "V", DAY, DAY)
    body = leave_body(leave)
    body["HrAbsence"]["Element"]["Fields"]["DaBe"] = "05-03-2026"
    assert problems(shared_dir, "HrAbsence", "post", body) == [
        "HrAbsence/Element/Fields/DaBe: '05-03-2026' is not a 'date-time'"
    ]


def test_no_spec_covers_knemployee(shared_dir: Path) -> None:
    folder = shared_dir / "afas" / "official" / "openapi"
    covering = [
        spec.name
        for spec in sorted(folder.glob("*.json"))
        if "/connectors/KnEmployee" in _spec(spec)["paths"]
    ]
    # When AFAS publishes one, add KnEmployee to SPEC_FILES and the hire bodies to the cases.
    assert covering == []
