"""The review page's write view and decisions: what is shown, what is escaped, what is called."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest
from review_helpers import (
    AGENT,
    AGENT_SECRET,
    ALICE,
    ALICE_SECRET,
    BOB,
    TOKEN,
    RefusingActions,
    drifted_hire,
    held_hire,
    held_journal,
)
from web_client import csrf_of, post_form, review_client, sign_in

from server.afas.errors import AfasAuthError, AfasConnectionError, AfasEnvironmentMismatch
from server.review.actions import ReviewActions, ReviewActionsUnavailable, build_review_actions
from server.store import AuditStep, ConnectorBusy, WriteStatus, WriteStore

S = WriteStatus


def test_a_write_page_shows_what_why_payload_and_trail(store: WriteStore) -> None:
    held = held_hire(store)
    with review_client(store) as (client, _):
        sign_in(client, ALICE, ALICE_SECRET)
        page = client.get(f"/review/writes/{held.id}").text

    assert "<h1>Hire Jan Jansen at employer 01 from Sun 1 March 2026</h1>" in page
    assert "<th>Salary</th><td>EUR 3,500.00</td>" in page
    assert "payroll period 2026-03 of employer &#x27;01&#x27; was already calculated" in page
    assert "Hint: Choose a start date in an open period" in page
    assert "Confidence 0.55" in page and "certainty about its input: 0.90" in page
    assert "&quot;CmId&quot;: &quot;01&quot;" in page  # the exact payload, escaped in <pre>
    assert "<strong>recorded</strong> by agent@test" in page
    assert "Approve and send to AFAS" in page and 'name="reason"' in page
    assert f'name="digest" value="{held.digest}"' in page


def test_a_write_page_says_why_this_confidence(store: WriteStore) -> None:
    held = held_hire(store)
    with review_client(store) as (client, _):
        sign_in(client, ALICE, ALICE_SECRET)
        page = client.get(f"/review/writes/{held.id}").text

    assert '<h3 id="why-confidence">Why this confidence</h3>' in page
    assert "0.55 is below the threshold 0.80 for this tool" in page
    assert '<td class="mono">source</td><td>&times; 0.90</td>' in page
    assert "asked for review: payroll_period_open" in page


def test_the_queue_groups_writes_and_filters_by_status(store: WriteStore) -> None:
    hire, journal, drift = held_hire(store), held_journal(store), drifted_hire(store)
    with review_client(store) as (client, _):
        sign_in(client, ALICE, ALICE_SECRET)
        everything = client.get("/review").text
        only_drift = client.get("/review", params={"status": "drift"}).text

    waiting = everything.index("Waiting for a decision")
    look = everything.index("Needs a look")
    assert waiting < everything.index(hire.id) < look
    assert waiting < everything.index(journal.id) < look
    assert everything.index(drift.id) > look
    assert drift.id in only_drift and hire.id not in only_drift


def test_agent_supplied_markup_is_escaped_everywhere(store: WriteStore) -> None:
    evil = "<script>alert('x')</script>"
    held = held_hire(store, first_name=evil, last_name='"><img src=x onerror=alert(1)>')
    with review_client(store) as (client, _):
        sign_in(client, ALICE, ALICE_SECRET)
        pages = [client.get("/review").text, client.get(f"/review/writes/{held.id}").text]

    for page in pages:
        assert "<script>" not in page and "<img" not in page
        assert html.escape(evil) in page


def test_bidirectional_overrides_are_shown_not_obeyed(store: WriteStore) -> None:
    held = held_hire(store, last_name="Jansen\u202e0053 RUE")
    with review_client(store) as (client, _):
        sign_in(client, ALICE, ALICE_SECRET)
        page = client.get(f"/review/writes/{held.id}").text

    assert "\u202e" not in page
    assert "Jansen\\u202e0053 RUE" in page


def test_no_token_or_authorization_header_is_rendered(store: WriteStore) -> None:
    drift = drifted_hire(store)
    with review_client(store) as (client, _):
        sign_in(client, ALICE, ALICE_SECRET)
        page = client.get(f"/review/writes/{drift.id}").text

    secret_part = TOKEN.split()[1]
    assert secret_part not in page and "ABCDEF0123456789" not in page
    assert "[REDACTED]" in page
    assert "AfasSalary.PtId" in page and "Stored by AFAS" in page


def test_approving_calls_the_pipeline_as_the_signed_in_approver(store: WriteStore) -> None:
    held = held_hire(store)
    with review_client(store) as (client, actions):
        sign_in(client, ALICE, ALICE_SECRET)
        status, page = post_form(
            client,
            f"/review/writes/{held.id}/approve",
            digest=held.digest,
            approver=BOB,  # a form field never names the approver
            **{"as": BOB},
        )

    assert status == 303
    assert actions.calls == [("approve", held.id, ALICE)]
    assert actions.digests == [held.digest]  # bound to the payload the page showed
    assert store.get(held.id).approver == ALICE
    assert f"Approved by {ALICE}; not sent (test)." in page
    assert '<span class="badge approved">approved</span>' in page
    assert "Approve and send to AFAS" not in page


def test_an_approval_for_another_payload_is_refused(store: WriteStore) -> None:
    held = held_hire(store)
    with review_client(store) as (client, actions):
        sign_in(client, ALICE, ALICE_SECRET)
        _, page = post_form(client, f"/review/writes/{held.id}/approve", digest="0" * 64)

    assert actions.calls == []
    assert "not the one on the page you approved from" in page
    assert store.get(held.id).status is S.PENDING_REVIEW


def test_rejecting_needs_a_reason(store: WriteStore) -> None:
    held = held_journal(store)
    with review_client(store) as (client, actions):
        sign_in(client, ALICE, ALICE_SECRET)
        _, page = post_form(client, f"/review/writes/{held.id}/reject", reason="   ")

    assert actions.calls == []
    assert "A rejection needs a reason the agent can act on." in page
    assert 'class="flash error"' in page


def test_rejecting_with_a_reason_records_it(store: WriteStore) -> None:
    held = held_journal(store)
    with review_client(store) as (client, actions):
        sign_in(client, ALICE, ALICE_SECRET)
        _, page = post_form(client, f"/review/writes/{held.id}/reject", reason="Use journal 10.")

    assert actions.calls == [("reject", held.id, ALICE)]
    assert store.get(held.id).rejection_reason == "Use journal 10."
    assert f"Rejected by {ALICE}" in page and "Use journal 10" in page


def test_resolving_a_drift_records_how_it_was_settled(store: WriteStore) -> None:
    drift = drifted_hire(store)
    with review_client(store) as (client, actions):
        sign_in(client, BOB, "bob-staple-lantern-river")
        page = client.get(f"/review/writes/{drift.id}").text
        assert "Resolve the drift" in page
        _, after = post_form(
            client,
            f"/review/writes/{drift.id}/resolve",
            resolution="corrected",
            note="Set the period table to MAAND in AFAS.",
        )

    assert actions.calls == [("resolve", drift.id, BOB)]
    record = store.get(drift.id)
    assert record.status is S.RESOLVED and record.resolved_by == BOB
    assert "Drift corrected by fin:bob." in after


def test_self_approval_shows_the_stores_refusal(store: WriteStore) -> None:
    held = held_hire(store)  # requested by agent@test
    with review_client(store) as (client, _):
        sign_in(client, AGENT, AGENT_SECRET)
        _, page = post_form(client, f"/review/writes/{held.id}/approve", digest=held.digest)

    assert "you requested this write yourself" in page
    assert "the requester cannot approve their own write; ask someone else" in page
    assert store.get(held.id).status is S.PENDING_REVIEW
    assert store.audit_trail(held.id)[-1].step is AuditStep.APPROVAL_REFUSED


def test_an_expired_write_offers_no_decision_and_a_late_approval_says_so(
    store: WriteStore,
) -> None:
    soon = datetime.now(UTC) + timedelta(seconds=5)
    held = held_hire(store, expires_at=soon)
    later = soon + timedelta(minutes=1)
    store.clock = lambda: later  # the store's own clock decides expiry
    with review_client(store, clock=lambda: later) as (client, _):
        sign_in(client, ALICE, ALICE_SECRET)
        page = client.get(f"/review/writes/{held.id}").text
        assert "Approve and send to AFAS" not in page and "expired" in page
        answer = client.post(
            f"/review/writes/{held.id}/approve", data={"csrf": csrf_of(page), "digest": held.digest}
        )
        after = client.get(answer.headers["location"]).text

    assert "Too late: this write expired before it was approved" in after
    assert store.get(held.id).status is S.EXPIRED


def test_an_approval_that_lost_the_race_says_who_was_first(store: WriteStore) -> None:
    held = held_hire(store)
    with review_client(store) as (client, _):
        sign_in(client, ALICE, ALICE_SECRET)
        page = client.get(f"/review/writes/{held.id}").text
        store.approve(held.id, approver=BOB, digest=held.digest)  # in another window
        answer = client.post(
            f"/review/writes/{held.id}/approve", data={"csrf": csrf_of(page), "digest": held.digest}
        )
        after = client.get(answer.headers["location"]).text

    assert "Someone else got there first: this write is now approved" in after
    assert store.get(held.id).approver == BOB


def test_a_missing_pipeline_is_shown_as_a_clear_error(
    store: WriteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("server.review.actions.PIPELINE_MODULE", "server._no_pipeline_here")
    held = held_hire(store)

    def no_pipeline() -> ReviewActions:
        return build_review_actions(object(), store=store)  # type: ignore[arg-type]

    with review_client(store, actions=no_pipeline) as (client, _):
        sign_in(client, ALICE, ALICE_SECRET)
        _, page = post_form(client, f"/review/writes/{held.id}/approve", digest=held.digest)

    assert "the write pipeline (server._no_pipeline_here) is not part of this installation" in page
    assert store.get(held.id).status is S.PENDING_REVIEW


def test_an_unexpected_pipeline_error_is_logged_not_shown(
    store: WriteStore, caplog: pytest.LogCaptureFixture
) -> None:
    held = held_hire(store)

    class Broken:
        async def approve(
            self, write_id: str, *, approver: str, digest: str | None = None
        ) -> object:
            raise RuntimeError("token AfasToken abc in a traceback")

    with review_client(store, actions=lambda: Broken()) as (client, _):  # type: ignore[arg-type,return-value]
        sign_in(client, ALICE, ALICE_SECRET)
        _, page = post_form(client, f"/review/writes/{held.id}/approve", digest=held.digest)

    assert "failed unexpectedly and may not have been carried out" in page
    assert "AfasToken abc" not in page
    assert "RuntimeError" in caplog.text


def test_an_unknown_write_is_a_clear_404(store: WriteStore) -> None:
    with review_client(store) as (client, _):
        sign_in(client, ALICE, ALICE_SECRET)
        answer = client.get("/review/writes/w_aaaaaaaaaaaaaaaa")
        other = client.post("/review/writes/w_aaaaaaaaaaaaaaaa/delete", data={})

    assert answer.status_code == 404
    assert "There is no write with id" in answer.text
    assert other.status_code == 404


def test_a_pipeline_that_is_missing_is_named_by_build_review_actions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("server.review.actions.PIPELINE_MODULE", "server._no_pipeline_here")

    with pytest.raises(ReviewActionsUnavailable, match=r"server\._no_pipeline_here"):
        build_review_actions(object())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (
            AfasConnectionError("could not connect to 127.0.0.1:9 (connection refused)"),
            "Not approved: AFAS cannot be reached right now",
        ),
        (
            AfasAuthError("AFAS refused the token", status_code=401),
            "Not approved: AFAS refuses this server's credentials",
        ),
        (
            AfasEnvironmentMismatch("AFAS reports T9", expected="12345 (test)", reported="T9"),
            "AFAS reports another environment than this server is pinned to",
        ),
        (ConnectorBusy("KnEmployee", waited=300), "Not approved yet: another write to the same"),
    ],
    ids=["afas-down", "credentials", "environment", "connector-busy"],
)
def test_an_approval_afas_could_not_take_says_why_and_the_write_keeps_waiting(
    store: WriteStore, error: Exception, shown: str
) -> None:
    held = held_hire(store)
    refusing = RefusingActions(store, error=error)
    with review_client(store, actions=lambda: refusing) as (client, _):
        sign_in(client, ALICE, ALICE_SECRET)
        _, page = post_form(client, f"/review/writes/{held.id}/approve", digest=held.digest)

    assert 'class="flash error"' in page
    assert html.escape(shown) in page
    assert "Nothing was approved or sent" in page
    assert "failed unexpectedly" not in page
    assert refusing.digests == [held.digest]
    assert store.get(held.id).status is S.PENDING_REVIEW
    assert "Approve and send to AFAS" in page  # the decision is still open
