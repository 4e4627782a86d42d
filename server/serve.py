"""`afas-mcp serve`: run the MCP server over stdio (default) or streamable HTTP.

stdout belongs to the protocol on stdio, so every log line goes to stderr, in both modes.
The HTTP mode requires a bearer token (`AFAS_MCP_HTTP_TOKEN`); `--no-auth` is accepted only on
a loopback address, for local tools such as the MCP conformance suite.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import anyio

if TYPE_CHECKING:
    from server.config import Settings

log = logging.getLogger("server.serve")

LOOPBACK_NAMES = frozenset({"localhost"})


class RedactingFormatter(logging.Formatter):
    """Formats records, then blanks every configured secret (tracebacks included)."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        # Longest first, so a secret that contains another is blanked whole.
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


_handler: logging.Handler | None = None


def configure_logging(level: str, *, secrets: Iterable[str] = ()) -> None:
    """Send every log record to stderr, with secrets blanked; never to stdout.

    Called again (once the settings, and so the secrets, are known) it replaces its own handler
    and leaves any other in place.
    """
    global _handler
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # httpx logs every request URL at INFO; AFAS filter values (names, BSNs) travel in the URL.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, root.level))
    _handler = handler


def is_loopback(host: str) -> bool:
    """Whether `host` is a loopback address or name (only those may run without auth)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The options of `afas-mcp serve`."""
    parser = argparse.ArgumentParser(
        prog="afas-mcp serve",
        description="Serve the AFAS Profit MCP tools over stdio (default) or streamable HTTP.",
    )
    parser.add_argument("--http", action="store_true", help="serve streamable HTTP at /mcp")
    parser.add_argument(
        "--host", help="HTTP bind address (default AFAS_MCP_HTTP_HOST, else 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, help="HTTP port (default AFAS_MCP_HTTP_PORT, else 8000)"
    )
    parser.add_argument(
        "--no-auth",
        action="store_true",
        help="HTTP without a bearer token; refused unless --host is a loopback address",
    )
    parser.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="another Host name clients use to reach this server (DNS-rebinding protection "
        "refuses every name but the bind address otherwise); repeatable",
    )
    parser.add_argument(
        "--log-level",
        default="INFO",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="log level for stderr (INFO)",
    )
    return parser.parse_args(list(argv))


def main(argv: Sequence[str]) -> int:
    """Run `afas-mcp serve`; returns the process exit code."""
    args = parse_args(argv)
    # Imported late: `afas-mcp serve --help` should not pay for the SDK.
    from server.app import BearerAuth, build_http_app, run_stdio, server_for_settings
    from server.config import load_settings

    configure_logging(args.log_level)
    try:
        settings = load_settings()
    except Exception as exc:  # a configuration error: say it plainly, no traceback
        log.error("afas-mcp serve: invalid configuration: %s", exc)
        return 2
    configure_logging(args.log_level, secrets=secret_values(settings))

    if not args.http:
        mcp_server = server_for_settings(settings)
        anyio.run(run_stdio, mcp_server)
        return 0

    host: str = args.host or settings.http_host
    port: int = args.port or settings.http_port
    http_auth = None
    if args.no_auth:
        if not is_loopback(host):
            log.error(
                "afas-mcp serve: --no-auth is refused on %s; it is only for loopback addresses "
                "(127.0.0.1, ::1, localhost). Set AFAS_MCP_HTTP_TOKEN instead.",
                host,
            )
            return 2
        log.warning("serving HTTP without authentication on %s (loopback only)", host)
    else:
        if settings.http_token is None:
            log.error(
                "afas-mcp serve --http needs a bearer token: set AFAS_MCP_HTTP_TOKEN "
                "(or use --no-auth on a loopback address for local tools)"
            )
            return 2
        http_auth = BearerAuth(
            settings.http_token.get_secret_value(),
            resource_url=f"http://{_url_host(host)}:{port}/mcp",
        )

    mcp_server = server_for_settings(settings, http_auth=http_auth)
    app = build_http_app(mcp_server, host=host, port=port, extra_hosts=args.allowed_host)
    import uvicorn

    # log_config=None: uvicorn's loggers propagate to the stderr handler above (its default
    # config would send access lines to stdout).
    config = uvicorn.Config(
        app, host=args.host, port=args.port, log_config=None, log_level=args.log_level.lower()
    )
    log.info("serving MCP over streamable HTTP at http://%s:%d/mcp", _url_host(host), port)
    uvicorn.Server(config).run()
    return 0


def secret_values(settings: Settings) -> list[str]:
    """Every secret the configuration holds, to blank in log lines."""
    # The token as the operator wrote it (XML with line breaks, say) may differ from every
    # normalised form the settings know, so it is blanked as written too.
    written = [os.environ[name] for name in ("AFAS_TOKEN",) if os.environ.get(name)]
    return [*settings.secret_values(), *written]


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
