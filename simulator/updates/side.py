"""The write side of one Simulator: its handler, journal, settings and run-time controls.

from simulator.updates import install, write_side

install(sim)                          # sim.update_handler now answers POST/PUT/DELETE
side = write_side(sim)                # also accepts a testing.SimulatorHandle
side.journal.last().quirks            # what the last write did (journal.py)
side.lock_journals(calls=2)           # W15: the next two FiEntries posts are "locked"
side.payroll_state("100061")          # W2/W3/W5/W19 flags of an employee
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simulator.tenant.store import Tenant
from simulator.updates.journal import WriteJournal

if TYPE_CHECKING:
    from starlette.responses import Response

    from simulator.calls import Call
    from simulator.core import Simulator


@dataclass
class WriteSettings:
    """Tunables of the write side; tests adjust them through `write_side(sim).settings`."""

    # W9: how long an employee insert with a generated id is "in flight", so that parallel
    # inserts really overlap and share the id.
    w9_overlap_seconds: float = 0.15
    # W18: more lines than this in one journal entry answer 500 (AFAS advises at most 1,000).
    max_entry_lines: int = 1000


@dataclass(frozen=True)
class PayrollState:
    """What the payroll module makes of an employee written through the simulator.

    `issues` says why payroll will not pick the employee up as expected ("period closed" W2,
    "period table not used by employer" W3, "incomplete hire: ..." W19); `in_preview` is False
    when the balance was not calculated (W5) or the hire lacks payroll data.
    """

    employee_id: str
    issues: tuple[str, ...]
    in_preview: bool


@dataclass
class _InFlight:
    ids: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class WriteSide:
    """UpdateConnector state for one Simulator."""

    def __init__(self, sim: Simulator) -> None:
        self._sim = weakref.ref(sim)
        self.settings = WriteSettings()
        self.journal = WriteJournal()
        self._in_flight = _InFlight()
        self._journal_locks = 0
        self._lock = threading.Lock()

    @property
    def sim(self) -> Simulator:
        sim = self._sim()
        if sim is None:
            raise RuntimeError("the simulator of this write side is gone")
        return sim

    async def handle(self, call: Call) -> Response:
        """The `Simulator.update_handler`: answer one POST, PUT or DELETE on /connectors/."""
        from simulator.updates.handler import handle_call

        return await handle_call(self, call)

    def reset(self) -> None:
        """Empty journal, default settings, no armed journal locks."""
        self.journal.clear()
        self.settings = WriteSettings()
        with self._lock:
            self._journal_locks = 0

    # -- W15 -------------------------------------------------------------------------------------

    def lock_journals(self, calls: int = 1) -> None:
        """W15: the next `calls` FiEntries posts answer the transient "locked" 500 (switch on)."""
        with self._lock:
            self._journal_locks = calls

    def take_journal_lock(self) -> bool:
        with self._lock:
            if self._journal_locks <= 0:
                return False
            self._journal_locks -= 1
            return True

    # -- W9 --------------------------------------------------------------------------------------

    def reserve_employee_id(self, tenant: Tenant, *, share: bool) -> tuple[str, bool]:
        """A new employee code; with `share` (W9) the one an insert still in flight holds.

        Returns the code and whether it is shared with another insert.
        """
        with self._in_flight.lock:
            if share and self._in_flight.ids:
                em_id = next(iter(self._in_flight.ids))
                self._in_flight.ids[em_id] += 1
                return em_id, True
            em_id = next_free(tenant, "EmId", "employees")
            self._in_flight.ids[em_id] = 1
            return em_id, False

    def release_employee_id(self, em_id: str) -> None:
        with self._in_flight.lock:
            left = self._in_flight.ids.get(em_id, 0) - 1
            if left > 0:
                self._in_flight.ids[em_id] = left
            else:
                self._in_flight.ids.pop(em_id, None)

    # -- inspection ------------------------------------------------------------------------------

    def payroll_state(self, employee_id: str) -> PayrollState:
        """The payroll flags the write side keeps on an employee record."""
        record = self.sim.tenant.get("employees", employee_id)
        if record is None:
            raise LookupError(f"no employee {employee_id!r}")
        issues = tuple(record.get("_payroll_issues", ()))
        return PayrollState(employee_id, issues, bool(record.get("_in_payroll_preview", True)))


def next_free(tenant: Tenant, sequence: str, table: str, *, prefix: str = "") -> str:
    """The next number of a tenant sequence whose key is not taken yet (given keys skip ahead)."""
    while True:
        candidate = f"{prefix}{tenant.next_number(sequence)}"
        if tenant.get(table, candidate) is None:
            return candidate


_SIDES: weakref.WeakKeyDictionary[Simulator, WriteSide] = weakref.WeakKeyDictionary()


def install(sim: Simulator) -> WriteSide:
    """Register the write side as `sim.update_handler` (idempotent) and return it."""
    side = _SIDES.get(sim)
    if side is None:
        side = WriteSide(sim)
        _SIDES[sim] = side
    sim.update_handler = side.handle
    return side


def write_side(sim: Any) -> WriteSide:
    """The write side of a Simulator or a testing.SimulatorHandle (installing it if needed)."""
    target = getattr(sim, "sim", sim)
    return install(target)
