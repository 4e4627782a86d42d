"""Connector rows to wire JSON: dates with the `Z`, numbers unquoted, nulls kept.

Quirk R4 renders a fixed set of decimal fields as Dutch strings ("1.234,56"); quirk R7 decides
whether dates are Amsterdam local time with a `Z` (AFAS) or real UTC (idealised).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from simulator.catalogue import Field, Row
from simulator.clock import wire_date

Converter = Callable[[Any], Any]


def number(value: Any) -> Any:
    """Decimals as JSON numbers: integral ones without a fraction, as Profit 7 normalises them."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def dutch_decimal(decimals: int) -> Converter:
    """A converter to Dutch number text: `.` groups thousands, `,` separates decimals."""

    def convert(value: Any) -> str:
        text = f"{Decimal(value):,.{decimals}f}"
        return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")

    return convert


def row_renderer(
    fields: tuple[Field, ...], *, local_with_z: bool, dutch: frozenset[str]
) -> Callable[[Row], dict[str, Any]]:
    """A function that turns a row tuple into the JSON object AFAS sends."""

    def date_text(value: datetime) -> str:
        return wire_date(value, local_with_z=local_with_z)

    plan: list[tuple[str, int, Converter | None]] = []
    for index, field in enumerate(fields):
        converter: Converter | None = None
        if field.data_type == "date":
            converter = date_text
        elif field.data_type == "decimal":
            converter = dutch_decimal(field.decimals or 2) if field.id in dutch else number
        plan.append((field.id, index, converter))

    def render(row: Row) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, index, convert in plan:
            value = row[index]
            out[name] = convert(value) if convert is not None and value is not None else value
        return out

    return render
