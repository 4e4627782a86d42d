"""Every official request example of the simulated UpdateConnectors answers 201 and reads back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from official_examples import REFUSED, Fitter, fit_onboarding, load, onboarding_example
from write_helpers import error_of, read, send

from simulator.testing import SimulatorHandle
from simulator.updates import WriteSide

pytestmark = pytest.mark.shared

# connector -> (GetConnector, key field, result key) the write reads back through.
READ_BACK = {
    "FiEntries": ("Profit_Transactions", "EntryNo", "EnNo"),
    "KnPerson": ("Profit_OrgPer", "BcCo", "BcCo"),
    "KnSalesRelationPer": ("Profit_Debtor", "DebtorId", "DbId"),
    "KnSalesRelationOrg": ("Profit_Debtor", "DebtorId", "DbId"),
    "KnPurchaseRelationPer": ("Profit_Creditor", "CreditorId", "CrId"),
    "KnPurchaseRelationOrg": ("Profit_Creditor", "CreditorId", "CrId"),
    "PtRealization": ("Profit_Realization", "Identity", "Id"),
    "HrAbsence": ("Profit_Leaves", "LeaveId", "Id"),
    "HrAbsenceID": ("Profit_Leaves", "LeaveId", "Id"),
    "KnSubject": ("Profit_Subjects", "SubjectId", "SbId"),
}
RESULT_NAME = {"FiEntries": "FiEntryPar"}
# Where tests/conftest.py's `shared_dir` points; parametrising happens before fixtures exist.
SHARED = Path(__file__).resolve().parents[4] / "shared"


def _examples() -> list[Any]:
    if not (SHARED / "afas" / "official").is_dir():
        return [pytest.param(None, None, None, None, marks=pytest.mark.skip("no ../shared"))]
    return [
        pytest.param(connector, method, name, body, id=f"{method.upper()} {connector}: {name}")
        for connector, method, name, body in load(SHARED)
    ]


@pytest.mark.parametrize(("connector", "method", "name", "body"), _examples())
def test_official_example_is_accepted_and_reads_back(
    sim: SimulatorHandle,
    writes: WriteSide,
    shared_dir: Path,
    connector: str,
    method: str,
    name: str,
    body: Any,
) -> None:
    fitted = Fitter(sim.tenant).fit(connector, body)
    response = send(sim, method.upper(), f"/connectors/{connector}", fitted)
    refused = REFUSED.get((connector, method, name))
    if refused is not None:
        assert refused in error_of(response)
        return
    assert response.status_code == 201, response.text
    results = response.json()["results"][RESULT_NAME.get(connector, connector)]
    connector_id, field, key = READ_BACK[connector]
    for keys in results if isinstance(results, list) else [results]:
        value = (
            int(keys[key])
            if field in ("EntryNo", "Identity", "LeaveId", "SubjectId")
            else keys[key]
        )
        assert read(sim, connector_id, **{field: value}), f"{connector_id} lacks {field}={value}"


def test_official_onboarding_example_hires_and_reads_back(
    sim: SimulatorHandle, writes: WriteSide, shared_dir: Path
) -> None:
    body = fit_onboarding(onboarding_example(shared_dir))
    response = send(sim, "POST", "/connectors/KnEmployee", body)
    assert response.status_code == 201, response.text
    em_id = response.json()["results"]["KnEmployee"]["EmId"]
    (employee,) = read(sim, "AfasMcp_Employees", EmployeeId=em_id)
    assert (employee["EmployerId"], employee["FunctionId"], employee["PeriodTableId"]) == (
        "01",
        "ADM",
        5,
    )
    assert (employee["BirthName"], employee["Country"], employee["HouseNumber"]) == (
        "Johnson",
        "US",
        123,
    )
    # AFAS keeps bank details of employees; the simulator accepts and lists them, nothing more.
    assert writes.journal.last().ignored_fields == ("AfasEmployee.AfasBankInfo",)
