"""FiEntries (root `FiEntryPar`, lines in sub-object `FiEntries`): journal entries, post and delete.

Always checked: the administration (`UnId`, default the first one, as "the administration the
user last logged into"), the journal, every line's account (ledger account, debtor or creditor
by `VaAs` 1/2/3), VAT code and project. Under W18 (on in every profile: AFAS documents it) also:
the entry balances, no line falls in a blocked booking period, accounts that demand allocation
or a project get `FiDimEntries` / `FiPrjEntries`, and at most `max_entry_lines` lines; W18 off
skips those business rules. There is no PUT: an entry is deleted and posted again.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from simulator.tenant.store import Record
from simulator.updates.context import Results, WriteContext
from simulator.updates.envelope import DeleteTarget, Element

ACCOUNT_KINDS = {"1": "Account Number", "2": "Debtor", "3": "Creditor"}
LOCKED = "The booking layout is locked by another user. Please try again later."


def post(ctx: WriteContext, root: Element, results: Results) -> None:
    """Plan one journal entry: its header and numbered lines."""
    header = ctx.values(root)
    unit = _administration(ctx, header.get("UnId"))
    year, period = header.get("Year"), header.get("Peri")
    if year is None:
        ctx.missing("Financial year")
    if period is None:
        ctx.missing("Period")
    journal = header.get("JoCo")
    if not journal:
        ctx.missing("Journal")
    elif unit is not None:
        record = ctx.tenant.get("journals", (unit, str(journal)))
        if record is None:
            ctx.unknown("Journal", journal)
        elif record["Blocked"]:
            ctx.problem(f"Journal '{journal}' is blocked.")
    rules = ctx.on("W18_fientries_rules")
    lines = root.children("FiEntries")
    if not lines:
        ctx.problem("A journal entry needs at least one line (FiEntries).")
    if rules and len(lines) > ctx.settings.max_entry_lines:
        ctx.problem(
            f"A journal entry may have at most {ctx.settings.max_entry_lines} lines; "
            f"{len(lines)} were sent."
        )
    planned = [_line(ctx, unit, line, rules=rules) for line in lines]
    if rules and unit is not None and isinstance(year, int) and isinstance(period, int):
        _header_period(ctx, unit, year, period)
    if rules:
        _balance(ctx, planned)
    unit = ctx.settled(unit)
    number = _entry_number(ctx, unit)
    invoice = None
    if header.get("AuNu") is True:
        invoice = f"{year}{number:05d}"
    for seq, line in enumerate(planned, 1):
        line.update(UnId=unit, EnNo=number, SeqNo=seq, Year=year, Peri=period, JoCo=str(journal))
        if invoice is not None and not line.get("InId"):
            line["InId"] = invoice
        ctx.changes.insert("entries", line, (unit, number, seq))
    results.add(UnId=unit, EnNo=number, InId=invoice)


def _administration(ctx: WriteContext, raw: Any) -> int | None:
    units = [record["AdminId"] for record in ctx.tenant.table("administrations")]
    if raw is None or raw == "":
        return units[0] if units else None
    if raw not in units:
        ctx.unknown("Administration", raw)
        return None
    return int(raw)


def _line(ctx: WriteContext, unit: int | None, line: Element, *, rules: bool) -> Record:
    values = ctx.values(line)
    kind = str(values.get("VaAs") or "")
    account = values.get("AcNr")
    if not kind:
        ctx.missing("Account type")
    elif kind not in ACCOUNT_KINDS:
        ctx.unknown("Account type", kind)
    elif not account:
        ctx.missing(ACCOUNT_KINDS[kind])
    else:
        _account(ctx, kind, str(account), line, rules=rules)
    day = values.get("EnDa")
    if not isinstance(day, date):
        ctx.missing("Entry date")
    elif rules and unit is not None:
        _booking_period(ctx, unit, day)
    vat = values.get("VaId")
    if vat:
        record = ctx.tenant.get("vat_codes", str(vat))
        if record is None:
            ctx.unknown("VAT code", vat)
        elif record["Blocked"]:
            ctx.problem(f"VAT code '{vat}' is blocked.")
    allocation = line.child("FiDimEntries")
    cost_centre = ctx.values(allocation).get("DiC1") if allocation is not None else None
    if cost_centre and not ctx.tenant.find("cost_centres", CostCentre=str(cost_centre)):
        ctx.unknown("Cost centre", cost_centre)
    projects = [ctx.values(p).get("PrId") for p in line.children("FiPrjEntries")]
    for project in projects:
        if project and ctx.tenant.get("projects", str(project)) is None:
            ctx.unknown("Project", project)
    return {
        "VaAs": kind,
        "AcNr": str(account) if account is not None else None,
        "EnDa": day,
        "BpDa": values.get("BpDa"),
        "BpNr": values.get("BpNr"),
        "InId": values.get("InId"),
        "Ds": values.get("Ds"),
        "AmDe": values.get("AmDe") or Decimal(0),
        "AmCr": values.get("AmCr") or Decimal(0),
        "VaId": vat,
        "VatAmt": None,
        "DimAx1": cost_centre,
        "DaEx": values.get("DaEx"),
        "PrId": next((p for p in projects if p), None),
        "CuId": values.get("CuId"),
    }


def _account(ctx: WriteContext, kind: str, account: str, line: Element, *, rules: bool) -> None:
    if kind in ("2", "3"):
        table, label = ("debtors", "Debtor") if kind == "2" else ("creditors", "Creditor")
        record = ctx.tenant.get(table, account)
        if record is None or record.get("_deleted"):
            ctx.unknown(label, account)
        elif record["Bl"]:
            ctx.problem(f"{label} '{account}' is blocked.")
        return
    record = ctx.tenant.get("ledger_accounts", account)
    if record is None:
        ctx.unknown("Account Number", account)
        return
    if record["Blocked"]:
        ctx.problem(f"Account '{account}' is blocked.")
    if not rules:
        return
    allocation = line.child("FiDimEntries")
    if record["DimAx1"] and (allocation is None or not allocation.fields.get("DiC1")):
        ctx.problem(f"Allocation code for axis 'Cost center' must be filled for account {account}")
    if record["ToProject"] == "Verplicht" and not any(
        p.fields.get("PrId") for p in line.children("FiPrjEntries")
    ):
        ctx.problem(f"Project must be filled for account {account}")


def _booking_period(ctx: WriteContext, unit: int, day: date) -> None:
    rows = ctx.tenant.find("booking_periods", Unit=unit, Year=day.year)
    period = next((r for r in rows if r["DateFrom"] <= day <= r["DateTo"]), None)
    shown = f"{day.day}-{day.month}-{day.year}"
    if period is None:
        ctx.problem(f"Date '{shown}' does not belong to a period of this administration")
    elif period["Blocked"]:
        ctx.problem(f"Date '{shown}' belongs to a blocked period")
        ctx.problem(
            f"For this administration, period {period['Period']} of the year {day.year} is blocked."
        )


def _header_period(ctx: WriteContext, unit: int, year: int, period: int) -> None:
    record = ctx.tenant.get("booking_periods", (unit, year, period))
    if record is None:
        ctx.problem(f"Period {period} of the year {year} does not exist in this administration")
    elif record["Blocked"]:
        ctx.problem(f"For this administration, period {period} of the year {year} is blocked.")


def _balance(ctx: WriteContext, lines: list[Record]) -> None:
    debit = sum((line["AmDe"] for line in lines if isinstance(line["AmDe"], Decimal)), Decimal(0))
    credit = sum((line["AmCr"] for line in lines if isinstance(line["AmCr"], Decimal)), Decimal(0))
    if debit != credit:
        ctx.problem(f"The entry is not in balance: debit {debit:.2f}, credit {credit:.2f}.")


def _entry_number(ctx: WriteContext, unit: int) -> int:
    while True:
        number = ctx.tenant.next_number(f"EnNo:{unit}")
        if ctx.tenant.get("entries", (unit, number, 1)) is None:
            return number


def delete(ctx: WriteContext, targets: list[DeleteTarget]) -> None:
    """`FiEntryPar/UnId,JoCo/{u},{j}/FiEntries/@EnNo/{n}` or `.../FiEntries/InId/{invoice}`."""
    shape_ok = (
        len(targets) == 2
        and {"UnId", "JoCo"} <= set(targets[0].keys)
        and targets[1].object_name == "FiEntries"
        and set(targets[1].keys) & {"EnNo", "InId"}
    )
    if not shape_ok:
        ctx.problem("Delete an entry by UnId,JoCo and then FiEntries by EnNo or InId.")
        ctx.check()
    head, lines = targets
    try:
        unit = int(head.keys["UnId"])
    except ValueError:
        unit = -1
    criteria: dict[str, Any] = {"UnId": unit, "JoCo": head.keys["JoCo"]}
    if "EnNo" in lines.keys:
        number = lines.keys["EnNo"]
        criteria["EnNo"] = int(number) if number.isdigit() else number
        label, value = "Entry number", number
    else:
        criteria["InId"] = lines.keys["InId"]
        label, value = "Invoice number", lines.keys["InId"]
    found = ctx.tenant.find("entries", **criteria)
    if not found:
        ctx.unknown(label, value)
        ctx.check()
    if ctx.on("W18_fientries_rules"):
        for day in sorted({line["EnDa"] for line in found}):
            _booking_period(ctx, unit, day)
    ctx.check()
    for line in found:
        ctx.changes.delete("entries", (line["UnId"], line["EnNo"], line["SeqNo"]))
