"""How to reach one AFAS environment: the `AFAS_*` variables and the `[afas]` table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, SecretStr, field_validator, model_validator

from server.afas._token import TokenFormatError, token_header
from server.config.source import Var

__all__ = ["AFAS_VARS", "LANGUAGES", "AfasSettings", "check_url"]

LANGUAGES = ("en-us", "nl-nl", "nl-be", "fr-fr", "de-de")
_HOSTS = {"production": "rest", "test": "resttest", "accept": "restaccept"}
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


class AfasSettings(BaseModel):
    """How to reach one AFAS environment (the `AFAS_*` variables, `[afas]` in the file)."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    environment_id: str
    environment_type: Literal["production", "test", "accept"]
    token: SecretStr | None = None
    oauth_client_id: str | None = None
    oauth_client_secret: SecretStr | None = None
    base_url: str = ""
    integration_id: str | None = None
    rate_limit_per_minute: int = 300
    max_parallel: int = 8
    timeout_seconds: float = 120.0
    language: str | None = "en-us"

    @model_validator(mode="before")
    @classmethod
    def _derive_base_url(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and not data.get("base_url"):
            env_id = str(data.get("environment_id") or "").strip()
            host = _HOSTS.get(str(data.get("environment_type") or "").strip().lower())
            if env_id.isdigit() and host:
                return {
                    **data,
                    "base_url": f"https://{env_id}.{host}.afas.online/ProfitRestServices",
                }
        return data

    @field_validator("environment_id", mode="before")
    @classmethod
    def _digits(cls, value: object) -> str:
        text = str(value).strip()
        if text.isdigit():
            return text
        digits = "".join(ch for ch in text if ch.isdigit())
        hint = f" ({text!r} looks like the environment name; use {digits})" if digits else ""
        raise ValueError(f"must be the environment number, digits only, e.g. 12345{hint}")

    @field_validator("environment_type", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        text = str(value).strip().lower()
        if text not in _HOSTS:
            raise ValueError("must be production, test or accept")
        return text

    @field_validator("token", mode="before")
    @classmethod
    def _token(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        if not isinstance(raw, str):
            raise ValueError("must be text")
        try:
            return SecretStr(token_header(raw))
        except TokenFormatError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("oauth_client_id", "integration_id", "oauth_client_secret", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value

    @field_validator("integration_id")
    @classmethod
    def _integration(cls, value: str | None) -> str | None:
        if value is not None and not _is_integration_id(value):
            raise ValueError("must be <partner subscription>_<project number>, e.g. 12345_678900")
        return value

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_url(value.strip()) if value.strip() else ""

    @field_validator("rate_limit_per_minute")
    @classmethod
    def _rate(cls, value: int) -> int:
        if value < 0:
            raise ValueError("must be 0 (no client-side limit) or more calls per minute")
        return value

    @field_validator("max_parallel")
    @classmethod
    def _parallel(cls, value: int) -> int:
        if not 1 <= value <= 8:
            raise ValueError("must be between 1 and 8: AFAS allows at most 8 parallel calls")
        return value

    @field_validator("timeout_seconds")
    @classmethod
    def _timeout(cls, value: float) -> float:
        if not 0 < value <= 900:
            raise ValueError("must be more than 0 and at most 900 (AFAS's own limit) seconds")
        return value

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip().lower().replace("_", "-")
        if text == "base":  # no Accept-Language: AFAS answers in the environment's language
            return None
        if text not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}, or base")
        return text

    @model_validator(mode="after")
    def _credentials(self) -> AfasSettings:
        oauth = (self.oauth_client_id is not None, self.oauth_client_secret is not None)
        if any(oauth) and not all(oauth):
            missing = "AFAS_OAUTH_CLIENT_SECRET" if oauth[0] else "AFAS_OAUTH_CLIENT_ID"
            raise ValueError(f"{missing} is not set; OAuth needs both the client id and secret")
        if all(oauth) and self.token is not None:
            raise ValueError(
                "AFAS_TOKEN and AFAS_OAUTH_CLIENT_ID/SECRET are both set; choose one credential"
            )
        if not any(oauth) and self.token is None:
            raise ValueError(
                "no credential: set AFAS_TOKEN (the App Connector token), or "
                "AFAS_OAUTH_CLIENT_ID and AFAS_OAUTH_CLIENT_SECRET"
            )
        return self

    @property
    def credential(self) -> Literal["token", "oauth"]:
        """Which credential is configured."""
        return "token" if self.token is not None else "oauth"


def _is_integration_id(value: str) -> bool:
    left, sep, right = value.partition("_")
    return bool(sep) and left.isdigit() and right.isdigit()


def check_url(value: str) -> str:
    """`value` if it is a safe AFAS base URL, without a trailing slash.

    Raises:
        ValueError: not http(s), credentials or a query in it, or plain http beyond loopback.
    """
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(
            "must be an http(s) URL, e.g. https://12345.rest.afas.online/ProfitRestServices"
        )
    if parts.username or parts.password:
        raise ValueError("must not hold credentials; the token goes in AFAS_TOKEN")
    if parts.query or parts.fragment:
        raise ValueError("must not have a query or fragment")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        raise ValueError(
            "must use https (plain http only to 127.0.0.1/localhost): it carries the token"
        )
    return value.rstrip("/")


AFAS_VARS = tuple(Var(f"AFAS_{key.upper()}", "afas", key) for key in AfasSettings.model_fields)
