r"""`afas-mcp record`: record chosen calls against your own AFAS test environment as a cassette.

    afas-mcp record --environment-type test --connector AfasMcp_Employees \\
        --filter "EmployeeId = 100001" --take 5 --out cassettes/mine/employee.json
    afas-mcp record --environment-type test --calls calls.toml --allow-writes --out ...

The calls go through the product's own AFAS client (so the cassette holds exactly what afas-mcp
sends and reads), with the normal settings (`AFAS_TOKEN` or OAuth, `AFAS_ENVIRONMENT_ID`, ...).
Before anything is written the recording is scrubbed (`server.cassette_scrub`): no credential,
no environment number and no personal data reaches the file. Production is refused, by the
`--environment-type` given, by the configured type, by the host, and by what AFAS reports;
UpdateConnector calls need `--allow-writes`.

A calls file (TOML) lists reads and writes::

    [[read]]
    connector = "AfasMcp_Employees"
    filter = ["EmployeeId = 100001"]       # FIELD OP VALUE; OP as on connect.afas.nl
    take = 5
    key = ["EmployeeId"]                   # optional for afas-mcp's own connectors

    [[write]]                              # needs --allow-writes
    connector = "KnSubject"
    method = "POST"                        # or PUT
    body = { KnSubject = { Element = { Fields = { StId = 1, Ds = "Note" } } } }
    # or: body_file = "subject.json"       # a JSON file beside this one
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from server import cassette_format
from server.afas import AfasClient, AfasError, Filter, Operator
from server.cassette_capture import CapturingTransport
from server.cassette_scrub import Scrubber
from server.config import GET_CONNECTORS, ConfigError, Settings, load_settings

__all__ = ["main"]

_OPERATOR = re.compile(
    r"^\s*(?P<field>[^\s=<>!*@&\[\]]+)\s*"
    r"(?P<op>>=|<=|!=|!\*|!@|!&|!\[\]|\[\]|=|>|<|\*|@|&)\s*(?P<value>.*?)\s*$"
)
_SALT_VARIABLE = "AFAS_MCP_CASSETTE_SALT"


class Refused(Exception):
    """The recording must not happen; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Read:
    """One GetConnector page to record."""

    connector: str
    filters: tuple[Filter, ...] = ()
    take: int = 5
    key: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Write:
    """One UpdateConnector call to record (only with --allow-writes)."""

    connector: str
    method: str
    body: dict[str, Any] = field(default_factory=dict)


def parse_filter(text: str) -> Filter:
    """`FIELD OP VALUE` with AFAS's operator symbols (`=`, `>=`, `*` contains, `[]` empty...)."""
    match = _OPERATOR.match(text)
    if match is None:
        raise Refused(
            f"cannot read the filter {text!r}; write it as FIELD OP VALUE, e.g. 'City = Utrecht'"
        )
    operator = Operator.parse(match["op"])
    value = match["value"] if operator.takes_value else None
    return Filter(match["field"], operator, value)


def _calls_file(path: Path) -> tuple[list[Read], list[Write]]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise Refused(f"cannot read the calls file {path}: {exc}") from None
    try:
        reads = [
            Read(
                connector=str(item["connector"]),
                filters=tuple(parse_filter(str(f)) for f in item.get("filter", [])),
                take=_take(item.get("take", 5)),
                key=tuple(str(k) for k in item.get("key", [])),
            )
            for item in document.get("read", [])
        ]
        writes = []
        for item in document.get("write", []):
            method = str(item.get("method", "POST")).upper()
            if method not in ("POST", "PUT"):
                raise Refused(
                    f"write to {item.get('connector')}: method must be POST or PUT, not {method}"
                )
            writes.append(Write(str(item["connector"]), method, _body(item, path.parent)))
    except (KeyError, TypeError, ValueError) as exc:
        raise Refused(f"the calls file {path} is not as documented ({exc!r})") from None
    return reads, writes


