"""Amsterdam time: the tenant's clock and the wire form of dates.

AFAS stores local (Europe/Amsterdam) times and renders them with a misleading `Z` (quirk R7).
Everything in the tenant is a naive datetime in Amsterdam local time; this module is the one
place that knows how to turn that into wire text, either AFAS's way or as real UTC.
"""

from __future__ import annotations

import time as monotonic_clock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def today_in_amsterdam() -> date:
    """Return today's date in the Netherlands (the default reference date of a tenant)."""
    return datetime.now(AMSTERDAM).date()


def wire_date(value: datetime, *, local_with_z: bool) -> str:
    """Render a naive Amsterdam-local datetime as AFAS does (`local_with_z`) or as true UTC."""
    if not local_with_z:
        value = value.replace(tzinfo=AMSTERDAM).astimezone(UTC).replace(tzinfo=None)
    # isoformat is strftime's result for these four-digit years, at a fraction of the cost.
    return value.isoformat(timespec="seconds") + "Z"


class TenantClock:
    """The time a tenant stamps on changes.

    With no pinned reference date it is the real Amsterdam wall clock. With a pinned date (tests)
    it starts at 09:00 on that date and advances with real elapsed time, so stamps stay
    deterministic in date and strictly after every seeded stamp, whatever the machine's clock says.
    """

    def __init__(self, reference_date: date, *, pinned: bool) -> None:
        self.reference_date = reference_date
        self.pinned = pinned
        self._start = monotonic_clock.monotonic()

    def now(self) -> datetime:
        if not self.pinned:
            return datetime.now(AMSTERDAM).replace(tzinfo=None, microsecond=0)
        elapsed = timedelta(seconds=monotonic_clock.monotonic() - self._start)
        start = datetime.combine(self.reference_date, time(9))
        return (start + elapsed).replace(microsecond=0)

    def today(self) -> date:
        return self.now().date() if not self.pinned else self.reference_date
