"""Payload builders and read-back helpers of the UpdateConnector tests.

The builders make the smallest body the simulator accepts for the seeded tenant (seed 1,
reference date 2026-03-18); tests change one thing at a time through keyword arguments.
"""

from __future__ import annotations

from typing import Any

import httpx

from simulator.testing import SimulatorHandle

# Seeded facts the payloads rely on (simulator/tenant, seed 1, reference date 2026-03-18).
ACTIVE_EMPLOYEE = "100001"  # employer 02, in service since 2015, has leave booked
EMPLOYEE_WITHOUT_BOOKINGS = "100004"  # employer 03, terminated 2025-06-22, no leave or hours
OPEN_PROJECT = "910001"
CLOSED_PROJECT = "910003"
DEBTOR = "10000"
BLOCKED_DEBTOR = "10004"
CREDITOR = "70000"
HIRE_DATE = "2026-04-01"  # open payroll period for employers 01, 02 and 04


def send(
    sim: SimulatorHandle,
    method: str,
    path: str,
    body: Any = None,
    *,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """One UpdateConnector call below the base URL with the full-access token."""
    all_headers = {"Authorization": sim.auth_header(), **(headers or {})}
    return httpx.request(
        method,
        f"{sim.base_url}{path}",
        json=body if content is None else None,
        content=content,
        headers=all_headers,
        timeout=10,
    )


def read(
    sim: SimulatorHandle, connector: str, *, order_by: str | None = None, **equals: Any
) -> list[dict[str, Any]]:
    """Rows of a GetConnector whose fields equal the given values (filter operator 1).

    Without `order_by` the order is AFAS's own (shuffled under R15).
    """
    params: dict[str, Any] = {"skip": -1, "take": -1}
    if order_by:
        params["orderbyfieldids"] = order_by
    if equals:
        params["filterfieldids"] = ",".join(equals)
        params["filtervalues"] = ",".join(str(v) for v in equals.values())
        params["operatortypes"] = ",".join("1" for _ in equals)
    response = httpx.get(
        f"{sim.base_url}/connectors/{connector}",
        params=params,
        headers={"Authorization": sim.auth_header()},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return list(response.json()["rows"])


def error_of(response: httpx.Response) -> str:
    """The externalMessage of an AFAS 500, after checking the body's shape."""
    assert response.status_code == 500, response.text
    body = response.json()
    assert set(body) == {"externalMessage", "errorNumber", "profitLogReference"}
    assert isinstance(body["errorNumber"], int) and body["errorNumber"] < -2147000000
    reference = body["profitLogReference"]
    assert len(reference) == 32 and reference == reference.upper()
    int(reference, 16)
    return str(body["externalMessage"])


def element(object_name: str, fields: dict[str, Any], **attributes: Any) -> dict[str, Any]:
    """`{object_name: {"Element": {"@k": v, ..., "Fields": fields}}}`."""
    body: dict[str, Any] = {f"@{key}": value for key, value in attributes.items()}
    body["Fields"] = fields
    return {object_name: {"Element": body}}


def hire(
    *,
    employer: str | None = "02",
    start: str = HIRE_DATE,
    period_table: Any = 5,
    function: str = "ICT",
    person: dict[str, Any] | None = None,
    address: dict[str, Any] | None = None,
    contract: dict[str, Any] | None = None,
    salary: dict[str, Any] | None = None,
    leave_out: tuple[str, ...] = (),
    calculate_balance: Any = True,
    employee_id: str | None = None,
) -> dict[str, Any]:
    """A complete start-of-employment KnEmployee body, as the product builds it."""
    person_fields = {
        "MatchPer": "7",
        "AutoNum": True,
        "FiNm": "Mike",
        "In": "M.",
        "LaNm": "Johnson",
        "SpNm": "0",
        "ViGe": "M",
        "DaBi": "1985-12-15",
        "EmAd": "mike.johnson@example.com",
        **(person or {}),
    }
    address_fields = {
        "Ad": "Stationsstraat",
        "HmNr": 12,
        "ZpCd": "3811 HN",
        "Rs": "Amersfoort",
        "CoId": "NL",
        **(address or {}),
    }
    contract_fields = {"ApCo": "O", "ClId": "basis", "WcId": "basis", "WrCt": "1"}
    if employer is not None:
        contract_fields["CmId"] = employer
    contract_fields.update(contract or {})
    salary_fields = {"SaPe": "V", "EmSa": "3500.00", "PtId": period_table, "TtPy": "0"}
    salary_fields.update(salary or {})
    person_element = {
        "Fields": person_fields,
        "Objects": [element("KnBasicAddressAdr", address_fields)],
    }
    objects = [
        {"KnPerson": {"Element": person_element}},
        element("AfasContract", contract_fields, Action="insert", DaBe=start),
        element(
            "AfasOrgunitFunction",
            {"DpId": "ICT", "FuId": function, "CcId": "200"},
            Action="insert",
            DaBe=start,
        ),
        element("AfasTimeTable", {"HrWk": 36}, Action="insert", DaBg=start),
        element("AfasSalary", salary_fields, Action="insert", DaBe=start),
        element("AfasAgencyFiscus", {"ViIn": "15"}, Action="insert", DaBe=start, AyId="F"),
    ]
    root: dict[str, Any] = {"@Action": "insert"}
    if calculate_balance is not None:
        root["@CalculateBalance"] = calculate_balance
    if employee_id is not None:
        root["@EmId"] = employee_id
    root["Fields"] = {"ViSe": "I", "LgId": "001"}
    root["Objects"] = [o for o in objects if next(iter(o)) not in leave_out]
    return {"AfasEmployee": {"Element": root}}


def journal(
    lines: list[dict[str, Any]] | None = None,
    *,
    year: int = 2026,
    period: int = 3,
    unit: int = 1,
    journal_id: str = "90",
) -> dict[str, Any]:
    """A FiEntries body; the default is a balanced two-line memorial entry in March 2026."""
    if lines is None:
        lines = [
            {"Fields": line("1100", debit="250.00")},
            {"Fields": line("1900", credit="250.00")},
        ]
    header = {"Year": str(year), "Peri": str(period), "UnId": str(unit), "JoCo": journal_id}
    return {
        "FiEntryPar": {
            "Element": {"Fields": header, "Objects": [{"FiEntries": {"Element": lines}}]}
        }
    }


def line(
    account: str,
    *,
    debit: str = "0",
    credit: str = "0",
    kind: str = "1",
    day: str = "2026-03-10",
    **extra: Any,
) -> dict[str, Any]:
    """The Fields of one journal line."""
    return {
        "VaAs": kind,
        "AcNr": account,
        "EnDa": day,
        "BpDa": day,
        "AmDe": debit,
        "AmCr": credit,
        "Ds": "test",
        **extra,
    }


def organisation_debtor(
    name: str = "Testbedrijf Noord B.V.", *, address: dict[str, Any] | None = None, **own: Any
) -> dict[str, Any]:
    """A KnSalesRelationOrg insert with a new organisation (MatchOga 6)."""
    address_fields = {
        "PbAd": False,
        "Ad": "Herenweg",
        "HmNr": "105",
        "ZpCd": "3833LC",
        "CoId": "NL",
        "Rs": "Leusden",
        **(address or {}),
    }
    organisation = {
        "Fields": {
            "MatchOga": "6",
            "AutoNum": True,
            "PadAdr": True,
            "Nm": name,
            "CcNr": "93056589",
        },
        "Objects": [element("KnBasicAddressAdr", address_fields)],
    }
    return {
        "KnSalesRelationOrg": {
            "Element": {
                "Fields": {"CuId": "EUR", "IsDb": True, "PaCd": "30", **own},
                "Objects": [{"KnOrganisation": {"Element": organisation}}],
            }
        }
    }


def hours(**fields: Any) -> dict[str, Any]:
    """A one-row PtRealization insert for an active employee on an open project."""
    row = {
        "DaTi": "2026-03-16",
        "VaIt": "1",
        "ItCd": "300",
        "Qu": "4.5",
        "EmId": ACTIVE_EMPLOYEE,
        "PrId": OPEN_PROJECT,
        "StId": "1",
        "Ds": "Werken",
        **fields,
    }
    return {"PtRealization": {"Element": {"Fields": row}}}


def leave(connector: str = "HrAbsence", **fields: Any) -> dict[str, Any]:
    """A whole-days leave booking (Monday to Friday) for an active employee."""
    row = {
        "EmId": ACTIVE_EMPLOYEE,
        "ViAt": "V",
        "DaBe": "2026-04-06T00:00:00",
        "DaEn": "2026-04-10T00:00:00",
        "LeDt": False,
        "Re": "vakantie",
        **fields,
    }
    return {connector: {"Element": {"Fields": row}}}


def subject(relation: str, **fields: Any) -> dict[str, Any]:
    """A KnSubject insert linked to one organisation or person (as log_activity sends it)."""
    own = {"StId": 1, "Ds": "Telefonisch contact", "SbTx": "Afspraak gemaakt", **fields}
    return {
        "KnSubject": {
            "Element": {
                "Fields": own,
                "Objects": [element("KnSubjectLink", {"ToBC": True, "BcId": relation})],
            }
        }
    }
