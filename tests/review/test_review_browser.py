"""The review page in a real browser: Debian's chromium, headless, driven by Playwright.

The app is served by uvicorn on 127.0.0.1 as `afas-mcp review serve` serves it (same app, same
middleware), on a socket bound and listening before the server starts, so no wait is needed.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from review_helpers import (
    ALICE,
    ALICE_SECRET,
    RecordingActions,
    held_hire,
    held_journal,
    review_settings,
)

from server.review.serving import review_server
from server.store import WriteStatus, WriteStore

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.anyio,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt install chromium)"
    ),
]


@pytest.fixture
async def served(store: WriteStore) -> AsyncIterator[str]:
    """The review app on 127.0.0.1 at a free port; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    port = sock.getsockname()[1]
    settings = review_settings(store.path, port=port, base_url=f"http://127.0.0.1:{port}/review")
    server = review_server(
        settings,
        store,
        host="127.0.0.1",
        port=port,
        session_secret="browser-test-secret-0123456789abcdef",
        actions=lambda: RecordingActions(store),
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=15)
        sock.close()


async def test_an_approver_signs_in_approves_one_write_and_rejects_another(
    store: WriteStore, served: str, tmp_path: Path
) -> None:
    from playwright.async_api import async_playwright, expect

    hire, journal = held_hire(store), held_journal(store)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1200, "height": 1500})
            page.set_default_timeout(15_000)

            await page.goto(f"{served}/review")
            await expect(page.get_by_role("heading", name="Sign in to review")).to_be_visible()
            await page.get_by_label("Approver name").fill(ALICE)
            await page.get_by_label("Secret").fill(ALICE_SECRET)
            await page.get_by_role("button", name="Sign in").click()
            await expect(page.get_by_role("heading", name="Review queue")).to_be_visible()

            await page.get_by_role("link", name="Hire Jan Jansen at employer 01").click()
            await expect(
                page.get_by_role("cell", name="was already calculated; a hire starting")
            ).to_be_visible()
            await expect(page.locator("pre.payload")).to_contain_text('"CmId": "01"')
            await page.screenshot(path=str(tmp_path / "review-write.png"), full_page=True)

            await page.get_by_role("button", name="Approve and send to AFAS").click()
            await expect(page.locator(".flash.ok")).to_contain_text(f"Approved by {ALICE}")
            await expect(page.locator("h1 + .meta .badge")).to_have_text("approved")

            await page.goto(f"{served}/review/writes/{journal.id}")
            await page.get_by_label("Reason for rejecting").fill(
                "Split it per customer; use journal 10."
            )
            await page.get_by_role("button", name="Reject").click()
            await expect(page.locator("h1 + .meta .badge")).to_have_text("rejected")
            await expect(
                page.get_by_text("Split it per customer; use journal 10").first
            ).to_be_visible()
        finally:
            await browser.close()

    assert store.get(hire.id).status is WriteStatus.APPROVED
    assert store.get(hire.id).approver == ALICE
    assert store.get(journal.id).status is WriteStatus.REJECTED
