"""What each write tool really sends: its dry-run payload, for every tool, with few and many fields.

The payload a dry run shows is the exact body the pipeline would send. Every one of them leaves
out what has no value (W13: no `""` anywhere), and every one whose connector AFAS publishes a
spec for validates against the official request schema (`test_payloads_openapi`); a dry run
records and sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from test_payloads_openapi import SPEC_FILES, problems
from test_writes_support import (
    active_employee,
    hire,
    open_booking_day,
    open_project,
    open_start,
    product,
    settings_for,
    today,
    update_calls,
    values,
)
from tool_helpers import call

from simulator.testing import SimulatorHandle

pytestmark = pytest.mark.anyio

Case = Callable[[SimulatorHandle], tuple[str, dict[str, Any]]]


def _lean_hire(sim: SimulatorHandle) -> tuple[str, dict[str, Any]]:
    arguments = hire(sim, initials="", email=None)
    arguments["address"]["house_number"] = "7"
    return "onboard_employee", arguments


def _update(sim: SimulatorHandle) -> tuple[str, dict[str, Any]]:
    found = active_employee(sim, employer="02")
    changes = {"email": "ander.adres@example.nl", "salary": "5100.00", "house_number": "3-2"}
    return "update_employee", {
        "employee_id": found["employee"]["EmId"],
        "changes": changes,
        "effective_date": open_start(sim, "02", 5).isoformat(),
    }


def _journal(sim: SimulatorHandle) -> tuple[str, dict[str, Any]]:
    lines = [
        {"account_kind": "ledger", "account": "4600", "debit": "40.00", "cost_centre": "200"},
        {"account_kind": "ledger", "account": "4800", "debit": "60.00", "vat_code": "4",
         "project_id": open_project(sim)["ProjectId"], "project_item": "K01"},
        {"account_kind": "creditor", "account": "70000", "credit": "100.00",
         "description": "Inkoopfactuur 881"},
    ]  # fmt: skip
    return "post_journal_entry", {
        "administration_id": 1,
        "journal_id": "60",
        "entry_date": open_booking_day(sim, 1).isoformat(),
        "lines": lines,
    }


def _debtor(sim: SimulatorHandle) -> tuple[str, dict[str, Any]]:
    return "create_debtor", {
        "kind": "organisation",
        "name": "Voorbeeld B.V.",
        "address": {
            "street": "Kerkplein",
            "house_number": "1",
            "postal_code": "1234 AB",
            "city": "Ede",
        },
        "iban": "NL91ABNA0417164300",
        "kvk_number": "87654321",
    }


def _creditor(sim: SimulatorHandle) -> tuple[str, dict[str, Any]]:
    return "create_creditor", {
        "kind": "person",
        "initials": "J.",
        "name_prefix": "de",
        "last_name": "Smid",
        "first_name": "",
        "email": "",
        "iban": None,
    }


def _hours(sim: SimulatorHandle) -> tuple[str, dict[str, Any]]:
    return "register_hours", {
        "employee_id": active_employee(sim)["employee"]["EmId"],
        "project_id": open_project(sim)["ProjectId"],
        "date": (today(sim) - timedelta(days=2)).isoformat(),
        "hours": "4",
        "work_type": "310",
        "description": "",
    }


def _leave(sim: SimulatorHandle) -> tuple[str, dict[str, Any]]:
    day = today(sim) + timedelta(days=10)
    return "submit_leave_request", {
        "employee_id": active_employee(sim)["employee"]["EmId"],
        "leave_type": "BV",
        "start": day.isoformat(),
        "end": day.isoformat(),
        "partial": {"from_time": "09:00", "until_time": "12:30"},
    }


def _activity(sim: SimulatorHandle) -> tuple[str, dict[str, Any]]:
    return "log_activity", {"relation_id": "1000065", "subject": "Offerte besproken"}


CASES: dict[str, Case] = {
    "onboard_employee": _lean_hire,
    "update_employee": _update,
    "post_journal_entry": _journal,
    "create_debtor": _debtor,
    "create_creditor": _creditor,
    "register_hours": _hours,
    "submit_leave_request": _leave,
    "log_activity": _activity,
}


@pytest.mark.parametrize("tool", sorted(CASES))
async def test_W13_a_dry_run_shows_the_exact_payload_without_empty_values_and_sends_nothing(
    fresh_sim: SimulatorHandle, tmp_path: Path, connect: Any, tool: str
) -> None:
    name, arguments = CASES[tool](fresh_sim)
    async with connect(product(settings_for(fresh_sim, tmp_path))) as client:
        preview = await call(client, name, arguments | {"dry_run": True})
    assert preview["status"] == "dry_run" and preview["write_id"] is None
    assert preview["decision"] in ("allow", "review"), preview["verdicts"]
    assert preview["verdicts"] and preview["payload"]
    assert "" not in list(values(preview["payload"]))
    assert None not in list(values(preview["payload"]))
    assert update_calls(fresh_sim) == []


# KnEmployee (onboard_employee, update_employee) has no spec in the folder; see
# test_payloads_openapi.test_no_spec_covers_knemployee.
COVERED = sorted(set(CASES) - {"onboard_employee", "update_employee"})


@pytest.mark.parametrize("tool", COVERED)
async def test_the_payload_a_tool_would_send_validates_against_afas_openapi(
    fresh_sim: SimulatorHandle, tmp_path: Path, connect: Any, shared_dir: Path, tool: str
) -> None:
    name, arguments = CASES[tool](fresh_sim)
    async with connect(product(settings_for(fresh_sim, tmp_path))) as client:
        payload = (await call(client, name, arguments | {"dry_run": True}))["payload"]
    ((root, _body),) = payload.items()
    connector = {"FiEntryPar": "FiEntries"}.get(root, root)
    assert connector in SPEC_FILES
    assert problems(shared_dir, connector, "post", payload) == []


async def test_low_source_confidence_sends_an_otherwise_good_write_to_a_person(
    fresh_sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    name, arguments = _activity(fresh_sim)
    async with connect(product(settings_for(fresh_sim, tmp_path))) as client:
        held = await call(client, name, arguments | {"source_confidence": 0.4})
    assert held["status"] == "pending_review" and held["review_url"]
    assert held["confidence"] is not None and held["confidence"] < 0.8
    assert update_calls(fresh_sim) == []
