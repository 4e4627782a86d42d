"""Metainfo, version and OAuth token endpoints."""

from __future__ import annotations

import base64
import binascii
from datetime import timedelta
from urllib.parse import parse_qs

from starlette.responses import Response

from simulator.calls import Call
from simulator.catalogue import GET_CONNECTORS, UPDATE_CONNECTORS_BY_ID, GetConnector
from simulator.core import Simulator
from simulator.errors import json_response


def metainfo(sim: Simulator, call: Call) -> Response:
    """`GET /metainfo`: the connectors linked to the token's App Connector, and `info`."""
    app = call.token.app
    expiry = "0"
    if not sim.quirks.is_on("R11_tokens_never_expire"):
        # Idealised API: the token says when it ends.
        expiry = (call.env.tenant.today() + timedelta(days=365)).isoformat()
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
                "tokenExpiry": expiry,
            },
        }
    )


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
