"""Agent-facing toolsets, one module per domain."""
