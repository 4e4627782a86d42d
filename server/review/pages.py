"""The review page's HTML: the layout, the login form, the queue, and one write.

Every value goes through `markup.render`, which escapes it; the only unescaped parts are the
templates below and markup built from them. No page carries a script.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from server.review.item import ATTENTION, ReviewItem, confidence_verdict, duration, pretty, when
from server.review.markup import Safe, join, render
from server.review.summary import Summary, summarise
from server.store import AuditEntry, WriteRecord, WriteStatus
from server.write_status import explain

S = WriteStatus
ROOT = "/review"


def layout(
    title: str,
    body: Safe,
    *,
    user: str | None,
    csrf: str,
    flash: tuple[str, str] | None = None,
) -> Safe:
    """A whole page: the bar (with sign-out when signed in), one message, the body."""
    who = Safe("")
    if user:
        who = render(
            '<span class="who">Signed in as <strong>$user</strong> · '
            '<form method="post" action="$root/logout"><input type="hidden" name="csrf" '
            'value="$csrf"><button class="link" type="submit">Sign out</button></form></span>',
            user=user,
            csrf=csrf,
            root=ROOT,
        )
    message = Safe("")
    if flash:
        level = flash[0] if flash[0] in {"ok", "warn", "error"} else "warn"
        message = render(
            '<div class="flash $level" role="status">$text</div>', level=level, text=flash[1]
        )
    return render(
        """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>$title · afas-mcp review</title>
<link rel="stylesheet" href="$root/static/review.css"></head>
<body><header class="bar"><a class="brand" href="$root">afas-mcp review</a>$who</header>
<main>$message$body</main></body></html>
""",
        title=title,
        root=ROOT,
        who=who,
        message=message,
        body=body,
    )


def login_page(*, csrf: str, next_url: str, name: str = "", error: str | None = None) -> Safe:
    """The sign-in form for configured approvers."""
    problem = (
        render('<div class="flash error" role="alert">$e</div>', e=error) if error else Safe("")
    )
    return render(
        """<div class="card login"><h1>Sign in to review</h1>
