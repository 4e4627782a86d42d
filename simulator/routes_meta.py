"""Metainfo, version and OAuth token endpoints."""

from __future__ import annotations

import base64
import binascii
from datetime import date, timedelta
from urllib.parse import parse_qs

from starlette.responses import Response

from simulator.calls import Call
from simulator.catalogue import GET_CONNECTORS, UPDATE_CONNECTORS_BY_ID, GetConnector
from simulator.core import Simulator
from simulator.errors import json_response

# Classic tokens are phased out (afas-api.md 2.5): from September 2026 AFAS gives every existing
# one this expiry date.
CLASSIC_EXPIRY_ANNOUNCED = date(2026, 9, 1)
CLASSIC_TOKEN_EXPIRY = date(2027, 5, 1)


def metainfo(sim: Simulator, call: Call) -> Response:
    """`GET /metainfo`: the connectors linked to the token's App Connector, and `info`."""
    app = call.token.app
    return json_response(
        {
            "updateConnectors": [
                {"id": c.id, "description": c.description}
                for c in UPDATE_CONNECTORS_BY_ID.values()
                if c.id in app.update_connectors
            ],
            "getConnectors": [
                {"id": c.id, "description": c.description}
                for c in GET_CONNECTORS.values()
                if c.id in app.get_connectors
            ],
            "info": {
                "envid": call.env.name,
                "appName": app.name,
                "group": app.group,
                "tokenExpiry": token_expiry(sim, call),
            },
        }
    )


def token_expiry(sim: Simulator, call: Call) -> str:
    """`info.tokenExpiry`: "0" for none, else the end as `YYYY-MM-DDTHH:MM:SS` (Amsterdam time).

    AFAS's only example is "0". The date form is the one AFAS uses for date-times it reads
    (filter values, UpdateConnector fields): no zone, no misleading `Z`. A Bearer token's end is
    its `expires_in`, so its metainfo reports none. R11 on: a classic token has no lifetime of
    its own, but from 1 September 2026 (the tenant's today) every classic token carries the
    phase-out date 1 May 2027 (afas-api.md 2.5). R11 off, the idealised API: a year from today.
    """
    if _is_bearer(call):
        return "0"
    today = call.env.tenant.today()
    if not sim.quirks.is_on("R11_tokens_never_expire"):
        return f"{(today + timedelta(days=365)).isoformat()}T00:00:00"
    if today >= CLASSIC_EXPIRY_ANNOUNCED:
        return f"{CLASSIC_TOKEN_EXPIRY.isoformat()}T00:00:00"
    return "0"


def _is_bearer(call: Call) -> bool:
    scheme, _, _ = (call.headers.get("authorization") or "").strip().partition(" ")
    return scheme.lower() == "bearer"


def get_metainfo(call: Call, connector: GetConnector) -> Response:
    """`GET /metainfo/get/{id}`: the connector's fields as they are now (after any drift)."""
    shape = call.env.shape(connector)
    return json_response(
        {
            "name": connector.id,
            "description": connector.description,
            "fields": [f.metainfo() for f in shape.fields],
        }
    )


def update_metainfo(connector_id: str) -> Response:
    """`GET /metainfo/update/{id}` in the nested fields/objects form."""
    from simulator.updates import update_metainfo_document  # with the write side's fields

    return json_response(update_metainfo_document(connector_id))


def profit_version(sim: Simulator) -> Response:
    """`GET /profitversion`."""
    return json_response({"version": sim.settings.profit_version})


def oauth_token(sim: Simulator, call: Call) -> Response:
    """`POST /oauth/token` with the client-credentials grant (form body or HTTP Basic)."""
    form = {
        name: values[0] for name, values in parse_qs(call.body.decode("utf-8", "replace")).items()
    }
    basic = _basic_credentials(call.headers.get("authorization"))
    if form.get("grant_type") != "client_credentials":
        error = "unsupported_grant_type" if form.get("grant_type") else "invalid_request"
        return json_response({"error": error}, 400)
    client_id, secret = basic or (form.get("client_id"), form.get("client_secret"))
    if not client_id or not secret:
        return json_response({"error": "invalid_request"}, 400)
    lifetime = sim.settings.oauth_token_lifetime_seconds
    token = sim.credentials.issue_bearer(client_id, secret, lifetime)
    if token is None:
        if basic is not None:
            # Failed Basic client authentication is a 401 with a Basic challenge.
            return json_response({"error": "invalid_client"}, 401, {"WWW-Authenticate": "Basic"})
        return json_response({"error": "invalid_client"}, 400)
    call.notes.append(f"oauth token for {client_id}")
    return json_response(
        {"access_token": token, "token_type": "Bearer", "expires_in": int(lifetime)}
    )


def _basic_credentials(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, _, secret = decoded.partition(":")
    return client_id, secret
