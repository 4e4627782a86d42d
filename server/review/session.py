"""Login sessions for the review page: a signed cookie, its CSRF token, and a login throttle.

The cookie holds `{user, csrf, expiry, flash}` as base64url JSON plus an HMAC-SHA256 over it with
the session secret; the server keeps no session table, so a restart with the same secret keeps
people signed in, and a new secret signs everyone out. Every form carries the session's CSRF
token and every POST compares it in constant time; the cookie itself is `HttpOnly`,
`SameSite=Strict` and scoped to `/review`, so no other site's page can send it along.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

COOKIE = "afas_review_session"
COOKIE_PATH = "/review"
ANONYMOUS_TTL = 3600.0  # seconds a login form stays usable
_MAX_FLASH = 600


@dataclass(frozen=True)
class Session:
    """Who is signed in (None: nobody yet), their CSRF token, when it ends, one message."""

    user: str | None
    csrf: str
    expires: float
    flash: tuple[str, str] | None = None  # (level, message), shown once on the next page

    def with_flash(self, level: str, message: str) -> Session:
        """This session carrying one message for the next page."""
        text = message if len(message) <= _MAX_FLASH else message[: _MAX_FLASH - 1] + "…"
        return replace(self, flash=(level, text))

    def without_flash(self) -> Session:
        """This session with its message consumed."""
        return replace(self, flash=None)

    def csrf_matches(self, token: str | None) -> bool:
        """Whether a form's token is this session's (constant-time)."""
        return token is not None and hmac.compare_digest(token.encode(), self.csrf.encode())


class SessionCodec:
    """Signs sessions into cookie values and verifies them back.

    Args:
        secret: the signing key (`AFAS_MCP_REVIEW_SECRET`, or a random one per process).
        clock: seconds since the epoch; tests move it.
    """

    def __init__(self, secret: str, *, clock: Callable[[], float] = time.time) -> None:
        # Derived, so the configured secret itself is never the HMAC key of anything else too.
        self._key = hashlib.sha256(b"afas-mcp review session\x00" + secret.encode()).digest()
        self.clock = clock

    def anonymous(self) -> Session:
        """A fresh session for someone not signed in: only a CSRF token for the login form."""
        return Session(user=None, csrf=_token(), expires=self.clock() + ANONYMOUS_TTL)

    def signed_in(self, user: str, *, ttl: float) -> Session:
        """A new session for `user`, with a new CSRF token (the anonymous one is dropped)."""
        return Session(user=user, csrf=_token(), expires=self.clock() + ttl)

    def encode(self, session: Session) -> str:
        """The cookie value for `session`."""
        payload = {"u": session.user, "c": session.csrf, "x": session.expires, "f": session.flash}
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        return f"{body}.{self._sign(body)}"

    def decode(self, value: str | None) -> Session | None:
        """The session in a cookie value, or None when absent, tampered with or expired."""
        if not value or value.count(".") != 1:
            return None
        body, signature = value.split(".")
        if not hmac.compare_digest(signature.encode(), self._sign(body).encode()):
            return None
        try:
            data = json.loads(_unb64(body))
            flash = data.get("f")
            session = Session(
                user=data["u"] if isinstance(data["u"], str) else None,
                csrf=str(data["c"]),
                expires=float(data["x"]),
                flash=(str(flash[0]), str(flash[1])) if flash else None,
            )
        except (ValueError, KeyError, TypeError, IndexError, binascii.Error):
            return None
        return session if session.expires > self.clock() else None

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self._key, body.encode(), hashlib.sha256).digest())


class LoginThrottle:
    """At most `limit` failed logins per name within `window` seconds, then a pause.

    In memory: it slows guessing on one server process, which is what serves the page.
    """

    def __init__(
        self, *, limit: int = 5, window: float = 900.0, clock: Callable[[], float] = time.time
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._failures: dict[str, list[float]] = {}

    def blocked(self, name: str) -> bool:
        """Whether logins as `name` are paused now."""
        return len(self._recent(name)) >= self.limit

    def failed(self, name: str) -> None:
        """Count one failed login as `name`."""
        self._failures[name.casefold()] = [*self._recent(name), self.clock()]
        if len(self._failures) > 10_000:  # bounded: junk names must not grow memory forever
            self._failures.clear()

    def succeeded(self, name: str) -> None:
        """Forget the failures of `name`."""
        self._failures.pop(name.casefold(), None)

    def _recent(self, name: str) -> list[float]:
        since = self.clock() - self.window
        return [t for t in self._failures.get(name.casefold(), []) if t > since]


def _token() -> str:
    return secrets.token_urlsafe(32)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
