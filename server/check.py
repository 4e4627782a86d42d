"""`afas-mcp check`: verify the credentials and the pinned environment, then exit.

Loading the configuration checks every section (AFAS, `[mcp]`, `[pipeline]`, `[review]`, the
policy rule file); a problem in any of them fails here with the variable named. Then it prints
the base URL (never the token), the write mode (writes on or off, the database, the review page,
how many approvers, which policy rules; never a secret or a hash), the environment AFAS reports
against the pin (R10), the App Connector, the token expiry where AFAS reports it (R11), the
connectors linked to the token, and which of the product's connectors (docs/connector-package.md)
are missing or lack their key fields (R6). Human output goes to stdout; the reason for a failure
to stderr, on one line.

Exit status: 0 all well; 1 AFAS said something is wrong (credentials, environment, connectors,
unreachable); 2 the configuration is invalid.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import textwrap
from collections.abc import Mapping, Sequence
from typing import TextIO

import httpx

from server.afas import AfasClient, AfasEnvironmentMismatch, AfasError
from server.config import GET_CONNECTORS, UPDATE_CONNECTORS, ConfigError, Settings, load_settings

__all__ = ["main"]


class _Failed(Exception):
    """A check failed; the message is the one-line reason."""


def _parser() -> argparse.ArgumentParser:
    return argparse.ArgumentParser(
        prog="afas-mcp check",
        description="Verify the AFAS credentials, the pinned environment and the connectors "
        "the product needs, then exit (0 when all is well).",
    )


def main(
    argv: Sequence[str],
    *,
    environ: Mapping[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run `afas-mcp check`; return the exit status.

    Args:
        argv: the arguments after `check`.
        environ: the environment to configure from (default `os.environ`).
        transport: an httpx transport, for tests.
        out: where the report goes (default stdout).
        err: where the failure reason goes (default stderr).
    """
    out = out or sys.stdout
    err = err or sys.stderr
    _parser().parse_args(list(argv))
    try:
        settings = load_settings(environ)
    except ConfigError as exc:
        err.write(f"afas-mcp check: FAILED: {exc}\n")
        return 2
    try:
        asyncio.run(_check(settings, out=out, transport=transport))
    except _Failed as exc:
        err.write(f"afas-mcp check: FAILED: {exc}\n")
        return 1
    except AfasError as exc:
        err.write(f"afas-mcp check: FAILED: {exc}\n")
        return 1
    return 0


def _line(out: TextIO, label: str, value: str) -> None:
    out.write(f"{label + ':':<17} {value}\n")


async def _check(
    settings: Settings, *, out: TextIO, transport: httpx.AsyncBaseTransport | None
) -> None:
    afas_settings = settings.afas
    _line(out, "base URL", afas_settings.base_url)
    _line(
        out,
        "pinned",
        f"environment {afas_settings.environment_id} ({afas_settings.environment_type})",
    )
    credential = (
        "classic App Connector token (AfasToken)"
        if afas_settings.credential == "token"
        else f"OAuth client credentials ({afas_settings.oauth_client_id})"
    )
    _line(out, "credential", credential)
    _write_mode(settings, out)
    async with AfasClient(afas_settings, transport=transport) as afas:
        try:
            info = await afas.verify_environment()
        except AfasEnvironmentMismatch as exc:
            raise _Failed(f"environment mismatch: {exc.message}") from None
        meta = await afas.metainfo()
        kind = info.environment_type or "type not reported"
        _line(out, "environment", f"{info.envid} ({kind}): matches the pin")
        if info.app_name or info.group:
            _line(out, "App Connector", " ".join(filter(None, [info.app_name, f"({info.group})"])))
        expiry = info.token_expires
        if expiry is None and afas.oauth_expires_in is not None:
            expiry = f"access token valid for {afas.oauth_expires_in:.0f} s (renewed automatically)"
        _line(out, "token expiry", expiry or "none reported by AFAS")
        get_ids = sorted(ref.id for ref in meta.get_connectors)
        update_ids = sorted(ref.id for ref in meta.update_connectors)
        _line(out, "GetConnectors", f"{len(get_ids)} linked")
        _wrap(out, get_ids)
        _line(out, "UpdateConnectors", f"{len(update_ids)} linked")
        _wrap(out, update_ids)
        problems = await _product_connectors(afas, settings, set(get_ids), set(update_ids), out)
    if problems:
        raise _Failed("; ".join(problems))
    out.write("OK: credentials, environment and connectors check out\n")


def _write_mode(settings: Settings, out: TextIO) -> None:
    """Where writes go and who may approve them; names and counts only, never a secret."""
    review = settings.review
    _line(out, "writes", "on" if settings.writes else "off (write tools absent; AFAS_MCP_WRITES)")
    _line(out, "database", str(settings.database))
    _line(out, "review page", review.base_url)
    approvers = str(len(review.approvers))
    if settings.writes and not review.approvers:
        approvers += " - WARNING: nobody can approve a held write; set AFAS_MCP_REVIEWERS"
    _line(out, "approvers", approvers)
    policies = settings.policies
    rules = "packaged" if policies.file is None else "AFAS_MCP_POLICY_FILE"
    _line(out, "policy rules", f"{policies.source_file} ({rules})")


def _wrap(out: TextIO, names: list[str]) -> None:
    if names:
        text = textwrap.fill(
            ", ".join(names), width=96, initial_indent="  ", subsequent_indent="  "
        )
        out.write(text + "\n")


async def _product_connectors(
    afas: AfasClient,
    settings: Settings,
    get_ids: set[str],
    update_ids: set[str],
    out: TextIO,
) -> list[str]:
    """Report the product's connectors for the enabled toolsets; return what is wrong."""
    enabled = set(settings.toolsets)
    missing: list[str] = []
    broken: list[str] = []
    out.write(f"product connectors (toolsets {', '.join(settings.toolsets)}):\n")
    for spec in GET_CONNECTORS:
        if not enabled & set(spec.toolsets):
            continue
        connector = settings.connector_id(spec.logical)
        status = "ok"
        if connector not in get_ids:
            status = "MISSING: not linked to the App Connector"
            missing.append(connector)
        else:
            try:
                fields = (await afas.get_connector_meta(connector)).types
            except AfasError as exc:
                status = f"ERROR: {exc}"
                broken.append(connector)
            else:
                lacking = [k for k in spec.key if k not in fields]
                if lacking:
                    status = f"DRIFT: key field(s) {', '.join(lacking)} missing (R6)"
                    broken.append(connector)
        out.write(f"  {spec.logical:<17} {connector:<34} {status}\n")
    for update in UPDATE_CONNECTORS:
        if not enabled & set(update.toolsets):
            continue
        present = update.connector in update_ids
        needed = settings.writes
        status = "ok" if present else ("MISSING" if needed else "not linked (writes are off)")
        if not present and needed:
            missing.append(update.connector)
        out.write(f"  {'(write)':<17} {update.connector:<34} {status}\n")
    problems = []
    if missing:
        problems.append(f"{len(missing)} connector(s) not linked: {', '.join(missing)}")
    if broken:
        problems.append(f"{len(broken)} connector(s) unusable: {', '.join(broken)}")
    return problems
