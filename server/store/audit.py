"""The append-only audit trail: one row per step of a write, bodies kept, secrets removed (W17).

AFAS keeps no request bodies, so this trail is the only record of exactly what was sent and what
came back. Rows are only ever inserted: triggers in the schema raise on UPDATE and DELETE, so the
guarantee holds for every connection, not only for this module.

`append` is called by `WriteStore` inside the same transaction as the state change it records,
so a transition and its audit row commit together or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from server.store.clock import from_text, to_text
from server.store.models import AuditEntry, AuditStep, WriteStatus
from server.store.scrub import Scrubber


def append(
    db: Database,
    scrubber: Scrubber,
    *,
    write_id: str,
    step: AuditStep,
    actor: str,
    at: datetime,
    from_status: WriteStatus | None = None,
    to_status: WriteStatus | None = None,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Add one step to a write's history; `detail` is scrubbed before it is stored."""
    scrubbed = scrubber.scrub(dict(detail or {}))
    db.execute(
        "INSERT INTO audit (write_id, step, actor, at, from_status, to_status, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            write_id,
            step.value,
            scrubber.scrub_text(actor),
            to_text(at),
            from_status.value if from_status else None,
            to_status.value if to_status else None,
            json.dumps(scrubbed, ensure_ascii=False, sort_keys=True),
        ],
    )


def trail(db: Database, write_id: str) -> list[AuditEntry]:
    """Every step of one write, oldest first."""
    rows = db.execute(
        "SELECT id, write_id, step, actor, at, from_status, to_status, detail "
        "FROM audit WHERE write_id = ? ORDER BY id",
        [write_id],
    ).fetchall()
    return [
        AuditEntry(
            id=row[0],
            write_id=row[1],
            step=AuditStep(row[2]),
            actor=row[3],
            at=from_text(row[4]),
            from_status=WriteStatus(row[5]) if row[5] else None,
            to_status=WriteStatus(row[6]) if row[6] else None,
            detail=json.loads(row[7]),
        )
        for row in rows
    ]
