"""Where the store's SQLite file lives: `AFAS_MCP_DATABASE`, `[mcp] database`, or the default."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from server.config.source import Source, Var

__all__ = ["DATABASE", "default_database", "parse_database"]

DATABASE = Var("AFAS_MCP_DATABASE", "mcp", "database")


def default_database(environ: Mapping[str, str]) -> Path:
    """`$XDG_DATA_HOME/afas-mcp/afas-mcp.sqlite`, or under `~/.local/share` without it."""
    data_home = environ.get("XDG_DATA_HOME", "").strip()
    if data_home and Path(data_home).is_absolute():
        base = Path(data_home)
    else:
        home = environ.get("HOME", "").strip()
        base = (Path(home) if home else Path.home()) / ".local" / "share"
    return base / "afas-mcp" / "afas-mcp.sqlite"


def parse_database(source: Source, raw: object) -> Path:
    """The store's file: the configured path (relative to the TOML file when from it)."""
    return source.file_path(DATABASE, raw) or default_database(source.environ)
