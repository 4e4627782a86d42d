"""The one state machine every write follows; no other module decides what may follow what.

```
                       record()
          ┌───────────────┼──────────────────────┐
          ▼               ▼                      ▼
      recorded      pending_review ─────────▶ rejected | expired
          │               │ approve()
          │               ▼
          │           approved ─────────────▶ expired | denied (policies re-run before sending)
          │               │
          └──────┬────────┘ claim_for_sending()   (exactly one caller wins)
                 ▼
              sending ──────────────────────▶ failed   (AFAS refused it)
                 │  \
                 │   └─▶ unknown ─ reconcile() ─┬─▶ applied  (found in AFAS)
                 ▼                               └─▶ failed   (not there; a NEW write may follow)
              applied ─▶ verified
                 │
                 └─────▶ drift ─ resolve_drift() ─▶ resolved (acknowledged | corrected)

      recorded ─▶ failed     abandoned before sending: nothing reached AFAS
      denied                 recorded as such when a policy refuses at request time
```

`unknown` has no way back to `sending`: a write whose answer was lost is never re-sent (W16).
Only `failed` lets a new attempt start, as a new write that names the old one (`retry_of`).
"""

from __future__ import annotations

from collections.abc import Mapping

from server.store.models import WriteStatus

S = WriteStatus

TRANSITIONS: Mapping[WriteStatus, frozenset[WriteStatus]] = {
    S.RECORDED: frozenset({S.SENDING, S.FAILED}),
    S.PENDING_REVIEW: frozenset({S.APPROVED, S.REJECTED, S.EXPIRED}),
    S.APPROVED: frozenset({S.SENDING, S.EXPIRED, S.DENIED}),
    S.SENDING: frozenset({S.APPLIED, S.FAILED, S.UNKNOWN}),
    S.UNKNOWN: frozenset({S.APPLIED, S.FAILED}),
    S.APPLIED: frozenset({S.VERIFIED, S.DRIFT}),
    S.DRIFT: frozenset({S.RESOLVED}),
    S.VERIFIED: frozenset(),
    S.RESOLVED: frozenset(),
    S.FAILED: frozenset(),
    S.REJECTED: frozenset(),
    S.EXPIRED: frozenset(),
    S.DENIED: frozenset(),
}

# The states a write can be born in. Denied writes are recorded too: the audit trail then shows
# every write an agent attempted, and `get_write_status` can explain a refusal by id.
INITIAL: frozenset[WriteStatus] = frozenset({S.RECORDED, S.PENDING_REVIEW, S.DENIED})

TERMINAL: frozenset[WriteStatus] = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)

# A repeat of the same digest inside the duplicate window returns the earlier write when it is
# in one of these states. Left out: `failed`, `denied` and `expired`, where nothing reached AFAS
# and nobody decided against it, so a corrected (or simply repeated) request may go ahead.
# `rejected` blocks: a human said no, and the same payload with a higher self-reported
# confidence must not slip past that decision.
BLOCKING_DUPLICATES: frozenset[WriteStatus] = frozenset(
    {
        S.RECORDED,
        S.PENDING_REVIEW,
        S.APPROVED,
        S.SENDING,
        S.UNKNOWN,
        S.APPLIED,
        S.VERIFIED,
        S.DRIFT,
        S.RESOLVED,
        S.REJECTED,
    }
)


def allowed(current: WriteStatus, target: WriteStatus) -> bool:
    """Whether the machine lets a write in `current` become `target`."""
    return target in TRANSITIONS[current]


def sources_of(target: WriteStatus) -> frozenset[WriteStatus]:
    """Every state from which `target` can be reached."""
    return frozenset(s for s, nxt in TRANSITIONS.items() if target in nxt)
