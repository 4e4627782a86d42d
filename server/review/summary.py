"""What the agent asked for, in plain terms, from the facts the tool recorded with the write.

An approver reads this before the AFAS payload: "Hire Jan Jansen at employer 01 from Wed
1 April 2026" says more to an HR coordinator than `AfasContract.CmId`. The facts are JSON here
(the store keeps them so); anything missing or oddly shaped falls back to listing the facts as
they are, because an incomplete summary must never hide what is in the write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from server.store import WriteRecord


@dataclass(frozen=True)
class Table:
    """Rows with a header, e.g. the lines of a journal entry or the fields an update changes."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str = ""

    def without_empty_columns(self) -> Table:
        """The table without columns no row fills (a journal seldom has projects)."""
        keep = [i for i in range(len(self.header)) if any(row[i] for row in self.rows)]
        return Table(
            tuple(self.header[i] for i in keep),
            tuple(tuple(row[i] for i in keep) for row in self.rows),
            self.title,
        )


@dataclass(frozen=True)
class Summary:
    """A headline sentence, labelled facts, and at most one table."""

    headline: str
    rows: tuple[tuple[str, str], ...] = ()
    table: Table | None = None
    notes: tuple[str, ...] = field(default=())


def summarise(record: WriteRecord) -> Summary:
    """The plain-terms summary of one write (falls back to its raw facts when they are odd)."""
    facts = record.facts
    builder = _BUILDERS.get(record.tool)
    if builder is not None and isinstance(facts, Mapping):
        try:
            return builder(facts, record)
        except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError):
            pass  # an unexpected shape: the generic listing below still shows everything
    return _generic(facts, record)


def text(value: object) -> str:
    """A fact as text; absent values read as an empty string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def day(value: object, *, weekday: bool = True) -> str:
    """An ISO date as "Wed 1 April 2026" (the weekday catches a mistyped date); else as is."""
    try:
        parsed = date.fromisoformat(str(value))
    except ValueError:
        return text(value)
    plain = f"{parsed.day} {parsed:%B %Y}"
    return f"{parsed:%a} {plain}" if weekday else plain


def money(value: object) -> str:
    """An amount as "EUR 3,500.00"; other text is kept as it is."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return text(value)
    if not amount.is_finite():
        return text(value)
    return f"EUR {amount:,.2f}"


def _hire(f: Mapping[str, Any], record: WriteRecord) -> Summary:
    name = " ".join(text(f.get(k)) for k in ("first_name", "name_prefix", "last_name") if f.get(k))
    match = {
        "bsn": "find the person by BSN (reuse an existing person with that BSN)",
        "existing_person": f"existing person {text(f.get('person_id'))}",
        "always_new": "always a new person (test environments only)",
    }.get(text(f.get("person_match")), text(f.get("person_match")))
    period = text(f.get("period_table_code")) or "not given"
    if f.get("period_table_id") is not None:
        period += f" (period table id {text(f['period_table_id'])})"
    rows = [
        (
            "Person",
            f"{name}, born {day(f['birth_date'], weekday=False)}, gender {text(f.get('gender'))}",
        ),
        ("Employer", text(f["employer_id"])),
        ("Start date", day(f["start_date"])),
        ("Contract end", day(f["contract_end"]) if f.get("contract_end") else "open-ended"),
        ("Function", f"{text(f['function_id'])} in org unit {text(f.get('org_unit'))}"),
        ("Hours per week", text(f["hours_per_week"])),
        ("Salary", money(f["salary"])),
        ("Payroll period table", period),
        ("Person record", match),
    ]
    if isinstance(f.get("address"), Mapping):
        rows.append(("Address", _address(f["address"])))
    if f.get("email"):
        rows.append(("E-mail", text(f["email"])))
    headline = f"Hire {name} at employer {text(f['employer_id'])} from {day(f['start_date'])}"
    return Summary(headline=headline, rows=tuple(rows))


