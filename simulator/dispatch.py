"""Routing below `/ProfitRestServices` (any case), authentication and connector access.

Order of checks, as a client would meet them: query length (R16), environment, OAuth token
endpoint, authentication, IntegrationId (W21), rate limit (W11), route, connector access (403),
blocked connector.
"""

from __future__ import annotations

from starlette.responses import Response

from simulator.calls import Call
from simulator.catalogue import UPDATE_CONNECTORS_BY_ID, GetConnector
from simulator.core import Simulator
from simulator.errors import NOT_SUPPORTED, UNEXPECTED, AfasError, empty, unavailable
from simulator.routes_get import read_connector
from simulator.routes_meta import (
    get_metainfo,
    metainfo,
    oauth_token,
    profit_version,
    update_metainfo,
)

BASE = "profitrestservices"
NOT_SUPPORTED_GET = "GetConnector not supported for this app or the user is not authorized"
NOT_SUPPORTED_UPDATE = "UpdateConnector not supported for this app or the user is not authorized"
BLOCKED = "This GetConnector (definition) is blocked"
WRITES_NOT_AVAILABLE = "UpdateConnectors are not available in this simulator build"


def locate(call: Call) -> bool:
    """Split the path into an optional environment prefix and the route below the base path."""
    parts = [part for part in call.path.split("/") if part]
    if parts and parts[0].isdigit():
        call.environment_prefix = parts.pop(0)
    if not parts or parts[0].lower() != BASE:
        return False
    call.segments = parts[1:]
    call.route_path = "/" + "/".join(call.segments)
    return True


async def dispatch(sim: Simulator, call: Call) -> Response:
    """Answer a call whose path was located (see `locate`)."""
    quirks = sim.quirks
    if quirks.is_on("R16_long_query_404") and len(call.query) + 1 > sim.settings.max_query_length:
        return empty(404)
    environment = sim.environment_for(call.environment_prefix)
    if environment is None:
        return empty(404)
    call.environment = environment
    lower = [segment.lower() for segment in call.segments]
    if lower == ["oauth", "token"] and call.method == "POST":
        return oauth_token(sim, call)
    denied = _authenticate(sim, call)
    if denied is not None:
        return denied
    if quirks.is_on("W21_integration_id_required") and not call.integration_id:
        raise AfasError("The IntegrationId header is missing.", UNEXPECTED)
    if quirks.is_on("W11_rate_limit"):
        wait = sim.rate_limiter.check(call.token.label, sim.settings.rate_limit_per_minute)
        if wait is not None:
            call.notes.append("W11 rate limited")
            return unavailable(wait, "Too many requests for this token. Try again later.")
    return await _route(sim, call, lower)


def _authenticate(sim: Simulator, call: Call) -> Response | None:
    if call.env is not sim.environment and not sim.quirks.is_on(
        "R10_token_valid_in_sibling_environment"
    ):
        return empty(401)  # a token belongs to one environment
    outcome = sim.credentials.authenticate(
        call.headers.get("authorization"),
        plain_token_500=sim.quirks.is_on("W6_plain_token_500"),
        hex_only_accepted=sim.quirks.is_on("W6_hex_only_token_accepted"),
    )
    if outcome.status == 500:
        raise AfasError("An unexpected error has occurred.", UNEXPECTED)
    if outcome.status == 401:
        headers = {"WWW-Authenticate": outcome.challenge} if outcome.challenge else None
        return empty(401, headers)
    call.credential = outcome.credential
    call.hex_only_token = outcome.hex_only
    return None


async def _route(sim: Simulator, call: Call, lower: list[str]) -> Response:
    if call.method == "GET":
        if lower == ["metainfo"]:
            return metainfo(sim, call)
        if lower == ["profitversion"]:
            return profit_version(sim)
        if len(lower) == 3 and lower[:2] == ["metainfo", "get"]:
            return get_metainfo(call, _get_connector(call, call.segments[2]))
        if len(lower) == 3 and lower[:2] == ["metainfo", "update"]:
            connector_id = _update_connector_id(call, call.segments[2])
            return update_metainfo(connector_id)
        if len(lower) == 2 and lower[0] == "connectors":
            connector = _get_connector(call, call.segments[1])
            if connector.id in call.env.blocked:
                raise AfasError(BLOCKED, NOT_SUPPORTED)
            return await read_connector(sim, call, connector)
    elif call.method in ("POST", "PUT", "DELETE") and len(lower) >= 2 and lower[0] == "connectors":
        _update_connector_id(call, call.segments[1])
        if sim.update_handler is None:
            raise AfasError(WRITES_NOT_AVAILABLE, NOT_SUPPORTED)
        return await sim.update_handler(call)
    return empty(404)


class Forbidden(Exception):
    """The token's App Connector does not include the connector: 403 with an empty body."""


def _get_connector(call: Call, name: str) -> GetConnector:
    connector = call.env.get_connector(name)
    if connector is None:
        raise AfasError(NOT_SUPPORTED_GET, NOT_SUPPORTED)
    if connector.id not in call.token.app.get_connectors:
        raise Forbidden
    return connector


def _update_connector_id(call: Call, name: str) -> str:
    by_lower = {connector_id.lower(): connector_id for connector_id in UPDATE_CONNECTORS_BY_ID}
    connector_id = by_lower.get(name.lower())
    if connector_id is None:
        raise AfasError(NOT_SUPPORTED_UPDATE, NOT_SUPPORTED)
    if connector_id not in call.token.app.update_connectors:
        raise Forbidden
    return connector_id
