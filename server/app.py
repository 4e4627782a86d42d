"""The MCP server: the only module that imports the MCP SDK.

Everything agent-facing is declared framework-free elsewhere (`tools/`: `ToolSpec`s over pydantic
models; `server.outcomes`: anticipated failures); this module turns it into an `MCPServer`:

- each `ToolSpec` becomes one MCP tool whose input schema is the spec's input model (the agent
  sends its fields as top-level arguments), whose output schema and structured content come from
  the output model, and whose annotations are the spec's honest hints;
- `to_tool_error` is the one mapping from any exception to what the agent sees;
- the lifespan opens the dependencies once (`deps_factory`) and hands them to every handler;
- resources (connector metadata, the policy file) and the onboarding prompt;
- the streamable HTTP app (bearer token, DNS-rebinding protection) for `afas-mcp serve --http`.
"""

from __future__ import annotations

import hmac
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

from mcp.server import MCPServer
from mcp.server.auth.provider import AccessToken, TokenVerifier
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError, ToolError
from mcp.server.mcpserver.resources import FunctionResource
from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase, FuncMetadata
from mcp.server.transport_security import TransportSecuritySettings
from mcp.types import ToolAnnotations
from pydantic import AnyHttpUrl, BaseModel, ValidationError, create_model
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server import __version__
from server.afas import errors
from server.config import Settings
from server.outcomes import NEXT_STEP, ToolOutcomeError, UnknownRecord, afas_outcome
from tools import connectors, resolve_toolsets
from tools.base import ToolSpec
from tools.deps import CLIENT_NAME, open_deps

logger = logging.getLogger(__name__)

SERVER_NAME = "afas-mcp"

INSTRUCTIONS = """\
afas-mcp reads (and, when enabled, writes) AFAS Profit: HR, payroll, finance, CRM, projects.
Prefer the domain tools; use query_connector only for what they do not cover.
Every result may carry warnings[]: they mean the data is suspect (a blocked record, a value AFAS
holds elsewhere, a connector that changed shape). Pass them on to the user; never drop them.
Writes are checked by policies, read back and compared; a write may wait for a human approver.
There is no approve tool: approval is a person's act outside the agent."""

# Opens the dependencies tool handlers get (`tools.deps.ToolDeps` in the product; any object in
# tests). Entered once per process under HTTP, once per connection in-memory and on stdio.
DepsFactory = Callable[[], AbstractAsyncContextManager[Any]]


def to_tool_error(exc: BaseException, *, tool: str) -> ToolError:
    """Map any exception raised while running a tool to the text the agent sees.

    Anticipated failures (outcome errors, invalid arguments, AFAS's own errors) keep a message
    that says what happened and what to do. Anything else is a bug: the agent gets only a
    reference, and the full traceback goes to the log (stderr) under that reference.
    """
    text = _known_error_text(exc)
    if text is None:
        reference = uuid.uuid4().hex[:12]
        logger.error("tool %s failed unexpectedly (reference %s)", tool, reference, exc_info=exc)
        text = (
            f"Internal error in afas-mcp (reference {reference}); the details are in the server "
            f"log under that reference. {NEXT_STEP['terminal']}"
        )
    return ToolError(text)


def _known_error_text(exc: BaseException) -> str | None:
    if isinstance(exc, ToolOutcomeError):
        return exc.agent_text()
    if isinstance(exc, ValidationError):
        return _validation_text(exc)
    if isinstance(exc, errors.AfasError):
        return _afas_text(exc)
    return None


