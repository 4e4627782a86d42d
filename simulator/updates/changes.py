"""A write's changes, planned first and applied as one transaction.

AFAS checks the whole body and then processes it as one transaction (update-connector docs):
handlers validate and plan every change into a `ChangeSet`, and only a body that passed every
check is committed. The commit re-checks keys under the tenant lock, so two requests racing for
the same key cannot both insert it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from simulator.errors import AfasError
from simulator.tenant.store import Key, Record, Tenant, as_key

if TYPE_CHECKING:
    from simulator.environment import Environment

OpKind = Literal["insert", "update", "merge", "delete"]


@dataclass(frozen=True)
class Op:
    """One planned change. `merge` inserts, or overwrites the record with the same key (W9)."""

    kind: OpKind
    table: str
    key: Key
    record: Record
    touch: bool = True


@dataclass(frozen=True)
class StoredRow:
    """What a committed change left in a table (`record` is None after a delete)."""

    kind: OpKind
    table: str
    key: Key
    record: Record | None


@dataclass
class ChangeSet:
    """The planned changes of one request, in order, and the parents whose children changed."""

    ops: list[Op] = field(default_factory=list)
    child_changes: list[tuple[str, Key]] = field(default_factory=list)

    def insert(self, table: str, record: Record, key: Key) -> None:
        self.ops.append(Op("insert", table, key, dict(record)))

    def merge(self, table: str, record: Record, key: Key) -> None:
        self.ops.append(Op("merge", table, key, dict(record)))

    def update(
        self, table: str, key: Key | str | int, changes: Record, *, touch: bool = True
    ) -> None:
        if changes or touch:
            self.ops.append(Op("update", table, as_key(key), dict(changes), touch))

    def delete(self, table: str, key: Key | str | int) -> None:
        self.ops.append(Op("delete", table, as_key(key), {}))

    def child_changed(self, parent_table: str, parent_key: Key | str | int) -> None:
        """A contract, salary or address of this parent changed (quirk R3 decides its date)."""
        entry = (parent_table, as_key(parent_key))
        if entry not in self.child_changes:
            self.child_changes.append(entry)

    def planned(self, table: str, key: Key) -> Record | None:
        """A record this change set inserts or merges (later handlers may need to see it)."""
        for op in reversed(self.ops):
            if op.table == table and op.key == key and op.kind in ("insert", "merge"):
                return op.record
        return None

    def commit(self, tenant: Tenant, environment: Environment | None) -> list[StoredRow]:
        """Apply every change, or none: keys are checked first, under the tenant lock."""
        stored: list[StoredRow] = []
        with tenant.lock:
            self._check_keys(tenant)
            for op in self.ops:
                stored.append(_apply(tenant, op))
            touched = {(op.table, op.key) for op in self.ops if op.touch}
            for parent_table, parent_key in self.child_changes:
                # A parent this body changed itself was stamped already.
                if environment is not None and (parent_table, parent_key) not in touched:
                    environment.note_child_change(parent_table, parent_key)
        return stored

    def _check_keys(self, tenant: Tenant) -> None:
        exists: dict[tuple[str, Key], bool] = {}
        for op in self.ops:
            slot = (op.table, op.key)
            present = exists.get(slot)
            if present is None:
                present = tenant.get(op.table, op.key) is not None
            if op.kind == "insert" and present:
                raise AfasError(f"A record with key {', '.join(map(str, op.key))} already exists.")
            if op.kind in ("update", "delete") and not present:
                raise AfasError(
                    f"The record with key {', '.join(map(str, op.key))} does not exist."
                )
            exists[slot] = op.kind != "delete"


def _apply(tenant: Tenant, op: Op) -> StoredRow:
    if op.kind == "insert":
        return StoredRow("insert", op.table, op.key, tenant.insert(op.table, op.record))
    if op.kind == "merge":
        if tenant.get(op.table, op.key) is None:
            return StoredRow("merge", op.table, op.key, tenant.insert(op.table, op.record))
        return StoredRow("merge", op.table, op.key, tenant.update(op.table, op.key, op.record))
    if op.kind == "update":
        return StoredRow(
            "update", op.table, op.key, tenant.update(op.table, op.key, op.record, touch=op.touch)
        )
    tenant.delete(op.table, op.key)
    return StoredRow("delete", op.table, op.key, None)


def stored_summary(rows: list[StoredRow]) -> dict[str, Any]:
    """What was stored, per table, as plain JSON values without bookkeeping fields (W14)."""
    summary: dict[str, list[Record]] = {}
    for row in rows:
        if row.record is None:
            clean: Record = {"deleted": [_plain(part) for part in row.key]}
        else:
            clean = {k: _plain(v) for k, v in row.record.items() if not k.startswith("_")}
        summary.setdefault(row.table, []).append(clean)
    return summary


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