def _take(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise Refused(f"take must be a number of rows, not {value!r}")
    take = int(value)
    if not 1 <= take <= 998:
        raise Refused(f"take must be between 1 and 998 rows, not {take}")
    return take


def _body(item: dict[str, Any], folder: Path) -> dict[str, Any]:
    """A write's body: `body` inline, or `body_file`, a JSON file beside the calls file."""
    if "body_file" in item:
        try:
            loaded = json.loads((folder / str(item["body_file"])).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise Refused(f"cannot read body_file {item['body_file']}: {exc}") from None
        if not isinstance(loaded, dict):
            raise Refused(f"body_file {item['body_file']} must hold a JSON object")
        return loaded
    return dict(item["body"])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="afas-mcp record",
        description="Record chosen AFAS calls from a test or accept environment into a "
        "scrubbed cassette (no credentials, environment number or personal data).",
    )
    parser.add_argument(
        "--environment-type",
        required=True,
        metavar="test|accept",
        help="the environment recorded; production is refused",
    )
    parser.add_argument("--connector", help="a GetConnector to read one page of")
    parser.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="'FIELD OP VALUE'",
        help="a condition on --connector (repeat: all must hold)",
    )
    parser.add_argument(
        "--take", type=int, default=5, help="rows of --connector to record (default 5)"
    )
    parser.add_argument(
        "--key",
        action="append",
        default=[],
        metavar="FIELD",
        help="the field(s) that identify a row, when afas-mcp does not know the connector",
    )
    parser.add_argument("--calls", type=Path, help="a TOML file of [[read]] and [[write]] calls")
    parser.add_argument(
        "--allow-writes",
        action="store_true",
        help="record the [[write]] calls: they change the environment",
    )
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="the cassette to write, e.g. cassettes/mine/employee.json",
    )
    parser.add_argument(
        "--salt-file",
        type=Path,
        help=f"the secret behind the fakes (created if missing; or set {_SALT_VARIABLE}); "
        "keep it out of the repository",
    )
    parser.add_argument("--force", action="store_true", help="overwrite --out when it exists")
    return parser


def _salt(args: argparse.Namespace) -> tuple[bytes, str]:
    """The salt and a line saying where it came from."""
    if args.salt_file is not None:
        path: Path = args.salt_file
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32) + "\n", encoding="utf-8")
            path.chmod(0o600)
            return path.read_text(encoding="utf-8").strip().encode(), f"new salt in {path}"
        return path.read_text(encoding="utf-8").strip().encode(), f"salt from {path}"
    from_env = os.environ.get(_SALT_VARIABLE, "").strip()
    if from_env:
        return from_env.encode(), f"salt from {_SALT_VARIABLE}"
    note = "a one-off salt (pass --salt-file to give the same records the same fakes next time)"
    return secrets.token_hex(32).encode(), note


def check_not_production(requested: str, settings: Settings) -> str:
    """The environment type to record, after every check that it is not production.

    Raises:
        Refused: production by any sign, or the configuration disagrees with the request.
    """
    wanted = requested.strip().lower()
    if wanted == "production":
        raise Refused("refusing to record against production; record a test or accept environment")
    if wanted not in ("test", "accept"):
        raise Refused(f"--environment-type must be test or accept, not {requested!r}")
    afas = settings.afas
    if afas.environment_type != wanted:
        raise Refused(
            f"AFAS_ENVIRONMENT_TYPE is {afas.environment_type}, but --environment-type {wanted} "
            "was given; they must agree (and production is never recorded)"
        )
    host = (urlsplit(afas.base_url).hostname or "").lower()
    labels = host.split(".")
    if host.endswith(".afas.online") and (len(labels) < 2 or labels[1] == "rest"):
        raise Refused(f"{host} is a production App Connector host; refusing to record")
    if "afasonlineconnector" in host:
        raise Refused(
            f"{host} is the legacy host, which does not tell production from test; "
            "refusing to record"
        )
    return wanted