<p class="meta">Only configured approvers can see and decide on held writes.</p>$problem
<form method="post" action="$root/login">
<input type="hidden" name="csrf" value="$csrf"><input type="hidden" name="next" value="$next">
<label for="name">Approver name</label>
<input id="name" name="name" type="text" autocomplete="username" value="$name" required>
<label for="secret">Secret</label>
<input id="secret" name="secret" type="password" autocomplete="current-password" required>
<button class="primary" type="submit">Sign in</button></form></div>""",
        problem=problem,
        root=ROOT,
        csrf=csrf,
        next=next_url,
        name=name,
    )


def queue_page(
    records: Sequence[WriteRecord], *, statuses: Sequence[WriteStatus], now: datetime
) -> Safe:
    """The queue: filters, then the writes grouped by what they need."""
    chips = [
        render('<a href="$root"$on>Needs attention first</a>', root=ROOT, on=_on(not statuses))
    ]
    chips += [
        render(
            '<a href="$root?status=$s"$on>$label</a>',
            root=ROOT,
            s=s.value,
            label=_label(s),
            on=_on(list(statuses) == [s]),
        )
        for s in WriteStatus
    ]
    filters = render('<nav class="filters" aria-label="Filter by status">$c</nav>', c=join(chips))
    if statuses:
        groups = [(", ".join(_label(s) for s in statuses), list(records))]
    else:
        groups = [
            ("Waiting for a decision", [r for r in records if r.status is S.PENDING_REVIEW]),
            ("Needs a look", [r for r in records if r.status in (S.DRIFT, S.UNKNOWN)]),
            ("Recent", [r for r in records if r.status not in ATTENTION]),
        ]
    sections = join(
        _queue_table(title, rows, now)
        for title, rows in groups
        if rows or title.startswith("Waiting")
    )
    return render("<h1>Review queue</h1>$filters$sections", filters=filters, sections=sections)


def _queue_table(title: str, records: Sequence[WriteRecord], now: datetime) -> Safe:
    if not records:
        return render(
            '<section class="card"><h2>$t</h2>'
            '<p class="empty">Nothing waits for a decision.</p></section>',
            t=title,
        )
    rows = join(
        render(
            '<tr><td><span class="badge $s">$label</span></td>'
            '<td><a href="$root/writes/$id">$what</a><div class="small mono">$id</div></td>'
            "<td>$who</td><td>$asked</td><td>$due</td></tr>",
            s=r.status.value,
            label=_label(r.status),
            root=ROOT,
            id=r.id,
            what=summarise(r).headline,
            who=r.requester,
            asked=when(r.created_at),
            due=_due(r, now),
        )
        for r in records
    )
    return render(
        '<section class="card"><h2>$t</h2><table class="queue"><thead><tr><th>Status</th>'
        "<th>What the agent asked</th>"
        "<th>Requested by</th><th>Requested</th><th>Expires / last change</th></tr></thead>"
        "<tbody>$rows</tbody></table></section>",
        t=title,
        rows=rows,
    )


def item_page(item: ReviewItem, *, csrf: str, user: str) -> Safe:
    """One write, top to bottom in the order a person checks it, with the decision forms."""
    r = item.record
    expiry = render(" · $e", e=item.expiry_text()) if item.expiry_text() else Safe("")
    head = render(
        '<h1>$headline</h1><p class="meta"><span class="badge $s">$label</span> · '
        '<span class="mono">$id</span> · asked by <strong>$who</strong> through $tool '
        "on $asked$expiry</p>$explain",
        headline=item.summary.headline,
        s=r.status.value,
        label=_label(r.status),
        id=r.id,
        who=r.requester,
        tool=r.tool,
        asked=when(r.created_at),
        expiry=expiry,
        # The held state is the meta line and the section below; later states need the sentence.
        explain=render("<p>$x</p>", x=explain(r)) if r.status is not S.PENDING_REVIEW else Safe(""),
    )
    # Short, decisive facts first (what, why, what AFAS did), then the long payload.
    parts = [head, _what(item.summary), _why(item), _read_back(r), _error(r), _payload(r)]
    parts.append(_decide(item, csrf=csrf, user=user))
    parts.append(_trail(item.trail))
    return join(parts)


def _what(summary: Summary) -> Safe:
    rows = join(render("<tr><th>$k</th><td>$v</td></tr>", k=k, v=v) for k, v in summary.rows)
    table = Safe("")
    if summary.table is not None:
        lines = summary.table.without_empty_columns()
        head = join(render("<th>$h</th>", h=h) for h in lines.header)
        body = join(
            render("<tr>$cells</tr>", cells=join(render("<td>$c</td>", c=c) for c in row))
            for row in lines.rows
        )
        table = render(
            "<h3>$title</h3><table><thead><tr>$head</tr></thead><tbody>$body</tbody></table>",
            title=lines.title or "Details",
            head=head,
            body=body,
        )
    notes = join(render('<p class="flash warn">$n</p>', n=n) for n in summary.notes)
    return render(
        '<section class="card"><h2>What the agent asked</h2>'
        '<table class="facts">$rows</table>$table$notes</section>',
        rows=rows,
        table=table,
        notes=notes,
    )


def _why(item: ReviewItem) -> Safe:
    r = item.record
    reasons = join(render("<li>$x</li>", x=x) for x in item.held_because)
    held = render('<ul class="reasons">$x</ul>', x=reasons) if item.held_because else Safe("")
    verdicts = join(
        render(
            '<tr><td><span class="badge $o">$o</span></td><td class="mono">$p$q</td>'
            "<td>$reason$hint</td></tr>",
            o=v.outcome,
            p=v.policy,
            q=f" ({v.quirk})" if v.quirk else "",
            reason=v.reason,
            hint=render('<div class="hint">Hint: $h</div>', h=v.hint) if v.hint else Safe(""),
        )
        for v in item.verdicts
    )
    table = (
        render(
            "<table><thead><tr><th>Outcome</th><th>Policy</th><th>Reason</th></tr></thead><tbody>$v</tbody></table>",
            v=verdicts,
        )
        if item.verdicts
        else Safe("")
    )
    score = f"{r.confidence:.2f}" if r.confidence is not None else "not scored"
    source = (
        f"{r.source_confidence:.2f}"
        if r.source_confidence is not None
        else "not given (no doubt reported)"
    )
    return render(
        '<section class="card"><h2>$title</h2>$held$table'
        '<p class="small">Confidence $score · the agent\'s own certainty about its input: '
        "$source</p>$factors</section>",
        title=_why_title(r.status),
        held=held,
        table=table,
        score=score,
        source=source,
        factors=_confidence_factors(r),
    )


def _confidence_factors(r: WriteRecord) -> Safe:
    detail = r.confidence_detail
    if detail is None:
        return Safe("")
    rows = join(
        render(
            '<tr><td class="mono">$n</td><td>&times; $v</td><td>$e</td></tr>',
            n=f.name,
            v=f"{f.value:.2f}",
            e=f.explanation,
        )
        for f in detail.factors
    )
    return render(
        '<h3 id="why-confidence">Why this confidence</h3><p>$verdict</p>'
        "<table><thead><tr><th>Factor</th><th>Value</th><th>Why</th></tr></thead>"
        "<tbody>$rows</tbody></table>",
        verdict=confidence_verdict(detail),
        rows=rows,
    )


def _why_title(status: WriteStatus) -> str:
    if status is S.PENDING_REVIEW:
        return "Why it is held"
    if status in (S.DRIFT, S.UNKNOWN):
        return "Why it needs a look"
    return "Policy verdicts"


def _payload(r: WriteRecord) -> Safe:
    target = (
        render(" · record $k", k=", ".join(f"{k} {v}" for k, v in r.target.items()))
        if r.target
        else Safe("")
    )
    return render(
        '<section class="card"><h2>Exact AFAS payload</h2>'
        '<p class="small">$c $a$target · digest <span class="mono">$d</span></p>'
        '<pre class="payload">$body</pre></section>',
        c=r.connector,
        a=r.action,
        target=target,
        d=r.digest[:16],
        body=pretty(r.body),
    )


def _read_back(r: WriteRecord) -> Safe:
    rb = r.read_back
    if rb is None:
        return Safe("")
    diffs = join(
        render(
            '<tr><td class="mono">$f</td><td>$e</td><td>$a</td></tr>',
            f=d.field,
            e=_value(d.expected),
            a=_value(d.actual),
        )
        for d in rb.diffs
    )
    table = (
        render(
            "<table><thead><tr><th>Field</th><th>Sent</th><th>Stored by AFAS</th></tr></thead>"
            "<tbody>$d</tbody></table>",
            d=diffs,
        )
        if rb.diffs
        else Safe("")
    )
    reason = render("<p>$x</p>", x=rb.reason) if rb.reason else Safe("")
    return render(
        '<section class="card"><h2>Read back from AFAS <span class="badge $r">$r</span></h2>'
        "$reason$table</section>",
        r=rb.result,
        reason=reason,
        table=table,
    )


def _error(r: WriteRecord) -> Safe:
    if r.error is None:
        return Safe("")
    ref = (
        render(' · AFAS log reference <span class="mono">$x</span>', x=r.error.log_reference)
        if r.error.log_reference
        else Safe("")
    )
    return render(
        '<section class="card"><h2>AFAS error</h2><p>$m$ref</p></section>',
        m=r.error.message,
        ref=ref,
    )


def _decide(item: ReviewItem, *, csrf: str, user: str) -> Safe:
    r = item.record
    action = f"{ROOT}/writes/{r.id}"
    if item.can_decide:
        return render(
            """<section class="card decide" id="decide"><h2>Your decision</h2><div class="actions">
