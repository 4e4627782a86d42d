"""`Settings`: everything the product is configured with, in one frozen object of typed sections."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr, field_validator

from server.config.afas import AfasSettings
from server.config.paths import DATABASE
from server.config.pipeline import PipelineSettings
from server.config.review import ReviewSettings
from server.config.rules import PolicySettings
from server.config.source import Var

__all__ = ["MCP_VARS", "READ_TOOLSETS", "Settings"]

READ_TOOLSETS = ("hr", "payroll", "finance", "crm", "projects", "connectors")

MCP_VARS = (
    Var("AFAS_MCP_WRITES", "mcp", "writes"),
    DATABASE,
    *(
        Var(f"AFAS_MCP_{key.upper()}", "mcp", key)
        for key in ("toolsets", "http_token", "http_host", "http_port")
    ),
)


class Settings(BaseModel):
    """Everything the product is configured with.

    `afas` is how to reach AFAS; `pipeline`, `review` and `policies` are the write side's
    sections; the rest is the `[mcp]` table. `tables` keeps the file's other top-level tables,
    unchecked, for a part that owns one.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    afas: AfasSettings
    writes: bool = False
    database: Path
    toolsets: tuple[str, ...] = READ_TOOLSETS
    http_token: SecretStr | None = None
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    connectors: dict[str, str]
    pipeline: PipelineSettings = PipelineSettings()
    review: ReviewSettings = ReviewSettings()
    policies: PolicySettings = PolicySettings()
    config_file: Path | None = None
    tables: dict[str, Any] = {}

    @field_validator("toolsets", mode="before")
    @classmethod
    def _toolsets(cls, value: object) -> object:
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            raise ValueError("must be a comma-separated list of toolsets")
        names = [str(item).strip().lower() for item in items if str(item).strip()]
        if names == ["all"]:
            return READ_TOOLSETS
        unknown = sorted(set(names) - set(READ_TOOLSETS))
        if unknown or not names:
            raise ValueError(
                f"unknown toolset(s) {', '.join(unknown) or '(none given)'}; "
                f"choose from {', '.join(READ_TOOLSETS)} (or all)"
            )
        return tuple(dict.fromkeys(names))

    @field_validator("http_token", mode="before")
    @classmethod
    def _http_token(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        raw = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        if len(raw.strip()) < 32:
            raise ValueError("must be at least 32 characters: a short bearer token is guessable")
        return SecretStr(raw.strip())

    @field_validator("http_port")
    @classmethod
    def _port(cls, value: int) -> int:
        if not 1 <= value <= 65535:
            raise ValueError("must be a TCP port between 1 and 65535")
        return value

    def secret_values(self) -> tuple[str, ...]:
        """Every secret in every form it could appear in a log line, for redaction filters."""
        found: list[str] = []
        token = self.afas.token
        if token is not None:
            header = token.get_secret_value()
            encoded = header.removeprefix("AfasToken ")
            xml = base64.b64decode(encoded).decode("ascii")
            data = xml.partition("<data>")[2].partition("</data>")[0]
            found += [header, encoded, xml, data]
        for secret in (self.afas.oauth_client_secret, self.http_token):
            if secret is not None:
                found.append(secret.get_secret_value())
        if self.review.session_secret:
            found.append(self.review.session_secret)
        return tuple(value for value in found if value)

    def http_token_value(self) -> str | None:
        """The HTTP transport's bearer token in clear, for the one place that compares it."""
        return self.http_token.get_secret_value() if self.http_token else None

    def connector_id(self, logical: str) -> str:
        """The connector id for a logical name (`employees` → `AfasMcp_Employees`)."""
        try:
            return self.connectors[logical]
        except KeyError:
            known = ", ".join(sorted(self.connectors))
            raise KeyError(f"no connector named {logical!r}; known: {known}") from None
