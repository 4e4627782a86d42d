"""Connector views patched after writes give exactly the rows a full rebuild gives.

Property-style: a seeded random sequence of inserts, updates (including key changes, soft
deletes and blocks) and deletes over every table the connectors read, with the views kept
across the whole sequence, and after every few steps each view compared with rows built from
scratch, in shipped order, key order, other orders and shuffled.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sim_helpers import REFERENCE_DATE

from simulator import views
from simulator.catalogue import GET_CONNECTORS, Field, GetConnector, RowOptions
from simulator.catalogue.drift import Drift, Shape, shape_of
from simulator.orders import OrderBy
from simulator.rowmaker import full_rows
from simulator.tenant import Record, Tenant, TenantError, build_tenant
from simulator.tenant import table as tables
from simulator.views import ConnectorView

SOURCES = sorted({name for c in GET_CONNECTORS.values() for name in c.sources})
FLAGS = ("_deleted", "Bl", "Blocked", "Closed")


@dataclass
class Case:
    """One view under test and how to rebuild its rows from scratch."""

    connector: GetConnector
    shape: Shape
    options: RowOptions
    shells: bool
    view: ConnectorView
    lazy: bool = False  # only reads that build no more rows than they walk past

    def check(self, tenant: Tenant, rng: random.Random) -> None:
        def expected(order_by: OrderBy = ()) -> list[Any]:
            return full_rows(
                self.connector,
                self.shape,
                tenant,
                self.options,
                shells=self.shells,
                order_by=order_by,
            )

        for order_by in _orders(self.shape, self.connector, lazy=self.lazy):
            assert self.view.all_rows(order_by) == expected(order_by), (self.name, order_by)
        if self.lazy:
            assert not self.view._complete  # the patches under test are the lazy ones
        else:
            self._check_shuffled(expected(), rng)
        self._check_pages(expected)

    def _check_shuffled(self, expected: list[Any], rng: random.Random) -> None:
        shuffled, _ = self.view.select(
            order_by=(),
            shuffle=rng,
            predicate=None,
            offset=0,
            limit=None,
            count=True,
        )
        assert sorted(map(repr, shuffled)) == sorted(map(repr, expected))

    def _check_pages(self, expected: Any) -> None:
        # Paged reads in key order, resumed where the last page stopped, add up to the whole.
        key_order = tuple((name, False) for name in _key(self.shape, self.connector))
        pages: list[Any] = []
        page: list[Any] = [None] * 7
        while len(page) == 7:
            page, _ = self.view.select(
                order_by=key_order,
                shuffle=None,
                predicate=_odd,
                filter_key="odd",
                offset=len(pages),
                limit=7,
                count=False,
            )
            pages += page
        assert pages == [row for row in expected(key_order) if _odd(row)]

    @property
    def name(self) -> str:
        return f"{self.connector.id} shells={self.shells}"


def _odd(row: tuple[Any, ...]) -> bool:
    return len(repr(row)) % 2 == 1


def _key(shape: Shape, connector: GetConnector) -> list[str]:
    """The connector key's field ids as the shape names them (drift may rename them)."""
    names = []
    for base in connector.key:
        position = next(i for i, f in enumerate(connector.fields) if f.id == base)
        names.append(shape.fields[shape.sources.index(position)].id)
    return names


def _orders(shape: Shape, connector: GetConnector, *, lazy: bool = False) -> list[OrderBy]:
    key = _key(shape, connector)
    ids = [f.id for f in shape.fields]
    from_keys: list[OrderBy] = [(), tuple((name, False) for name in key), ((key[0], True),)]
    if lazy:
        return from_keys
    return [*from_keys, ((ids[1], True),), ((ids[-1], False), (key[0], True))]


def _cases(tenant: Tenant) -> list[Case]:
    options = (
        RowOptions(today=tenant.today()),
        RowOptions(today=tenant.today(), wage_tax_blank_for_terminated=True),
    )
    cases = []
    for index, connector in enumerate(GET_CONNECTORS.values()):
        for shells in (True, False):
            shape = shape_of(connector, None)
            option = options[index % 2]
            view = ConnectorView(connector, shape, tenant, option, shells=shells)
            cases.append(Case(connector, shape, option, shells, view))
        lazy = ConnectorView(connector, shape, tenant, options[0], shells=True)
        cases.append(Case(connector, shape, options[0], True, lazy, lazy=True))
    drifted = GET_CONNECTORS["AfasMcp_Employees"]
    drift = Drift(frozenset({"Mail"}), (Field("Nationality", "string", "Nationaliteit"),))
    drift = drift.then(remove=(), add=(), rename={"EmployeeId": "EmpId", "Salary": "Pay"})
    shape = shape_of(drifted, drift)
    view = ConnectorView(drifted, shape, tenant, options[1], shells=True)
    cases.append(Case(drifted, shape, options[1], True, view))
    return cases


def _fresh(value: Any, n: int) -> Any:
    """Another value of the same type, for a new key."""
    if isinstance(value, str):
        return f"{value}~{n}"
    if isinstance(value, bool) or value is None:
        return n
    if isinstance(value, int):
        return value + 1_000_000 + n
    if isinstance(value, date):
        return value + timedelta(days=n)
    raise AssertionError(f"no fresh value for {value!r}")


