"""The ASGI application: request log, fault injection and error rendering around the dispatcher.

This layer is plain ASGI (with Starlette's request and response types) rather than a Starlette
router, because a dropped connection must send nothing at all, and Starlette's error middleware
would answer a 500 for it.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from simulator.calls import Call
from simulator.core import ResponseSuppressed, Simulator, drop_connection, hang
from simulator.dispatch import Forbidden, dispatch, locate
from simulator.errors import AfasError, empty, error_500, unavailable
from simulator.reqlog import LoggedRequest, ProfitLogEntry, redact_headers

# Response headers every AFAS answer carries (OpenAPI examples).
STANDARD_HEADERS = [
    (b"cache-control", b"no-store, no-cache"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"deny"),
    (b"access-control-allow-origin", b"*"),
]
# What the obsolete header says instead of the body's message (quirk R18): a client that reads
# it gets something other than the real error.
X_PROFIT_ERROR_TEXT = "Er is een fout opgetreden. Raadpleeg het logboek van de omgeving."


class SimulatorApp:
    """ASGI entry point for one Simulator."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        self.sim.requests_in_flight += 1
        try:
            await self._serve(scope, receive, send)
        finally:
            self.sim.requests_in_flight -= 1

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        started, clock = datetime.now(UTC), time.perf_counter()
        call = Call(
            scope=scope,
            receive=receive,
            method=scope["method"].upper(),
            path=scope["path"],
            query=scope.get("query_string", b"").decode("latin-1"),
            headers=Headers(scope=scope),
            body=await _read_body(receive),
        )
        number: int | None = None  # set once the call is logged

        def log(status: int | None, body: bytes) -> None:
            nonlocal number
            if number is not None and status is None:
                return  # logged as unanswered already (a drop, or a hang the client gave up)
            seconds = time.perf_counter() - clock
            entry = self._log_entry(call, started, seconds, status, body, number)
            if number is None:
                self.sim.request_log.append(entry)
            else:
                self.sim.request_log.replace(entry)  # a hang that ended in AFAS's timeout 500
            number = entry.number
            if status is not None:
                self._profit_log(call, status, entry.response_body)

        call.unanswered.append(lambda: log(None, b""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *STANDARD_HEADERS]}
            await send(message)

        try:
            response = await self._respond(call)
        except ResponseSuppressed:
            log(None, b"")
            return
        except BaseException:
            log(None, b"")
            raise
        # Logged before the first byte leaves: a client that has its answer (an empty body is
        # complete with the headers) can already find the call, status and body in the log.
        log(response.status_code, bytes(response.body))
        await response(scope, receive, send_with_headers)

    async def _respond(self, call: Call) -> Response:
        sim = self.sim
        if sim.maintenance_retry_after is not None:
            return unavailable(
                sim.maintenance_retry_after,
                "Service temporarily unavailable due to scheduled maintenance.",
            )
        if not locate(call):
            return empty(404)
        try:
            fault = await self._fault_before(call)
            if fault is not None:
                return fault
            return await dispatch(sim, call)
        except AfasError as error:
            return self._error(error)
        except Forbidden:
            return empty(403)

    async def _fault_before(self, call: Call) -> Response | None:
        rule = self.sim.faults.take(call.method, call.route_path, after_apply=False)
        if rule is None:
            return None
        call.notes.append(f"fault {rule.kind}")
        if rule.kind == "latency":
            await asyncio.sleep(rule.seconds or 0.0)
            return None
        if rule.kind == "error_500":
            raise AfasError(rule.message or "An unexpected error has occurred.")
        if rule.kind == "error_503":
            return unavailable(rule.retry_after, rule.message or "Service temporarily unavailable.")
        if rule.kind == "drop":
            await drop_connection(call)
        await hang(call, rule.seconds or self.sim.settings.hang_seconds)

    def _error(self, error: AfasError) -> Response:
        header = X_PROFIT_ERROR_TEXT if self.sim.quirks.is_on("R18_x_profit_error_header") else None
        return error_500(error, self.sim.log_references.next(), x_profit_error=header)

    def _log_entry(
        self,
        call: Call,
        started: datetime,
        seconds: float,
        status: int | None,
        body: bytes,
        number: int | None,
    ) -> LoggedRequest:
        return LoggedRequest(
            number=number if number is not None else self.sim.request_log.next_number(),
            started=started,
            duration_ms=round(seconds * 1000, 3),
            method=call.method,
            path=call.path,
            query=call.query,
            headers=redact_headers(call.scope.get("headers", [])),
            body=call.body.decode("utf-8", "replace"),
            status=status,
            response_body=body.decode("utf-8", "replace"),
            token_label=call.credential.label if call.credential else None,
            environment_id=call.environment.environment_id if call.environment else None,
            integration_id=call.integration_id,
            accept_language=call.accept_language,
            notes=tuple(call.notes),
        )

    def _profit_log(self, call: Call, status: int, response_body: str) -> None:
        """AFAS logs errors and connector writes (never bodies, under W17)."""
        is_write = call.method in ("POST", "PUT", "DELETE")
        if not (status == 500 or (is_write and status < 300)):
            return
        message, reference = None, None
        if status == 500:
            try:
                parsed = json.loads(response_body)
                message, reference = parsed.get("externalMessage"), parsed.get("profitLogReference")
            except (ValueError, AttributeError):
                pass
        quirks = self.sim.quirks
        stored = call.scope.get("afas_stored")
        self.sim.profit_log.append(
            ProfitLogEntry(
                reference=reference or self.sim.log_references.next(),
                time=datetime.now(UTC),
                method=call.method,
                path=call.path,
                status=status,
                message=message,
                request_body=None
                if quirks.is_on("W17_no_request_bodies_in_log")
                else call.body.decode("utf-8", "replace"),
                stored=None if quirks.is_on("W14_log_shows_request_not_stored") else stored,
            )
        )


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
