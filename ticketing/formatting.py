"""How people read numbers, days and durations: the city's calendar and Indonesian notation.

Instants are stored and exchanged in UTC; whatever a person reads (reports, the console,
messages) is the city's day and clock (`TIMEZONE`: Asia/Jakarta "WIB" by default, Asia/Makassar
"WITA", Asia/Jayapura "WIT" — every Indonesian province lies in one zone), with a decimal comma
and a thousands dot: 1.234 aduan, 2,5 jam, "30 hari 23 jam".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Jakarta"
# Indonesia's three zones by their offset from UTC in hours.
ZONE_LABELS = {7: "WIB", 8: "WITA", 9: "WIT"}
DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def city_zone() -> ZoneInfo:
    from flask import current_app, has_app_context

    name = current_app.config.get("TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_TIMEZONE)


def local(moment: datetime) -> datetime:
    return moment.astimezone(city_zone())


def zone_label(moment: datetime | None = None) -> str:
    """ "WIB", "WITA" or "WIT": the city's zone as Indonesians name it (another zone: its own
    abbreviation)."""
    when = local(moment or datetime.now(city_zone()))
    offset = when.utcoffset()
    hours = offset.total_seconds() / 3600 if offset is not None else None
    return ZONE_LABELS.get(hours) or when.tzname() or city_zone().key


def city_isoformat(moment: datetime | None) -> str | None:
    """ISO 8601 with the city's offset (2026-11-30T09:50:00+07:00): exact, and on the clock
    the reader lives by."""
    return local(moment).isoformat() if moment else None


def day_label(day: date | datetime) -> str:
    """ "1 November 2026": a datetime is read as the city's calendar day."""
    if isinstance(day, datetime):
        day = local(day).date()
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def moment_label(moment: datetime) -> str:
    """ "Kamis, 3 Desember 2026 pukul 09.50 WIB": an instant on the city's clock."""
    when = local(moment)
    clock = f"{when.hour:02d}.{when.minute:02d} {zone_label(when)}"
    return f"{DAYS_ID[when.weekday()]}, {day_label(when.date())} pukul {clock}"


def number(value: float | int | None, digits: int = 1) -> str:
    """Indonesian notation: 1.234 and 2,5; at most `digits` decimals, no trailing zeros."""
    if value is None:
        return "–"
    text = f"{round(float(value), digits):,.{digits}f}" if digits else f"{round(value):,}"
    if digits:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def duration(delta: timedelta | float) -> str:
    """ "30 hari 23 jam", "5 jam 3 menit", "12 menit": the two largest units, in words."""
    seconds = delta.total_seconds() if isinstance(delta, timedelta) else float(delta)
    minutes = round(abs(seconds) / 60)
    days, hours, minutes = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        return f"{days} hari {hours} jam" if hours else f"{days} hari"
    if hours:
        return f"{hours} jam {minutes} menit" if minutes else f"{hours} jam"
    return f"{minutes} menit"
