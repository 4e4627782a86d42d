"""`afas-mcp serve`: HTTP needs a token, --no-auth only on loopback, secrets never logged."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import pytest

from server import serve
from server.config import load_settings

TOKEN = "<token><version>1</version><data>" + "B2" * 32 + "</data></token>"
HTTP_TOKEN = "a-bearer-token-of-at-least-32-characters"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def afas_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "AFAS_ENVIRONMENT_ID": "12345",
        "AFAS_ENVIRONMENT_TYPE": "test",
        "AFAS_TOKEN": TOKEN,
        "AFAS_BASE_URL": f"http://127.0.0.1:{free_port()}/ProfitRestServices",
        "AFAS_MCP_DATABASE": str(tmp_path / "afas-mcp.sqlite"),
    } | extra


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith("AFAS_"):
            monkeypatch.delenv(name)
    for name, value in afas_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in set(root.handlers) - set(handlers):
        root.removeHandler(handler)
    root.setLevel(level)


@pytest.mark.usefixtures("environment")
def test_http_without_a_token_is_refused_at_start(capsys: pytest.CaptureFixture[str]) -> None:
    assert serve.main(["--http", "--port", str(free_port())]) == 2
    assert "needs a bearer token: set AFAS_MCP_HTTP_TOKEN" in capsys.readouterr().err


@pytest.mark.usefixtures("environment")
def test_no_auth_is_refused_on_a_non_loopback_host(capsys: pytest.CaptureFixture[str]) -> None:
    assert serve.main(["--http", "--host", "0.0.0.0", "--no-auth"]) == 2  # noqa: S104
    assert "--no-auth is refused on 0.0.0.0" in capsys.readouterr().err


@pytest.mark.usefixtures("environment")
def test_bad_configuration_is_one_clear_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AFAS_ENVIRONMENT_ID", "T12345AA")
    assert serve.main([]) == 2
    err = capsys.readouterr().err
    assert "AFAS_ENVIRONMENT_ID" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),  # noqa: S104  # a value under test, not a bind
        ("10.1.2.3", False),
    ],
)
def test_only_loopback_addresses_count_as_loopback(host: str, loopback: bool) -> None:
    assert serve.is_loopback(host) is loopback


def test_log_lines_never_show_a_secret(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        serve.configure_logging("INFO", secrets=[HTTP_TOKEN])
        logging.getLogger("test").warning("header was Bearer %s", HTTP_TOKEN)
    finally:
        for handler in set(root.handlers) - set(handlers):
            root.removeHandler(handler)
        root.setLevel(level)
    captured = capsys.readouterr()
    assert "header was Bearer ***" in captured.err
    assert HTTP_TOKEN not in captured.err + captured.out


@pytest.mark.anyio
async def test_serve_http_answers_401_without_the_token_and_serves_with_it(tmp_path: Path) -> None:
    port = free_port()
    env = dict(os.environ) | afas_env(tmp_path, AFAS_MCP_HTTP_TOKEN=HTTP_TOKEN)
    command = [sys.executable, "-m", "server", "serve", "--http", "--port", str(port)]
    process = subprocess.Popen(  # noqa: S603  # our own interpreter and module
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    init = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": {"name": "t", "version": "1"},
        },
    }
    accept = {"accept": "application/json, text/event-stream"}
    try:
        async with httpx.AsyncClient(base_url=base, timeout=5) as http:
            with anyio.fail_after(20):
                while True:  # bounded by fail_after: wait for uvicorn to listen
                    assert process.poll() is None, process.communicate()[1].decode()
                    try:
                        if (await http.get("/health")).status_code == 200:
                            break
                    except httpx.TransportError:
                        await anyio.sleep(0.1)
            refused = await http.post("/mcp", json=init, headers=accept)
            served = await http.post(
                "/mcp", json=init, headers=accept | {"authorization": f"Bearer {HTTP_TOKEN}"}
            )
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=20)
    assert refused.status_code == 401
    assert served.status_code == 200
    assert HTTP_TOKEN not in stderr.decode()


def test_serve_blanks_every_configured_secret_including_the_review_session_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_key = "review-session-key-" + "k" * 24
    env = afas_env(tmp_path, AFAS_MCP_HTTP_TOKEN=HTTP_TOKEN, AFAS_MCP_REVIEW_SECRET=session_key)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    secrets = serve.secret_values(load_settings(env))
    assert session_key in secrets
    assert HTTP_TOKEN in secrets
    assert env["AFAS_TOKEN"] in secrets  # as the operator wrote it
