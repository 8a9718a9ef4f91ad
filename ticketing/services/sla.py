"""The working-hours calendar that SLA deadlines are counted on.

An OPD works Monday to Friday during office hours (Asia/Jakarta), never on national holidays or
cuti bersama (`config/holidays.json`). Emergency categories (`Category.sla_24x7`) count every
hour. `now()` is the one clock the lifecycle reads, so tests can move time without sleeping.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from config.settings import CONFIG_DIR
from ticketing.formatting import city_zone
from ticketing.models.base import utcnow

HOLIDAYS_FILE = CONFIG_DIR / "holidays.json"
DEFAULT_WORKDAY = ("08:00", "16:00")
# A deadline further away than this is a data error (no working day for years), not a loop.
MAX_CALENDAR_DAYS = 3 * 366

_clock = utcnow


def now() -> datetime:
    """The current time as the lifecycle sees it (UTC, aware)."""
    return _clock()


def set_clock(clock) -> None:
    """Replace the clock (a zero-argument callable returning an aware datetime); None resets."""
    global _clock
    _clock = clock or utcnow


@contextmanager
def frozen_clock(moment: datetime):
    previous = _clock
    set_clock(lambda: moment)
    try:
        yield
    finally:
        set_clock(previous)


@dataclass(frozen=True)
class Calendar:
    tz: ZoneInfo
    day_start: time
    day_end: time
    days_off: frozenset[date]

    @property
    def workday_hours(self) -> float:
        start = datetime.combine(date.min, self.day_start)
        end = datetime.combine(date.min, self.day_end)
        return (end - start).total_seconds() / 3600

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.days_off

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The moment `hours` of office time after `start` (aware, returned in UTC)."""
        remaining = timedelta(hours=hours)
        local = start.astimezone(self.tz)
        day = local.date()
        for _ in range(MAX_CALENDAR_DAYS):
            if self.is_working_day(day):
                opens = datetime.combine(day, self.day_start, tzinfo=self.tz)
                closes = datetime.combine(day, self.day_end, tzinfo=self.tz)
                begin = max(opens, local)
                if begin < closes:
                    available = closes - begin
                    if remaining <= available:
                        return (begin + remaining).astimezone(UTC)
                    remaining -= available
            day += timedelta(days=1)
        raise ValueError("no working time found within three years; check config/holidays.json")

    def working_hours_between(self, start: datetime, end: datetime) -> float:
        """Office hours elapsed from `start` to `end` (0 when `end` is not later)."""
        if end <= start:
            return 0.0
        total = timedelta()
        local_start, local_end = start.astimezone(self.tz), end.astimezone(self.tz)
        day = local_start.date()
        while day <= local_end.date():
            if self.is_working_day(day):
                opens = max(datetime.combine(day, self.day_start, tzinfo=self.tz), local_start)
                closes = min(datetime.combine(day, self.day_end, tzinfo=self.tz), local_end)
                if closes > opens:
                    total += closes - opens
            day += timedelta(days=1)
        return total.total_seconds() / 3600


def _parse_time(value: str) -> time:
    hours, _, minutes = value.partition(":")
    return time(int(hours), int(minutes or 0))


@lru_cache(maxsize=8)
def _load_calendar(path: str, tz_name: str, day_start: str, day_end: str) -> Calendar:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    days_off: set[date] = set()
    for year in data.get("years", {}).values():
        for kind in ("holidays", "cuti_bersama"):
            days_off.update(date.fromisoformat(day) for day in year.get(kind, {}))
    start, end = _parse_time(day_start), _parse_time(day_end)
    if end <= start:
        raise ValueError("SLA_WORKDAY_END must be after SLA_WORKDAY_START")
    return Calendar(ZoneInfo(tz_name), start, end, frozenset(days_off))


def calendar() -> Calendar:
    config = current_app.config if has_app_context() else {}
    return _load_calendar(
        str(config.get("HOLIDAYS_FILE") or HOLIDAYS_FILE),
        city_zone().key,  # the one reading of TIMEZONE (formatting.city_zone)
        config.get("SLA_WORKDAY_START") or DEFAULT_WORKDAY[0],
        config.get("SLA_WORKDAY_END") or DEFAULT_WORKDAY[1],
    )


def due_at(start: datetime, hours: float, round_the_clock: bool) -> datetime:
    """Deadline `hours` after `start`: clock hours for 24/7 categories, else office hours."""
    if round_the_clock:
        return (start + timedelta(hours=hours)).astimezone(UTC)
    return calendar().add_working_hours(start, hours)


def add_working_days(start: datetime, days: int) -> datetime:
    """`days` full working days after `start` (office hours, so weekends and holidays skip)."""
    cal = calendar()
    return cal.add_working_hours(start, days * cal.workday_hours)
