"""Between `writes` rows and `WriteRecord`s: ids, JSON columns, the digest of a stored row."""

from __future__ import annotations

import base64
import json
import re
import secrets
from collections.abc import Mapping
from typing import Any

from policies.model import WriteIntent
from server.store.clock import from_text
from server.store.models import (
    DriftResolution,
    ReadBack,
    StoredConfidence,
    StoredVerdict,
    WriteError,
    WriteRecord,
    WriteStatus,
)

_WRITE_ID = re.compile(r"^w_[a-z2-7]{16}$")


def new_write_id() -> str:
    """A short, unguessable, URL-safe write id: `w_` and 16 base32 characters (80 bits)."""
    return "w_" + base64.b32encode(secrets.token_bytes(10)).decode("ascii").lower()


def looks_like_write_id(text: str) -> bool:
    """Whether `text` has the shape of a write id (no database lookup for junk)."""
    return bool(_WRITE_ID.fullmatch(text))


def dumps(value: Any) -> str:
    """The JSON text of a column, in the same canonical form the intent digest uses."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def stored_digest(tool: str, connector: str, action: Any, target: Any, body: Any) -> str:
    """The digest of a stored intent, recomputed by the contract's own `WriteIntent.digest`."""
    intent = WriteIntent(
        tool=tool,
        connector=connector,
        action=action,
        body=body,
        facts=None,
        requester="",
        target=target,
    )
    return intent.digest


def canonical_keys(keys: Mapping[str, object]) -> dict[str, str]:
    """AFAS record keys as text (AFAS returns some as numbers, some as strings)."""
    return {str(name): str(value) for name, value in keys.items()}


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _time(text: str | None) -> Any:
    return None if text is None else from_text(text)


def record_from_row(row: Mapping[str, Any]) -> WriteRecord:
    """The `WriteRecord` a `writes` row stands for."""
    read_back = _load(row["read_back"])
    error = _load(row["error"])
    detail = _load(row["confidence_detail"])
    return WriteRecord(
        id=row["id"],
        status=WriteStatus(row["status"]),
        tool=row["tool"],
        connector=row["connector"],
        action=row["action"],
        target=json.loads(row["target"]),
        body=json.loads(row["body"]),
        facts=json.loads(row["facts"]),
        digest=row["digest"],
        verdicts=[StoredVerdict.model_validate(v) for v in json.loads(row["verdicts"])],
        confidence=row["confidence"],
        confidence_detail=StoredConfidence.model_validate(detail) if detail else None,
        requester=row["requester"],
        source_confidence=row["source_confidence"],
        review_reason=row["review_reason"],
        expires_at=_time(row["expires_at"]),
        approver=row["approver"],
        approved_at=_time(row["approved_at"]),
        rejected_by=row["rejected_by"],
        rejected_at=_time(row["rejected_at"]),
        rejection_reason=row["rejection_reason"],
        afas_keys=_load(row["afas_keys"]),
        read_back=ReadBack.model_validate(read_back) if read_back is not None else None,
        error=WriteError.model_validate(error) if error is not None else None,
        resolution=DriftResolution(row["resolution"]) if row["resolution"] else None,
        resolved_by=row["resolved_by"],
        resolved_at=_time(row["resolved_at"]),
        retry_of=row["retry_of"],
        created_at=from_text(row["created_at"]),
        updated_at=from_text(row["updated_at"]),
    )
