"""`afas-mcp review serve`: the review page under uvicorn, on loopback unless allowed otherwise."""

from __future__ import annotations

import logging
import secrets
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from server.config import ReviewSettings, check_bind
from server.review.actions import ReviewActions, pipeline_actions
from server.review.web import ROOT, create_app
from server.store import WriteStore

if TYPE_CHECKING:
    import uvicorn

log = logging.getLogger("server.review.serving")


def serve(
    settings: ReviewSettings,
    *,
    host: str | None = None,
    port: int | None = None,
    actions_factory: Callable[[WriteStore], ReviewActions] | None = None,
) -> int:
    """Run the review page with uvicorn until interrupted; returns the exit code."""
    bind = host or settings.host
    refusal = check_bind(bind, allow_remote=settings.allow_remote, origin="--host")
    if refusal:
        sys.stderr.write(f"afas-mcp review serve: {refusal}\n")
        return 2
    if not settings.approvers:
        sys.stderr.write(
            "afas-mcp review serve: no approvers are configured, so nobody could sign in. Set "
            "AFAS_MCP_REVIEWERS='name=hash' (hash from `afas-mcp review hash-secret`).\n"
        )
        return 2
    if not logging.getLogger().handlers:
        logging.basicConfig(
            stream=sys.stderr, level=logging.INFO, format="%(levelname)s %(name)s: %(message)s"
        )
    secret = settings.session_secret
    if secret is None:
        secret = secrets.token_urlsafe(32)
        log.warning("AFAS_MCP_REVIEW_SECRET is not set: sessions end when this server stops")
    factory = actions_factory or pipeline_actions
    with WriteStore(settings.database, review_ttl=settings.approval_ttl) as store:
        server = review_server(
            settings,
            store,
            host=bind,
            port=port or settings.port,
            session_secret=secret,
            actions=lambda: factory(store),
        )
        log.info("review page at http://%s:%d%s", bind, server.config.port, ROOT)
        server.run()
    return 0


def review_server(
    settings: ReviewSettings,
    store: WriteStore,
    *,
    host: str,
    port: int,
    session_secret: str,
    actions: Callable[[], ReviewActions],
) -> uvicorn.Server:
    """The uvicorn server `serve` runs (tests serve it on a socket of their own)."""
    import uvicorn

    app = create_app(
        store=store,
        settings=settings,
        actions=actions,
        session_secret=session_secret,
        extra_hosts=[host],
    )
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,  # uvicorn's loggers propagate to the stderr handler
        lifespan="off",
        ws="none",  # plain HTTP pages only
        proxy_headers=False,  # X-Forwarded-* from anyone on loopback would be believed
        server_header=False,
    )
    return uvicorn.Server(config)
