"""The `afas-mcp` command: one entry point, one module per subcommand.

Subcommand modules are imported only when their command runs, so `afas-mcp check` does not pay
for the MCP SDK and `afas-mcp simulator` does not pay for the client.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

# command -> (module, one-line help). Each module exposes `main(argv: list[str]) -> int`.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("server.check", "verify credentials and the pinned environment, then exit"),
    "demo": ("server.demo", "run the product end to end against the built-in simulator"),
    "simulator": ("simulator.cli", "serve the fake AFAS Profit tenant on 127.0.0.1"),
    "serve": ("server.serve", "serve the MCP tools over stdio, or streamable HTTP with --http"),
    "review": ("server.review.cli", "list, show and decide on held writes; serve the review page"),
    "record": ("server.record", "record calls of a test environment as a scrubbed cassette"),
}


def _usage() -> str:
    lines = ["usage: afas-mcp <command> [options]", "", "commands:"]
    width = max(len(name) for name in COMMANDS)
    lines += [f"  {name:<{width}}  {help_}" for name, (_, help_) in COMMANDS.items()]
    lines += ["", "Run `afas-mcp <command> --help` for the options of one command."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to the subcommand named by the first argument."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        sys.stderr.write(_usage() + "\n")
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command not in COMMANDS:
        sys.stderr.write(f"afas-mcp: unknown command {command!r}\n\n{_usage()}\n")
        return 2
    module = importlib.import_module(COMMANDS[command][0])
    result: int = module.main(rest)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
