from __future__ import annotations

import re

import server.afas
from server.afas import errors


def test_public_surface_is_small_and_explicit() -> None:
    assert sorted(server.afas.__all__) == sorted(
        [
            "AfasClient",
            "Filter",
            "FilterGroup",
            "Operator",
            "RetryPolicy",
            "RowStream",
            "element",
            "envelope",
            "ConnectorMeta",
            "ConnectorRef",
            "EnvironmentInfo",
            "FieldMeta",
            "MetaDiff",
            "MetaInfo",
            "Page",
            "ReadWarning",
            "Row",
            "UpdateConnectorMeta",
            "UpdateResult",
            *errors.__all__,
        ]
    )
    for name in server.afas.__all__:
        assert getattr(server.afas, name) is not None


def test_every_error_is_drawn_in_the_errors_docstring_and_derives_from_afas_error() -> None:
    doc = errors.__doc__ or ""
    for name in errors.__all__:
        error = getattr(errors, name)
        assert issubclass(error, errors.AfasError)
        assert re.search(rf"^\s+(?:[│├└─ ]+)?{name}\b", doc, re.MULTILINE), name
