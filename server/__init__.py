"""afas-mcp: the running product (AFAS client, MCP app, write pipeline, review queue)."""

__all__ = ["__version__"]

__version__ = "0.1.0"