def _update(f: Mapping[str, Any], record: WriteRecord) -> Summary:
    changes: Mapping[str, Any] = f["changes"]
    current: Mapping[str, Any] = f.get("current") or {}
    cleared = [text(c) for c in f.get("cleared") or []]
    lines = [(_label(k), text(current.get(k)), text(v)) for k, v in changes.items()]
    lines += [(_label(k), text(current.get(k)), "(emptied)") for k in cleared]
    when = f" from {day(f['effective_date'])}" if f.get("effective_date") else ""
    names = ", ".join(line[0].lower() for line in lines) or "nothing"
    headline = (
        f"Change employee {text(f['employee_id'])} (employer {text(f.get('employer_id'))})"
        f"{when}: {names}"
    )
    rows = [("Employee", text(f["employee_id"])), ("Employer", text(f.get("employer_id")))]
    if f.get("effective_date"):
        rows.append(("Takes effect", day(f["effective_date"])))
    table = Table(("Field", "Now in AFAS", "Becomes"), tuple(lines), "Changes")
    return Summary(headline=headline, rows=tuple(rows), table=table)


def _journal(f: Mapping[str, Any], record: WriteRecord) -> Summary:
    lines = list(f["lines"])
    debit = sum((Decimal(str(line.get("debit") or 0)) for line in lines), Decimal(0))
    credit = sum((Decimal(str(line.get("credit") or 0)) for line in lines), Decimal(0))
    rows = [
        ("Administration", text(f["administration_id"])),
        ("Journal", text(f["journal_id"])),
        ("Entry date", day(f["entry_date"])),
        ("Description", text(f.get("description")) or "(none)"),
        ("Total debit", money(debit)),
        ("Total credit", money(credit)),
    ]
    notes = () if debit == credit else (f"Not balanced: the difference is {money(debit - credit)}",)
    table = Table(
        (
            "Account",
            "Kind",
            "Debit",
            "Credit",
            "VAT code",
            "Cost centre",
            "Project",
            "Item",
            "Text",
        ),
        tuple(
            (
                text(line.get("account")),
                text(line.get("account_kind")),
                money(line["debit"]) if Decimal(str(line.get("debit") or 0)) else "",
                money(line["credit"]) if Decimal(str(line.get("credit") or 0)) else "",
                text(line.get("vat_code")),
                text(line.get("cost_centre")),
                text(line.get("project_id")),
                text(line.get("project_item")),
                text(line.get("description")),
            )
            for line in lines
        ),
        "Lines",
    )
    about = f" ({text(f['description'])})" if f.get("description") else ""
    headline = (
        f"Journal entry of {money(debit)} in administration {text(f['administration_id'])}, "
        f"journal {text(f['journal_id'])}, dated {day(f['entry_date'])}{about}: "
        f"{len(lines)} lines"
    )
    return Summary(headline=headline, rows=tuple(rows), table=table, notes=notes)


def _relation(f: Mapping[str, Any], record: WriteRecord) -> Summary:
    rows = [
        ("Name", text(f["name"])),
        ("Kind", text(f.get("kind"))),
        ("Country", text(f["country"])),
    ]
    # A person's name goes to AFAS in parts; the approver checks the parts, not only the whole.
    for key, label in (
        ("first_name", "First name"),
        ("initials", "Initials"),
        ("name_prefix", "Prefix"),
        ("last_name", "Last name"),
    ):
        if f.get(key):
            rows.append((label, text(f[key])))
    for key, label in (("kvk_number", "KvK number"), ("vat_number", "VAT number")):
        if f.get(key):
            rows.append((label, text(f[key])))
    if f.get("iban"):
        rows.append(("IBAN", text(f["iban"])))
    if isinstance(f.get("address"), Mapping):
        rows.append(("Address", _address(f["address"])))
    if f.get("email"):
        rows.append(("E-mail", text(f["email"])))
    headline = (
        f"New {text(f['role'])}: {text(f['name'])} ({text(f.get('kind'))}, {text(f['country'])})"
    )
    return Summary(headline=headline, rows=tuple(rows))


