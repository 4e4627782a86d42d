"""Agent-facing toolsets, one module per domain, and the one table that names them.

A toolset module declares `TOOLS: tuple[ToolSpec, ...]` (see `tools.base`), and a module with
write tools also `WRITE_KINDS: tuple[WriteKind, ...]` (`server.writes`), which `write_kinds()`
hands the write pipeline. The table below is
the only list of toolsets: configuration names toolsets from it, and a name that is not in it
stops the server at start. A toolset may span several modules (its read tools in one, its write
tools in another, so each stays small and has one owner). A module that does not exist yet, or
declares no `TOOLS`, contributes no tools; that lets the table name every domain before each one
is built.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType

from server.writes.kinds import WriteKind
from tools.base import ToolInput, ToolSpec

__all__ = [
    "TOOLSETS",
    "ToolInput",
    "ToolSpec",
    "Toolset",
    "ToolsetConfigError",
    "resolve_toolsets",
    "toolset_tools",
    "write_kinds",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Toolset:
    """A named group of tools that configuration switches on or off as a whole.

    `module` is one module name or a tuple of them; `modules` always gives the tuple.
    """

    module: str | tuple[str, ...]
    description: str

    @property
    def modules(self) -> tuple[str, ...]:
        """Every module whose `TOOLS` belong to this toolset, in the order they are listed."""
        return (self.module,) if isinstance(self.module, str) else self.module


TOOLSETS: dict[str, Toolset] = {
    "hr": Toolset(
        ("tools.hr", "tools.hr_writes"),
        "Employees, employers, contracts, leave; employee onboarding",
    ),
    "payroll": Toolset("tools.payroll", "Payroll periods and period tables per employer"),
    "finance": Toolset(
        ("tools.finance", "tools.finance_writes"),
        "Debtors, creditors, ledger accounts, VAT codes, booking periods; journal entries",
    ),
    "crm": Toolset(("tools.crm", "tools.crm_writes"), "Relations and dossier items (activities)"),
    "projects": Toolset(
        ("tools.projects", "tools.projects_writes"), "Projects and registered hours"
    ),
    "connectors": Toolset(
        "tools.connectors", "Generic, guarded reads of any GetConnector the token may read"
    ),
    "writes": Toolset("tools.writes", "Where a guarded write stands (queued, applied, verified)"),
}


class ToolsetConfigError(ValueError):
    """The configured toolsets cannot be served: an unknown name or a clash between tools."""


def toolset_tools(name: str) -> tuple[ToolSpec, ...]:
    """The tools one toolset declares, over all its modules; none from a module not written yet.

    Raises:
        ToolsetConfigError: `name` is not in `TOOLSETS`, or a tool claims another toolset.
    """
    if name not in TOOLSETS:
        raise ToolsetConfigError(_unknown(name))
    specs: list[ToolSpec] = []
    for module_name in TOOLSETS[name].modules:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise  # the module exists but one of its own imports is missing: a real bug
            logger.debug(
                "toolset %s has no module %s yet; it contributes no tools", name, module_name
            )
            continue
        for spec in getattr(module, "TOOLS", ()):
            if spec.toolset != name:
                raise ToolsetConfigError(
                    f"tool {spec.name!r} is declared in {module_name} but claims toolset "
                    f"{spec.toolset!r}; a tool belongs to the toolset of its module"
                )
            specs.append(spec)
    return tuple(specs)


def write_kinds() -> tuple[WriteKind, ...]:
    """Every write kind the toolset modules declare (`WRITE_KINDS`), for the write pipeline.

    All toolsets count, enabled or not: a write queued while a toolset was on must still be
    approvable, reconcilable and read back after an operator switched it off.
    """
    kinds: list[WriteKind] = []
    for toolset in TOOLSETS.values():
        for module_name in toolset.modules:
            module = _existing_module(module_name)
            kinds.extend(getattr(module, "WRITE_KINDS", ()) if module is not None else ())
    return tuple(kinds)


def _existing_module(module_name: str) -> ModuleType | None:
    """The module, or None while it is not written yet."""
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise  # the module exists but one of its own imports is missing: a real bug
        return None


def resolve_toolsets(names: Iterable[str] | None, *, writes_enabled: bool) -> list[ToolSpec]:
    """The tools to serve: those of the named toolsets, minus write tools unless writes are on.

    Args:
        names: toolset names from configuration; `None` means every toolset in `TOOLSETS`.
        writes_enabled: `AFAS_MCP_WRITES`; when false every tool with `read_only=False` is
            absent, whatever toolsets are named (read-only takes priority, as in
            github-mcp-server).

    Raises:
        ToolsetConfigError: a name is not a toolset (the message lists the valid ones), or two
            tools share a name.
    """
    chosen = list(TOOLSETS) if names is None else [n.strip() for n in names if n.strip()]
    unknown = [n for n in chosen if n not in TOOLSETS]
    if unknown:
        raise ToolsetConfigError(_unknown(*unknown))
    specs: list[ToolSpec] = []
    seen: dict[str, str] = {}
    for name in dict.fromkeys(chosen):  # keep order, drop repeats
        for spec in toolset_tools(name):
            if spec.name in seen:
                raise ToolsetConfigError(
                    f"tool {spec.name!r} is declared by toolsets {seen[spec.name]!r} and {name!r}"
                )
            seen[spec.name] = name
            if spec.read_only or writes_enabled:
                specs.append(spec)
    return specs


def _unknown(*names: str) -> str:
    valid = ", ".join(TOOLSETS)
    bad = ", ".join(repr(n) for n in names)
    return f"unknown toolset {bad} in AFAS_MCP_TOOLSETS; valid toolsets: {valid}"
