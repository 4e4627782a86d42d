"""The review CLI's text: the queue as a table and one write as a readable report.

Every line passes `visible()`, so text an agent supplied cannot carry terminal escape sequences
that would redraw what the approver sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from server.review.item import ReviewItem, confidence_verdict, duration, pretty, when
from server.review.markup import visible
from server.review.summary import Summary, summarise
from server.store import AuditEntry, WriteRecord, WriteStatus
from server.write_status import explain

S = WriteStatus
_OUTCOME = {"deny": "DENY  ", "review": "REVIEW", "allow": "allow "}


def queue_text(records: Sequence[WriteRecord], *, now: datetime) -> str:
    """The queue as an aligned table, one write per line."""
    if not records:
        return "No writes to show.\n"
    rows = [("STATUS", "WRITE ID", "WHAT", "REQUESTED BY", "WHEN")]
    for record in records:
        headline = summarise(record).headline
        rows.append(
            (
                record.status.value,
                record.id,
                headline if len(headline) <= 60 else headline[:59] + "…",
                record.requester,
                _when_column(record, now),
            )
        )
    widths = [max(len(visible(row[i])) for row in rows) for i in range(4)]
    lines = [
        "  ".join(
            visible(cell).ljust(widths[i]) if i < len(widths) else visible(cell)
            for i, cell in enumerate(row)
        )
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def item_text(item: ReviewItem, *, url: str, full: bool = True) -> str:
    """One write: what, why held, the verdicts, the payload, the read-back and the trail."""
    r = item.record
    out: list[str] = [f"Write {r.id}: {r.status.value}", item.summary.headline, ""]
    out += _summary_lines(item.summary)
    out += [
        "",
        f"Asked by {r.requester} through {r.tool} ({r.connector} {r.action}) "
        f"on {when(r.created_at)}.",
        explain(r),
    ]
    if item.expiry_text():
        out.append(f"It {item.expiry_text()}.")
    if item.held_because:
        out += ["", "Why it is held"] + [f"  - {reason}" for reason in item.held_because]
    if item.verdicts:
        out += ["", "Policy verdicts"]
        for v in item.verdicts:
            quirk = f" [{v.quirk}]" if v.quirk else ""
            out.append(f"  {_OUTCOME.get(v.outcome, v.outcome)}  {v.policy}{quirk}: {v.reason}")
            if v.hint:
                out.append(f"          hint: {v.hint}")
    out += ["", *_confidence(r)]
    target = f", record {_keys(r.target)}" if r.target else ""
    out += ["", f"AFAS payload ({r.connector} {r.action}{target}; digest {r.digest[:12]})"]
    out += _indent(item.payload_json)
    out += _read_back(r)
    if r.error is not None:
        ref = f" (AFAS log reference {r.error.log_reference})" if r.error.log_reference else ""
        out += ["", f"AFAS error: {r.error.message}{ref}"]
    if full:
        out += ["", "Audit trail"] + [line for entry in item.trail for line in _entry(entry)]
        out += ["", f"Review page: {url}"]
        if item.can_decide:
            out.append(
                f"Decide: afas-mcp review approve {r.id} --as NAME   or   "
                f"afas-mcp review reject {r.id} --as NAME --reason TEXT"
            )
        if item.can_resolve:
            out.append(
                f"Resolve: afas-mcp review resolve {r.id} --as NAME "
                "--resolution acknowledged|corrected --note TEXT"
            )
    return "\n".join(visible(line) for line in out) + "\n"


def _summary_lines(summary: Summary) -> list[str]:
    width = max((len(label) for label, _ in summary.rows), default=0)
    lines = [f"  {label.ljust(width)}  {value}" for label, value in summary.rows]
    if summary.table is not None:
        lines += [""] + [f"  {line}" for line in _table(summary.table.header, summary.table.rows)]
    lines += [f"  ! {note}" for note in summary.notes]
    return lines


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    all_rows = [list(header), *[list(r) for r in rows]]
    widths = [max(len(row[i]) for row in all_rows) for i in range(len(header))]
    keep = [i for i, w in enumerate(widths) if any(row[i] for row in all_rows[1:])]
    return ["  ".join(row[i].ljust(widths[i]) for i in keep).rstrip() for row in all_rows]


def _confidence(r: WriteRecord) -> list[str]:
    score = f"{r.confidence:.2f}" if r.confidence is not None else "not scored"
    source = (
        f"; the agent's own certainty about its input: {r.source_confidence:.2f}"
        if r.source_confidence is not None
        else "; the agent reported no doubt about its input"
    )
    lines = [f"Confidence: {score}{source}"]
    detail = r.confidence_detail
    if detail is not None:
        lines.append(f"Why this confidence: {confidence_verdict(detail)}")
        width = max((len(f.name) for f in detail.factors), default=0)
        lines += [
            f"  {f.name.ljust(width)}  x {f.value:.2f}  {f.explanation}" for f in detail.factors
        ]
    return lines


def _read_back(r: WriteRecord) -> list[str]:
    rb = r.read_back
    if rb is None:
        return []
    out = ["", f"Read back from AFAS: {rb.result}"]
    if rb.reason:
        out.append(f"  {rb.reason}")
    if rb.diffs:
        rows = [(d.field, _value(d.expected), _value(d.actual)) for d in rb.diffs]
        out += [f"  {line}" for line in _table(("FIELD", "SENT", "STORED BY AFAS"), rows)]
    return out


def _entry(entry: AuditEntry) -> list[str]:
    move = ""
    if entry.to_status is not None and entry.to_status is not entry.from_status:
        before = entry.from_status.value if entry.from_status else "(new)"
        move = f"  {before} -> {entry.to_status.value}"
    lines = [f"  {when(entry.at)}  {entry.step.value} by {entry.actor}{move}"]
    if entry.detail:
        lines += _indent(pretty(entry.detail), prefix="      ")
    return lines


def _when_column(record: WriteRecord, now: datetime) -> str:
    if record.status is S.PENDING_REVIEW and record.expires_at is not None:
        left = record.expires_at - now
        return f"expires in {duration(left)}" if left.total_seconds() > 0 else "expired"
    return when(record.updated_at)


def _keys(keys: dict[str, str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in keys.items())


def _value(value: object) -> str:
    return "(empty)" if value in (None, "") else str(value)


def _indent(text: str, *, prefix: str = "  ") -> list[str]:
    return [prefix + line for line in text.splitlines()] or [prefix]
