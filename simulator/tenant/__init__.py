"""The seeded tenant: tables of records, their generator and the mutation API."""

from __future__ import annotations

from simulator.tenant.build import DEFAULT_SIZE, TABLES, build_tenant
from simulator.tenant.store import Record, Table, Tenant, TenantError

__all__ = ["DEFAULT_SIZE", "TABLES", "Record", "Table", "Tenant", "TenantError", "build_tenant"]
