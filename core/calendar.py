"""The working-day calendar: days off, the local zone, and the hours when users may be messaged."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from holidays import country_holidays
from holidays.constants import PUBLIC, WORKDAY

KYIV = ZoneInfo("Europe/Kyiv")
_ONE_DAY = timedelta(days=1)


@cache
def ukrainian_holidays(year: int) -> frozenset[date]:
    """Every Ukrainian public holiday of the year, whether or not martial law makes it a workday.

    Since 2023 the library's `public` category is empty (martial law) and the holidays sit in its
    `workday` category, so both are merged; building the set is slow, hence the per-year cache.
    """
    found = country_holidays("UA", years=year, categories=(PUBLIC, WORKDAY))
    return frozenset(found.keys())


def require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime, expected an aware UTC one: {moment!r}")


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Which days are working days, and when on them a user may be sent a message.

    `quiet_start`–`quiet_end` is the local window on working days when messages are allowed.
    With `holidays_are_days_off` False (martial law) no public holiday is a day off; the council's
    own exceptions go into `extra_days_off` and `extra_working_days` (the latter win).
    """

    tz: ZoneInfo = KYIV
    holidays_are_days_off: bool = False
    extra_days_off: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)
    quiet_start: time = time(9, 0)
    quiet_end: time = time(18, 0)

    def __post_init__(self) -> None:
        if not self.quiet_start < self.quiet_end:
            raise ValueError("quiet_start must be earlier than quiet_end")
        if self.quiet_start.tzinfo is not None or self.quiet_end.tzinfo is not None:
            raise ValueError("quiet hours are local wall-clock times without tzinfo")

    # --- Days -----------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        if d in self.extra_working_days:
            return True
        if d.weekday() >= 5 or d in self.extra_days_off:
            return False
        return not (self.holidays_are_days_off and d in ukrainian_holidays(d.year))

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after d."""
        d += _ONE_DAY
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before d."""
        d -= _ONE_DAY
        while not self.is_working_day(d):
            d -= _ONE_DAY
        return d

    def add_working_days(self, d: date, n: int) -> date:
        """Step n working days from d (back when n < 0); n=0 gives d, or the next working day."""
        if n == 0:
            return d if self.is_working_day(d) else self.next_working_day(d)
        step = self.next_working_day if n > 0 else self.previous_working_day
        for _ in range(abs(n)):
            d = step(d)
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Signed count of working-day steps from a to b: working days in (a, b], or -[b, a).

        So `add_working_days(a, working_days_between(a, b)) == b` when a and b are working days.
        """
        if a == b:
            return 0
        lo, hi, sign = (a, b, 1) if a < b else (b - _ONE_DAY, a - _ONE_DAY, -1)
        count = 0
        d = lo + _ONE_DAY
        while d <= hi:
            count += self.is_working_day(d)
            d += _ONE_DAY
        return sign * count

    # --- Moments --------------------------------------------------------------------------

    def local_date(self, utc_dt: datetime) -> date:
        require_aware(utc_dt)
        return utc_dt.astimezone(self.tz).date()

    def at_local(self, d: date, t: time) -> datetime:
        """The UTC instant of local wall-clock time t on day d.

        fold=0 settles the DST edge cases: a time skipped in spring (03:30 on the last Sunday of
        March) is read with the winter offset, i.e. an hour later on the wall clock; a time that
        occurs twice in autumn means its first occurrence.
        """
        local = datetime.combine(d, t.replace(tzinfo=None, fold=0), tzinfo=self.tz)
        return local.astimezone(UTC)

    def end_of_day_utc(self, d: date) -> datetime:
        """The instant local day d ends (the midnight starting the next day), in UTC; exclusive."""
        return self.at_local(d + _ONE_DAY, time(0, 0))

    def is_allowed_moment(self, utc_dt: datetime) -> bool:
        """True inside the messaging window on a working day, in local time."""
        require_aware(utc_dt)
        local = utc_dt.astimezone(self.tz)
        return self.quiet_start <= local.time() < self.quiet_end and self.is_working_day(
            local.date()
        )

    def next_allowed_moment(self, utc_dt: datetime) -> datetime:
        """utc_dt itself if a message may go then, else the opening of the next allowed window."""
        require_aware(utc_dt)
        if self.is_allowed_moment(utc_dt):
            return utc_dt.astimezone(UTC)
        local = utc_dt.astimezone(self.tz)
        day = local.date()
        if not (self.is_working_day(day) and local.time() < self.quiet_start):
            day = self.next_working_day(day)
        return self.at_local(day, self.quiet_start)
