"""Settings of the approvers' surfaces: who may approve, the session key, where the page lives.

Belongs in `server.config` once that module has a home for it; until then it reads the same
sources the same way: environment variables win over the `[review]` table of the TOML file named
by `AFAS_MCP_CONFIG`, and every problem is reported at once by a `ConfigError` naming its variable.

    [review]
    url = "http://127.0.0.1:8766/review"  # [AFAS_MCP_REVIEW_URL] base of the links agents get
    host = "127.0.0.1"          # [AFAS_MCP_REVIEW_HOST] bind address of `review serve`
    port = 8766                 # [AFAS_MCP_REVIEW_PORT]
    allow_remote = false        # [AFAS_MCP_REVIEW_ALLOW_REMOTE] bind beyond loopback (use HTTPS)
    secret = "…"                # [AFAS_MCP_REVIEW_SECRET] signs session cookies; >= 32 chars;
                                #   unset: a random key per process (a restart signs everyone out)
    ttl_hours = 72              # [AFAS_MCP_REVIEW_TTL_HOURS] a held write expires after this
    session_hours = 8           # [AFAS_MCP_REVIEW_SESSION_HOURS] a login lasts this long

    [review.approvers]          # [AFAS_MCP_REVIEWERS] "name=hash,name=hash"
    "hr:alice" = "scrypt$15$8$1$…"   # from `afas-mcp review hash-secret`

Only approvers listed here can approve, reject or resolve, on the web page and in the CLI, and
each proves who they are with their secret; the configuration holds only the secret's hash.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from server.config import ConfigError
from server.review.passwords import BadSecretHash, check_hash_format
from server.store import database_path

DEFAULT_URL = "http://127.0.0.1:8766/review"
DEFAULT_PORT = 8766
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@:+-]{0,63}")
_ENV = {
    "approvers": "AFAS_MCP_REVIEWERS",
    "secret": "AFAS_MCP_REVIEW_SECRET",
    "url": "AFAS_MCP_REVIEW_URL",
    "host": "AFAS_MCP_REVIEW_HOST",
    "port": "AFAS_MCP_REVIEW_PORT",
    "allow_remote": "AFAS_MCP_REVIEW_ALLOW_REMOTE",
    "ttl_hours": "AFAS_MCP_REVIEW_TTL_HOURS",
    "session_hours": "AFAS_MCP_REVIEW_SESSION_HOURS",
}


@dataclass(frozen=True)
class Approver:
    """A person who may decide on held writes, and the hash of the secret that proves it."""

    name: str
    secret_hash: str = field(repr=False)


@dataclass(frozen=True)
class ReviewSettings:
    """Everything the review CLI and web page are configured with."""

    approvers: tuple[Approver, ...] = ()
    session_secret: str | None = field(default=None, repr=False)
    base_url: str = DEFAULT_URL
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    allow_remote: bool = False
    approval_ttl: timedelta = timedelta(hours=72)
    session_ttl: timedelta = timedelta(hours=8)
    database: Path = field(default_factory=lambda: database_path(environ={}))

    def approver(self, name: str) -> Approver | None:
        """The configured approver called `name` (ignoring case, as the store does), or None."""
        wanted = name.strip().casefold()
        return next((a for a in self.approvers if a.name.casefold() == wanted), None)

    @property
    def secure_cookies(self) -> bool:
        """Whether the page is reached over HTTPS, so cookies get the `Secure` flag."""
        return self.base_url.startswith("https://")


def review_url(write_id: str, *, base_url: str | None = None) -> str:
    """The page where a person decides on one write; write tools put it in their results."""
    base = base_url if base_url is not None else review_base_url()
    return f"{base.rstrip('/')}/writes/{quote(write_id, safe='')}"


def review_base_url(environ: Mapping[str, str] | None = None) -> str:
    """The configured base URL of the review page (`AFAS_MCP_REVIEW_URL`, `[review].url`)."""
    env = os.environ if environ is None else environ
    problems: list[str] = []
    path, doc = _read_file(env)
    values = _merge(env, path, _table(doc, "review", path, problems), problems)
    url = _base_url(values, problems)
    if problems:
        raise ConfigError(problems)
    return url


def load_review_settings(environ: Mapping[str, str] | None = None) -> ReviewSettings:
    """Read the review settings from `environ` (default `os.environ`) and the TOML file.

    Raises:
        ConfigError: every problem at once, each naming its variable (and file key).
    """
    env = os.environ if environ is None else environ
    problems: list[str] = []
    path, doc = _read_file(env)
    values = _merge(env, path, _table(doc, "review", path, problems), problems)
    allow_remote = _bool(values, "allow_remote", problems)
    settings = ReviewSettings(
        approvers=_approvers(values.get("approvers"), problems),
        session_secret=_secret(values, problems),
        base_url=_base_url(values, problems),
        host=_host(values, allow_remote, problems),
        port=_int(values, "port", DEFAULT_PORT, 1, 65535, problems),
        allow_remote=allow_remote,
        approval_ttl=timedelta(hours=_int(values, "ttl_hours", 72, 1, 24 * 90, problems)),
        session_ttl=timedelta(hours=_int(values, "session_hours", 8, 1, 24 * 7, problems)),
        database=_database(env, path, doc),
    )
    if problems:
        raise ConfigError(problems)
    return settings


def check_bind(host: str, *, allow_remote: bool, origin: str = _ENV["host"]) -> str | None:
    """Why `host` may not be bound (None when it may): only loopback unless explicitly allowed."""
    if _is_loopback(host) or allow_remote:
        return None
    return (
        f"{origin}: {host} is not a loopback address; the review page authorises payroll "
        f"writes, so it binds to 127.0.0.1 unless {_ENV['allow_remote']}=true (then serve it "
        "behind HTTPS)"
    )


# --- reading ------------------------------------------------------------------------------------


def _read_file(env: Mapping[str, str]) -> tuple[Path | None, dict[str, Any]]:
    name = env.get("AFAS_MCP_CONFIG", "").strip()
    if not name:
        return None, {}
    path = Path(name).expanduser()
    try:
        with path.open("rb") as handle:
            return path, tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError([f"AFAS_MCP_CONFIG: file {path} does not exist"]) from None
    except OSError as exc:
        raise ConfigError([f"AFAS_MCP_CONFIG: cannot read {path} ({exc.strerror})"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"AFAS_MCP_CONFIG: {path} is not valid TOML ({exc})"]) from None


def _table(doc: Mapping[str, Any], name: str, path: Path | None, problems: list[str]) -> Any:
    value = doc.get(name, {})
    if not isinstance(value, dict):
        problems.append(f"TOML key {name} in {path}: must be a table ([{name}])")
        return {}
    return value


def _merge(
    env: Mapping[str, str], path: Path | None, table: dict[str, Any], problems: list[str]
) -> dict[str, Any]:
    """The values by setting name; an environment variable wins over the file."""
    for key in sorted(set(table) - set(_ENV)):
        problems.append(
            f"TOML key review.{key} in {path}: unknown setting; known: {', '.join(sorted(_ENV))}"
        )
    values = {key: table[key] for key in _ENV if key in table}
    for key, var in _ENV.items():
        raw = env.get(var)
        if raw is not None and raw.strip():
            values[key] = raw.strip()
    return values


def _approvers(raw: object, problems: list[str]) -> tuple[Approver, ...]:
    var = _ENV["approvers"]
    if raw is None:
        return ()
    pairs: list[tuple[str, object]]
    if isinstance(raw, str):
        pairs = [
            (name.strip(), value.strip())
            for entry in raw.split(",")
            if entry.strip()
            for name, _, value in [entry.partition("=")]
        ]
    elif isinstance(raw, dict):
        pairs = list(raw.items())
    else:
        problems.append(f"{var}: must be a table [review.approvers] of name = hash")
        return ()
    found: dict[str, Approver] = {}
    for name, value in pairs:
        if not _NAME.fullmatch(name):
            problems.append(
                f"{var}: approver name {name!r} must be 1-64 letters, digits or ._@:+- "
                "(e.g. hr:alice)"
            )
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(
                f"{var}: approver {name} has no secret hash; make one with "
                "`afas-mcp review hash-secret` and write it as name=hash"
            )
            continue
        try:
            check_hash_format(value)
        except BadSecretHash as exc:
            problems.append(f"{var}: approver {name}: {exc}")
            continue
        if name.casefold() in found:
            problems.append(f"{var}: approver {name} is listed twice (names ignore case)")
            continue
        found[name.casefold()] = Approver(name=name, secret_hash=value.strip())
    return tuple(found.values())


def _secret(values: Mapping[str, Any], problems: list[str]) -> str | None:
    raw = values.get("secret")
    if raw is None:
        return None
    if not isinstance(raw, str) or len(raw.strip()) < 32:
        problems.append(
            f"{_ENV['secret']}: must be at least 32 characters (e.g. `python -c "
            "'import secrets; print(secrets.token_urlsafe(32))'`); it signs the login sessions"
        )
        return None
    return raw.strip()


def _base_url(values: Mapping[str, Any], problems: list[str]) -> str:
    raw = values.get("url", DEFAULT_URL)
    var = _ENV["url"]
    parts = urlsplit(str(raw).strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        problems.append(f"{var}: must be an http(s) URL, e.g. {DEFAULT_URL}")
        return DEFAULT_URL
    if parts.username or parts.password or parts.query or parts.fragment:
        problems.append(f"{var}: must not hold credentials, a query or a fragment")
        return DEFAULT_URL
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        problems.append(
            f"{var}: must use https unless it is on 127.0.0.1/localhost: the page carries logins"
        )
    return str(raw).strip().rstrip("/")


def _host(values: Mapping[str, Any], allow_remote: bool, problems: list[str]) -> str:
    host = str(values.get("host", "127.0.0.1")).strip()
    refusal = check_bind(host, allow_remote=allow_remote)
    if refusal:
        problems.append(refusal)
    return host


def _bool(values: Mapping[str, Any], key: str, problems: list[str]) -> bool:
    raw = values.get(key, False)
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"true", "1", "yes"}:
        return True
    if text in {"false", "0", "no", ""}:
        return False
    problems.append(f"{_ENV[key]}: must be true or false")
    return False


def _int(
    values: Mapping[str, Any], key: str, default: int, low: int, high: int, problems: list[str]
) -> int:
    raw = values.get(key, default)
    try:
        number = int(str(raw).strip()) if not isinstance(raw, bool) else None
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        problems.append(f"{_ENV[key]}: must be a whole number from {low} to {high}")
        return default
    return number


def _database(env: Mapping[str, str], path: Path | None, doc: Mapping[str, Any]) -> Path:
    """The store's file, found as `server.config` finds it: env, then `[mcp].database`."""
    if env.get("AFAS_MCP_DATABASE", "").strip():
        return database_path(environ=env)
    mcp = doc.get("mcp", {})
    configured = mcp.get("database") if isinstance(mcp, dict) else None
    if isinstance(configured, str) and configured.strip():
        file = Path(configured).expanduser()
        return file if file.is_absolute() or path is None else path.parent / file
    return database_path(environ=env)


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
