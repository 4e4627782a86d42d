"""What happened on the wire (the request log) and what AFAS itself would log (the Profit log)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

REDACTED = "<redacted>"


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the simulator saw it, with the answer it gave.

    `status` is None when no answer was sent (a dropped connection or a hang). The Authorization
    header keeps its scheme but not its value.
    """

    number: int
    started: datetime
    duration_ms: float
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: str
    status: int | None
    response_body: str
    token_label: str | None
    environment_id: str | None
    integration_id: str | None
    accept_language: str | None
    notes: tuple[str, ...] = ()

    @property
    def response_json(self) -> Any:
        """The response body parsed as JSON (raises on an empty or non-JSON body)."""
        import json

        return json.loads(self.response_body)


def redact_headers(headers: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Headers as a dict, with the Authorization value replaced by `<scheme> <redacted>`."""
    out: dict[str, str] = {}
    for raw_name, raw_value in headers:
        name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
        if name.lower() == "authorization":
            scheme = value.split(" ", 1)[0] if " " in value else ""
            value = f"{scheme} {REDACTED}".strip()
        out[name] = value
    return out


class RequestLog:
    """Every request, in the order their answers were ready; safe to read from the test thread.

    A call is logged, status and body included, before the first byte of its answer is sent
    (and before its connection is dropped, or its hang begins), so a client that has its
    answer can find the call in the log at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[LoggedRequest] = []
        self._count = 0

    def next_number(self) -> int:
        with self._lock:
            self._count += 1
            return self._count

    def append(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._entries.append(entry)

    def replace(self, entry: LoggedRequest) -> None:
        """Put a later version of an entry (same number) in its place."""
        with self._lock:
            for index in range(len(self._entries) - 1, -1, -1):
                if self._entries[index].number == entry.number:
                    self._entries[index] = entry
                    return
            self._entries.append(entry)  # cleared meanwhile: keep the final version

    @property
    def entries(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._entries)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def last(self) -> LoggedRequest:
        with self._lock:
            if not self._entries:
                raise LookupError("no request has been logged")
            return self._entries[-1]

    def find(self, *, method: str | None = None, path_contains: str = "") -> list[LoggedRequest]:
        """Entries by method and a case-insensitive piece of the path."""
        needle = path_contains.lower()
        return [
            entry
            for entry in self.entries
            if (method is None or entry.method == method.upper()) and needle in entry.path.lower()
        ]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


@dataclass(frozen=True)
class ProfitLogEntry:
    """An entry of the environment log an AFAS administrator reads.

    AFAS logs errors and connector writes, never request bodies (quirk W17), and shows what was
    sent rather than what was stored (quirk W14). With those switches off, `request_body` and
    `stored` carry what an ideal log would keep.
    """

    reference: str
    time: datetime
    method: str
    path: str
    status: int
    message: str | None
    request_body: str | None
    stored: dict[str, Any] | None


@dataclass
class ProfitLog:
    """The environment log."""

    _entries: list[ProfitLogEntry] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def append(self, entry: ProfitLogEntry) -> None:
        with self._lock:
            self._entries.append(entry)

    @property
    def entries(self) -> list[ProfitLogEntry]:
        with self._lock:
            return list(self._entries)

    def by_reference(self, reference: str) -> ProfitLogEntry:
        for entry in self.entries:
            if entry.reference == reference:
                return entry
        raise LookupError(f"no Profit log entry {reference}")

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
