"""A toolset spans its read module and its write module; the write tools live in their own files."""

from __future__ import annotations

import sys
import types

import pytest
from test_toolsets import spec

import tools
from tools import Toolset, ToolsetConfigError, resolve_toolsets, toolset_tools
from tools.base import ToolSpec


@pytest.fixture
def split_toolset(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """`alpha` reads in one module and writes in another; `beta`'s write module is not written."""
    reads = types.ModuleType("fake_alpha_reads")
    reads.TOOLS = (spec("read_alpha", "alpha", read_only=True),)  # type: ignore[attr-defined]
    writes = types.ModuleType("fake_alpha_writes")
    writes.TOOLS = (spec("write_alpha", "alpha", read_only=False),)  # type: ignore[attr-defined]
    beta = types.ModuleType("fake_beta_reads")
    beta.TOOLS = (spec("read_beta", "beta", read_only=True),)  # type: ignore[attr-defined]
    for module in (reads, writes, beta):
        monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(
        tools,
        "TOOLSETS",
        {
            "alpha": Toolset(("fake_alpha_reads", "fake_alpha_writes"), "Alpha things"),
            "beta": Toolset(("fake_beta_reads", "fake_beta_writes_not_yet"), "Beta things"),
        },
    )
    return writes


def names(specs: tuple[ToolSpec, ...] | list[ToolSpec]) -> list[str]:
    return [s.name for s in specs]


@pytest.mark.usefixtures("split_toolset")
def test_a_toolset_collects_the_tools_of_every_module_in_order() -> None:
    assert names(toolset_tools("alpha")) == ["read_alpha", "write_alpha"]


@pytest.mark.usefixtures("split_toolset")
def test_a_module_not_written_yet_contributes_nothing_and_the_others_still_count() -> None:
    assert names(toolset_tools("beta")) == ["read_beta"]


@pytest.mark.usefixtures("split_toolset")
def test_the_write_module_of_a_toolset_is_absent_while_writes_are_off() -> None:
    assert names(resolve_toolsets(["alpha"], writes_enabled=False)) == ["read_alpha"]
    assert names(resolve_toolsets(["alpha"], writes_enabled=True)) == [
        "read_alpha",
        "write_alpha",
    ]


def test_a_tool_in_a_second_module_that_claims_another_toolset_stops_the_start(
    split_toolset: types.ModuleType,
) -> None:
    split_toolset.TOOLS = (spec("write_alpha", "beta", read_only=False),)  # type: ignore[attr-defined]
    with pytest.raises(ToolsetConfigError, match="fake_alpha_writes but claims toolset 'beta'"):
        toolset_tools("alpha")


def test_a_single_module_name_still_names_a_toolset() -> None:
    assert Toolset("tools.connectors", "x").modules == ("tools.connectors",)


@pytest.mark.parametrize(
    ("toolset", "module"),
    [
        ("hr", "tools.hr_writes"),
        ("finance", "tools.finance_writes"),
        ("crm", "tools.crm_writes"),
        ("projects", "tools.projects_writes"),
    ],
)
def test_each_domain_with_write_tools_lists_its_write_module(toolset: str, module: str) -> None:
    assert module in tools.TOOLSETS[toolset].modules
