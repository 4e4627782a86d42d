"""The MCP app turns ToolSpecs into honest MCP tools, hands handlers their deps, maps failures."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, Field

from server.app import build_server, server_for_settings
from server.config import load_settings
from server.config.rules import packaged_rules_file
from server.outcomes import InvalidToolInput
from tools.base import ToolInput, ToolSpec

pytestmark = pytest.mark.anyio


@dataclass
class FakeDeps:
    prefix: str = ">"
    opened: int = 0
    closed: int = 0
    calls: list[str] = field(default_factory=list)


class EchoInput(ToolInput):
    text: str = Field(description="The text to echo back.")
    times: int = Field(1, ge=1, le=3, description="How often to repeat it (1 to 3).")
    tags: list[str] = Field(default_factory=list, description="Labels, echoed in order.")


class Echoed(BaseModel):
    echoed: str = Field(description="The text, repeated.")
    tags: list[str] = Field(description="The labels.")


async def echo(deps: FakeDeps, args: EchoInput) -> Echoed:
    deps.calls.append(args.text)
    return Echoed(echoed=deps.prefix + args.text * args.times, tags=args.tags)


async def refuse(deps: FakeDeps, args: EchoInput) -> Echoed:
    raise InvalidToolInput(f"{args.text!r} is not allowed", hint="Use another text")


async def crash(deps: FakeDeps, args: EchoInput) -> Echoed:
    raise RuntimeError("secret internals the agent must not see")


def spec(name: str, handler: Any, **hints: Any) -> ToolSpec:
    return ToolSpec(
        name=name,
        toolset="test",
        title=name.title(),
        description=f"The {name} test tool. Used only by the tests.",
        input_model=EchoInput,
        output_model=Echoed,
        handler=handler,
        **({"read_only": True} | hints),
    )


def make_server(deps: FakeDeps, *specs: ToolSpec, policy_file: Path | None = None) -> Any:
    @asynccontextmanager
    async def factory() -> AsyncIterator[FakeDeps]:
        deps.opened += 1
        try:
            yield deps
        finally:
            deps.closed += 1

    return build_server(
        tools=specs or (spec("echo", echo),), deps_factory=factory, policy_file=policy_file
    )


async def test_a_tool_publishes_its_input_model_output_model_and_hints(connect, mode) -> None:
    server = make_server(FakeDeps(), spec("echo", echo, idempotent=True, open_world=False))
    async with connect(server, mode=mode) as client:
        (tool,) = (await client.list_tools()).tools
    assert tool.name == "echo"
    assert tool.title == "Echo"
    assert tool.description == "The echo test tool. Used only by the tests."
    assert tool.input_schema == EchoInput.model_json_schema()
    assert tool.input_schema["properties"]["times"]["description"] == (
        "How often to repeat it (1 to 3)."
    )
    assert tool.input_schema["additionalProperties"] is False
    assert tool.output_schema == Echoed.model_json_schema()
    assert tool.annotations is not None
    assert tool.annotations.model_dump(by_alias=True, exclude_none=True) == {
        "title": "Echo",
        "readOnlyHint": True,
        "destructiveHint": False,
        "idempotentHint": True,
        "openWorldHint": False,
    }


async def test_a_call_sends_fields_as_top_level_arguments_and_gets_structured_content(
    connect, mode
) -> None:
    deps = FakeDeps()
    async with connect(make_server(deps), mode=mode) as client:
        result = await client.call_tool("echo", {"text": "ab", "times": 2, "tags": ["x"]})
    assert not result.is_error
    assert result.structured_content == {"echoed": ">abab", "tags": ["x"]}
    assert '">abab"' in result.content[0].text
    assert deps.calls == ["ab"]


async def test_a_list_sent_as_a_json_string_is_accepted(connect) -> None:
    async with connect(make_server(FakeDeps())) as client:
        result = await client.call_tool("echo", {"text": "a", "tags": '["x", "y"]'})
    assert result.structured_content == {"echoed": ">a", "tags": ["x", "y"]}


async def test_the_dependencies_are_opened_once_per_lifespan_and_closed_after(connect) -> None:
    deps = FakeDeps()
    async with connect(make_server(deps)) as client:
        await client.call_tool("echo", {"text": "a"})
        await client.call_tool("echo", {"text": "b"})
        assert (deps.opened, deps.closed) == (1, 0)
    assert (deps.opened, deps.closed) == (1, 1)


async def test_an_argument_out_of_range_says_which_field_and_what_to_change(connect, mode) -> None:
    async with connect(make_server(FakeDeps()), mode=mode) as client:
        result = await client.call_tool("echo", {"text": "a", "times": 9})
    assert result.is_error
    text = result.content[0].text
    assert "Invalid arguments: `times`: Input should be less than or equal to 3." in text
    assert "Change the arguments as described and call the tool again." in text


async def test_a_misspelt_argument_is_refused_not_ignored(connect, mode) -> None:
    deps = FakeDeps()
    async with connect(make_server(deps), mode=mode) as client:
        result = await client.call_tool("echo", {"text": "a", "tmes": 2})
    assert result.is_error
    assert "`tmes`: unknown argument" in result.content[0].text
    assert deps.calls == []


async def test_an_outcome_error_reaches_the_agent_with_its_hint(connect, mode) -> None:
    async with connect(make_server(FakeDeps(), spec("refuse", refuse)), mode=mode) as client:
        result = await client.call_tool("refuse", {"text": "x"})
    assert result.is_error
    assert result.content[0].text == (
        "Error executing tool refuse: 'x' is not allowed. Use another text. "
        "Change the arguments as described and call the tool again."
    )


async def test_an_unexpected_exception_is_masked_and_logged_in_full_with_its_reference(
    connect, mode, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="server.app")
    async with connect(make_server(FakeDeps(), spec("crash", crash)), mode=mode) as client:
        result = await client.call_tool("crash", {"text": "x"})
    assert result.is_error
    text = result.content[0].text
    assert "secret internals" not in text
    match = re.search(r"Internal error in afas-mcp \(reference ([0-9a-f]{12})\)", text)
    assert match, text
    (record,) = [r for r in caplog.records if r.name == "server.app"]
    assert match.group(1) in record.getMessage()
    assert record.exc_info is not None
    assert "secret internals" in str(record.exc_info[1])


async def test_the_policy_resource_says_when_no_policy_file_is_configured(
    connect, tmp_path: Path
) -> None:
    server = make_server(FakeDeps(), policy_file=tmp_path / "rules.toml")
    async with connect(server) as client:
        result = await client.read_resource("afas://policies")
    (content,) = result.contents
    assert content.mime_type == "application/toml"
    assert content.text.startswith("# No policy file configured")


async def test_the_policy_resource_serves_the_policy_file(connect, tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[auto_apply]\ntools = ["log_activity"]\n', encoding="utf-8")
    async with connect(make_server(FakeDeps(), policy_file=rules)) as client:
        result = await client.read_resource("afas://policies")
    assert result.contents[0].text == rules.read_text(encoding="utf-8")


async def test_the_onboarding_prompt_walks_the_lookups_before_a_dry_run(connect, mode) -> None:
    async with connect(make_server(FakeDeps()), mode=mode) as client:
        prompts = (await client.list_prompts()).prompts
        result = await client.get_prompt(
            "onboard_employee_workflow", {"employee_name": "J. de Vries", "employer": "Acme"}
        )
    assert [p.name for p in prompts] == ["onboard_employee_workflow"]
    text = result.messages[0].content.text
    assert "(J. de Vries)" in text
    assert "'Acme'" in text
    for step in ("list_employers", "list_open_payroll_periods", "dry_run=true", "never guess"):
        assert step in text


async def test_the_policy_resource_serves_the_file_AFAS_MCP_POLICY_FILE_names(
    connect, tmp_path: Path
) -> None:
    rules = tmp_path / "reviewed-rules.toml"
    rules.write_text(packaged_rules_file().read_text(encoding="utf-8") + "# ours\n", "utf-8")
    settings = load_settings(
        {
            "AFAS_ENVIRONMENT_ID": "12345",
            "AFAS_ENVIRONMENT_TYPE": "test",
            "AFAS_TOKEN": "<token><version>1</version><data>" + "A" * 64 + "</data></token>",
            "AFAS_BASE_URL": "http://127.0.0.1:9/ProfitRestServices",  # never reached here
            "AFAS_MCP_POLICY_FILE": str(rules),
            "HOME": str(tmp_path),
        }
    )
    async with connect(server_for_settings(settings)) as client:
        result = await client.read_resource("afas://policies")
    assert result.contents[0].text.endswith("# ours\n")
