"""`GET /connectors/{id}`: paging, sorting and filtering a GetConnector, with the read quirks."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from simulator.calls import Call
from simulator.catalogue import Field, GetConnector, Row
from simulator.core import Simulator
from simulator.errors import OUT_OF_MEMORY, AfasError, json_bytes
from simulator.filters import FilterProblem, compile_filter
from simulator.query import PageRequest, parse_page_request
from simulator.render import row_renderer


async def read_connector(sim: Simulator, call: Call, connector: GetConnector) -> Response:
    """Answer one GetConnector call (auth and access were checked by the dispatcher)."""
    page = parse_page_request(call.params)
    if not sim.quirks.is_on("R9_stale_cache_under_concurrency"):
        return await _answer(sim, call, connector, page)
    # R9: a read that overlaps another of the same connector and token gets the payload the
    # last identical read produced, however old.
    key = (call.token.label, call.env.environment_id, connector.id)
    overlapping = sim.stale_reads.begin(key)
    try:
        cached = sim.stale_reads.cached(key, call.query) if overlapping else None
        if cached is not None:
            call.notes.append("R9 stale payload")
            return Response(cached, 200, media_type="application/json; charset=utf-8")
        await asyncio.sleep(sim.settings.r9_delay_seconds)
        response = await _answer(sim, call, connector, page)
        if response.status_code == 200:
            sim.stale_reads.remember(key, call.query, bytes(response.body))
        return response
    finally:
        sim.stale_reads.end(key)


async def _answer(
    sim: Simulator, call: Call, connector: GetConnector, page: PageRequest
) -> Response:
    quirks, settings = sim.quirks, sim.settings
    view = call.env.view(connector)
    shape = view.shape
    columns = {f.id: (index, f) for index, f in enumerate(shape.fields)}
    for field_id, _descending in page.order_by:
        if field_id not in columns:
            raise AfasError(f"Connector field '{field_id}' not found")
    predicate, nothing = _predicate(sim, call, page, columns)
    rows: list[Row] = []
    total: int | None = 0
    counted = not quirks.is_on("R8_no_total_count")
    if not nothing:
        offset = 0 if page.get_all else page.skip
        if quirks.is_on("R12_one_indexed_skip") and offset > 0:
            offset -= 1  # skip=0 and skip=1 both start at the first record
        limit = page.take
        if quirks.is_on("R13_take_capped_at_1000") and limit > settings.take_cap:
            limit = settings.take_cap
        rows, total = view.select(
            order_by=page.order_by,
            shuffle=None if page.order_by else _shuffle(sim),
            predicate=predicate,
            filter_key=page.filter if predicate is not None else None,
            offset=offset,
            limit=None if page.get_all else limit,
            count=counted,
        )
    cells = len(rows) * len(shape.fields)
    if quirks.is_on("R13_out_of_memory_over_cell_budget") and cells > settings.cell_budget:
        raise AfasError("Out of memory", OUT_OF_MEMORY)
    if quirks.is_on("R17_slow_large_skip") and page.skip > settings.r17_skip_threshold:
        await asyncio.sleep(settings.r17_delay_seconds)
    render = row_renderer(
        shape.fields,
        local_with_z=quirks.is_on("R7_local_time_with_z"),
        dutch=shape.dutch_decimals if quirks.is_on("R4_dutch_decimal_strings") else frozenset(),
    )
    body: dict[str, Any] = {"skip": page.skip, "take": page.take, "rows": [render(r) for r in rows]}
    if counted:
        body["total"] = total
    return Response(json_bytes(body), 200, media_type="application/json; charset=utf-8")


def _predicate(
    sim: Simulator, call: Call, page: PageRequest, columns: dict[str, tuple[int, Field]]
) -> tuple[Callable[[Row], bool] | None, bool]:
    """The row filter, and whether the answer is empty whatever the rows (R2, W6)."""
    if not page.filtered:
        return None, False
    try:
        predicate = compile_filter(page.filter, columns)
    except FilterProblem as problem:
        if problem.kind == "string_operator":
            if sim.quirks.is_on("R14_string_operator_unfiltered"):
                call.notes.append("R14 unfiltered table")
                return None, False
        elif sim.quirks.is_on("R2_bad_filter_empty_200"):
            call.notes.append("R2 empty 200")
            return None, True
        raise AfasError(problem.message) from None
    if call.hex_only_token:
        call.notes.append("W6 hex-only token: filtered read answers empty")
        return None, True
    return predicate, False


def _shuffle(sim: Simulator) -> random.Random | None:
    """Rows without orderbyfieldids: "the database decides", differently each call (R15)."""
    if not sim.quirks.is_on("R15_unstable_order_without_orderby"):
        return None
    return random.Random(f"{sim.seed}:{next(sim.shuffle_seeds)}")  # noqa: S311 - row order
