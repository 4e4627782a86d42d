"""`afas-mcp demo` tells the whole story and exits 0, as `make demo` promises a newcomer."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.slow
def test_demo_reads_refuses_holds_approves_and_verifies_a_hire_then_exits_0() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "server", "demo"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith("AFAS_")},
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "list_employers" in out
    assert "source: fiscal_connector" in out  # R1: the blanked wage-tax number is found
    assert "refuses it before anything is sent" in out
    assert "quirk W2" in out
    assert "Status pending_review" in out
    assert "get_write_status: verified, read-back match" in out
    # The server's log stays out of the story (it goes to a file in the demo's folder).
    assert "INFO" not in out
