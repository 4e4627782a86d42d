"""Employer, period table, payroll period and function checks of employee writes (W1-W3, W10, W12).

Each check either refuses the write (the switch off: the idealised, validating API) or lets it
through the way the seed article says AFAS does (switch on), noting what happened in the write
journal and, where payroll will later ignore the employee, an issue on the employee record
(`_payroll_issues`, read by `WriteSide.payroll_state`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from simulator.updates.context import WriteContext
from simulator.updates.values import BadValue, to_int


def employer(ctx: WriteContext, cm_id: Any, *, object_name: str = "AfasContract") -> str | None:
    """The employer of a contract row: W1 defaults a missing one to the first employer."""
    if cm_id in (None, ""):
        if not ctx.on("W1_missing_employer_defaults_to_first"):
            ctx.missing("Employer")
            return None
        first = next(iter(ctx.tenant.table("employers")), None)
        if first is None:
            ctx.missing("Employer")
            return None
        ctx.note(
            f"W1: {object_name} without CmId stored under the first employer {first['EmployerId']}"
        )
        return str(first["EmployerId"])
    if ctx.tenant.get("employers", str(cm_id)) is None:
        ctx.unknown("Employer", cm_id)
        return None
    return str(cm_id)


def employer_tables(ctx: WriteContext, employer_id: str) -> list[int]:
    """The period tables an employer uses: those of its payroll calendar, in order of use."""
    record = ctx.tenant.get("employers", employer_id) or {}
    tables = list(record.get("PeriodTableIds", ()))
    for row in ctx.tenant.find("payroll_periods", EmployerId=employer_id):
        if row["PeriodTableId"] not in tables:
            tables.append(row["PeriodTableId"])
    return tables


def period_table(
    ctx: WriteContext, raw: Any, employer_id: str | None, issues: list[str]
) -> tuple[bool, int | None]:
    """The PtId to store for a salary row, and whether the row may be stored at all.

    Numeric ids must exist. A code is mapped through the period tables (`MAAND` -> 5); a short
    unknown code ("MND") is ignored and stored empty under W12. A table the employer does not use
    is stored as sent under W3 (payroll drops the employee later).
    """
    if raw in (None, ""):
        ctx.missing("Period table")
        return False, None
    tables = {t["PtId"]: t for t in ctx.tenant.table("period_tables")}
    try:
        pt_id: int | None = to_int(raw, "PtId")
    except BadValue:
        code = str(raw).strip().upper()
        pt_id = next((p for p, t in tables.items() if str(t["Code"]).upper() == code), None)
        if pt_id is None:
            if code.isalpha() and len(code) <= 3 and ctx.on("W12_short_period_code_ignored"):
                ctx.note(f"W12: PtId {raw!r} is a short code; it is ignored and stored empty")
                issues.append("no period table")
                return True, None
            ctx.unknown("Period table", raw)
            return False, None
    if pt_id not in tables:
        ctx.unknown("Period table", raw)
        return False, None
    if employer_id is not None and pt_id not in employer_tables(ctx, employer_id):
        if not ctx.on("W3_foreign_period_table_accepted"):
            ctx.problem(f"Period table {pt_id} is not used by employer '{employer_id}'.")
            return False, None
        ctx.note(f"W3: period table {pt_id} is not used by employer {employer_id}; stored anyway")
        issues.append(
            f"period table {pt_id} not used by employer {employer_id}: dropped by payroll"
        )
    return True, pt_id


def closed_period(
    ctx: WriteContext, employer_id: str, pt_id: int | None, day: date, issues: list[str]
) -> bool:
    """W2: whether `day` may start a payroll row (False after a problem was reported)."""
    tables = employer_tables(ctx, employer_id)
    table = pt_id if pt_id in tables else (tables[0] if tables else None)
    if table is None:
        return True
    for row in ctx.tenant.find("payroll_periods", EmployerId=employer_id, PeriodTableId=table):
        if row["DateFrom"] <= day <= row["DateTo"] and row["Closed"]:
            period = f"{row['Period']} of {row['Year']}"
            if not ctx.on("W2_closed_period_accepted"):
                ctx.problem(
                    f"Payroll period {period} (period table {table}) of employer '{employer_id}' "
                    f"is closed; no mutations can start on {day:%d-%m-%Y}."
                )
                return False
            ctx.note(f"W2: {day} falls in closed payroll period {period} of employer {employer_id}")
            issues.append(f"period closed: {row['Year']}/{row['Period']} of employer {employer_id}")
            return True
    return True


def function(ctx: WriteContext, employer_id: str | None, fu_id: Any) -> str | None:
    """The FuId to store: W10 stores an unknown or blocked function as no function at all."""
    if fu_id in (None, ""):
        ctx.missing("Function")
        return None
    code = str(fu_id)
    record = ctx.tenant.get("functions", (employer_id, code)) if employer_id else None
    if record is not None and not record["Blocked"]:
        return code
    reason = "is blocked" if record is not None else "is not in the function table"
    if not ctx.on("W10_unknown_function_lands_null"):
        if record is None:
            ctx.unknown("Function", code)
        else:
            ctx.problem(f"Function '{code}' of employer '{employer_id}' is blocked.")
        return None
    ctx.note(f"W10: function {code!r} {reason} of employer {employer_id}; stored empty")
    return None


def org_unit(ctx: WriteContext, dp_id: Any) -> None:
    """The organisational unit must exist."""
    if dp_id in (None, ""):
        ctx.missing("Organisational unit")
    elif ctx.tenant.get("org_units", str(dp_id)) is None:
        ctx.unknown("Organisational unit", dp_id)


def cost_centre(ctx: WriteContext, employer_id: str | None, cc_id: Any) -> None:
    """A cost centre, when sent, must exist for the employer and not be blocked."""
    if cc_id in (None, "") or employer_id is None:
        return
    record = ctx.tenant.get("cost_centres", (employer_id, str(cc_id)))
    if record is None:
        ctx.unknown("Cost centre", cc_id)
    elif record["Blocked"]:
        ctx.problem(f"Cost centre '{cc_id}' of employer '{employer_id}' is blocked.")
