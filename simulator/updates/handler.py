"""The `Simulator.update_handler`: one POST, PUT or DELETE on `/connectors/{UpdateConnector}/...`.

The dispatcher has authenticated the call, checked that the token may use the connector and
applied W21 and the before-apply faults. This module parses the body, plans the change (plan.py),
applies it and answers: POST/PUT 201 `{"results": ...}`, DELETE 200 with no body, a body that is
not JSON 400 `{"message": "Invalid json"}`, a refused write an AfasError (the app renders the 500).

Quirks handled around the planning:
- W15 on: an armed journal lock (`WriteSide.lock_journals`) answers FiEntries posts with the
  transient "locked by another user" 500.
- W9 on: an employee insert with a generated code reserves it and waits `w9_overlap_seconds`; an
  insert that starts meanwhile gets the same code and overwrites the first one's employee.
- W16 on: the after-apply faults (`drop_after_apply`, `hang_after_apply`) act after the change
  is stored, so the change stays although the client saw no answer. Off (idealised): they act
  before, and nothing is stored.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from simulator.catalogue import UPDATE_CONNECTORS_BY_ID
from simulator.errors import AfasError, empty, json_response
from simulator.updates.changes import StoredRow, stored_summary
from simulator.updates.context import WriteContext
from simulator.updates.entries import LOCKED
from simulator.updates.envelope import InvalidJson, parse_body, parse_envelope
from simulator.updates.journal import WriteRecord
from simulator.updates.plan import NoSuchRoute, plan_delete, plan_write

if TYPE_CHECKING:
    from simulator.calls import Call
    from simulator.updates.envelope import Envelope
    from simulator.updates.side import WriteSide

_BY_LOWER = {name.lower(): name for name in UPDATE_CONNECTORS_BY_ID}


async def handle_call(side: WriteSide, call: Call) -> Response:
    """Answer one UpdateConnector call and journal what happened."""
    sim = side.sim
    environment = call.environment or sim.environment
    connector = _BY_LOWER.get(call.segments[1].lower()) if len(call.segments) > 1 else None
    if connector is None:
        return empty(404)
    ctx = WriteContext(
        tenant=environment.tenant,
        quirks=sim.quirks,
        settings=side.settings,
        method=call.method,
        connector=connector,
    )
    outcome: dict[str, Any] = {"status": None, "results": None, "error": None, "request": None}
    stored: list[StoredRow] = []
    journalled: WriteRecord | None = None

    def record(number: int | None = None) -> WriteRecord:
        return WriteRecord(
            number=number if number is not None else side.journal.next_number(),
            time=datetime.now(UTC),
            method=call.method,
            connector=connector,
            path=call.route_path,
            integration_id=call.integration_id,
            request=outcome["request"],
            status=outcome["status"],
            results=outcome["results"],
            error=outcome["error"],
            stored=tuple(stored),
            quirks=tuple(ctx.notes),
            ignored_fields=tuple(dict.fromkeys(ctx.ignored)),
            unknown=tuple(ctx.unknown_values),
        )

    def unanswered() -> None:
        # Journalled before the connection drops or the hang starts: the client's failure
        # must not overtake the journal.
        nonlocal journalled
        journalled = record()
        side.journal.append(journalled)

    call.unanswered.append(unanswered)
    try:
        response = await _answer(side, call, ctx, connector, outcome, stored)
        outcome["status"] = response.status_code
        return response
    except AfasError as error:
        outcome["status"], outcome["error"] = 500, error.message
        raise
    finally:
        if ctx.reserved_employee is not None:
            side.release_employee_id(ctx.reserved_employee[0])
        if journalled is None:
            side.journal.append(record())
        elif outcome["status"] is not None:  # a hang that ended in AFAS's timeout 500
            side.journal.replace(record(journalled.number))


async def _answer(
    side: WriteSide,
    call: Call,
    ctx: WriteContext,
    connector: str,
    outcome: dict[str, Any],
    stored: list[StoredRow],
) -> Response:
    sub_path = call.segments[2:]
    if call.method == "DELETE":
        plan_delete(ctx, connector, sub_path)
        await _apply(side, call, ctx, stored)
        return Response(b"", 200)
    try:
        payload = parse_body(call.body)
    except InvalidJson:
        return json_response({"message": "Invalid json"}, 400)
    outcome["request"] = payload
    envelope = parse_envelope(payload)
    posting = connector == "FiEntries" and call.method == "POST"
    if posting and ctx.on("W15_transient_lock_500") and side.take_journal_lock():
        ctx.note("W15: the journal was locked by another user; retry succeeds")
        raise AfasError(LOCKED)
    await _reserve_employee(side, ctx, connector, envelope, sub_path)
    try:
        results = plan_write(ctx, connector, envelope, sub_path)
    except NoSuchRoute:
        return empty(404)
    await _apply(side, call, ctx, stored)
    outcome["results"] = results.body()
    return json_response(results.body(), 201)


async def _reserve_employee(
    side: WriteSide, ctx: WriteContext, connector: str, envelope: Envelope, sub_path: list[str]
) -> None:
    """W9: hold a generated employee code for a moment, so a parallel insert can share it."""
    if connector != "KnEmployee" or ctx.method != "POST" or sub_path:
        return
    if not ctx.on("W9_parallel_inserts_share_employee_id") or len(envelope.elements) != 1:
        return
    element = envelope.elements[0]
    if element.key("EmId") not in (None, "") or element.action == "update":
        return
    ctx.reserved_employee = side.reserve_employee_id(ctx.tenant, share=True)
    await asyncio.sleep(side.settings.w9_overlap_seconds)


async def _apply(side: WriteSide, call: Call, ctx: WriteContext, stored: list[StoredRow]) -> None:
    """Commit the planned changes, with the after-apply faults before or after (W16)."""
    sim = side.sim
    keeps_processing = ctx.on("W16_keeps_processing_after_timeout")
    if not keeps_processing:
        await sim.after_apply(call)  # the idealised API: no answer, no change
    stored.extend(ctx.changes.commit(ctx.tenant, call.environment or sim.environment))
    call.scope["afas_stored"] = stored_summary(stored)
    if keeps_processing:
        await sim.after_apply(call)
