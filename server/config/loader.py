"""Reading the configuration: every section from one `Source`, every problem reported at once."""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import ValidationError

from server.config.afas import AFAS_VARS, AfasSettings
from server.config.connectors import parse_connectors
from server.config.errors import ConfigError
from server.config.paths import DATABASE, parse_database
from server.config.pipeline import parse_pipeline
from server.config.review import ReviewSettings, parse_review
from server.config.rules import parse_policies
from server.config.settings import MCP_VARS, Settings
from server.config.source import Source

__all__ = ["OWNED_TABLES", "load_review_settings", "load_settings"]

# The file's top-level tables a section reads and checks; any other is kept in `Settings.tables`.
OWNED_TABLES = frozenset({"afas", "mcp", "connectors", "pipeline", "review", "policies"})


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the configuration from `environ` (default `os.environ`) and the TOML file it names.

    Raises:
        ConfigError: any problem; all problems are reported at once, each naming its variable.
    """
    source = Source.of(os.environ if environ is None else environ)
    afas_values = source.values("afas", AFAS_VARS)
    mcp_values = source.values("mcp", MCP_VARS)
    connectors = parse_connectors(source)
    afas: AfasSettings | None = None
    try:
        afas = AfasSettings.model_validate(afas_values)
    except ValidationError as exc:
        source.report("afas", exc)
    database = parse_database(source, mcp_values.pop(DATABASE.key, None))
    pipeline = parse_pipeline(source)
    review = parse_review(source, database=database)
    policies = parse_policies(source)
    settings: Settings | None = None
    try:
        # Validated even when [afas] is broken (with a stand-in), so every problem shows at once.
        settings = Settings.model_validate(
            {
                **mcp_values,
                "afas": afas
                or AfasSettings.model_construct(environment_id="0", environment_type="test"),
                "database": database,
                "connectors": connectors,
                "pipeline": pipeline,
                "review": review,
                "policies": policies,
                "config_file": source.path,
                "tables": {k: v for k, v in source.doc.items() if k not in OWNED_TABLES},
            }
        )
    except ValidationError as exc:
        source.report("mcp", exc, skip="afas")
    source.raise_problems()
    if settings is None or afas is None:
        raise ConfigError(["configuration could not be read"])
    return settings


def load_review_settings(environ: Mapping[str, str] | None = None) -> ReviewSettings:
    """Only what `afas-mcp review` needs to show the queue: the review section and the store.

    Reading and showing held writes needs no AFAS credentials, so this leaves `[afas]` alone;
    deciding on a write loads everything (`load_settings`), because the write is then sent.

    Raises:
        ConfigError: every problem in the review settings or the database path at once.
    """
    source = Source.of(os.environ if environ is None else environ)
    database = parse_database(source, source.values("mcp", MCP_VARS).get(DATABASE.key))
    review = parse_review(source, database=database)
    source.raise_problems()
    return review