async def _record(
    settings: Settings, wanted: str, reads: Sequence[Read], writes: Sequence[Write]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Make the calls; return what was captured and the problems met (AFAS errors included)."""
    capture = CapturingTransport()
    problems: list[str] = []
    known_keys = {spec.default: spec.key for spec in GET_CONNECTORS}
    known_keys.update({settings.connectors[spec.logical]: spec.key for spec in GET_CONNECTORS})
    async with AfasClient(settings.afas, transport=capture) as client:
        info = await client.verify_environment()
        if info.environment_type != wanted:
            raise Refused(
                f"AFAS reports environment {info.envid!r} "
                f"({info.environment_type or 'type unknown'}), not a {wanted} environment; "
                "refusing to record"
            )
        for read in reads:
            try:
                meta = await client.get_connector_meta(read.connector)
                key = read.key or known_keys.get(read.connector) or (meta.fields[0].id,)
                await client.fetch_page(
                    read.connector, key=key, filters=list(read.filters), take=read.take
                )
            except AfasError as exc:
                problems.append(f"read {read.connector}: {exc}")
        for write in writes:
            try:
                await client.update_connector_meta(write.connector)
                if write.method == "POST":
                    await client.insert(write.connector, write.body)
                else:
                    await client.update(write.connector, write.body)
            except AfasError as exc:
                problems.append(f"{write.method} {write.connector}: {exc}")
    return capture.interactions, problems


def _leaks(text: str, settings: Settings) -> list[str]:
    """What must never be in a cassette, checked on the final bytes as a last guard."""
    found = [
        f"a credential ({len(s)} characters)"
        for s in settings.secret_values()
        if len(s) >= 8 and s in text
    ]
    if re.search(rf"(?<!\d){re.escape(settings.afas.environment_id)}(?!\d)", text):
        found.append(f"the environment number {settings.afas.environment_id}")
    return found


def run(args: argparse.Namespace) -> int:
    """Record, scrub and write; the exit code of the command."""
    settings = load_settings()
    wanted = check_not_production(args.environment_type, settings)
    reads: list[Read] = []
    writes: list[Write] = []
    if args.connector:
        filters = tuple(parse_filter(text) for text in args.filter)
        keys = tuple(k for item in args.key for k in item.split(",") if k)
        reads.append(Read(args.connector, filters, _take(args.take), keys))
    elif args.filter or args.key:
        raise Refused("--filter and --key go with --connector")
    if args.calls is not None:
        more_reads, writes = _calls_file(args.calls)
        reads += more_reads
    if not reads and not writes:
        raise Refused("nothing to record: give --connector or --calls")
    if writes and not args.allow_writes:
        raise Refused(
            f"{len(writes)} write call(s) in {args.calls}, which change the environment; "
            "pass --allow-writes to record them"
        )
    out: Path = args.out
    if out.exists() and not args.force:
        raise Refused(f"{out} exists; pass --force to overwrite it")
    salt, salt_note = _salt(args)
    captured, problems = asyncio.run(_record(settings, wanted, reads, writes))
    scrubber = Scrubber(
        salt=salt,
        environment_id=settings.afas.environment_id,
        secrets=settings.secret_values(),
        personal=True,
    )
    scrubber.learn(captured)
    interactions = [s for item in captured if (s := scrubber.interaction(item)) is not None]
    kept = sorted(f"{connector}.{name}" for connector, name in scrubber.kept)
    metadata = {
        "recorded_by": "afas-mcp record",
        "recorded_on": date.today().isoformat(),  # noqa: DTZ011  # a day, for people, not logic
        "environment": {"id": scrubber.fake_environment_id, "type": wanted},
        "scrubbed": {"salt_fingerprint": scrubber.faker.fingerprint(), "kept_as_recorded": kept},
    }
    text = cassette_format.CassetteSerializer.serialize(
        {"interactions": interactions, "metadata": metadata}
    )
    leaks = _leaks(text, settings)
    if leaks:
        raise Refused(
            f"the scrubbed cassette still holds {', '.join(leaks)}; nothing was written "
            "(please report this)"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    lines = [
        f"wrote {len(interactions)} call(s) to {out} (environment shown as "
        f"{scrubber.fake_environment_id}; {salt_note})"
    ]
    if kept:
        lines.append("review these text fields, kept as recorded: " + ", ".join(kept))
    lines += [f"problem: {p}" for p in problems]
    sys.stderr.write("\n".join(lines) + "\n")
    return 1 if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `afas-mcp record`."""
    args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        return run(args)
    except (Refused, ConfigError) as exc:
        sys.stderr.write(f"afas-mcp record: {exc}\n")
        return 2
    except AfasError as exc:
        sys.stderr.write(f"afas-mcp record: AFAS refused the recording: {exc}\n")
        return 1
