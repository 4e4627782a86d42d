"""httpx authentication for AFAS: the classic `AfasToken` header and OAuth client credentials.

Both keep their secret in a `SecretStr` and put it only into the outgoing `Authorization` header;
neither object's repr shows it. A 401 is never answered by trying again (R11): the OAuth flow
drops its cached access token so the next call fetches a fresh one, and the 401 goes up.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, Callable, Generator

import httpx
from pydantic import SecretStr

from server.afas.errors import AfasAuthError, AfasServerError, AfasUnavailable

__all__ = ["AfasTokenAuth", "OAuthClientCredentials"]

# Fetch a new access token this many seconds before AFAS says the old one expires.
_EXPIRY_MARGIN = 30.0


class AfasTokenAuth(httpx.Auth):
    """Sends `Authorization: AfasToken <base64>` (the value comes normalised from config)."""

    def __init__(self, header_value: SecretStr) -> None:
        self._header = header_value

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header.get_secret_value()
        yield request

    def __repr__(self) -> str:
        return "AfasTokenAuth(<hidden>)"


class OAuthClientCredentials(httpx.Auth):
    """OAuth 2 client credentials at `{base}/oauth/token`; Bearer tokens cached until expiry.

    AFAS retires classic tokens in 2027; this flow issues no refresh token, so a new access token
    is simply requested when the cached one is about to expire.

    Attributes:
        expires_in: seconds the last access token was valid for, as AFAS reported.
    """

    requires_response_body = True

    def __init__(
        self,
        *,
        token_url: str,
        client_id: str,
        client_secret: SecretStr,
        clock: Callable[[], float],
    ) -> None:
        self._token_url = token_url
        self._client_id = client_id
        self._secret = client_secret
        self._clock = clock
        self._access: SecretStr | None = None
        self._expires_at = 0.0
        self.expires_in: float | None = None
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"OAuthClientCredentials(client_id={self._client_id!r}, secret=<hidden>)"

    def _fresh(self) -> bool:
        return self._access is not None and self._clock() < self._expires_at - _EXPIRY_MARGIN

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError("the AFAS client is async only")

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if not self._fresh():
            async with self._lock:
                if not self._fresh():
                    token_response = yield self._token_request()
                    await token_response.aread()
                    self._store(token_response)
        access = self._access
        if access is None:  # another call's 401 dropped it in between; that call reports it
            raise AfasAuthError("the OAuth access token was revoked", status_code=401)
        request.headers["Authorization"] = f"Bearer {access.get_secret_value()}"
        response = yield request
        if response.status_code == 401:
            self._access = None

    def _token_request(self) -> httpx.Request:
        return httpx.Request(
            "POST",
            self._token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": self._client_id,
                "client_secret": self._secret.get_secret_value(),
            },
            headers={"Accept": "application/json"},
        )

    def _store(self, response: httpx.Response) -> None:
        body = _json_object(response.content)
        status = response.status_code
        if status == 503:
            raise AfasUnavailable("the OAuth token endpoint is unavailable", status_code=503)
        if status in (400, 401):
            reason = str(body.get("error") or "refused")
            detail = body.get("error_description")
            raise AfasAuthError(
                f"AFAS refused the OAuth client credentials ({reason}"
                + (f": {detail}" if detail else "")
                + "); check AFAS_OAUTH_CLIENT_ID and AFAS_OAUTH_CLIENT_SECRET",
                status_code=status,
            )
        token = body.get("access_token")
        if status != 200 or not isinstance(token, str) or not token:
            raise AfasServerError(
                "the OAuth token endpoint did not return an access token", status_code=status
            )
        expires_in = body.get("expires_in", 3600)
        try:
            lifetime = float(expires_in) if isinstance(expires_in, int | float | str) else 3600.0
        except ValueError:
            lifetime = 3600.0
        self._access = SecretStr(token)
        self.expires_in = lifetime
        self._expires_at = self._clock() + lifetime


def _json_object(content: bytes) -> dict[str, object]:
    try:
        parsed = json.loads(content) if content.strip() else {}
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}
