"""HrAbsence (leave bookings) and HrAbsenceID (changing or deleting one booking by its `Id`).

A booking needs an existing employee who is employed on the start day, a known leave type
(`ViAt`, any case) and a start date-time; the end defaults to the start. Without `DuRa` the hours
are worked out from the schedule: whole days (`LeDt` false) count Monday to Friday at the
timetable's hours per day, partial leave counts `DuBe`+`DuEn` minutes or the clock time between
start and end. HrAbsenceID PUT takes only `Id` and the fields that change (endpoint docs).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from simulator.tenant.employees import LEAVE_REASONS, LEAVE_TYPES
from simulator.tenant.store import Record
from simulator.updates.context import Results, WriteContext
from simulator.updates.envelope import DeleteTarget, Element
from simulator.updates.values import BadValue, to_int

_DURATION_INPUTS = frozenset({"DaBe", "DaEn", "LeDt", "DuBe", "DuEn"})


def post(ctx: WriteContext, connector: str, element: Element, results: Results) -> None:
    """Plan a new leave booking."""
    values = ctx.values(element, skip=frozenset({"Id"}))
    for name, label in (("EmId", "Employee"), ("ViAt", "Leave type"), ("DaBe", "Start date")):
        if values.get(name) in (None, ""):
            ctx.missing(label)
    ctx.check()
    values.setdefault("DaEn", values["DaBe"])
    values.setdefault("LeDt", False)
    booking = _validated(ctx, values)
    ctx.check()
    number = _next_id(ctx)
    record: Record = {"Id": number, "ViLr": None, "Re": None, "EnSe": None, **booking}
    if record["DuRa"] is None:
        record["DuRa"] = _hours(ctx, record)
    ctx.changes.insert("absences", record, (number,))
    results.add(Id=number)


def put(ctx: WriteContext, connector: str, element: Element, results: Results) -> None:
    """Change a booking: by `Id` (HrAbsenceID), or by employee, type and start day (HrAbsence)."""
    current = _target(ctx, connector, element)
    values = ctx.values(element, skip=frozenset({"Id"}))
    if values.get("EmId") not in (None, current["EmId"]):
        ctx.problem(f"Leave {current['Id']} belongs to employee '{current['EmId']}'.")
    merged = _validated(ctx, {**current, **values})
    ctx.check()
    changes = {k: v for k, v in merged.items() if current.get(k) != v}
    if "DuRa" not in values and _DURATION_INPUTS & set(changes):
        changes["DuRa"] = _hours(ctx, {**current, **changes})
    ctx.changes.update("absences", current["Id"], changes)
    results.add(Id=current["Id"])


def delete(ctx: WriteContext, targets: list[DeleteTarget]) -> None:
    """`/HrAbsenceID/HrAbsenceID/@Id,@EmId/{Id},{EmId}` (the EmId, when given, must match)."""
    keys = targets[0].keys if len(targets) == 1 else {}
    raw = keys.get("Id")
    current = ctx.tenant.get("absences", int(raw)) if raw and raw.isdigit() else None
    if current is not None and keys.get("EmId", current["EmId"]) != current["EmId"]:
        current = None
    if current is None:
        ctx.unknown("Leave", raw)
    ctx.changes.delete("absences", ctx.settled(current)["Id"])


def _target(ctx: WriteContext, connector: str, element: Element) -> Record:
    if connector == "HrAbsenceID":
        raw: Any = element.key("Id")
        try:
            number = to_int(raw, "Id") if raw not in (None, "") else None
        except BadValue:
            number = None
        current = ctx.tenant.get("absences", number) if number is not None else None
        if current is None:
            (ctx.missing if raw in (None, "") else ctx.unknown)("Leave")
    else:
        values = ctx.values(element)
        start = values.get("DaBe")
        day = start.date() if isinstance(start, datetime) else None
        current = next(
            (
                a
                for a in ctx.tenant.find("absences", EmId=values.get("EmId"))
                if a["DaBe"].date() == day
                and str(a["ViAt"]).upper() == str(values.get("ViAt")).upper()
            ),
            None,
        )
        if current is None:
            ctx.problem("No leave booking of this employee, type and start day exists.")
    return ctx.settled(current)


def _validated(ctx: WriteContext, values: Record) -> Record:
    """Check the booking's references; returns the fields to store, with canonical codes."""
    employee = ctx.tenant.get("employees", str(values["EmId"]))
    if employee is None or employee.get("_deleted"):
        ctx.unknown("Employee", values["EmId"])
    leave_type = _code(values.get("ViAt"), LEAVE_TYPES)
    if leave_type is None:
        ctx.unknown("Leave type", values.get("ViAt"))
    reason = values.get("ViLr")
    if reason not in (None, ""):
        reason = _code(reason, LEAVE_REASONS)
        if reason is None:
            ctx.unknown("Leave reason", values.get("ViLr"))
    start, end = values["DaBe"], values.get("DaEn") or values["DaBe"]
    if isinstance(start, datetime) and isinstance(end, datetime) and end < start:
        ctx.problem("The end of the leave lies before its start.")
    if employee is not None and isinstance(start, datetime):
        contract = _contract_on(ctx, employee["EmId"], start.date())
        if contract is None:
            ctx.problem(f"Employee '{employee['EmId']}' is not employed on {start:%d-%m-%Y}.")
        elif values.get("EnSe") is None:
            values["EnSe"] = contract["DvSn"]
    return {**values, "ViAt": leave_type, "ViLr": reason, "DaEn": end, "DuRa": values.get("DuRa")}


def _code(raw: Any, table: tuple[tuple[str, str], ...]) -> str | None:
    wanted = str(raw or "").upper()
    return next((code for code, _ in table if code.upper() == wanted), None)


def _contract_on(ctx: WriteContext, em_id: str, day: date) -> Record | None:
    for contract in ctx.tenant.find("contracts", EmId=em_id):
        if contract["DaBe"] <= day and (contract["DaEn"] is None or contract["DaEn"] >= day):
            return contract
    return None


def _hours(ctx: WriteContext, booking: Record) -> Decimal:
    start, end = booking["DaBe"], booking["DaEn"]
    per_day = _hours_per_day(ctx, str(booking["EmId"]), start.date())
    if booking.get("LeDt"):
        minutes = (booking.get("DuBe") or 0) + (booking.get("DuEn") or 0)
        if minutes:
            return (Decimal(minutes) / 60).quantize(Decimal("0.01"))
        span = Decimal((end - start).total_seconds()) / 3600
        return min(span, per_day).quantize(Decimal("0.01"))
    days = 0
    day: date = start.date()
    while day <= end.date():
        days += day.weekday() < 5
        day += timedelta(days=1)
    return (per_day * days).quantize(Decimal("0.01"))


def _hours_per_day(ctx: WriteContext, em_id: str, day: date) -> Decimal:
    rows = sorted(ctx.tenant.find("timetables", EmId=em_id), key=lambda r: r["DaBg"])
    in_force = [r for r in rows if r["DaBg"] <= day] or rows
    if not in_force or not in_force[-1].get("HrWk") or not in_force[-1].get("DyWk"):
        return Decimal(8)
    return Decimal(in_force[-1]["HrWk"]) / Decimal(in_force[-1]["DyWk"])


def _next_id(ctx: WriteContext) -> int:
    while True:
        number = ctx.tenant.next_number("AbsenceId")
        if ctx.tenant.get("absences", number) is None:
            return number