def _mutate(tenant: Tenant, rng: random.Random, step: int) -> None:
    """One random insert, update or delete on a table some connector reads."""
    name = rng.choice(SOURCES)
    table = tenant.table(name)
    records = table.records()
    if not records:
        return
    record = rng.choice(records)
    key = table.key_of(record)
    kind = rng.choice(("insert", "update", "update", "update", "delete"))
    try:
        if kind == "delete":
            tenant.delete(name, key)
        elif kind == "insert":
            copy = {k: v for k, v in record.items() if not k.startswith("_")}
            copy[table.key[-1]] = _fresh(copy[table.key[-1]], step)
            tenant.insert(name, copy)
        else:
            tenant.update(name, key, _change(record, records, rng))
    except TenantError:
        pass  # a key that is taken: the tenant refuses, as it should


def _change(record: Record, records: list[Record], rng: random.Random) -> Record:
    flags = [f for f in FLAGS if f in record or f == "_deleted"]
    if flags and rng.random() < 0.3:
        flag = rng.choice(flags)
        return {flag: not record.get(flag)}
    field = rng.choice([f for f in record if not f.startswith("_")])
    value = rng.choice(records).get(field)
    if isinstance(value, str) and rng.random() < 0.3:
        value = value.upper()  # sorts equal to the original: ties keep insertion order
    return {field: value}


def _run(seed: int, steps: int) -> None:
    tenant = build_tenant(seed=seed, size=24, reference_date=REFERENCE_DATE)
    rng = random.Random(seed)  # noqa: S311 - a reproducible sequence of writes
    cases = _cases(tenant)
    for case in cases:  # start with built orders and partly built rows, to be patched
        case.view.all_rows(_orders(case.shape, case.connector, lazy=case.lazy)[-1])
        case.view.select(
            order_by=(),
            shuffle=None,
            predicate=None,
            offset=0,
            limit=3,
            count=False,
        )
    for step in range(steps):
        _mutate(tenant, rng, step)
        if step % 6 == 5 or step == steps - 1:
            for case in cases:
                case.check(tenant, rng)


@pytest.mark.parametrize("seed", range(1, 7))
def test_views_patched_after_random_writes_match_a_full_rebuild(seed: int) -> None:
    _run(seed, steps=36)


def test_views_that_start_over_after_many_changes_match_a_full_rebuild(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(views, "PATCH_LIMIT", 2)
    monkeypatch.setattr(tables, "JOURNAL_LIMIT", 4)
    _run(11, steps=24)


def test_find_through_an_index_matches_a_scan_after_writes() -> None:
    tenant = build_tenant(seed=3, size=24, reference_date=REFERENCE_DATE)
    rng = random.Random(3)  # noqa: S311 - a reproducible sequence of writes
    for step in range(200):
        _mutate(tenant, rng, step)
    for name, field in (("contracts", "EmId"), ("employees", "BcCo"), ("absences", "EmId")):
        for value in {r.get(field) for r in tenant.table(name)}:
            scanned = [r for r in tenant.table(name) if r.get(field) == value]
            assert sorted(map(repr, tenant.find(name, **{field: value}))) == sorted(
                map(repr, scanned)
            )


def test_the_warm_up_builds_every_connector_and_steps_aside_for_requests() -> None:
    from simulator.core import Simulator

    sim = Simulator(profile="realistic", seed=2, size=40, reference_date=REFERENCE_DATE)
    sim.requests_in_flight = 1  # a request is being answered: the warm-up waits
    warm_up = sim.warm_up()
    try:
        assert not warm_up.done.wait(0.2)
        sim.requests_in_flight = 0
        assert warm_up.done.wait(10)
    finally:
        warm_up.stop()
    assert sim.warm_up() is warm_up  # started once
    for connector in GET_CONNECTORS.values():
        view = sim.environment.view(connector)
        assert view._complete, connector.id
        expected = full_rows(
            connector, view.shape, sim.tenant, view.options, shells=True, order_by=()
        )
        assert view.all_rows() == expected


def test_person_matching_through_an_index_finds_what_a_scan_finds() -> None:
    from simulator.quirks import QuirkSwitches
    from simulator.updates.context import WriteContext
    from simulator.updates.parties import _live
    from simulator.updates.side import WriteSettings

    tenant = build_tenant(seed=4, size=60, reference_date=REFERENCE_DATE)
    ctx = WriteContext(
        tenant=tenant,
        quirks=QuirkSwitches("realistic"),
        settings=WriteSettings(),
        method="POST",
        connector="KnPerson",
    )
    person = tenant.table("persons").records()[7]
    for criteria in (
        {"SoSe": person["SoSe"]},
        {"LaNm": person["LaNm"].upper(), "In": person["In"], "DaBi": person["DaBi"]},
    ):
        scanned = [
            record
            for record in tenant.table("persons")
            if not record.get("_deleted")
            and all(
                (str(record.get(k)).casefold() == str(v).casefold())
                if isinstance(v, str)
                else record.get(k) == v
                for k, v in criteria.items()
            )
        ]
        assert _live(ctx, "persons", criteria) == scanned and scanned
