"""The review page's gate: sign-in, sessions, CSRF, origins and hosts."""

from __future__ import annotations

import re

from review_helpers import (
    ALICE,
    ALICE_SECRET,
    BOB,
    BOB_SECRET,
    HASHES,
    SESSION_SECRET,
    held_hire,
    review_settings,
)
from starlette.testclient import TestClient
from web_client import BASE, csrf_of, review_client, sign_in

from server.review.session import SessionCodec
from server.store import WriteStore


def test_the_queue_needs_a_signed_in_approver(store: WriteStore) -> None:
    with review_client(store) as (client, _):
        answer = client.get("/review")

    assert answer.status_code == 303
    assert answer.headers["location"] == "/review/login?next=%2Freview"


def test_an_approver_signs_in_and_lands_on_the_queue(store: WriteStore) -> None:
    held_hire(store)
    with review_client(store) as (client, _):
        page = sign_in(client, ALICE, ALICE_SECRET)

    assert "Signed in as <strong>hr:alice</strong>" in page
    assert "Waiting for a decision" in page
    assert "Hire Jan Jansen at employer 01" in page


def test_a_wrong_secret_or_unknown_name_does_not_sign_in(store: WriteStore) -> None:
    with review_client(store) as (client, _):
        for name, secret in ((ALICE, "wrong-secret-for-alice"), ("hr:mallory", ALICE_SECRET)):
            form = client.get("/review/login").text
            answer = client.post(
                "/review/login",
                data={"csrf": csrf_of(form), "name": name, "secret": secret, "next": "/review"},
            )
            assert answer.status_code == 401
            assert "do not match a configured approver" in answer.text
        assert client.get("/review").status_code == 303


def test_sign_in_pauses_after_repeated_failures(store: WriteStore) -> None:
    with review_client(store) as (client, _):
        for _ in range(5):
            form = client.get("/review/login").text
            client.post(
                "/review/login", data={"csrf": csrf_of(form), "name": ALICE, "secret": "nope"}
            )
        form = client.get("/review/login").text
        answer = client.post(
            "/review/login", data={"csrf": csrf_of(form), "name": ALICE, "secret": ALICE_SECRET}
        )

    assert answer.status_code == 401
    assert "Too many failed sign-ins" in answer.text


def test_the_session_cookie_is_httponly_strict_and_scoped_to_the_review_page(
    store: WriteStore,
) -> None:
    with review_client(store) as (client, _):
        form = client.get("/review/login").text
        answer = client.post(
            "/review/login", data={"csrf": csrf_of(form), "name": ALICE, "secret": ALICE_SECRET}
        )

    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
    assert "Path=/review" in cookie


def use_cookie(client: TestClient, value: str) -> None:
    client.cookies.clear()
    client.cookies.set("afas_review_session", value, path="/review")


def test_a_tampered_session_cookie_is_ignored(store: WriteStore) -> None:
    with review_client(store) as (client, _):
        sign_in(client, ALICE, ALICE_SECRET)
        value = client.cookies.get("afas_review_session") or ""
        body, signature = value.split(".")
        use_cookie(client, value)
        assert client.get("/review").status_code == 200  # the cookie as issued works
        use_cookie(client, f"{body}x.{signature}")
        assert client.get("/review").status_code == 303


def test_a_session_of_someone_no_longer_an_approver_ends(store: WriteStore) -> None:
    with review_client(store) as (client, _):
        sign_in(client, BOB, BOB_SECRET)
        cookie = client.cookies.get("afas_review_session") or ""
    everyone = review_settings(store.path)
    without_bob = review_settings(
        store.path, approvers=tuple(a for a in everyone.approvers if a.name != BOB)
    )
    with review_client(store, settings=everyone) as (client, _):
        use_cookie(client, cookie)
        assert client.get("/review").status_code == 200
    with review_client(store, settings=without_bob) as (client, _):
        use_cookie(client, cookie)
        assert client.get("/review").status_code == 303


