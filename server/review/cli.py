"""`afas-mcp review`: the approvers' command line.

    afas-mcp review list [--status S ...] [--limit N] [--json]
    afas-mcp review show WRITE_ID [--json]
    afas-mcp review approve WRITE_ID --as NAME
    afas-mcp review reject WRITE_ID --as NAME --reason TEXT
    afas-mcp review resolve WRITE_ID --as NAME --resolution acknowledged|corrected --note TEXT
    afas-mcp review serve [--host 127.0.0.1] [--port N]
    afas-mcp review hash-secret

`approve`, `reject` and `resolve` are decisions: they run only for a person at a terminal who is
a configured approver and types their secret and the end of the write id (`server.review.
terminal`). An approval is bound to the payload digest shown to the person. Exit codes: 0 done;
1 not done or not well, with a one-line reason on stderr: refused by the store (self-approval,
another payload, expired, someone decided first), AFAS unreachable or refusing the server,
the connector busy, no such write, or sent but failed, lost or drifted; 2 usage or
configuration; 3 not shown to be a person (no terminal, not an approver, wrong secret, not
confirmed) - nothing changed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TextIO

from server.afas.errors import AfasError
from server.config import ConfigError, ReviewSettings, load_review_settings
from server.review.actions import (
    ReviewActions,
    ReviewActionsUnavailable,
    ReviewResult,
    pipeline_actions,
)
from server.review.item import item_json, load_item, queue
from server.review.messages import TROUBLE, refusal_message, result_message
from server.review.passwords import hash_secret, verify_secret
from server.review.summary import summarise
from server.review.terminal import HumanCheckFailed, ask_secret, confirm_id, require_terminal
from server.review.textview import item_text, queue_text
from server.store import StoreError, WriteNotFound, WriteStatus, WriteStore

OK, FAILED, USAGE, NOT_A_PERSON = 0, 1, 2, 3

# Builds the pipeline's actions for an open store; tests pass their own.
ActionsFactory = Callable[[WriteStore], ReviewActions]


def main(argv: Sequence[str], *, actions_factory: ActionsFactory | None = None) -> int:
    """Run `afas-mcp review ...`; returns the exit code."""
    args = _parser().parse_args(list(argv))
    if args.command == "hash-secret":
        return _hash_secret()
    try:
        settings = load_review_settings()
    except ConfigError as exc:
        return _fail(str(exc), USAGE)
    if args.command == "serve":
        from server.review.serving import serve

        return serve(settings, host=args.host, port=args.port, actions_factory=actions_factory)
    if args.command in {"approve", "reject", "resolve"}:
        return _decide(args, settings, actions_factory or pipeline_actions)
    if not settings.database.exists():
        return _fail(
            f"There is no review queue at {settings.database} yet (AFAS_MCP_DATABASE); "
            "nothing has been written through afas-mcp.",
            FAILED,
        )
    with WriteStore(settings.database, review_ttl=settings.approval_ttl) as store:
        if args.command == "list":
            return _list(store, args, settings)
        return _show(store, args, settings)


def _list(store: WriteStore, args: argparse.Namespace, settings: ReviewSettings) -> int:
    statuses = [WriteStatus(s) for s in args.status or []]
    records = queue(store, statuses=statuses, limit=args.limit)
    now = datetime.now(UTC)
    if args.json:
        rows = [
            {
                "id": r.id,
                "status": r.status.value,
                "tool": r.tool,
                "headline": summarise(r).headline,
                "requester": r.requester,
                "created_at": r.created_at.isoformat(),
                "expires_at": r.expires_at.isoformat() if r.expires_at else None,
                "review_url": settings.write_url(r.id),
            }
            for r in records
        ]
        _out(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        _out(queue_text(records, now=now), end="")
    return OK


def _show(store: WriteStore, args: argparse.Namespace, settings: ReviewSettings) -> int:
    try:
        item = load_item(store, args.write_id, now=datetime.now(UTC))
    except WriteNotFound as exc:
        return _fail(refusal_message(exc), FAILED)
    url = settings.write_url(item.record.id)
    if args.json:
        _out(json.dumps({**item_json(item), "review_url": url}, indent=2, ensure_ascii=False))
    else:
        _out(item_text(item, url=url), end="")
    return OK


def _decide(args: argparse.Namespace, settings: ReviewSettings, factory: ActionsFactory) -> int:
    verb = {"approve": "approve", "reject": "reject", "resolve": "resolve"}[args.command]
    try:
        require_terminal(verb)
        approver = settings.approver(args.as_name)
        if approver is None:
            raise HumanCheckFailed(
                f"{args.as_name!r} is not a configured approver, so it cannot {verb} writes. "
                "Approvers are listed in AFAS_MCP_REVIEWERS (or [review.approvers] in the "
                "AFAS_MCP_CONFIG file). Nothing was changed."
            )
        if args.command == "reject" and not args.reason.strip():
            return _fail("A rejection needs a reason the agent can act on (--reason).", USAGE)
        if args.command == "resolve" and not args.note.strip():
            return _fail("A resolution needs a note saying what you checked (--note).", USAGE)
        if not settings.database.exists():
            return _fail(f"There is no review queue at {settings.database}.", FAILED)
        with WriteStore(settings.database, review_ttl=settings.approval_ttl) as store:
            try:
                item = load_item(store, args.write_id, now=datetime.now(UTC))
            except WriteNotFound as exc:
                return _fail(refusal_message(exc), FAILED)
            open_now = item.can_resolve if args.command == "resolve" else item.can_decide
            if not open_now:
                state = item.expiry_text() or item.record.status.value
                return _fail(f"{item.record.id} is {state}; there is nothing to {verb}.", FAILED)
            url = settings.write_url(item.record.id)
            _out(item_text(item, url=url, full=False))
            secret = ask_secret(f"Secret for approver {approver.name}: ")
            if not verify_secret(secret, approver.secret_hash):
                raise HumanCheckFailed(
                    f"That is not the secret of {approver.name}. Nothing was changed."
                )
            confirm_id(item.record.id, verb)
            # Bound to the payload shown above: the store refuses it if the write holds another.
            result = _run(args, factory(store), item.record.id, approver.name, item.record.digest)
    except HumanCheckFailed as exc:
        return _fail(str(exc), NOT_A_PERSON)
    except (StoreError, ReviewActionsUnavailable, AfasError, ValueError) as exc:
        return _fail(refusal_message(exc), FAILED)
    _out(result_message(result))
    return FAILED if result.status in TROUBLE and result.status is not WriteStatus.DRIFT else OK


def _run(
    args: argparse.Namespace, actions: ReviewActions, write_id: str, who: str, digest: str
) -> ReviewResult:
    if args.command == "approve":
        return asyncio.run(actions.approve(write_id, approver=who, digest=digest))
    if args.command == "reject":
        return asyncio.run(actions.reject(write_id, approver=who, reason=args.reason.strip()))
    return asyncio.run(
        actions.resolve_drift(
            write_id, resolver=who, resolution=args.resolution, note=args.note.strip()
        )
    )


def _hash_secret() -> int:
    """Print the hash of a secret for AFAS_MCP_REVIEWERS; asks twice at a terminal."""
    if sys.stdin.isatty():
        first = ask_secret("New approver secret (at least 12 characters): ", stdout=sys.stderr)
        again = ask_secret("The same secret again: ", stdout=sys.stderr)
        if first != again:
            return _fail("The two secrets differ; nothing was made.", USAGE)
    else:
        first = sys.stdin.readline().rstrip("\r\n")  # provisioning scripts pipe it in
    try:
        encoded = hash_secret(first)
    except ValueError as exc:
        return _fail(str(exc), USAGE)
    _out(encoded)
    sys.stderr.write("Configure it as AFAS_MCP_REVIEWERS='name=<the line above>' (quote the $).\n")
    return OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="afas-mcp review",
        description="See the writes agents asked for and decide on the held ones. Deciding "
        "needs a configured approver at a terminal; agents cannot approve.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    statuses = [s.value for s in WriteStatus]
    p = sub.add_parser("list", help="the queue: held writes first, then drift, unknown, recent")
    p.add_argument("--status", action="append", choices=statuses, help="only these (repeatable)")
    p.add_argument("--limit", type=int, default=50, help="at most this many (50)")
    p.add_argument("--json", action="store_true", help="JSON instead of a table")
    p = sub.add_parser("show", help="one write: what, why held, payload, read-back, audit trail")
    p.add_argument("write_id")
    p.add_argument("--json", action="store_true", help="JSON instead of text")
    for name, help_ in (
        ("approve", "approve a held write; it is then checked again and sent to AFAS"),
        ("reject", "reject a held write with a reason; nothing is sent"),
        ("resolve", "record how a drift (AFAS stored other values) was settled"),
    ):
        p = sub.add_parser(name, help=help_)
        p.add_argument("write_id")
        p.add_argument("--as", dest="as_name", required=True, metavar="NAME", help="approver name")
        if name == "reject":
            p.add_argument("--reason", required=True, help="why, in words the agent can act on")
        if name == "resolve":
            p.add_argument("--resolution", required=True, choices=["acknowledged", "corrected"])
            p.add_argument("--note", required=True, help="what you checked or changed in AFAS")
    p = sub.add_parser("serve", help="serve the review web page (loopback only by default)")
    p.add_argument("--host", help="bind address (AFAS_MCP_REVIEW_HOST, else 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (AFAS_MCP_REVIEW_PORT, else 8766)")
    sub.add_parser("hash-secret", help="make the hash of an approver secret for the config")
    return parser


def _out(text: str, *, end: str = "\n", stream: TextIO | None = None) -> None:
    (stream or sys.stdout).write(text + end)


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"afas-mcp review: {message}\n")
    return code
