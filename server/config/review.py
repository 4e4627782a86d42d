"""The approvers' surfaces: who may approve, the session key, where the page lives (`[review]`).

    [review]
    url = "http://127.0.0.1:8766/review"  # [AFAS_MCP_REVIEW_URL] the page; links agents get
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
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

from server.config.paths import default_database
from server.config.source import Source, Var
from server.review.passwords import BadSecretHash, check_hash_format

__all__ = [
    "DEFAULT_REVIEW_URL",
    "REVIEW_VARS",
    "Approver",
    "ReviewSettings",
    "check_bind",
    "is_loopback",
    "parse_review",
    "write_page",
]

DEFAULT_REVIEW_URL = "http://127.0.0.1:8766/review"
DEFAULT_PORT = 8766
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@:+-]{0,63}")

_APPROVERS = Var("AFAS_MCP_REVIEWERS", "review", "approvers")
_SECRET = Var("AFAS_MCP_REVIEW_SECRET", "review", "secret")
_URL = Var("AFAS_MCP_REVIEW_URL", "review", "url")
_HOST = Var("AFAS_MCP_REVIEW_HOST", "review", "host")
_PORT = Var("AFAS_MCP_REVIEW_PORT", "review", "port")
_ALLOW_REMOTE = Var("AFAS_MCP_REVIEW_ALLOW_REMOTE", "review", "allow_remote")
_TTL = Var("AFAS_MCP_REVIEW_TTL_HOURS", "review", "ttl_hours")
_SESSION = Var("AFAS_MCP_REVIEW_SESSION_HOURS", "review", "session_hours")
REVIEW_VARS = (_APPROVERS, _SECRET, _URL, _HOST, _PORT, _ALLOW_REMOTE, _TTL, _SESSION)


@dataclass(frozen=True)
class Approver:
    """A person who may decide on held writes, and the hash of the secret that proves it."""

    name: str
    secret_hash: str = field(repr=False)


@dataclass(frozen=True)
class ReviewSettings:
    """The review CLI and web page's settings (`settings.review`).

    `database` is the store's file, `Settings.database`: the surfaces read the queue from it.
    """

    approvers: tuple[Approver, ...] = ()
    session_secret: str | None = field(default=None, repr=False)
    base_url: str = DEFAULT_REVIEW_URL
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    allow_remote: bool = False
    approval_ttl: timedelta = timedelta(hours=72)
    session_ttl: timedelta = timedelta(hours=8)
    database: Path = field(default_factory=lambda: default_database({}))

    def approver(self, name: str) -> Approver | None:
        """The configured approver called `name` (ignoring case, as the store does), or None."""
        wanted = name.strip().casefold()
        return next((a for a in self.approvers if a.name.casefold() == wanted), None)

    def write_url(self, write_id: str) -> str:
        """The page where a person decides on one write; write tools put it in their results."""
        return write_page(self.base_url, write_id)

    @property
    def secure_cookies(self) -> bool:
        """Whether the page is reached over HTTPS, so cookies get the `Secure` flag."""
        return self.base_url.startswith("https://")


def parse_review(source: Source, *, database: Path) -> ReviewSettings:
    """The `[review]` section; problems go to `source`, defaults stand in for bad values."""
    raw = source.values("review", REVIEW_VARS)
    approvers = _approvers(source, raw.get(_APPROVERS.key))
    secret = _secret(source, raw.get(_SECRET.key))
    base_url = _base_url(source, raw.get(_URL.key))
    allow_remote = source.flag(_ALLOW_REMOTE, raw.get(_ALLOW_REMOTE.key))
    host = _host(source, raw.get(_HOST.key), allow_remote)
    port = source.whole_number(_PORT, raw.get(_PORT.key), default=DEFAULT_PORT, low=1, high=65535)
    ttl = source.whole_number(_TTL, raw.get(_TTL.key), default=72, low=1, high=24 * 90)
    session = source.whole_number(_SESSION, raw.get(_SESSION.key), default=8, low=1, high=24 * 7)
    return ReviewSettings(
        approvers=approvers,
        session_secret=secret,
        base_url=base_url,
        host=host,
        port=port,
        allow_remote=allow_remote,
        approval_ttl=timedelta(hours=ttl),
        session_ttl=timedelta(hours=session),
        database=database,
    )


def write_page(base_url: str, write_id: str) -> str:
    """The review page of one write under the page's base URL."""
    return f"{base_url.rstrip('/')}/writes/{quote(write_id, safe='')}"


def check_bind(host: str, *, allow_remote: bool, origin: str = _HOST.env) -> str | None:
    """Why `host` may not be bound (None when it may): only loopback unless explicitly allowed."""
    if is_loopback(host) or allow_remote:
        return None
    return (
        f"{origin}: {host} is not a loopback address; the review page authorises payroll "
        f"writes, so it binds to 127.0.0.1 unless {_ALLOW_REMOTE.env}=true (then serve it "
        "behind HTTPS)"
    )


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine only (localhost, 127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _approvers(source: Source, raw: object) -> tuple[Approver, ...]:
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
        pairs = [(str(name), value) for name, value in raw.items()]
    else:
        source.problem(_APPROVERS, "must be a table [review.approvers] of name = hash")
        return ()
    found: dict[str, Approver] = {}
    for name, value in pairs:
        if not _NAME.fullmatch(name):
            source.problem(
                _APPROVERS,
                f"approver name {name!r} must be 1-64 letters, digits or ._@:+- (e.g. hr:alice)",
            )
        elif not isinstance(value, str) or not value.strip():
            source.problem(
                _APPROVERS,
                f"approver {name} has no secret hash; make one with "
                "`afas-mcp review hash-secret` and write it as name=hash",
            )
        elif name.casefold() in found:
            source.problem(_APPROVERS, f"approver {name} is listed twice (names ignore case)")
        else:
            try:
                check_hash_format(value)
            except BadSecretHash as exc:
                source.problem(_APPROVERS, f"approver {name}: {exc}")
                continue
            found[name.casefold()] = Approver(name=name, secret_hash=value.strip())
    return tuple(found.values())


def _secret(source: Source, raw: object) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str) or len(raw.strip()) < 32:
        source.problem(
            _SECRET,
            "must be at least 32 characters (e.g. `python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))'`); it signs the login sessions",
        )
        return None
    return raw.strip()


def _base_url(source: Source, raw: object) -> str:
    if raw is None:
        return DEFAULT_REVIEW_URL
    text = str(raw).strip()
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        source.problem(_URL, f"must be an http(s) URL, e.g. {DEFAULT_REVIEW_URL}")
        return DEFAULT_REVIEW_URL
    if parts.username or parts.password or parts.query or parts.fragment:
        source.problem(_URL, "must not hold credentials, a query or a fragment")
        return DEFAULT_REVIEW_URL
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        source.problem(
            _URL, "must use https unless it is on 127.0.0.1/localhost: the page carries logins"
        )
    return text.rstrip("/")


def _host(source: Source, raw: object, allow_remote: bool) -> str:
    host = "127.0.0.1" if raw is None else str(raw).strip()
    refusal = check_bind(host, allow_remote=allow_remote, origin=source.name_of("review", "host"))
    if refusal:
        source.problems.append(refusal)
    return host
