"""Benchmark: a 100,000-employee simulated tenant, generated and paged over real HTTP.

Prints one JSON line:
  {"bench":"simulator","employees":100000,"generate_s":..,"first_page_ms":..,
   "page_1000_ms_p50":..,"page_1000_ms_max":..,"pages":..}

`first_page_ms` includes building the connector's rows once (then cached until the data
changes); the p50/max are for the following pages. Targets: generation under 30 s, a page well
under a second.
"""

from __future__ import annotations

import json
import statistics
import time

import httpx

from simulator.core import Simulator
from simulator.server import ServerThread
from simulator.testing import SimulatorHandle

EMPLOYEES = 100_000
PAGE = 1_000
PAGES = 20


def main() -> int:
    """Run the benchmark; exit status 1 when a target is missed."""
    started = time.perf_counter()
    sim = Simulator(profile="docs", seed=1, size=EMPLOYEES)
    generate_s = time.perf_counter() - started
    server = ServerThread(sim)
    server.start()
    try:
        handle = SimulatorHandle(sim, server)
        params = {
            "orderbyfieldids": "EmployeeId",
            "filterfieldids": "EmployerId",
            "filtervalues": "02",
            "operatortypes": "1",
            "take": PAGE,
        }
        timings: list[float] = []
        with httpx.Client(
            base_url=handle.base_url, headers={"Authorization": handle.auth_header()}, timeout=60
        ) as http:
            for page in range(PAGES + 1):
                clock = time.perf_counter()
                response = http.get(
                    "/connectors/AfasMcp_Employees", params={**params, "skip": page * PAGE}
                )
                timings.append((time.perf_counter() - clock) * 1000)
                assert response.status_code == 200, response.text
                assert len(response.json()["rows"]) == PAGE
    finally:
        server.stop()
    first, rest = timings[0], timings[1:]
    result = {
        "bench": "simulator",
        "employees": EMPLOYEES,
        "generate_s": round(generate_s, 2),
        "first_page_ms": round(first, 1),
        "page_1000_ms_p50": round(statistics.median(rest), 1),
        "page_1000_ms_max": round(max(rest), 1),
        "pages": len(rest),
    }
    print(json.dumps(result, separators=(",", ":")))
    return 0 if generate_s < 30 and statistics.median(rest) < 1000 else 1


if __name__ == "__main__":
    raise SystemExit(main())
