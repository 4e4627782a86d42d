"""One AFAS environment: a participant number, its tenant and the state of its connectors."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import date

from simulator.catalogue import GET_CONNECTORS, Field, GetConnector, RowOptions
from simulator.catalogue.drift import Drift, Shape, shape_of
from simulator.quirks import QuirkSwitches
from simulator.tenant import Tenant, build_tenant
from simulator.tenant.store import Key
from simulator.views import ConnectorView, ViewCache

_NAME_PREFIX = {"production": "O", "test": "T", "accept": "A"}


class DriftRefused(RuntimeError):
    """trigger_drift was called while quirk R6 is off (connector shapes never change then)."""


class Environment:
    """A participant number (`12345`), its environment name (`T12345AA`) and its data.

    Connector definitions can drift at run time (quirk R6); rows are cached per tenant state.
    """

    def __init__(
        self,
        *,
        environment_id: str,
        environment_type: str,
        seed: int,
        size: int,
        reference_date: date | None,
        quirks: QuirkSwitches,
    ) -> None:
        self.environment_id = environment_id
        self.environment_type = environment_type
        self.name = f"{_NAME_PREFIX[environment_type]}{environment_id}AA"
        self.seed = seed
        self.size = size
        self._reference_date = reference_date
        self.quirks = quirks
        self.tenant: Tenant = self._generate()
        self.blocked: set[str] = set()
        self._lock = threading.Lock()
        self._drifts: dict[str, Drift] = {}
        self._drift_version = 0
        self._views = ViewCache()
        self._by_lower = {name.lower(): connector for name, connector in GET_CONNECTORS.items()}

    def _generate(self) -> Tenant:
        return build_tenant(seed=self.seed, size=self.size, reference_date=self._reference_date)

    def reset(self) -> None:
        """Back to the seeded data: no drift, no blocked connectors."""
        self.tenant.restore(self._generate())
        with self._lock:
            self.blocked.clear()
            self._drifts.clear()
            self._drift_version += 1
            self._views.clear()

    # -- connectors ------------------------------------------------------------------------

    def get_connector(self, name: str) -> GetConnector | None:
        """A GetConnector by id; AFAS matches connector names without regard to case."""
        return self._by_lower.get(name.lower())

    def shape(self, connector: GetConnector) -> Shape:
        with self._lock:
            return shape_of(connector, self._drifts.get(connector.id))

    def view(self, connector: GetConnector) -> ConnectorView:
        """The connector's rows for the current shape and quirk switches.

        The view follows the tenant's changes itself; only a drift or a switch that changes
        what rows look like starts a new one.
        """
        shells = self.quirks.is_on("R5_shell_rows")
        options = RowOptions(
            today=self.tenant.today(),
            wage_tax_blank_for_terminated=self.quirks.is_on("R1_wage_tax_blank_for_terminated"),
        )
        with self._lock:
            key = (self._drift_version, options, shells)
            shape = shape_of(connector, self._drifts.get(connector.id))
            return self._views.get(
                connector.id,
                key,
                lambda: ConnectorView(connector, shape, self.tenant, options, shells=shells),
            )

    def trigger_drift(
        self,
        connector_id: str,
        *,
        remove: Sequence[str] = (),
        add: Sequence[str | Field] = (),
        rename: Mapping[str, str] | None = None,
    ) -> Shape:
        """An administrator edits a GetConnector (quirk R6): metainfo and rows change at once."""
        if not self.quirks.is_on("R6_connector_drift"):
            raise DriftRefused("enable quirk R6_connector_drift to change connector shapes")
        connector = self.get_connector(connector_id)
        if connector is None:
            raise KeyError(f"no GetConnector {connector_id!r}")
        current = {f.id for f in self.shape(connector).fields}
        unknown = [name for name in (*remove, *(rename or {})) if name not in current]
        if unknown:
            raise KeyError(f"{connector.id} has no field(s) {unknown}")
        with self._lock:
            base = self._drifts.get(connector.id, Drift())
            self._drifts[connector.id] = base.then(remove=remove, add=add, rename=rename or {})
            self._drift_version += 1
        return self.shape(connector)

    # -- the write side's helpers ------------------------------------------------------------

    def note_child_change(self, parent_table: str, parent_key: Key | str | int) -> None:
        """Tell the tenant a child record (contract, salary, address) of a parent changed.

        With quirk R3 on, AFAS leaves the parent's modified date alone; off, the parent's
        `_modified` moves to now, as an ideal API would show it.
        """
        if not self.quirks.is_on("R3_child_changes_keep_parent_date"):
            self.tenant.touch(parent_table, parent_key)
