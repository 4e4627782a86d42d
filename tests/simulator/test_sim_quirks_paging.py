"""Read quirks about paging, limits, headers and environments: each switch on and off."""

from __future__ import annotations

import base64

import httpx
import pytest
from sim_helpers import get, rows

from simulator.testing import SimulatorHandle


def _employee_ids(sim: SimulatorHandle, **params: object) -> list[str]:
    response = get(sim, "/connectors/AfasMcp_Employees", orderbyfieldids="EmployeeId", **params)
    return [row["EmployeeId"] for row in response.json()["rows"]]


@pytest.mark.parametrize("on", [True, False])
def test_R10_a_sibling_environment_accepts_the_same_token_only_with_the_switch_on(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("R10_token_valid_in_sibling_environment", on)
    headers = {"Authorization": sim.auth_header()}
    sibling = httpx.get(f"{sim.sibling_base_url}/metainfo", headers=headers)
    if not on:
        assert (sibling.status_code, sibling.content) == (401, b"")
        return
    assert sibling.status_code == 200
    assert sibling.json()["info"]["envid"] != sim.environment_name
    theirs = httpx.get(f"{sim.sibling_base_url}/connectors/Profit_Employers", headers=headers)
    ours = get(sim, "/connectors/Profit_Employers")
    assert theirs.json()["rows"][0]["Name"] != ours.json()["rows"][0]["Name"]


def test_the_primary_environment_answers_under_its_own_number_too(sim: SimulatorHandle) -> None:
    response = httpx.get(
        f"{sim.root_url}/{sim.environment_id}/ProfitRestServices/metainfo",
        headers={"Authorization": sim.auth_header()},
    )
    assert response.json()["info"]["envid"] == sim.environment_name


@pytest.mark.parametrize("on", [True, False])
def test_R11_metainfo_reports_no_token_expiry_with_the_switch_on(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("R11_tokens_never_expire", on)
    expiry = get(sim, "/metainfo").json()["info"]["tokenExpiry"]
    assert (expiry == "0") == on
    if not on:
        assert expiry == "2027-03-18T00:00:00"  # a year ahead, in the date-time form


@pytest.mark.parametrize("on", [True, False])
def test_R12_one_indexed_skip_returns_first_record_for_skip_0_and_1(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("R12_one_indexed_skip", on)
    everyone = _employee_ids(sim, take=10)
    assert _employee_ids(sim, skip=0, take=3) == everyone[:3]
    skip_one = _employee_ids(sim, skip=1, take=3)
    skip_five = _employee_ids(sim, skip=5, take=3)
    assert skip_one == (everyone[:3] if on else everyone[1:4])
    assert skip_five == (everyone[4:7] if on else everyone[5:8])


@pytest.mark.parametrize("on", [True, False])
def test_R13_take_is_silently_capped_with_the_switch_on(sim: SimulatorHandle, on: bool) -> None:
    assert sim.settings.take_cap == 1000
    sim.settings.take_cap = 50  # the tenant is small; the cap works the same at 1,000
    sim.quirks.set("R13_take_capped_at_1000", on)
    body = get(sim, "/connectors/AfasMcp_PayrollPeriods", take=80, orderbyfieldids="Year").json()
    assert body["take"] == 80
    assert len(body["rows"]) == (50 if on else 80)


@pytest.mark.parametrize("on", [True, False])
def test_R13_too_many_cells_is_an_out_of_memory_500_with_the_switch_on(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("R13_out_of_memory_over_cell_budget", on)
    sim.settings.cell_budget = 29 * 10  # ten rows of AfasMcp_Employees
    response = get(sim, "/connectors/AfasMcp_Employees", take=11, orderbyfieldids="EmployeeId")
    if on:
        assert response.status_code == 500
        assert response.json()["externalMessage"] == "Out of memory"
        assert get(sim, "/connectors/AfasMcp_Employees", take=10).status_code == 200
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("on", [True, False])
def test_R14_a_string_operator_returns_the_unfiltered_table_with_the_switch_on(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("R14_string_operator_unfiltered", on)
    response = get(
        sim,
        "/connectors/Profit_Functions",
        skip=-1,
        take=-1,
        filterfieldids="FunctionId",
        filtervalues="MGR",
        operatortypes="eq",
    )
    if on:
        assert len(response.json()["rows"]) == len(sim.tenant.table("functions"))
    else:
        assert response.status_code == 500


@pytest.mark.parametrize("on", [True, False])
def test_R2_an_unknown_filter_field_or_operator_is_an_empty_200_with_the_switch_on(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("R2_bad_filter_empty_200", on)
    for field, operator in (("Functie", "1"), ("FunctionId", "16")):
        response = get(
            sim,
            "/connectors/Profit_Functions",
            filterfieldids=field,
            filtervalues="MGR",
            operatortypes=operator,
        )
        if on:
            assert (response.status_code, response.json()["rows"]) == (200, [])
        else:
            assert response.status_code == 500


@pytest.mark.parametrize("on", [True, False])
def test_R15_row_order_changes_between_calls_without_orderbyfieldids_with_the_switch_on(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("R15_unstable_order_without_orderby", on)
    sim.quirks.disable("R9_stale_cache_under_concurrency")
    orders = [[r["EmployeeId"] for r in rows(sim, "AfasMcp_Employees")] for _ in range(3)]
    assert (len({tuple(order) for order in orders}) > 1) == on
    assert all(sorted(order) == sorted(orders[0]) for order in orders)


@pytest.mark.parametrize("on", [True, False])
def test_R16_a_query_string_over_2049_characters_is_a_404_with_the_switch_on(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("R16_long_query_404", on)
    base = f"{sim.base_url}/connectors/Profit_Functions?take=5&filler="
    headers = {"Authorization": sim.auth_header()}
    fits = base + "x" * (2049 - len("?take=5&filler="))
    too_long = fits + "x"
    assert httpx.get(fits, headers=headers).status_code == 200
    response = httpx.get(too_long, headers=headers)
    assert (response.status_code, response.content) == (
        (404, b"") if on else (200, response.content)
    )


@pytest.mark.parametrize("on", [True, False])
def test_R17_a_skip_above_the_threshold_is_slow_with_the_switch_on(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("R17_slow_large_skip", on)
    sim.settings.r17_skip_threshold = 20
    sim.settings.r17_delay_seconds = 0.25
    get(sim, "/connectors/Profit_Functions", skip=21, take=5, orderbyfieldids="FunctionId")
    duration = sim.request_log.last().duration_ms
    assert (duration >= 250) == on


@pytest.mark.parametrize("on", [True, False])
def test_R18_errors_carry_an_obsolete_header_that_differs_from_the_body_with_the_switch_on(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("R18_x_profit_error_header", on)
    response = get(sim, "/connectors/Profit_Functions", skip=2, take=-1)
    assert response.status_code == 500
    header = response.headers.get("X-PROFIT-ERROR")
    if on:
        assert header and header != response.json()["externalMessage"]
    else:
        assert header is None


@pytest.mark.parametrize("on", [True, False])
def test_W6_a_plain_text_token_is_a_500_with_the_switch_on_and_a_401_off(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("W6_plain_token_500", on)
    response = httpx.get(
        f"{sim.base_url}/metainfo", headers={"Authorization": f"AfasToken {sim.token_xml}"}
    )
    assert response.status_code == (500 if on else 401)


@pytest.mark.parametrize("on", [True, False])
def test_W6_base64_of_only_the_hex_reads_but_filters_to_nothing_with_the_switch_on(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("W6_hex_only_token_accepted", on)
    hex_part = sim.token_xml.split("<data>")[1].split("</data>")[0]
    headers = {"Authorization": "AfasToken " + base64.b64encode(hex_part.encode()).decode()}
    plain = httpx.get(f"{sim.base_url}/connectors/Profit_Functions", headers=headers)
    filtered = httpx.get(
        f"{sim.base_url}/connectors/Profit_Functions",
        params={"filterfieldids": "FunctionId", "filtervalues": "MGR", "operatortypes": 1},
        headers=headers,
    )
    if on:
        assert plain.status_code == 200 and plain.json()["rows"]
        assert (filtered.status_code, filtered.json()["rows"]) == (200, [])
    else:
        assert (plain.status_code, filtered.status_code) == (401, 401)


@pytest.mark.parametrize("on", [True, False])
def test_W11_calls_over_the_per_token_rate_limit_get_a_503_with_retry_after_with_the_switch_on(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("W11_rate_limit", on)
    sim.settings.rate_limit_per_minute = 3
    statuses = [get(sim, "/profitversion").status_code for _ in range(3)]
    fourth = get(sim, "/profitversion")
    other_token = get(sim, "/profitversion", label="restricted")
    assert statuses == [200, 200, 200] and other_token.status_code == 200
    if on:
        assert fourth.status_code == 503
        body = fourth.json()
        assert 1 <= body["retry_after"] <= 60
        assert fourth.headers["Retry-After"] == str(body["retry_after"])
        assert set(body["error"]) == {"code", "message"}
    else:
        assert fourth.status_code == 200


@pytest.mark.parametrize("on", [True, False])
def test_W21_requests_without_an_integration_id_are_refused_with_the_switch_on(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("W21_integration_id_required", on)
    without = get(sim, "/profitversion")
    with_id = httpx.get(
        f"{sim.base_url}/profitversion",
        headers={"Authorization": sim.auth_header(), "IntegrationId": "12345_678900"},
    )
    assert with_id.status_code == 200
    assert without.status_code == (500 if on else 200)


def test_maintenance_mode_answers_503_with_retry_after_until_switched_off(
    sim: SimulatorHandle,
) -> None:
    sim.set_maintenance(True, retry_after=120)
    response = get(sim, "/connectors/Profit_Functions")
    assert response.status_code == 503
    assert response.json()["retry_after"] == 120 and response.headers["Retry-After"] == "120"
    sim.set_maintenance(False)
    assert get(sim, "/connectors/Profit_Functions").status_code == 200


def test_a_blocked_connector_answers_the_blocked_500_until_unblocked(sim: SimulatorHandle) -> None:
    sim.block_connector("Profit_Debtor")
    response = get(sim, "/connectors/Profit_Debtor")
    assert response.status_code == 500
    assert response.json()["externalMessage"] == "This GetConnector (definition) is blocked"
    assert get(sim, "/connectors/Profit_Creditor").status_code == 200
    sim.unblock_connector("Profit_Debtor")
    assert get(sim, "/connectors/Profit_Debtor").status_code == 200
