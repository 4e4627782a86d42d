"""`afas-mcp simulator`: the environment block, the loopback guard and serving until Ctrl-C."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from simulator.auth import header_value
from simulator.cli import main


def test_print_env_prints_quoted_export_lines_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--print-env", "--port", "9123", "--seed", "4"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("=", 1)[0] for line in lines] == [
        "export AFAS_BASE_URL",
        "export AFAS_ENVIRONMENT_ID",
        "export AFAS_ENVIRONMENT_TYPE",
        "export AFAS_TOKEN",
    ]
    assert lines[0] == "export AFAS_BASE_URL='http://127.0.0.1:9123/ProfitRestServices'"
    assert all(line.split("=", 1)[1].startswith("'") for line in lines)


def test_print_env_for_oauth_prints_client_credentials(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--print-env", "--auth", "oauth"]) == 0
    out = capsys.readouterr().out
    assert "AFAS_OAUTH_CLIENT_ID=" in out and "AFAS_OAUTH_CLIENT_SECRET=" in out
    assert "AFAS_TOKEN" not in out


BASH = shutil.which("bash")


@pytest.mark.skipif(BASH is None, reason="needs bash to evaluate the exports")
def test_the_export_lines_survive_a_shell(capsys: pytest.CaptureFixture[str]) -> None:
    assert BASH is not None
    main(["--print-env", "--seed", "2"])
    exports = capsys.readouterr().out
    script = exports + 'printf "%s\\n" "$AFAS_TOKEN" "$AFAS_ENVIRONMENT_ID"'
    result = subprocess.run(  # noqa: S603 - a fixed command with our own output
        [BASH, "-c", script], capture_output=True, text=True, check=True, timeout=10
    )
    token, environment_id = result.stdout.splitlines()
    assert token.startswith("<token><version>1</version><data>") and environment_id.isdigit()


def test_a_non_loopback_host_is_refused_without_allow_remote(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--host", "0.0.0.0"]) == 2  # noqa: S104 - the point is to refuse it
    assert "not loopback" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.slow
def test_the_simulator_serves_until_ctrl_c_and_prints_how_to_reach_it() -> None:
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "server", "simulator", "--port", str(port), "--size", "20"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        printed = [process.stdout.readline() for _ in range(6)]
        token_line = next(line for line in printed if line.startswith("export AFAS_TOKEN="))
        token = token_line.split("=", 1)[1].strip().strip("'")
        assert any("afas-mcp serve" in line for line in printed)
        deadline = time.monotonic() + 10
        while True:
            try:
                response = httpx.get(
                    f"http://127.0.0.1:{port}/ProfitRestServices/profitversion",
                    headers={"Authorization": header_value(token)},
                )
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "the simulator did not start listening"
                time.sleep(0.05)
        assert response.status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=15)
    assert process.returncode == 0, stderr
