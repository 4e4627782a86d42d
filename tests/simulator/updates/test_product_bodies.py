"""The product's reference bodies (policies.testing.payloads) pass the simulator untouched.

They are built the way the write tools build theirs, with facts fitted to the seeded tenant; in
the realistic profile no quirk may act on them: the product sets every field a quirk punishes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from write_helpers import ACTIVE_EMPLOYEE, DEBTOR, OPEN_PROJECT, send

from policies.facts import AccountKind, JournalLine
from policies.testing import intents, payloads
from server.afas.envelope import dumps
from simulator.testing import SimulatorHandle
from simulator.updates import WriteSide


def _bodies(sim: SimulatorHandle) -> dict[str, tuple[str, str, dict[str, Any]]]:
    person = sim.tenant.find("employees", EmId=ACTIVE_EMPLOYEE)[0]["BcCo"]
    relation = sim.tenant.find("debtors", DbId=DEBTOR)[0]["BcCo"]
    lines = (
        JournalLine(AccountKind.LEDGER, "1100", debit=Decimal("1210.00")),
        JournalLine(AccountKind.LEDGER, "8000", credit=Decimal("1000.00"), vat_code="1"),
        JournalLine(AccountKind.LEDGER, "1510", credit=Decimal("210.00")),
    )
    hire = intents.hire_facts(
        employer_id="02", function_id="ICT", org_unit="ICT", period_table_id=5
    )
    update = intents.update_facts(
        employee_id=ACTIVE_EMPLOYEE, employer_id="02", person_id=person, period_table_id=5
    )
    return {
        "onboard_employee": ("POST", "KnEmployee", payloads.hire_body(hire)),
        "update_employee": ("PUT", "KnEmployee", payloads.update_body(update)),
        "post_journal_entry": (
            "POST",
            "FiEntries",
            payloads.journal_body(intents.journal_facts(lines=lines)),
        ),
        "create_debtor": (
            "POST",
            "KnSalesRelationOrg",
            payloads.relation_body(intents.relation_facts()),
        ),
        "register_hours": (
            "POST",
            "PtRealization",
            payloads.hours_body(
                intents.hours_facts(employee_id=ACTIVE_EMPLOYEE, project_id=OPEN_PROJECT)
            ),
        ),
        "submit_leave_request": (
            "POST",
            "HrAbsence",
            payloads.leave_body(intents.leave_facts(employee_id=ACTIVE_EMPLOYEE)),
        ),
        "log_activity": (
            "POST",
            "KnSubject",
            payloads.activity_body(intents.activity_facts(relation_id=relation)),
        ),
    }


TOOLS = [
    "onboard_employee",
    "update_employee",
    "post_journal_entry",
    "create_debtor",
    "register_hours",
    "submit_leave_request",
    "log_activity",
]


@pytest.mark.parametrize("tool", TOOLS)
def test_the_products_body_is_accepted_without_any_quirk_acting(
    sim: SimulatorHandle, writes: WriteSide, tool: str
) -> None:
    method, connector, body = _bodies(sim)[tool]
    response = send(sim, method, f"/connectors/{connector}", content=dumps(body))
    assert response.status_code == 201, response.text
    record = writes.journal.last()
    assert (record.quirks, record.ignored_fields) == ((), ())
