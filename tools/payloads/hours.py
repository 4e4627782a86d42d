"""PtRealization: one row of hours worked on a project.

The row carries the product's reference as AFAS's external key (`XpRe`), the field AFAS keeps for
an integration's own key; it comes back in AFAS's answer.
"""

from __future__ import annotations

from policies import afas_fields as af
from policies.facts import HoursFacts
from tools.payloads._elements import Body, Legacy, element, envelope

WORK_TYPE_ITEM = "1"  # VaIt: the item code is a work type
# StId (hour type) 1 is what every official PtRealization example sends for worked hours.
HOUR_TYPE = "1"


def hours_body(facts: HoursFacts, *, external_key: str, legacy: Legacy | None = None) -> Body:
    """The hours as one `PtRealization` insert."""
    row = {
        af.HOURS_DATE.field_id: facts.work_date,
        af.HOURS_ITEM_TYPE.field_id: WORK_TYPE_ITEM,
        af.HOURS_WORK_TYPE.field_id: facts.work_type,
        af.HOURS_QUANTITY.field_id: facts.hours,
        af.HOURS_EMPLOYEE.field_id: facts.employee_id,
        af.HOURS_PROJECT.field_id: facts.project_id,
        "StId": HOUR_TYPE,
        "Ds": facts.description,
        "XpRe": external_key,
    }
    return envelope(af.HOURS_ROOT, element(af.HOURS_ROOT, row, legacy=legacy))
