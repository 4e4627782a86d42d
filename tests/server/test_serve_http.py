"""Streamable HTTP: a bearer token is required, foreign Host headers are refused, /health is open.

The ASGI app runs in-process (httpx2's ASGITransport); no port is opened.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from pydantic import BaseModel, Field

from server.app import BearerAuth, build_http_app, build_server
from tools.base import ToolInput, ToolSpec

pytestmark = pytest.mark.anyio

HOST, PORT = "127.0.0.1", 8765
URL = f"http://{HOST}:{PORT}/mcp"
TOKEN = "s3cret-token-for-tests"
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "t", "version": "1"},
    },
}
JSON_AND_SSE = {"accept": "application/json, text/event-stream"}


class PingInput(ToolInput):
    word: str = Field(description="Any word.")


class Pong(BaseModel):
    word: str = Field(description="The same word.")


async def pong(deps: Any, args: PingInput) -> Pong:
    return Pong(word=args.word)


PING = ToolSpec(
    name="ping_word",
    toolset="test",
    title="Ping",
    description="Answer with the same word.",
    input_model=PingInput,
    output_model=Pong,
    handler=pong,
    read_only=True,
)


@asynccontextmanager
async def no_deps() -> AsyncIterator[None]:
    yield None


@asynccontextmanager
async def http_app(*, auth: bool = True) -> AsyncIterator[Any]:
    server = build_server(
        tools=[PING],
        deps_factory=no_deps,
        http_auth=BearerAuth(TOKEN, resource_url=URL) if auth else None,
    )
    app = build_http_app(server, host=HOST, port=PORT)
    async with server.session_manager.run():
        yield app


def http_client(app: Any, **headers: str) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=app), base_url=f"http://{HOST}:{PORT}", headers=headers
    )


async def test_a_request_without_a_token_is_refused_with_401() -> None:
    async with http_app() as app, http_client(app) as http:
        response = await http.post("/mcp", json=INIT, headers=JSON_AND_SSE)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer ")


async def test_a_request_with_a_wrong_token_is_refused_with_401() -> None:
    async with http_app() as app, http_client(app, authorization="Bearer wrong") as http:
        response = await http.post("/mcp", json=INIT, headers=JSON_AND_SSE)
    assert response.status_code == 401


async def test_the_right_token_lets_a_client_list_and_call_tools_in_both_eras(mode: str) -> None:
    async with (
        http_app() as app,
        http_client(app, authorization=f"Bearer {TOKEN}") as http,
        Client(streamable_http_client(URL, http_client=http), mode=mode) as client,
    ):
        tools = (await client.list_tools()).tools
        result = await client.call_tool("ping_word", {"word": "hallo"})
    assert [t.name for t in tools] == ["ping_word"]
    assert result.structured_content == {"word": "hallo"}


async def test_a_foreign_host_header_is_refused_with_421() -> None:
    headers = {"authorization": f"Bearer {TOKEN}", "host": "evil.example:8765"}
    async with http_app() as app, http_client(app, **headers) as http:
        response = await http.post("/mcp", json=INIT, headers=JSON_AND_SSE)
    assert response.status_code == 421


async def test_a_foreign_origin_is_refused() -> None:
    headers = {"authorization": f"Bearer {TOKEN}", "origin": "http://evil.example"}
    async with http_app() as app, http_client(app, **headers) as http:
        response = await http.post("/mcp", json=INIT, headers=JSON_AND_SSE)
    assert response.status_code == 403


async def test_the_loopback_names_of_the_bound_port_are_accepted() -> None:
    headers = {"authorization": f"Bearer {TOKEN}", "host": f"localhost:{PORT}"}
    async with http_app() as app, http_client(app, **headers) as http:
        response = await http.post("/mcp", json=INIT, headers=JSON_AND_SSE)
    assert response.status_code == 200


async def test_health_answers_without_a_token() -> None:
    async with http_app() as app, http_client(app) as http:
        response = await http.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


async def test_without_auth_configured_no_token_is_needed() -> None:
    async with http_app(auth=False) as app, http_client(app) as http:
        response = await http.post("/mcp", json=INIT, headers=JSON_AND_SSE)
    assert response.status_code == 200


def test_the_bearer_token_never_shows_in_its_repr() -> None:
    assert TOKEN not in repr(BearerAuth(TOKEN, resource_url=URL))
