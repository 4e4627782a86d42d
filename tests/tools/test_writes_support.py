"""Helpers the write tool tests share (this module holds no tests).

The product server runs with writes on against the simulator; a test calls the write tools
through the in-memory MCP client, approves held writes the way the review page does
(`PipelineReviewActions`, as a person who is not the requester), and looks at what reached the
simulator (its write journal and request log) and what the tenant now holds. Dates and codes
come from the seeded tenant, whose calendar follows the real date.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from tool_helpers import INTEGRATION_ID

from server.app import server_for_settings
from server.config import Settings, load_settings
from server.review.actions import ReviewResult
from server.writes.approvals import PipelineReviewActions
from server.writes.codec import decode_facts
from server.writes.options import load_write_options
from server.writes.wiring import open_store
from simulator.testing import SimulatorHandle
from simulator.updates import WriteRecord, write_side

# The hostile profile refuses calls without an IntegrationId (W21); every test sends one.
TEST_ENV = INTEGRATION_ID | {"AFAS_MCP_WRITES": "true"}
APPROVER = "hr-coordinator"

T = TypeVar("T")


def settings_for(sim: SimulatorHandle, tmp_path: Path, **env: str) -> Settings:
    """Product settings pointed at the simulator, writes on, a fresh ledger in `tmp_path`."""
    return load_settings(
        sim.env() | {"AFAS_MCP_DATABASE": str(tmp_path / "writes.sqlite")} | TEST_ENV | env
    )


def product(settings: Settings) -> Any:
    """The product server as `afas-mcp serve` builds it."""
    return server_for_settings(settings)


async def approve(settings: Settings, write_id: str) -> ReviewResult:
    """Approve a held write as a person, through the approvers' own actions."""
    return await PipelineReviewActions(settings).approve(write_id, approver=APPROVER)


def recorded_facts(settings: Settings, write_id: str, facts_type: type[T]) -> T:
    """The facts the ledger holds for a write, rebuilt as an approval would rebuild them."""
    with open_store(settings, load_write_options(settings)) as store:
        record = store.get(write_id)
    return decode_facts(record.facts, facts_type)


def writes(sim: SimulatorHandle, connector: str | None = None) -> list[WriteRecord]:
    """Every UpdateConnector call the simulator handled (of one connector, when given)."""
    journal = write_side(sim).journal
    return journal.for_connector(connector) if connector else journal.records


def update_calls(sim: SimulatorHandle) -> list[str]:
    """`METHOD path` of every POST, PUT and DELETE that reached the simulator."""
    return [
        f"{entry.method} {entry.path}"
        for entry in sim.request_log.entries
        if entry.method in ("POST", "PUT", "DELETE")
    ]


def values(node: Any) -> Iterator[Any]:
    """Every scalar in a JSON document, at any depth."""
    if isinstance(node, dict):
        for item in node.values():
            yield from values(item)
    elif isinstance(node, list):
        for item in node:
            yield from values(item)
    else:
        yield node


def objects(body: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The elements of one object anywhere in a body, in the list-or-map forms AFAS allows."""
    found: list[dict[str, Any]] = []

    def walk(obj_name: str, obj: Any) -> None:
        element = obj["Element"]
        for item in element if isinstance(element, list) else [element]:
            if obj_name == name:
                found.append(item)
            subs = item.get("Objects", [])
            pairs = subs.items() if isinstance(subs, dict) else [p for s in subs for p in s.items()]
            for sub_name, sub in pairs:
                walk(sub_name, sub)

    ((root, obj),) = body.items()
    walk(root, obj)
    return found


# --- the tenant: codes and dates that make a write good or bad ----------------------------------


def today(sim: SimulatorHandle) -> date:
    return sim.tenant.today()


def open_start(sim: SimulatorHandle, employer: str, table: int) -> date:
    """The first day of the first open payroll period that starts after today."""
    periods = sorted(
        (p for p in sim.tenant.find("payroll_periods", EmployerId=employer, PeriodTableId=table)),
        key=lambda p: p["DateFrom"],
    )
    return next(p["DateFrom"] for p in periods if not p["Closed"] and p["DateFrom"] > today(sim))


def closed_period(sim: SimulatorHandle, employer: str) -> dict[str, Any]:
    """The latest closed payroll period of the employer."""
    closed = [p for p in sim.tenant.find("payroll_periods", EmployerId=employer) if p["Closed"]]
    return max(closed, key=lambda p: p["DateFrom"])


def valid_bsn(n: int) -> str:
    """The n-th 9-digit number from 100000000 up that passes the 11-check and no person has."""
    found = 0
    candidate = 100_000_000
    while True:
        digits = f"{candidate:09d}"
        weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
        if sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0:
            found += 1
            if found == n:
                return digits
        candidate += 1


def hire(sim: SimulatorHandle, *, n: int = 1, **overrides: Any) -> dict[str, Any]:
    """A good hire at employer 02 (MAAND) starting in its next open period."""
    arguments: dict[str, Any] = {
        "employer_id": "02",
        "first_name": "Sanne",
        "last_name": f"Testhuis{n}",
        "initials": "S.",
        "birth_date": "1991-06-14",
        "gender": "female",
        "bsn": valid_bsn(7 + n),
        "email": f"sanne.testhuis{n}@example.nl",
        "address": {
            "street": "Dorpsstraat",
            "house_number": "12A",
            "postal_code": "3833 LC",
            "city": "Leusden",
        },
        "start_date": open_start(sim, "02", 5).isoformat(),
        "function_id": "INST",
        "org_unit": "UIT",
        "period_table": "MAAND",
        "salary": "3450.00",
        "hours_per_week": "38",
    }
    return arguments | overrides


def active_employee(
    sim: SimulatorHandle, *, employer: str | None = None, with_addition: bool = False
) -> dict[str, Any]:
    """An employee employed today (and after), with a person and an address."""
    for employee in sim.tenant.table("employees"):
        if employee.get("_deleted") or employee["Bl"]:
            continue
        contracts = sim.tenant.find("contracts", EmId=employee["EmId"])
        current = [
            c
            for c in contracts
            if c["DaBe"] <= today(sim)
            and (c["DaEn"] is None or c["DaEn"] > today(sim) + timedelta(60))
        ]
        person = sim.tenant.get("persons", employee["BcCo"])
        if with_addition and not (person and person.get("HmAd")):
            continue
        if current and person and person.get("Ad") and (employer in (None, current[-1]["CmId"])):
            return {"employee": employee, "contract": current[-1], "person": person}
    raise LookupError("no active employee in the tenant")


def open_booking_day(sim: SimulatorHandle, unit: int) -> date:
    """A weekday in the first open booking period of the administration on or after today."""
    periods = sorted(
        (p for p in sim.tenant.find("booking_periods", Unit=unit) if not p["Blocked"]),
        key=lambda p: p["DateFrom"],
    )
    period = next(p for p in periods if p["DateTo"] >= today(sim))
    return max(period["DateFrom"], today(sim))


def blocked_booking_period(sim: SimulatorHandle, unit: int) -> dict[str, Any]:
    """The latest blocked booking period of the administration."""
    blocked = [p for p in sim.tenant.find("booking_periods", Unit=unit) if p["Blocked"]]
    return max(blocked, key=lambda p: p["DateFrom"])


def open_project(sim: SimulatorHandle) -> dict[str, Any]:
    """A project hours can be registered on."""
    return next(p for p in sim.tenant.table("projects") if not p["CheckedOut"])