<form method="post" action="$action/approve"><input type="hidden" name="csrf" value="$csrf">
<input type="hidden" name="digest" value="$digest">
<p>Approving sends exactly the payload above to AFAS, after the policies check it once more,
and then reads it back. You approve as <strong>$user</strong>.</p>
<button class="approve" type="submit">Approve and send to AFAS</button></form>
<form method="post" action="$action/reject"><input type="hidden" name="csrf" value="$csrf">
<label for="reason">Reason for rejecting (the agent sees it)</label>
<textarea id="reason" name="reason" required maxlength="2000"></textarea>
<button class="reject" type="submit">Reject</button></form></div></section>""",
            action=action,
            csrf=csrf,
            digest=r.digest,
            user=user,
        )
    if item.can_resolve:
        return render(
            """<section class="card decide" id="decide"><h2>Resolve the drift</h2>
<form method="post" action="$action/resolve"><input type="hidden" name="csrf" value="$csrf">
<p><label><input type="radio" name="resolution" value="acknowledged" required>
Acknowledged: what AFAS stored is acceptable as it is</label>
<label><input type="radio" name="resolution" value="corrected">
Corrected: I fixed the record in AFAS</label></p>
<label for="note">Note (what you checked or changed)</label>
<textarea id="note" name="note" required maxlength="2000"></textarea>
<button class="primary" type="submit">Resolve as $user</button></form></section>""",
            action=action,
            csrf=csrf,
            user=user,
        )
    return Safe("")


def _trail(trail: Sequence[AuditEntry]) -> Safe:
    items = join(
        render(
            "<li><strong>$step</strong> by $actor · $at$move$detail</li>",
            step=e.step.value.replace("_", " "),
            actor=e.actor,
            at=when(e.at),
            move=_move(e),
            detail=render(
                "<details><summary>Details</summary><pre>$d</pre></details>", d=pretty(e.detail)
            )
            if e.detail
            else Safe(""),
        )
        for e in trail
    )
    return render(
        '<section class="card"><h2>Audit trail</h2><ol class="trail">$i</ol></section>', i=items
    )


def _move(e: AuditEntry) -> Safe:
    if e.to_status is None or e.to_status is e.from_status:
        return Safe("")
    before = e.from_status.value if e.from_status else "new"
    return render(' · <span class="small">$b → $a</span>', b=before, a=e.to_status.value)


def _due(r: WriteRecord, now: datetime) -> str:
    if r.status is S.PENDING_REVIEW and r.expires_at is not None:
        left = r.expires_at - now
        return f"in {duration(left)}" if left.total_seconds() > 0 else "expired"
    return when(r.updated_at)


def _label(status: WriteStatus) -> str:
    return status.value.replace("_", " ")


def _on(condition: bool) -> Safe:
    return Safe(' class="on" aria-current="page"' if condition else "")


def _value(value: object) -> str:
    return "(empty)" if value in (None, "") else str(value)


def error_page(title: str, message: str) -> Safe:
    """The body of a page that only says what went wrong."""
    return render(
        '<section class="card"><h1>$t</h1><p>$m</p>'
        '<p><a href="$root">Back to the queue</a></p></section>',
        t=title,
        m=message,
        root=ROOT,
    )
