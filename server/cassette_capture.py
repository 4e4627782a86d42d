"""An httpx transport that keeps every call in memory, for `afas-mcp record` to scrub.

Nothing is written while recording: the calls stay in memory until all of them are known, so
the scrubber can learn every personal value first and replace it everywhere (`Scrubber.learn`).
Calls to the OAuth token endpoint are never kept, not even in memory: their bodies are the client
secret and the access token.

Calls are kept in vcrpy's interaction form (`{"request": {...}, "response": {...}}`), with the
response body decompressed, so the cassette shows what the client read.
"""

from __future__ import annotations

from typing import Any

import httpx

__all__ = ["CapturingTransport"]

_HOP_HEADERS = ("content-encoding", "content-length", "transfer-encoding")


def _headers(headers: httpx.Headers) -> dict[str, list[str]]:
    collected: dict[str, list[str]] = {}
    for name, value in headers.multi_items():
        collected.setdefault(name, []).append(value)
    return collected


class CapturingTransport(httpx.AsyncBaseTransport):
    """Sends each request through `inner` and keeps a copy of the exchange.

    Args:
        inner: the transport that really sends (the network's by default).
    """

    def __init__(self, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self._inner = inner or httpx.AsyncHTTPTransport()
        self.interactions: list[dict[str, Any]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        response = await self._inner.handle_async_request(request)
        try:
            content = await response.aread()  # decoded: gzip and the like are undone here
        finally:
            await response.aclose()
        if not request.url.path.lower().rstrip("/").endswith("/oauth/token"):
            self.interactions.append(
                {
                    "request": {
                        "method": request.method,
                        "uri": str(request.url),
                        "headers": _headers(request.headers),
                        "body": body.decode("utf-8", "replace") if body else None,
                    },
                    "response": {
                        "status": {"code": response.status_code, "message": response.reason_phrase},
                        "headers": _headers(response.headers),
                        "body": {"string": content},
                    },
                }
            )
        # The content is decoded now, so the encoding headers no longer describe it.
        headers = [
            (k, v) for k, v in response.headers.multi_items() if k.lower() not in _HOP_HEADERS
        ]
        return httpx.Response(
            response.status_code,
            headers=headers,
            content=content,
            request=request,
            extensions={"reason_phrase": response.reason_phrase.encode("ascii", "replace")},
        )

    async def aclose(self) -> None:
        await self._inner.aclose()
