"""`afas-mcp simulator`: serve the fake AFAS tenant for a person, or print how to reach it."""

from __future__ import annotations

import argparse
import ipaddress
import sys
from datetime import date

from simulator.auth import Credentials
from simulator.core import environment_id_for
from simulator.quirks import PROFILES
from simulator.tenant import DEFAULT_SIZE

DEFAULT_PORT = 8765
ENVIRONMENT_TYPE = "test"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="afas-mcp simulator",
        description="Serve a simulated AFAS Profit environment (REST API) on this machine.",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8765)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a non-loopback --host (the simulator has fake data but real-looking tokens)",
    )
    parser.add_argument("--profile", choices=PROFILES, default="realistic", help="quirk profile")
    parser.add_argument("--seed", type=int, default=1, help="seed of the tenant and credentials")
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="number of employees")
    parser.add_argument(
        "--reference-date",
        type=date.fromisoformat,
        default=None,
        help="pretend today is this date (YYYY-MM-DD); default: today in Amsterdam",
    )
    parser.add_argument(
        "--auth",
        choices=("classic", "oauth"),
        default="classic",
        help="which credentials to print: a classic token or OAuth client credentials",
    )
    parser.add_argument(
        "--print-env",
        action="store_true",
        help="print the AFAS_* variables as shell export lines and exit",
    )
    return parser


def environment_variables(*, host: str, port: int, seed: int, auth: str) -> dict[str, str]:
    """The AFAS_* variables a server needs to talk to a simulator started with these options."""
    environment_id = environment_id_for(seed)
    credential = Credentials(seed=seed, environment_name=f"T{environment_id}AA").by_label["full"]
    shown_host = f"[{host}]" if ":" in host else host
    variables = {
        "AFAS_BASE_URL": f"http://{shown_host}:{port}/ProfitRestServices",
        "AFAS_ENVIRONMENT_ID": environment_id,
        "AFAS_ENVIRONMENT_TYPE": ENVIRONMENT_TYPE,
    }
    if auth == "classic":
        variables["AFAS_TOKEN"] = credential.token_xml
    else:
        variables["AFAS_OAUTH_CLIENT_ID"] = credential.client_id
        variables["AFAS_OAUTH_CLIENT_SECRET"] = credential.client_secret
    return variables


def shell_quote(value: str) -> str:
    """Single-quote a value for POSIX shells (a quote inside becomes '"'"')."""
    return "'" + value.replace("'", "'\"'\"'") + "'"


def export_lines(variables: dict[str, str]) -> str:
    """`export NAME='value'` lines, one per variable."""
    return "".join(f"export {name}={shell_quote(value)}\n" for name, value in variables.items())


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main(argv: list[str]) -> int:
    """Run the command; returns the exit status."""
    args = _parser().parse_args(argv)
    if not _is_loopback(args.host) and not args.allow_remote:
        sys.stderr.write(
            f"afas-mcp simulator: refusing to listen on {args.host}, which is not loopback; "
            "pass --allow-remote if you mean it\n"
        )
        return 2
    if args.size < 1:
        sys.stderr.write("afas-mcp simulator: --size must be at least 1\n")
        return 2
    variables = environment_variables(
        host=args.host, port=args.port, seed=args.seed, auth=args.auth
    )
    if args.print_env:
        sys.stdout.write(export_lines(variables))
        return 0
    return _serve(args, variables)


def _serve(args: argparse.Namespace, variables: dict[str, str]) -> int:
    # Imported here so --print-env stays instant.
    import uvicorn

    from simulator.core import Simulator
    from simulator.server import bind, uvicorn_config

    try:
        sock = bind(args.host, args.port)
    except OSError as error:
        sys.stderr.write(f"afas-mcp simulator: cannot listen on {args.host}:{args.port}: {error}\n")
        return 1
    sim = Simulator(
        profile=args.profile, seed=args.seed, size=args.size, reference_date=args.reference_date
    )
    sys.stdout.write(export_lines(variables))
    sys.stdout.write(
        f"# AFAS simulator ({args.profile} profile, seed {args.seed}, {args.size} employees, "
        f"environment {sim.environment.name}) on {variables['AFAS_BASE_URL']}\n"
        "# Point the server at it: paste the lines above into its shell (or run "
        f'`eval "$(afas-mcp simulator --print-env --port {args.port} --seed {args.seed})"`), '
        "then `afas-mcp serve`. Ctrl-C stops the simulator.\n"
    )
    sys.stdout.flush()
    server = uvicorn.Server(uvicorn_config(sim, log_level="info"))
    # A large tenant builds its connector rows while nobody is asking; requests come first.
    sim.warm_up()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn shut down cleanly and re-raised Ctrl-C; stopping is the normal ending
    finally:
        sock.close()
    return 0