def _afas_text(exc: errors.AfasError) -> str:
    kind, meaning = afas_outcome(exc)
    parts = [_sentence(meaning), "Details: " + _sentence(str(exc))]
    if isinstance(exc, errors.AfasUnknownField) and exc.suggestions:
        parts.append(f"Did you mean {' or '.join(exc.suggestions)}?")
    if isinstance(exc, errors.AfasUnavailable) and exc.retry_after is not None:
        parts.append(f"AFAS asked to wait {exc.retry_after:g} seconds.")
    parts.append(NEXT_STEP[kind])
    return " ".join(parts)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _validation_text(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"]) or "(arguments)"
        message = "unknown argument" if error["type"] == "extra_forbidden" else error["msg"]
        problems.append(f"`{where}`: {message}")
    return f"Invalid arguments: {'; '.join(problems)}. {NEXT_STEP['fix_input']}"


class _SpecArguments(FuncMetadata):
    """Hands the raw arguments to the tool wrapper, which validates them with the input model.

    The SDK would validate against a model derived from a function signature; validating with
    the spec's own model keeps its validators, and lets `to_tool_error` word the failure.
    """

    def validate_arguments(self, arguments_to_validate: dict[str, Any]) -> dict[str, Any]:
        return {"arguments": self.pre_parse_json(arguments_to_validate)}


def _mcp_tool(spec: ToolSpec) -> Tool:
    async def call(arguments: dict[str, Any], ctx: Context[Any, Any]) -> BaseModel:
        deps = ctx.request_context.lifespan_context
        client = CLIENT_NAME.set(_client_name(ctx))  # who asks, for the write ledger
        try:
            args = spec.input_model.model_validate(arguments)
            return await spec.handler(deps, args)
        except Exception as exc:
            raise to_tool_error(exc, tool=spec.name) from exc
        finally:
            CLIENT_NAME.reset(client)

    # Only used by the SDK to pre-parse JSON-encoded arguments (some clients send lists as
    # strings); it has the input model's fields.
    arg_model = create_model(
        f"{spec.input_model.__name__}Arguments", __base__=(ArgModelBase, spec.input_model)
    )
    return Tool(
        fn=call,
        name=spec.name,
        title=spec.title,
        description=spec.description,
        parameters=spec.input_model.model_json_schema(),
        fn_metadata=_SpecArguments(arg_model=arg_model, output_model=spec.output_model),
        is_async=True,
        context_kwarg="ctx",
        annotations=ToolAnnotations(
            title=spec.title,
            read_only_hint=spec.read_only,
            destructive_hint=spec.destructive,
            idempotent_hint=spec.idempotent,
            open_world_hint=spec.open_world,
        ),
    )


def _client_name(ctx: Context[Any, Any]) -> str | None:
    """The name the MCP client gave at initialisation (`clientInfo.name`), if any."""
    try:
        params = ctx.session.client_params
    except (AttributeError, LookupError, ValueError):  # no session in this context
        return None
    info = getattr(params, "client_info", None)
    name = getattr(info, "name", None)
    return name if isinstance(name, str) and name.strip() else None


class BearerAuth:
    """The static bearer token of the HTTP transport (`AFAS_MCP_HTTP_TOKEN`)."""

    def __init__(self, token: str, *, resource_url: str) -> None:
        if not token:
            raise ValueError("the HTTP bearer token must not be empty")
        self._token = token.encode("utf-8")
        self.resource_url = resource_url

    def matches(self, candidate: str) -> bool:
        """Whether `candidate` is the configured token (constant-time comparison)."""
        return hmac.compare_digest(candidate.encode("utf-8"), self._token)

    def __repr__(self) -> str:  # never show the token, not even in a debugger or a log line
        return f"BearerAuth(resource_url={self.resource_url!r}, token=***)"


class _StaticTokenVerifier(TokenVerifier):
    def __init__(self, auth: BearerAuth) -> None:
        self._auth = auth

    async def verify_token(self, token: str) -> AccessToken | None:
        if not self._auth.matches(token):
            return None
        return AccessToken(token="***", client_id="afas-mcp-http-token", scopes=[])  # noqa: S106


class _Running:
    """The dependencies of the open lifespans, for handlers the SDK gives no context.

    Static resources get no `Context`. Under HTTP there is one lifespan per process; in-memory
    tests may open several, and the newest wins.
    """

    def __init__(self) -> None:
        self._stack: list[Any] = []

    @asynccontextmanager
    async def hold(self, deps: Any) -> AsyncIterator[Any]:
        self._stack.append(deps)
        try:
            yield deps
        finally:
            self._stack.remove(deps)

    def current(self) -> Any | None:
        return self._stack[-1] if self._stack else None


def policy_file_for(settings: Settings) -> Path:
    """The policy rule file in force: `AFAS_MCP_POLICY_FILE`, else the packaged rules.toml."""
    return settings.policies.source_file


def server_for_settings(
    settings: Settings, *, http_auth: BearerAuth | None = None
) -> MCPServer[Any]:
    """The product server: configured toolsets, AFAS dependencies, the policy file.

    The `writes` toolset (where a write stands) comes with `AFAS_MCP_WRITES=true`; the read
    toolsets are the configured ones.
    """
    names = [*settings.toolsets, *(["writes"] if settings.writes else [])]
    return build_server(
        tools=resolve_toolsets(names, writes_enabled=settings.writes),
        deps_factory=lambda: open_deps(settings),
        policy_file=policy_file_for(settings),
        http_auth=http_auth,
    )


def build_server(
    *,
    tools: Sequence[ToolSpec],
    deps_factory: DepsFactory,
    policy_file: Path | None = None,
    http_auth: BearerAuth | None = None,
) -> MCPServer[Any]:
    """Build the MCP server for the given tools.

    Args:
        tools: the tools to serve (the product passes `tools.resolve_toolsets(...)`; tests may
            pass their own specs).
        deps_factory: opens the dependencies handed to every handler as `deps`; entered once
            per lifespan (per process under HTTP).
        policy_file: the policy rule file served as `afas://policies`; `None` or a missing file
            serves a note that no policy file is configured.
        http_auth: the bearer token the HTTP transport requires; `None` for stdio and in-memory
            use, and for `--no-auth` on loopback.
    """
    running = _Running()

    @asynccontextmanager
    async def lifespan(_: MCPServer[Any]) -> AsyncIterator[Any]:
        async with deps_factory() as deps, running.hold(deps):
            yield deps

    auth_kwargs: dict[str, Any] = {}
    if http_auth is not None:
        auth_kwargs = {
            "token_verifier": _StaticTokenVerifier(http_auth),
            # A static token is not issued by an authorization server; the resource itself is
            # named so the metadata route (RFC 9728) stays well-formed. The verifier checks the
            # token, so the audience check is off.
            "auth": AuthSettings(
                issuer_url=AnyHttpUrl(http_auth.resource_url),
                resource_server_url=AnyHttpUrl(http_auth.resource_url),
                validate_token_resource=False,
            ),
        }
    mcp_server = MCPServer(
        SERVER_NAME,
        version=__version__,
        instructions=INSTRUCTIONS,
        tools=[_mcp_tool(spec) for spec in tools],
        lifespan=lifespan,
        **auth_kwargs,
    )
    _add_resources(mcp_server, running, policy_file)
    _add_prompts(mcp_server)

    async def health(_: Request) -> Response:
        return JSONResponse({"status": "ok", "server": SERVER_NAME, "version": __version__})

    # Custom routes are never behind the bearer check: a load balancer may probe without a token.
    mcp_server.custom_route("/health", methods=["GET"])(health)

    return mcp_server


def _resource_error(exc: BaseException, *, uri: str) -> ResourceError:
    text = to_tool_error(exc, tool=f"resource {uri}").args[0]
    if isinstance(exc, UnknownRecord):
        return ResourceNotFoundError(text)
    return ResourceError(text)


def _add_resources(mcp_server: MCPServer[Any], running: _Running, policy_file: Path | None) -> None:
    async def connector_list() -> str:
        deps = running.current()
        if deps is None:  # only between lifespans; the SDK reads resources inside one
            raise ResourceError("afas-mcp is starting or stopping; read the resource again")
        try:
            result = await connectors.connector_catalogue(deps)
        except Exception as exc:
            raise _resource_error(exc, uri="afas://connectors") from exc
        return result.model_dump_json(indent=2)

    async def connector_details(connector_id: str, ctx: Context[Any, Any]) -> str:
        uri = f"afas://connectors/{connector_id}"
        try:
            result = await connectors.connector_details(
                ctx.request_context.lifespan_context, connector_id
            )
        except Exception as exc:
            raise _resource_error(exc, uri=uri) from exc
        return result.model_dump_json(indent=2)

    def policies() -> str:
        if policy_file is None or not policy_file.is_file():
            where = "no path" if policy_file is None else str(policy_file)
            return (
                f"# No policy file configured ({where}).\n"
                "# Writes are checked by the built-in policies only; thresholds and per-tool\n"
                "# rules use their defaults until a reviewed rule file is installed.\n"
            )
        return policy_file.read_text(encoding="utf-8")

    # Listed first: the one resource that never needs AFAS.
    mcp_server.add_resource(
        FunctionResource.from_function(
            policies,
            uri="afas://policies",
            name="policies",
            title="Write policy rules",
            description=(
                "The reviewed rule file the write policies use (thresholds, which tools may "
                "apply without review, per-tool limits). Read-only; changed by people, not agents."
            ),
            mime_type="application/toml",
        )
    )
    mcp_server.add_resource(
        FunctionResource.from_function(
            connector_list,
            uri="afas://connectors",
            name="connectors",
            title="AFAS connectors",
            description=(
                "The GetConnectors this server's AFAS token may read, with their logical names "
                "(as configured in [connectors]) and descriptions. Same content as the "
                "list_connectors tool."
            ),
            mime_type="application/json",
        )
    )
    mcp_server.resource(
        "afas://connectors/{connector_id}",
        name="connector",
        title="AFAS connector metadata",
        description=(
            "One GetConnector's fields (id, type, label, whether filterable) as AFAS's metainfo "
            "reports them. Same content as the describe_connector tool."
        ),
        mime_type="application/json",
    )(connector_details)


ONBOARDING_STEPS = """\
Onboard a new employee in AFAS Profit{who}. Work through these steps in order and never guess a
code: every employer, period, period table and function code must come from a look-up.

1. Employer: call list_employers{employer}. If more than one employer could be meant, ask the
   user which one; do not pick one yourself.
2. Payroll period: call list_open_payroll_periods for that employer. The start date must fall in
   an open period; if it falls in a closed one, stop and tell the user.
3. Period table: use a period table that employer actually uses (its five-letter code, e.g.
   MAAND, VIERWEKEN, WEEK), as listed for the employer.
4. Function: look up the employer's function table (query_connector on the `functions`
   connector, filtered on the employer) and use a function code that exists there.
5. Call onboard_employee with dry_run=true. Read every verdict: fix what is denied (the hint
   says how), and show the user the exact payload.
6. Call onboard_employee with dry_run=false. Report the status as it is: applied and verified,
   pending_review (a person must approve; give the review link), or rejected with its reasons.
   Pass every warning on to the user.

If onboard_employee is not among your tools, writes are switched off on this server: stop after
step 4 and hand the values you found to a person."""


def _add_prompts(mcp_server: MCPServer[Any]) -> None:
    @mcp_server.prompt(
        name="onboard_employee_workflow",
        title="Onboard an employee",
        description=(
            "The look-ups to do before onboarding an employee (employer, open payroll periods, "
            "period table, function code), then a dry run, then the write."
        ),
    )
    def onboard_employee_workflow(employee_name: str = "", employer: str = "") -> str:
        who = f" ({employee_name})" if employee_name else ""
        hint = f" and find the employer matching {employer!r}" if employer else ""
        return ONBOARDING_STEPS.format(who=who, employer=hint)


def http_security(
    host: str, port: int, extra_hosts: Sequence[str] = ()
) -> TransportSecuritySettings:
    """DNS-rebinding protection for the HTTP transport: only the bound address may be named.

    A browser page on another origin that resolves its own name to 127.0.0.1 sends its own
    Host header, which is refused (421), so it cannot drive the local server.
    """
    names = {host, *extra_hosts}
    if host in {"127.0.0.1", "localhost", "::1"}:
        names |= {"127.0.0.1", "localhost", "[::1]"}
    names = {f"[{name}]" if ":" in name and not name.startswith("[") else name for name in names}
    hosts = sorted(f"{name}:{port}" for name in names)
    origins = sorted(f"{scheme}://{h}" for h in hosts for scheme in ("http", "https"))
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins
    )


def build_http_app(
    mcp_server: MCPServer[Any], *, host: str, port: int, extra_hosts: Sequence[str] = ()
) -> Starlette:
    """The streamable HTTP app (`/mcp`, plus an unauthenticated `/health`) for `serve --http`."""
    return mcp_server.streamable_http_app(
        streamable_http_path="/mcp",
        transport_security=http_security(host, port, extra_hosts),
        host=host,
    )


async def run_stdio(mcp_server: MCPServer[Any]) -> None:
    """Serve over stdin/stdout until the client closes the stream."""
    await mcp_server.run_stdio_async()
