"""Building every connector's rows in the background while the server has nothing to do.

Pages in key order build only the rows they walk past, but a read sorted on another field, or
filtered on one that few rows match (an employee by BSN), needs every row of the connector: a few
seconds at 100,000 employees. The warm-up builds them after start, a small batch at a time, and
steps aside whenever a request is being answered, so it never makes a request wait for more
than one batch. Later writes patch the built rows (simulator/views.py).
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from simulator.catalogue import GET_CONNECTORS

if TYPE_CHECKING:
    from simulator.core import Simulator

BATCH = 100  # rows per turn: a few milliseconds, the longest a request waits for the warm-up
IDLE_POLL_SECONDS = 0.005
# The connectors an agent reads most first; the others follow in catalogue order.
FIRST = ("AfasMcp_Employees", "Profit_Employees", "Profit_OrgPer")


class WarmUp:
    """A daemon thread that completes the rows of every connector of the primary environment."""

    def __init__(self, sim: Simulator) -> None:
        self._sim = sim
        self._stop = threading.Event()
        self.done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="simulator-warm-up", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        order = [*FIRST, *(name for name in GET_CONNECTORS if name not in FIRST)]
        environment = self._sim.environment
        for name in order:
            view = environment.view(GET_CONNECTORS[name])
            while not self._stop.is_set():
                self._wait_until_idle()
                if view.warm(rows=BATCH):
                    break
                time.sleep(0)  # let a request that just arrived have the interpreter
        self.done.set()

    def _wait_until_idle(self) -> None:
        while self._sim.requests_in_flight and not self._stop.is_set():
            self._stop.wait(IDLE_POLL_SECONDS)
