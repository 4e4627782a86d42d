from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from decimal import Decimal

import pytest

from simulator.tenant import Tenant, TenantError, build_tenant
from simulator.tenant.ids import eleven_check, iban_is_valid
from simulator.tenant.payroll import EMPLOYER_WITH_CURRENT_PERIOD_CLOSED

REFERENCE = date(2026, 3, 18)


@pytest.fixture(scope="module")
def tenant() -> Tenant:
    return build_tenant(seed=5, size=400, reference_date=REFERENCE)


def _dump(tenant: Tenant) -> dict[str, list[dict[str, object]]]:
    return {name: tenant.table(name).records() for name in tenant.table_names()}


def test_same_seed_size_and_date_give_identical_data() -> None:
    first = build_tenant(seed=11, size=80, reference_date=REFERENCE)
    second = build_tenant(seed=11, size=80, reference_date=REFERENCE)
    assert _dump(first) == _dump(second)


def test_a_different_seed_gives_different_people() -> None:
    first = build_tenant(seed=11, size=80, reference_date=REFERENCE)
    other = build_tenant(seed=12, size=80, reference_date=REFERENCE)
    assert _dump(first)["persons"] != _dump(other)["persons"]


def test_generated_dates_are_offsets_from_the_reference_date() -> None:
    early = build_tenant(seed=3, size=30, reference_date=date(2026, 3, 18))
    later = build_tenant(seed=3, size=30, reference_date=date(2027, 3, 18))
    shift = later.reference_date - early.reference_date
    starts = [c["DaBe"] for c in early.table("contracts")]
    assert [c["DaBe"] for c in later.table("contracts")] == [d + shift for d in starts]


def test_size_is_the_number_of_employees(tenant: Tenant) -> None:
    assert len(tenant.table("employees")) == 400


def test_four_employers_share_the_environment_with_their_own_period_tables(tenant: Tenant) -> None:
    employers = {e["EmployerId"]: e for e in tenant.table("employers")}
    assert sorted(employers) == ["01", "02", "03", "04"]
    assert {e["UnitId"] for e in employers.values()} == {1, 2}
    used = {(p["EmployerId"], p["PeriodTableId"]) for p in tenant.table("payroll_periods")}
    for employer_id, employer in employers.items():
        assert {pt for e, pt in used if e == employer_id} == set(employer["PeriodTableIds"])
    assert {pt for _, pt in used} == {5, 6, 7}
    codes = {t["PtId"]: t["Code"] for t in tenant.table("period_tables")}
    assert codes == {5: "MAAND", 6: "VIERWEKEN", 7: "WEEK"}


def test_payroll_calendar_closes_periods_before_the_current_one(tenant: Tenant) -> None:
    for period in tenant.table("payroll_periods"):
        current = period["DateFrom"] <= REFERENCE <= period["DateTo"]
        if period["DateTo"] < REFERENCE:
            assert period["Closed"], period
        elif current:
            assert period["Closed"] == (period["EmployerId"] == EMPLOYER_WITH_CURRENT_PERIOD_CLOSED)
        else:
            assert not period["Closed"], period
    years = {p["Year"] for p in tenant.table("payroll_periods")}
    assert years == {2025, 2026, 2027}


def test_period_tables_have_twelve_thirteen_and_fifty_two_periods_a_year(tenant: Tenant) -> None:
    counts = Counter(
        p["PeriodTableId"]
        for p in tenant.table("payroll_periods")
        if p["Year"] == 2026 and p["EmployerId"] in ("02", "04")
    )
    assert counts == {5: 24, 6: 13, 7: 52}


def test_functions_differ_per_employer_and_some_are_blocked(tenant: Tenant) -> None:
    by_employer: dict[str, set[str]] = {}
    for function in tenant.table("functions"):
        by_employer.setdefault(function["Employer"], set()).add(function["FunctionId"])
    assert "CHF" in by_employer["04"] and "CHF" not in by_employer["01"]
    assert any(f["Blocked"] for f in tenant.table("functions"))


