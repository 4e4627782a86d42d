"""What the write tools build: AFAS UpdateConnector bodies, and what must read back after them.

One module per connector, each a set of pure functions from the facts a tool resolved
(`policies.facts`) to the complete official payload. Field ids come from `policies.afas_fields`
and values pass through `policies.values.adapt_fields`, the same map and formatter the policies
read payloads with, so a builder and a check cannot drift apart. The shapes follow AFAS's
OpenAPI request schemas where AFAS publishes one (`Objects` as a list, `Element` as a list where
the schema says so); `tests/tools/test_payloads_openapi.py` validates every body against them.

The read-back side (`readback_*` modules) says, per tool, which GetConnector rows must hold which
values after the write (quirk W14) and how to find the record again when AFAS's answer was lost
(W16). Lookups the tools need before they can build a body live in `lookups`.
"""

from __future__ import annotations
