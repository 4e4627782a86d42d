"""Every connector the simulator serves: the product's custom ones and AFAS standard ones."""

from __future__ import annotations

from simulator.catalogue.custom import CUSTOM_CONNECTORS
from simulator.catalogue.fields import DataType, Field, GetConnector, Row
from simulator.catalogue.finance import FINANCE_CONNECTORS
from simulator.catalogue.hr import HR_CONNECTORS
from simulator.catalogue.rows import RowOptions
from simulator.catalogue.update import UPDATE_CONNECTORS, UpdateConnector
from simulator.catalogue.work import WORK_CONNECTORS

GET_CONNECTORS: dict[str, GetConnector] = {
    c.id: c for c in (*CUSTOM_CONNECTORS, *HR_CONNECTORS, *FINANCE_CONNECTORS, *WORK_CONNECTORS)
}
UPDATE_CONNECTORS_BY_ID: dict[str, UpdateConnector] = {c.id: c for c in UPDATE_CONNECTORS}

__all__ = [
    "GET_CONNECTORS",
    "UPDATE_CONNECTORS_BY_ID",
    "DataType",
    "Field",
    "GetConnector",
    "Row",
    "RowOptions",
    "UpdateConnector",
]
