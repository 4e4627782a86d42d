"""The simulator's UpdateConnectors: envelope parsing, validation, tenant changes and write quirks.

`install(sim)` registers the handler as `Simulator.update_handler`; `write_side(sim)` gives tests
the journal of every write, the payroll flags and the W9/W15 controls. docs/simulator-writes.md
describes each connector and switch.
"""

from __future__ import annotations

from simulator.updates.journal import WriteJournal, WriteRecord
from simulator.updates.schema import update_metainfo_document
from simulator.updates.side import PayrollState, WriteSettings, WriteSide, install, write_side

__all__ = [
    "PayrollState",
    "WriteJournal",
    "WriteRecord",
    "WriteSettings",
    "WriteSide",
    "install",
    "update_metainfo_document",
    "write_side",
]