def test_after_signing_in_the_approver_returns_to_the_write_they_opened(store: WriteStore) -> None:
    held = held_hire(store)
    with review_client(store) as (client, _):
        first = client.get(f"/review/writes/{held.id}")
        assert first.headers["location"] == f"/review/login?next=%2Freview%2Fwrites%2F{held.id}"
        page = sign_in(client, ALICE, ALICE_SECRET, next_url=f"/review/writes/{held.id}")

    assert "Why it is held" in page


def test_sign_in_never_redirects_off_the_review_page(store: WriteStore) -> None:
    with review_client(store) as (client, _):
        for target in ("//evil.example/x", "https://evil.example/", "/elsewhere", "/review\\@evil"):
            form = client.get("/review/login").text
            answer = client.post(
                "/review/login",
                data={"csrf": csrf_of(form), "name": ALICE, "secret": ALICE_SECRET, "next": target},
            )
            assert answer.headers["location"] == "/review"


def test_a_post_without_the_csrf_token_is_refused_and_nothing_happens(store: WriteStore) -> None:
    held = held_hire(store)
    with review_client(store) as (client, actions):
        sign_in(client, ALICE, ALICE_SECRET)
        answer = client.post(f"/review/writes/{held.id}/approve", data={"digest": held.digest})
        forged = client.post(
            f"/review/writes/{held.id}/approve", data={"csrf": "guess", "digest": held.digest}
        )

    assert answer.status_code == forged.status_code == 403
    assert "did not come from this page" in answer.text
    assert actions.calls == []
    assert store.get(held.id).status.value == "pending_review"


def test_a_post_from_another_origin_is_refused(store: WriteStore) -> None:
    held = held_hire(store)
    with review_client(store) as (client, actions):
        page = sign_in(client, ALICE, ALICE_SECRET)
        answer = client.post(
            f"/review/writes/{held.id}/approve",
            data={"csrf": csrf_of(page), "digest": held.digest},
            headers={"origin": "http://evil.example"},
        )

    assert answer.status_code == 403
    assert "from another site" in answer.text
    assert actions.calls == []


def test_the_sign_in_form_itself_needs_its_csrf_token(store: WriteStore) -> None:
    with review_client(store) as (client, _):
        answer = client.post("/review/login", data={"name": ALICE, "secret": ALICE_SECRET})

    assert answer.status_code == 403


def test_a_foreign_host_name_is_refused(store: WriteStore) -> None:
    with review_client(store) as (client, _):
        answer = client.get("/review/login", headers={"host": "rebound.evil.example"})

    assert answer.status_code == 400


def test_signing_out_ends_the_session(store: WriteStore) -> None:
    with review_client(store) as (client, _):
        page = sign_in(client, ALICE, ALICE_SECRET)
        answer = client.post("/review/logout", data={"csrf": csrf_of(page)})
        assert answer.headers["location"] == "/review/login"
        assert client.get("/review").status_code == 303


def test_every_page_forbids_scripts_and_framing(store: WriteStore) -> None:
    with review_client(store) as (client, _):
        login = client.get("/review/login")
        css = client.get("/review/static/review.css")

    for answer in (login, css):
        policy = answer.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert "script-src" not in policy  # falls back to default-src 'none'
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["cache-control"] == "no-store"
    assert "<script" not in login.text and "style=" not in login.text


def test_no_secret_of_the_configuration_is_ever_on_a_page(store: WriteStore) -> None:
    held = held_hire(store)
    with review_client(store) as (client, _):
        pages = [client.get("/review/login").text, sign_in(client, ALICE, ALICE_SECRET)]
        pages.append(client.get(f"/review/writes/{held.id}").text)

    for text in pages:
        assert SESSION_SECRET not in text and "web-test-secret" not in text
        assert not any(h in text for h in HASHES.values())
        assert not re.search(r"scrypt\$", text)
    assert BASE  # the pages were served for this origin


def test_a_session_cookie_expires_and_cannot_be_altered() -> None:
    now = [1_000_000.0]
    codec = SessionCodec("x" * 40, clock=lambda: now[0])
    value = codec.encode(codec.signed_in("hr:alice", ttl=60))

    assert codec.decode(value) is not None
    assert SessionCodec("y" * 40, clock=lambda: now[0]).decode(value) is None
    now[0] += 61
    assert codec.decode(value) is None