def test_about_fifteen_percent_of_employees_are_terminated(tenant: Tenant) -> None:
    last_contract: dict[str, dict[str, object]] = {}
    for contract in tenant.table("contracts"):
        last_contract[contract["EmId"]] = contract
    ended = sum(1 for c in last_contract.values() if c["DaEn"] and c["DaEn"] < REFERENCE)
    assert 0.08 < ended / len(last_contract) < 0.25


def test_every_bsn_passes_the_eleven_check_and_every_iban_its_checksum(tenant: Tenant) -> None:
    assert all(eleven_check(p["SoSe"]) for p in tenant.table("persons"))
    ibans = [d["Iban"] for d in tenant.table("debtors")] + [
        c["Iban"] for c in tenant.table("creditors")
    ]
    assert all(iban_is_valid(iban) for iban in ibans)


def test_every_employee_has_a_fiscal_record_with_a_wage_tax_number(tenant: Tenant) -> None:
    fiscal = {f["EmId"]: f["WageTaxNumber"] for f in tenant.table("fiscal")}
    assert set(fiscal) == {e["EmId"] for e in tenant.table("employees")}
    assert all(number.endswith("L01") and len(number) == 12 for number in fiscal.values())


def test_some_records_are_blocked_or_deleted(tenant: Tenant) -> None:
    employees = tenant.table("employees").records()
    assert any(e["Bl"] for e in employees) and any(e["_deleted"] for e in employees)
    assert any(d["Bl"] for d in tenant.table("debtors"))


def test_journal_entries_balance(tenant: Tenant) -> None:
    totals: dict[tuple[int, int], Decimal] = {}
    for line in tenant.table("entries"):
        key = (line["UnId"], line["EnNo"])
        totals[key] = totals.get(key, Decimal(0)) + line["AmDe"] - line["AmCr"]
    assert totals and all(total == 0 for total in totals.values())


def test_past_booking_periods_are_blocked_and_recent_ones_open(tenant: Tenant) -> None:
    periods = {
        (p["Unit"], p["Year"], p["Period"]): p["Blocked"] for p in tenant.table("booking_periods")
    }
    assert periods[(1, 2025, 6)] is True
    assert periods[(1, 2026, 2)] is False and periods[(1, 2026, 3)] is False
    assert periods[(2, 2027, 1)] is False


def test_some_ledger_accounts_demand_allocation_and_some_are_blocked(tenant: Tenant) -> None:
    accounts = tenant.table("ledger_accounts").records()
    assert any(a["DimAx1"] for a in accounts) and any(a["Blocked"] for a in accounts)


def test_insert_update_delete_bump_versions_and_stamp_modified_dates() -> None:
    tenant = build_tenant(seed=1, size=20, reference_date=REFERENCE)
    before = (tenant.version, tenant.table("subjects").version)
    stored = tenant.insert("subjects", {"SbId": 999, "StId": 1, "Ds": "Test", "Da": REFERENCE})
    assert stored["_created"] == stored["_modified"]
    assert stored["_created"] >= datetime.combine(REFERENCE, time(9))
    updated = tenant.update("subjects", 999, {"Ds": "Changed"})
    assert updated["Ds"] == "Changed"
    tenant.delete("subjects", 999)
    assert tenant.get("subjects", 999) is None
    assert tenant.version == before[0] + 3
    assert tenant.table("subjects").version == before[1] + 3


def test_mutations_refuse_duplicate_and_missing_keys() -> None:
    tenant = build_tenant(seed=1, size=20, reference_date=REFERENCE)
    employee = tenant.table("employees").records()[0]
    with pytest.raises(TenantError):
        tenant.insert("employees", employee)
    with pytest.raises(TenantError):
        tenant.update("employees", "no-such-employee", {"Bl": True})
    with pytest.raises(TenantError):
        tenant.table("no_such_table")


def test_sequences_continue_after_the_seeded_records() -> None:
    tenant = build_tenant(seed=1, size=20, reference_date=REFERENCE)
    assert tenant.next_number("EmId") == 100021
    highest_person = max(int(p["BcCo"]) for p in tenant.table("persons"))
    highest_org = max(int(o["BcCo"]) for o in tenant.table("organisations"))
    assert tenant.next_number("BcCo") == max(highest_person, highest_org) + 1
