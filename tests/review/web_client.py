"""A signed-in TestClient for the review page, and reading forms out of its HTML."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from review_helpers import RecordingActions, review_settings
from starlette.testclient import TestClient

from server.config import ReviewSettings
from server.review.actions import ReviewActions
from server.review.session import LoginThrottle
from server.review.web import create_app
from server.store import WriteStore

BASE = "http://127.0.0.1:8766"


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


@contextmanager
def review_client(
    store: WriteStore,
    *,
    actions: Callable[[], ReviewActions] | None = None,
    settings: ReviewSettings | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Iterator[tuple[TestClient, RecordingActions]]:
    recording = RecordingActions(store)
    app = create_app(
        store=store,
        settings=settings or review_settings(store.path),
        actions=actions or (lambda: recording),
        session_secret="web-test-secret-0123456789abcdefghij",
        throttle=LoginThrottle(),
        **({"clock": clock} if clock else {}),
    )
    with TestClient(app, base_url=BASE, follow_redirects=False) as client:
        yield client, recording


def sign_in(client: TestClient, name: str, secret: str, *, next_url: str = "/review") -> str:
    """Sign in through the form; returns the page it lands on."""
    page = client.get("/review/login", params={"next": next_url})
    answer = client.post(
        "/review/login",
        data={"csrf": csrf_of(page.text), "name": name, "secret": secret, "next": next_url},
    )
    assert answer.status_code == 303, answer.text
    return client.get(answer.headers["location"]).text


def post_form(client: TestClient, path: str, **fields: str) -> tuple[int, str]:
    """POST a form from the write's page with its CSRF token; returns status and next page."""
    write_page = client.get(path.rsplit("/", 1)[0]).text
    answer = client.post(path, data={"csrf": csrf_of(write_page), **fields})
    if answer.status_code != 303:
        return answer.status_code, answer.text
    return answer.status_code, client.get(answer.headers["location"]).text
