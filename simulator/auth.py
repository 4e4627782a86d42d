"""Tokens and App Connectors: classic AfasTokens, OAuth client credentials and Bearer tokens.

Everything is derived from the seed, so a test (or a person at the CLI) gets the same
credentials every run. Two App Connectors exist: `full` (every connector) and `restricted`
(no payroll or finance connectors, to exercise 403).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Literal

from simulator.catalogue import GET_CONNECTORS, UPDATE_CONNECTORS_BY_ID

_TOKEN_XML = re.compile(
    r"^\s*<token><version>1</version><data>([0-9A-Fa-f]{64})</data></token>\s*$"
)
_HEX = re.compile(r"^\s*([0-9A-Fa-f]{64})\s*$")

# What the restricted App Connector lacks: payroll, fiscal and finance data and all writes but
# dossier items.
RESTRICTED_GET_EXCLUDED = frozenset(
    {
        "AfasMcp_EmployeeFiscal",
        "AfasMcp_Salaries",
        "AfasMcp_PayrollPeriods",
        "Profit_Transactions",
        "Profit_Accounts",
        "Profit_periods_per_administration",
    }
)
RESTRICTED_UPDATES = frozenset({"KnSubject"})


@dataclass(frozen=True)
class AppConnector:
    """An App Connector: the connectors its tokens may call, and how metainfo names it."""

    name: str
    group: str
    get_connectors: frozenset[str]
    update_connectors: frozenset[str]


@dataclass
class Credential:
    """One classic token or OAuth client, bound to an App Connector."""

    label: str
    app: AppConnector
    token_hex: str
    client_id: str
    client_secret: str
    revoked: bool = False

    @property
    def token_xml(self) -> str:
        return f"<token><version>1</version><data>{self.token_hex}</data></token>"


@dataclass(frozen=True)
class AuthOutcome:
    """What the Authorization header amounts to.

    `status` is 200 (authenticated), 401 or 500 (a plain-text token, as AFAS answers it since
    end-2025). `hex_only` marks a token sent as Base64 of only its data part (quirk W6).
    """

    status: Literal[200, 401, 500]
    credential: Credential | None = None
    hex_only: bool = False
    challenge: str | None = None  # WWW-Authenticate for a failed Bearer token


@dataclass
class _Bearer:
    credential: Credential
    expires_at: float


@dataclass
class Credentials:
    """The token table of one simulated installation."""

    seed: int
    environment_name: str
    by_label: dict[str, Credential] = field(default_factory=dict)
    _bearers: dict[str, _Bearer] = field(default_factory=dict)
    _issued: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        every_get = frozenset(GET_CONNECTORS)
        every_update = frozenset(UPDATE_CONNECTORS_BY_ID)
        user = f"{self.environment_name[1:6]}.AFASMCP"
        apps = {
            "full": AppConnector(
                "afas-mcp", f"afas-mcp integratie ({user})", every_get, every_update
            ),
            "restricted": AppConnector(
                "afas-mcp beperkt",
                f"afas-mcp alleen-lezen ({user})",
                every_get - RESTRICTED_GET_EXCLUDED,
                RESTRICTED_UPDATES,
            ),
        }
        for label, app in apps.items():
            self.by_label[label] = Credential(
                label,
                app,
                token_hex=self._derive(label, "token").upper(),
                client_id=f"afas-mcp-{label}-{self._derive(label, 'client')[:8]}",
                client_secret=self._derive(label, "secret"),
            )

    def _derive(self, label: str, purpose: str) -> str:
        return hashlib.sha256(f"afas-sim:{self.seed}:{label}:{purpose}".encode()).hexdigest()

    def reset(self) -> None:
        with self._lock:
            for credential in self.by_label.values():
                credential.revoked = False
            self._bearers.clear()

    def revoke(self, label: str) -> None:
        """Revoke a token and its OAuth client: from now on every call with it answers 401."""
        self.by_label[label].revoked = True

    # -- classic tokens ------------------------------------------------------------------

    def authenticate(
        self, header: str | None, *, plain_token_500: bool, hex_only_accepted: bool
    ) -> AuthOutcome:
        """Check an Authorization header (`AfasToken <base64>` or `Bearer <token>`)."""
        if not header or " " not in header.strip():
            return AuthOutcome(401)
        scheme, value = header.strip().split(" ", 1)
        if scheme.lower() == "bearer":
            return self._bearer(value.strip())
        if scheme.lower() != "afastoken":
            return AuthOutcome(401)
        value = value.strip()
        if _TOKEN_XML.match(value):
            # The XML itself, not Base64 of it.
            return AuthOutcome(500 if plain_token_500 else 401)
        try:
            decoded = base64.b64decode(value, validate=True).decode("ascii")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return AuthOutcome(401)
        match = _TOKEN_XML.match(decoded)
        if match:
            return self._known(match.group(1), hex_only=False)
        match = _HEX.match(decoded)
        if match and hex_only_accepted:
            return self._known(match.group(1), hex_only=True)
        return AuthOutcome(401)

    def _known(self, token_hex: str, *, hex_only: bool) -> AuthOutcome:
        for credential in self.by_label.values():
            if credential.token_hex == token_hex.upper() and not credential.revoked:
                return AuthOutcome(200, credential, hex_only=hex_only)
        return AuthOutcome(401)

    # -- OAuth -----------------------------------------------------------------------------

    def issue_bearer(self, client_id: str, client_secret: str, lifetime: float) -> str | None:
        """An access token for valid client credentials, or None."""
        for credential in self.by_label.values():
            if (
                credential.client_id == client_id
                and credential.client_secret == client_secret
                and not credential.revoked
            ):
                with self._lock:
                    self._issued += 1
                    token = self._derive(credential.label, f"bearer:{self._issued}")
                    self._bearers[token] = _Bearer(credential, time.monotonic() + lifetime)
                return token
        return None

    def _bearer(self, token: str) -> AuthOutcome:
        with self._lock:
            bearer = self._bearers.get(token)
        if bearer is None or bearer.expires_at <= time.monotonic() or bearer.credential.revoked:
            return AuthOutcome(401, challenge='Bearer error="invalid_token"')
        return AuthOutcome(200, bearer.credential)


def header_value(token_xml: str) -> str:
    """The Authorization header value for a classic token: `AfasToken <base64 of the XML>`."""
    return "AfasToken " + base64.b64encode(token_xml.encode("ascii")).decode("ascii")