def _hours(f: Mapping[str, Any], record: WriteRecord) -> Summary:
    headline = (
        f"Register {text(f['hours'])} hours for employee {text(f['employee_id'])} on project "
        f"{text(f['project_id'])}, {day(f['work_date'])}"
    )
    rows = [
        ("Employee", text(f["employee_id"])),
        ("Project", text(f["project_id"])),
        ("Date", day(f["work_date"])),
        ("Hours", text(f["hours"])),
        ("Work type", text(f.get("work_type"))),
    ]
    if f.get("description"):
        rows.append(("Description", text(f["description"])))
    return Summary(headline=headline, rows=tuple(rows))


def _leave(f: Mapping[str, Any], record: WriteRecord) -> Summary:
    start, end = date.fromisoformat(str(f["start"])), date.fromisoformat(str(f["end"]))
    days = (end - start).days + 1
    span = f"{days} calendar day{'s' if days != 1 else ''}"
    if f.get("from_time") and f.get("until_time"):
        span = f"part of the day, {text(f['from_time'])[:5]} to {text(f['until_time'])[:5]}"
    headline = (
        f"Leave of type {text(f['leave_type'])} for employee {text(f['employee_id'])} from "
        f"{day(f['start'])} to {day(f['end'])} ({span})"
    )
    rows = [
        ("Employee", text(f["employee_id"])),
        ("Leave type", text(f["leave_type"])),
        ("From", day(f["start"])),
        ("To (inclusive)", day(f["end"])),
    ]
    if f.get("from_time") and f.get("until_time"):
        rows.append(("Hours", f"{text(f['from_time'])[:5]} to {text(f['until_time'])[:5]}"))
    if f.get("reason"):
        rows.append(("Reason", text(f["reason"])))
    return Summary(headline=headline, rows=tuple(rows))


def _activity(f: Mapping[str, Any], record: WriteRecord) -> Summary:
    headline = (
        f"Dossier item \u201c{text(f['subject'])}\u201d on relation {text(f['relation_id'])}, "
        f"dated {day(f['activity_date'])}"
    )
    rows = [
        ("Relation", text(f["relation_id"])),
        ("Subject", text(f["subject"])),
        ("Type", text(f.get("subject_type"))),
        ("Date", day(f["activity_date"])),
        ("Text", text(f.get("text"))),
    ]
    return Summary(headline=headline, rows=tuple(rows))


def _generic(facts: object, record: WriteRecord) -> Summary:
    headline = f"{record.action.capitalize()} through {record.connector} ({record.tool})"
    rows = tuple(_flatten(facts)) if facts is not None else ()
    return Summary(headline=headline, rows=rows)


def _flatten(value: object, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(value, Mapping):
        out: list[tuple[str, str]] = []
        for key, item in value.items():
            out += _flatten(item, f"{prefix}{key}.")
        return out
    if isinstance(value, list):
        out = []
        for index, item in enumerate(value):
            out += _flatten(item, f"{prefix}{index + 1}.")
        return out
    return [(prefix.rstrip(".") or "facts", text(value))]


def _address(a: Mapping[str, Any]) -> str:
    number = " ".join(text(a.get(k)) for k in ("house_number", "house_number_addition") if a.get(k))
    street = f"{text(a.get('street'))} {number}".strip()
    return f"{street}, {text(a.get('postal_code'))} {text(a.get('city'))}, {text(a.get('country'))}"


def _label(name: object) -> str:
    return text(name).replace("_", " ").capitalize()


_BUILDERS: Mapping[str, Callable[[Mapping[str, Any], WriteRecord], Summary]] = {
    "onboard_employee": _hire,
    "update_employee": _update,
    "post_journal_entry": _journal,
    "create_debtor": _relation,
    "create_creditor": _relation,
    "register_hours": _hours,
    "submit_leave_request": _leave,
    "log_activity": _activity,
}
