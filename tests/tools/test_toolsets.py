"""Toolsets: configuration picks them by name, unknown names stop the start, writes stay absent."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from pydantic import BaseModel

import tools
from tools import Toolset, ToolsetConfigError, resolve_toolsets, toolset_tools
from tools.base import ToolInput, ToolSpec


class Empty(ToolInput):
    pass


class Nothing(BaseModel):
    pass


async def nothing(deps: object, args: Empty) -> Nothing:
    return Nothing()


def spec(name: str, toolset: str, *, read_only: bool) -> ToolSpec:
    return ToolSpec(
        name=name,
        toolset=toolset,
        title=name,
        description=f"{name}.",
        input_model=Empty,
        output_model=Nothing,
        handler=nothing,
        read_only=read_only,
    )


@pytest.fixture
def fake_toolsets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two toolsets: `alpha` (a read and a write tool) and `beta` (its module has no tools)."""
    alpha = types.ModuleType("fake_alpha")
    alpha.TOOLS = (  # type: ignore[attr-defined]
        spec("read_alpha", "alpha", read_only=True),
        spec("write_alpha", "alpha", read_only=False),
    )
    beta = types.ModuleType("fake_beta")
    monkeypatch.setitem(sys.modules, "fake_alpha", alpha)
    monkeypatch.setitem(sys.modules, "fake_beta", beta)
    monkeypatch.setattr(
        tools,
        "TOOLSETS",
        {
            "alpha": Toolset("fake_alpha", "Alpha things"),
            "beta": Toolset("fake_beta", "Beta things"),
            "gamma": Toolset("fake_gamma_not_written_yet", "Gamma things"),
        },
    )


def names(specs: list[ToolSpec]) -> list[str]:
    return [s.name for s in specs]


def test_the_toolset_table_names_every_domain() -> None:
    assert list(tools.TOOLSETS) == [
        "hr",
        "payroll",
        "finance",
        "crm",
        "projects",
        "connectors",
        "writes",
    ]


@pytest.mark.usefixtures("fake_toolsets")
def test_write_tools_are_absent_unless_writes_are_on() -> None:
    assert names(resolve_toolsets(["alpha"], writes_enabled=False)) == ["read_alpha"]
    assert names(resolve_toolsets(["alpha"], writes_enabled=True)) == ["read_alpha", "write_alpha"]


@pytest.mark.usefixtures("fake_toolsets")
def test_an_unknown_toolset_name_fails_naming_it_and_the_valid_ones() -> None:
    with pytest.raises(ToolsetConfigError) as caught:
        resolve_toolsets(["alpha", "payrol"], writes_enabled=False)
    assert str(caught.value) == (
        "unknown toolset 'payrol' in AFAS_MCP_TOOLSETS; valid toolsets: alpha, beta, gamma"
    )


@pytest.mark.usefixtures("fake_toolsets")
def test_no_names_means_every_toolset() -> None:
    assert names(resolve_toolsets(None, writes_enabled=True)) == ["read_alpha", "write_alpha"]


@pytest.mark.usefixtures("fake_toolsets")
def test_a_toolset_without_tools_yet_contributes_none() -> None:
    assert toolset_tools("beta") == ()
    assert toolset_tools("gamma") == ()
    assert resolve_toolsets(["beta", "gamma"], writes_enabled=True) == []


@pytest.mark.usefixtures("fake_toolsets")
def test_a_tool_that_claims_another_toolset_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        sys.modules["fake_beta"],
        "TOOLS",
        (spec("stray_tool", "alpha", read_only=True),),
        raising=False,
    )
    with pytest.raises(ToolsetConfigError, match="claims toolset 'alpha'"):
        toolset_tools("beta")


@pytest.mark.usefixtures("fake_toolsets")
def test_two_tools_with_one_name_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        sys.modules["fake_beta"],
        "TOOLS",
        (spec("read_alpha", "beta", read_only=True),),
        raising=False,
    )
    with pytest.raises(ToolsetConfigError, match="'read_alpha' is declared by toolsets"):
        resolve_toolsets(None, writes_enabled=False)


def test_a_toolset_module_whose_own_import_fails_is_not_mistaken_for_an_empty_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "fake_broken_tools.py").write_text("import a_dependency_nobody_installed\n")
    monkeypatch.syspath_prepend(tmp_path)
    monkeypatch.setattr(tools, "TOOLSETS", {"broken": Toolset("fake_broken_tools", "x")})
    with pytest.raises(ModuleNotFoundError, match="a_dependency_nobody_installed"):
        toolset_tools("broken")


def test_a_spec_cannot_claim_to_be_read_only_and_destructive() -> None:
    with pytest.raises(ValueError, match="both read-only and destructive"):
        ToolSpec(
            name="odd",
            toolset="x",
            title="Odd",
            description="Odd.",
            input_model=Empty,
            output_model=Nothing,
            handler=nothing,
            read_only=True,
            destructive=True,
        )


def test_every_product_tool_declares_honest_hints() -> None:
    for tool in resolve_toolsets(None, writes_enabled=True):
        assert tool.toolset in tools.TOOLSETS
        if not tool.read_only:
            assert tool.open_world, tool.name
