"""`afas-mcp demo`: the whole product, end to end, against the built-in AFAS simulator.

A scripted agent talks to the real `afas-mcp serve` over stdio, exactly as Claude Desktop
would, while the simulator plays a multi-employer AFAS Profit tenant on 127.0.0.1. The script
reads (employers, open payroll periods, functions, a terminated employee whose wage-tax number
AFAS blanks), tries a hire AFAS would silently accept into a closed payroll period (refused with
the reason), makes a good hire (held for a person, because hires always are), approves it as a
person, and shows the read-back that proves AFAS stored what was sent.

Nothing leaves the machine: the simulator, the MCP server and the ledger (a SQLite file in a
temporary folder) all live on 127.0.0.1 and disappear when the demo ends.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import textwrap
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import anyio

from server.demo_client import DemoAgent, say
from simulator.quirks import PROFILES, Profile
from simulator.testing import SimulatorHandle, start_simulator

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
APPROVER = "hr:demo-approver"  # the person who approves; the agent is never allowed to


def main(argv: list[str]) -> int:
    """Run the demo; exit 0 when every step behaved as the product promises."""
    parser = argparse.ArgumentParser(prog="afas-mcp demo", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7, help="seed of the simulated tenant")
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        default="realistic",
        help="which AFAS quirks the simulator plays (default: realistic)",
    )
    args = parser.parse_args(argv)
    try:
        anyio.run(_demo, args.seed, args.profile)
    except DemoFailed as failure:
        say(f"\nDEMO FAILED: {failure}")
        return 1
    return 0


class DemoFailed(Exception):
    """A step did not behave as the product promises."""


async def _demo(seed: int, profile: Profile) -> None:
    say("afas-mcp demo: an agent works on a simulated AFAS Profit tenant through MCP\n")
    with (
        tempfile.TemporaryDirectory(prefix="afas-mcp-demo-") as folder,
        start_simulator(profile=profile, seed=seed) as sim,
    ):
        env = _server_env(sim, Path(folder))
        say(f"  AFAS simulator ({profile} profile) at {sim.base_url}")
        say(f"  ledger and review queue: {env['AFAS_MCP_DATABASE']}")
        say("  MCP server: `afas-mcp serve` over stdio, writes on\n")
        log = Path(folder) / "afas-mcp-serve.log"
        try:
            async with DemoAgent.connect(env, log=log) as agent:
                await _story(agent, env)
        except DemoFailed:
            say("\nLast lines of the server's log:")
            say(_indent("\n".join(log.read_text(encoding="utf-8").splitlines()[-15:])))
            raise


def _server_env(sim: SimulatorHandle, folder: Path) -> dict[str, str]:
    keep = {
        k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR", "PYTHONPATH"}
    }
    return (
        keep
        | sim.env()
        | {
            "AFAS_MCP_WRITES": "true",
            "AFAS_MCP_DATABASE": str(folder / "afas-mcp.sqlite"),
            "AFAS_MCP_REQUESTER": "agent",
            "AFAS_INTEGRATION_ID": "12345_678900",
            "PYTHONUNBUFFERED": "1",
        }
    )


async def _story(agent: DemoAgent, env: dict[str, str]) -> None:
    tools = await agent.list_tools()
    writes = [t for t in tools if not t.read_only]
    say(f"1. The agent sees {len(tools)} tools ({len(writes)} of them write, all guarded).")

    employers = (await agent.call("list_employers", {}))["employers"]
    say("2. list_employers: employers sharing this AFAS environment, with their period tables")
    for employer in employers:
        tables = ", ".join(t["code"] for t in employer["period_tables"]) or "none"
        say(f"     {employer['employer_id']}  {employer['name']:<38} {tables}")
    employer = _monthly_employer(employers)

    periods = await agent.call("list_open_payroll_periods", {"employer_id": employer})
    opens = sorted(date.fromisoformat(p["date_from"]) for p in periods["periods"])
    today = datetime.now(AMSTERDAM).date()  # AFAS's dates are Amsterdam dates
    good_start = next(d for d in opens if d > today)
    closed_start = (opens[0] - timedelta(days=20)).replace(day=1)
    say(f"3. list_open_payroll_periods({employer}): first open period from {opens[0]}")

    functions = await agent.call(
        "query_connector",
        {
            "connector_id": "Profit_Functions",
            "filters": [
                {"field": "Employer", "op": "equals", "value": employer},
                {"field": "Blocked", "op": "equals", "value": False},
            ],
            "limit": 3,
        },
    )
    function = functions["rows"][0]
    say(
        f"4. query_connector(Profit_Functions): employer {employer} has function "
        f"{function['FunctionId']} ({function['FunctionDesc']}), validated against metainfo"
    )

    await _terminated_employee(agent)

    hire = _hire(employer, function["FunctionId"], good_start)
    refusal = await agent.refused("onboard_employee", hire | {"start_date": str(closed_start)})
    say(f"6. onboard_employee starting {closed_start} (a CLOSED payroll period). AFAS itself")
    say("   would answer 201 and payroll would silently skip the new hire (quirk W2).")
    say("   afas-mcp refuses it before anything is sent:")
    say(_wrapped(refusal.removeprefix("Error executing tool onboard_employee: ")))

    held = await agent.call("onboard_employee", hire)
    if held["status"] != "pending_review":
        raise DemoFailed(f"a hire should wait for a person, got {held['status']}")
    say(f"7. onboard_employee starting {good_start}: every policy allows it, and hires")
    say(f"   always wait for a person. Status {held['status']}; write {held['write_id']}")
    say(f"   review it at {held['review_url']}")

    approved = await agent.approve_as_person(env, held["write_id"], approver=APPROVER)
    say(f"8. {APPROVER} approves it (a person, never the agent): policies re-run, the")
    say(f"   write is sent once, read back from AFAS and diffed -> {approved}")

    status = await agent.call("get_write_status", {"write_id": held["write_id"]})
    read_back = status.get("read_back") or {}
    say(f"9. get_write_status: {status['status']}, read-back {read_back.get('result')}")
    say(_indent(status["explanation"]))
    if status["status"] != "verified":
        raise DemoFailed(f"the approved hire should be verified, got {status['status']}")

    employee_id = next(iter((status.get("afas_key") or {}).values()), None)
    if employee_id:
        employee = await agent.call("get_employee", {"employee_id": employee_id})
        say(
            f"10. get_employee({employee_id}): {employee['person']['display_name']}, employer "
            f"{employee['employment']['employer_id']}, period table "
            f"{employee['payroll']['period_table']['code']}, starts "
            f"{employee['employment']['start_date']}"
        )
    say("\nDone. Everything ran on 127.0.0.1 and is gone now. Next steps:")
    say("  .venv/bin/afas-mcp simulator --port 8765 &  # a simulated AFAS tenant to try things on")
    say("  .venv/bin/afas-mcp serve                    # the MCP server for Claude Desktop/Code")
    say("  README.md: connecting your own AFAS environment, writes and the review queue")


async def _terminated_employee(agent: DemoAgent) -> None:
    found = await agent.call("search_employees", {"active": False, "limit": 5})
    for summary in found["employees"]:
        employee = await agent.call("get_employee", {"employee_id": summary["employee_id"]})
        payroll = employee["payroll"]
        if payroll.get("wage_tax_number_source") == "fiscal_connector":
            say(
                f"5. get_employee({summary['employee_id']}), terminated {summary['end_date']}: "
                "AFAS's employee connector blanks the wage-tax number (quirk R1);"
            )
            say(
                f"   afas-mcp reads it from the fiscal connector: {payroll['wage_tax_number']} "
                "(source: fiscal_connector, with a warning)"
            )
            return
    say("5. (no terminated employee with a blanked wage-tax number in this profile)")


def _monthly_employer(employers: list[dict[str, Any]]) -> str:
    for employer in employers:
        if any(t["code"] == "MAAND" for t in employer["period_tables"]):
            return str(employer["employer_id"])
    raise DemoFailed("the tenant has no employer with a monthly period table")


def _hire(employer: str, function_id: str, start: date) -> dict[str, Any]:
    return {
        "employer_id": employer,
        "first_name": "Sanne",
        "last_name": "de Vries",
        "initials": "S.",
        "birth_date": "1991-06-14",
        "gender": "female",
        "bsn": "111222333",
        "email": "sanne.devries@example.nl",
        "address": {
            "street": "Dorpsstraat",
            "house_number": "12A",
            "postal_code": "3833 LC",
            "city": "Leusden",
        },
        "start_date": str(start),
        "function_id": function_id,
        "org_unit": "UIT",
        "period_table": "MAAND",
        "salary": "3450.00",
        "hours_per_week": "38",
    }


def _wrapped(text: str) -> str:
    return "\n".join(
        textwrap.wrap(text, width=92, initial_indent="     ", subsequent_indent="     ")
    )


def _indent(text: str) -> str:
    return "\n".join("     " + line for line in text.splitlines())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
