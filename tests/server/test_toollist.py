"""README's tool list is generated from the tool specs; a stale list fails the suite."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from server import toollist
from tools.base import ToolInput, ToolSpec


class Empty(ToolInput):
    pass


class Nothing(BaseModel):
    pass


async def nothing(deps: object, args: Empty) -> Nothing:
    return Nothing()


def spec(name: str, toolset: str, description: str, *, read_only: bool = True) -> ToolSpec:
    return ToolSpec(
        name=name,
        toolset=toolset,
        title=name,
        description=description,
        input_model=Empty,
        output_model=Nothing,
        handler=nothing,
        read_only=read_only,
    )


def test_readme_tool_list_is_up_to_date() -> None:
    assert toollist.main(["--check"]) == 0, "run `python -m server.toollist` and commit README.md"


def test_the_list_shows_toolset_kind_and_first_sentence_in_toolset_order() -> None:
    block = toollist.render(
        [
            spec("onboard_employee", "hr", "Hire someone. Long details.", read_only=False),
            spec("query_connector", "connectors", "Read rows, e.g. debtors.\nMore."),
            spec("get_employee", "hr", "One employee | with a pipe."),
        ]
    )
    rows = [line for line in block.splitlines() if line.startswith("| `")]
    assert rows == [
        "| `get_employee` | hr | read | One employee \\| with a pipe. |",
        "| `onboard_employee` | hr | write (only with `AFAS_MCP_WRITES=true`) | Hire someone. |",
        "| `query_connector` | connectors | read | Read rows, e.g. debtors. |",
    ]


def test_check_fails_on_a_stale_list_and_a_rewrite_fixes_it(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{toollist.START}\nold\n{toollist.END}\n\nafter\n", encoding="utf-8")
    assert toollist.main(["--check", "--readme", str(readme)]) == 1
    assert toollist.main(["--readme", str(readme)]) == 0
    assert toollist.main(["--check", "--readme", str(readme)]) == 0
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# x\n\n<!-- tools:start -->")
    assert text.endswith("<!-- tools:end -->\n\nafter\n")


def test_a_readme_with_one_marker_is_an_error(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"{toollist.START}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="must contain"):
        toollist.main(["--readme", str(readme)])
