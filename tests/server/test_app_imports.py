"""Only server/app.py imports the MCP SDK; everything else stays framework-free.

The one other importer is the demo's agent (server/demo_client.py): an MCP *client* that plays
the agent the product serves, not a second server.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def sdk_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found += [n for n in names if n == "mcp" or n.startswith(("mcp.", "mcp_types"))]
    return found


def test_only_server_app_imports_the_mcp_sdk() -> None:
    importers = sorted(
        str(path.relative_to(REPO))
        for package in ("server", "tools", "policies")
        for path in (REPO / package).rglob("*.py")
        if sdk_imports(path)
    )
    assert importers == ["server/app.py", "server/demo_client.py"]
