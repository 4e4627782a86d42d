"""`python -m server` is `afas-mcp`."""

from server.cli import main

raise SystemExit(main())
