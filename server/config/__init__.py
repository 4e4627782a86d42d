"""Configuration: environment variables, plus an optional TOML file named by `AFAS_MCP_CONFIG`.

An environment variable wins over the file. Every value is parsed once, here, by the section that
owns it; the rest of the product reads the typed sections of `Settings` (`settings.afas`,
`settings.pipeline`, `settings.review`, `settings.policies`). Bad configuration fails at start
with `ConfigError`, which lists every problem at once, each naming the variable (and the TOML key
and file when the value came from there) and saying what to do. Secrets are `SecretStr` or kept
out of `repr`; no message repeats them.

TOML layout (every key optional; the environment variable in brackets)::

    [afas]
    environment_id = "12345"          # [AFAS_ENVIRONMENT_ID] pinned; AFAS must report it (R10)
    environment_type = "test"         # [AFAS_ENVIRONMENT_TYPE] production | test | accept
    token = "<token>…</token>"        # [AFAS_TOKEN] XML, 64-character data part, or Base64 (W6)
    oauth_client_id = "…"             # [AFAS_OAUTH_CLIENT_ID] instead of a token (R11)
    oauth_client_secret = "…"         # [AFAS_OAUTH_CLIENT_SECRET]
    base_url = "https://…"            # [AFAS_BASE_URL] override: proxies and test doubles
    integration_id = "12345_678900"   # [AFAS_INTEGRATION_ID] IntegrationId header (W21)
    rate_limit_per_minute = 300       # [AFAS_RATE_LIMIT_PER_MINUTE] 0 switches it off (W11)
    max_parallel = 8                  # [AFAS_MAX_PARALLEL] at most 8, AFAS's own limit
    timeout_seconds = 120             # [AFAS_TIMEOUT_SECONDS]
    language = "en-us"                # [AFAS_LANGUAGE] en-us nl-nl nl-be fr-fr de-de, or base

    [mcp]
    writes = false                    # [AFAS_MCP_WRITES] write tools present only when true
    database = "~/afas-mcp.sqlite"    # [AFAS_MCP_DATABASE] review queue, ledger, audit trail
    toolsets = ["hr", "payroll"]      # [AFAS_MCP_TOOLSETS] comma list; default every read toolset
    http_token = "…"                  # [AFAS_MCP_HTTP_TOKEN] bearer token for the HTTP transport
    http_host = "127.0.0.1"           # [AFAS_MCP_HTTP_HOST]
    http_port = 8000                  # [AFAS_MCP_HTTP_PORT]

    [connectors]                      # logical name = the connector's id in this environment
    employees = "AfasMcp_Employees"

    [pipeline]
    duplicate_window_minutes = 10      # [AFAS_MCP_DUPLICATE_WINDOW_MINUTES] repeat -> earlier write
    requester = "agent"                # [AFAS_MCP_REQUESTER] who asks, beside the client's name
    settle_absent_after_seconds = 900  # [AFAS_MCP_SETTLE_ABSENT_AFTER_SECONDS] W16, AFAS's limit
    reconcile_interval_seconds = 60    # [AFAS_MCP_RECONCILE_INTERVAL_SECONDS] in the background

    [review]                          # see server.config.review
    url = "http://127.0.0.1:8766/review"   # [AFAS_MCP_REVIEW_URL]
    host = "127.0.0.1"                # [AFAS_MCP_REVIEW_HOST]
    port = 8766                       # [AFAS_MCP_REVIEW_PORT]
    allow_remote = false              # [AFAS_MCP_REVIEW_ALLOW_REMOTE]
    secret = "…"                      # [AFAS_MCP_REVIEW_SECRET]
    ttl_hours = 72                    # [AFAS_MCP_REVIEW_TTL_HOURS]
    session_hours = 8                 # [AFAS_MCP_REVIEW_SESSION_HOURS]
    [review.approvers]                # [AFAS_MCP_REVIEWERS] "name=hash,name=hash"

    [policies]
    file = "rules.toml"               # [AFAS_MCP_POLICY_FILE] unset: the packaged rules

Relative paths in the file (`database`, `policies.file`) are relative to the file. Other
top-level tables are kept, unchecked, in `Settings.tables` for the part that owns them.

Modules: `source` (environment and file, problems), `afas`, `settings` (`[mcp]` and the whole),
`paths` (the database file), `connectors`, `pipeline`, `review`, `rules` (the policy file),
`loader` (`load_settings`, `load_review_settings`), `errors`.
"""

from __future__ import annotations

from server.config.afas import LANGUAGES, AfasSettings
from server.config.connectors import (
    GET_CONNECTORS,
    UPDATE_CONNECTORS,
    ConnectorSpec,
    UpdateConnectorSpec,
)
from server.config.errors import ConfigError
from server.config.loader import load_review_settings, load_settings
from server.config.paths import default_database
from server.config.pipeline import PipelineSettings
from server.config.review import Approver, ReviewSettings, check_bind
from server.config.rules import PolicySettings
from server.config.settings import READ_TOOLSETS, Settings

__all__ = [
    "GET_CONNECTORS",
    "LANGUAGES",
    "READ_TOOLSETS",
    "UPDATE_CONNECTORS",
    "AfasSettings",
    "Approver",
    "ConfigError",
    "ConnectorSpec",
    "PipelineSettings",
    "PolicySettings",
    "ReviewSettings",
    "Settings",
    "UpdateConnectorSpec",
    "check_bind",
    "default_database",
    "load_review_settings",
    "load_settings",
]
