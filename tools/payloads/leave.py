"""HrAbsence: one leave booking, whole days or part of one day.

`DaBe`/`DaEn` are date-times in Amsterdam wall time. For whole days (`LeDt` false) AFAS ignores
the times and counts the days by the employee's schedule; partial leave (`LeDt` true) takes the
hours between the two times of one day.
"""

from __future__ import annotations

from datetime import datetime, time

from policies import afas_fields as af
from policies.facts import LeaveFacts
from tools.payloads._elements import Body, Legacy, element, envelope


def leave_body(facts: LeaveFacts, *, legacy: Legacy | None = None) -> Body:
    """The booking as one `HrAbsence` insert: whole days, or the facts' times on their one day.

    Raises:
        ValueError: partial leave spans more than one day.
    """
    if facts.partial and facts.start != facts.end:
        raise ValueError("partial leave is part of one day: start and end must be the same day")
    row = {
        af.LEAVE_EMPLOYEE.field_id: facts.employee_id,
        af.LEAVE_TYPE.field_id: facts.leave_type,
        af.LEAVE_START.field_id: datetime.combine(facts.start, facts.from_time or time(0)),
        af.LEAVE_END.field_id: datetime.combine(facts.end, facts.until_time or time(0)),
        af.LEAVE_PARTIAL.field_id: facts.partial,
        "Re": facts.reason,  # remark: the reason as the employee wrote it
    }
    return envelope(af.LEAVE_ROOT, element(af.LEAVE_ROOT, row, legacy=legacy))
