"""One held write as the approvers' surfaces show it, and the queue in the order people work it.

`ReviewItem` gathers what the CLI and the web page both render: the plain-terms summary, why
the write is held, the exact payload, the read-back, the audit trail, and which decisions are
open. Everything agent- or AFAS-supplied passes the scrubber once more on the way out: the
store already removed secrets when it wrote them, and a page that authorises payroll writes
does not rely on one net.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from server.review.summary import Summary, summarise
from server.store import (
    AuditEntry,
    Scrubber,
    StoredConfidence,
    StoredVerdict,
    WriteRecord,
    WriteStatus,
)

S = WriteStatus

# AFAS Profit is used in the Netherlands; approvers read times in their own zone.
DISPLAY_ZONE = ZoneInfo("Europe/Amsterdam")

# The queue's order: what waits for a person first, what needs a look next, then the rest.
ATTENTION: tuple[WriteStatus, ...] = (S.PENDING_REVIEW, S.DRIFT, S.UNKNOWN)
_STRICTNESS = {"deny": 0, "review": 1, "allow": 2}
_SCRUBBER = Scrubber()


class QueueSource(Protocol):
    """The part of `WriteStore` the surfaces read."""

    def get(self, write_id: str) -> WriteRecord: ...

    def list_writes(
        self, *, statuses: Iterable[WriteStatus] | None = None, limit: int = 100
    ) -> list[WriteRecord]: ...

    def audit_trail(self, write_id: str) -> list[AuditEntry]: ...


@dataclass(frozen=True)
class ReviewItem:
    """A write with everything an approver needs to decide on it."""

    record: WriteRecord
    summary: Summary
    trail: tuple[AuditEntry, ...]
    now: datetime

    @property
    def verdicts(self) -> list[StoredVerdict]:
        """The policy verdicts, strictest first."""
        return sorted(self.record.verdicts, key=lambda v: _STRICTNESS.get(v.outcome, 0))

    @property
    def held_because(self) -> list[str]:
        """Why a person has to look at it, beyond the verdicts (which are shown as a table)."""
        reasons: list[str] = []
        if self.record.review_reason:
            reasons.append(self.record.review_reason)
        if self.record.status is S.DRIFT and self.record.read_back is not None:
            fields = ", ".join(d.field for d in self.record.read_back.diffs)
            reasons.append(f"AFAS stored other values than were sent, in: {fields or 'fields'}")
        if self.record.status is S.UNKNOWN:
            reasons.append("AFAS's answer was lost; it may or may not have applied the write")
        return list(dict.fromkeys(reasons))

    @property
    def can_decide(self) -> bool:
        """Whether it can still be approved or rejected (held, and not past its expiry)."""
        expired = self.record.expires_at is not None and self.record.expires_at <= self.now
        return self.record.status is S.PENDING_REVIEW and not expired

    @property
    def can_resolve(self) -> bool:
        """Whether a drift waits to be resolved."""
        return self.record.status is S.DRIFT

    @property
    def payload_json(self) -> str:
        """The exact AFAS body, indented for reading."""
        return pretty(self.record.body)

    def expiry_text(self) -> str:
        """When a held write lapses: "expires Tue 5 Mar 2026 10:00 CET (in 2 days 3 h)", or ""."""
        expires = self.record.expires_at
        if expires is None or self.record.status not in (S.PENDING_REVIEW, S.APPROVED):
            return ""
        left = expires - self.now
        if left <= timedelta(0):
            return f"expired {when(expires)}"
        return f"expires {when(expires)} (in {duration(left)})"


def load_item(source: QueueSource, write_id: str, *, now: datetime) -> ReviewItem:
    """The item for one write, secrets scrubbed once more.

    Raises:
        WriteNotFound: no write has this id.
    """
    record = scrub_record(source.get(write_id.strip()))
    trail = tuple(scrub_entry(entry) for entry in source.audit_trail(record.id))
    return ReviewItem(record=record, summary=summarise(record), trail=trail, now=now)


def queue(
    source: QueueSource, *, statuses: Sequence[WriteStatus] = (), limit: int = 50
) -> list[WriteRecord]:
    """The writes to show: the asked statuses, or those needing attention first, then recent.

    Held writes come soonest-expiring first, so the one that lapses next is on top.
    """
    if statuses:
        records = source.list_writes(statuses=statuses, limit=limit)
    else:
        urgent = source.list_writes(statuses=ATTENTION, limit=limit)
        others = [s for s in WriteStatus if s not in ATTENTION]
        records = urgent + source.list_writes(statuses=others, limit=limit)
    rank = {status: index for index, status in enumerate(ATTENTION)}
    far = datetime.max.replace(tzinfo=DISPLAY_ZONE)

    def order(record: WriteRecord) -> tuple[int, datetime, float]:
        due = record.expires_at or far
        return rank.get(record.status, len(rank)), due, -record.created_at.timestamp()

    return [scrub_record(r) for r in sorted(records, key=order)[:limit]]


def item_json(item: ReviewItem) -> dict[str, Any]:
    """The item as JSON-able data (`review show --json`)."""
    summary = item.summary
    table = summary.table
    return {
        "write": item.record.model_dump(mode="json"),
        "summary": {
            "headline": summary.headline,
            "facts": [{"label": label, "value": value} for label, value in summary.rows],
            "table": (
                {"header": list(table.header), "rows": [list(r) for r in table.rows]}
                if table
                else None
            ),
            "notes": list(summary.notes),
        },
        "held_because": item.held_because,
        "can_decide": item.can_decide,
        "can_resolve": item.can_resolve,
        "audit": [entry.model_dump(mode="json") for entry in item.trail],
    }


def confidence_verdict(detail: StoredConfidence) -> str:
    """What the score meant when the write was asked for, in words."""
    if detail.below_threshold:
        return (
            f"{detail.score:.2f} is below the threshold {detail.threshold:.2f} for this tool, "
            "so it waits for a person even where every policy allows it. The score is the "
            "product of:"
        )
    return (
        f"{detail.score:.2f} meets the threshold {detail.threshold:.2f} for this tool, so the "
        "score alone did not hold it. The score is the product of:"
    )


def scrub_record(record: WriteRecord) -> WriteRecord:
    """The record with secrets removed from everything agents or AFAS supplied."""
    data = record.model_dump(mode="json")
    for key in (
        "facts",
        "read_back",
        "error",
        "review_reason",
        "rejection_reason",
        "target",
        "confidence_detail",
    ):
        data[key] = _SCRUBBER.scrub(data[key])
    data["body"] = _SCRUBBER.scrub(data["body"])  # the store refuses such a body; belt and braces
    return WriteRecord.model_validate(data)


def scrub_entry(entry: AuditEntry) -> AuditEntry:
    """An audit entry with its request/response bodies scrubbed once more."""
    return entry.model_copy(update={"detail": _SCRUBBER.scrub(entry.detail)})


def pretty(value: object) -> str:
    """JSON indented by two, non-ASCII kept (Dutch names), for a person to read."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def when(moment: datetime | None) -> str:
    """A time in the approvers' zone: "Mon 2 Mar 2026 10:00 CET"."""
    if moment is None:
        return "an unrecorded time"
    local = moment.astimezone(DISPLAY_ZONE)
    return f"{local:%a} {local.day} {local:%b %Y %H:%M %Z}"


def duration(span: timedelta) -> str:
    """A rough length of time for people: "2 days 3 h", "3 h 20 min", "4 min"."""
    minutes = max(0, int(span.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h"
    if hours:
        return f"{hours} h {mins} min"
    return f"{mins} min"
