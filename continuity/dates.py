"""Parsing dates and times as French users type them."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from continuity.errors import InvalidInput

DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d%m%Y")
DATETIME_FORMATS = (
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %Hh%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def try_parse_date(text: str) -> date | None:
    value = text.strip()
    if _ISO_DATE.fullmatch(value):  # what HIS files carry: no strptime (2 million of them)
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


# The shapes of DATE_FORMATS, to tell a day that does not exist (31/02) from a wrong format.
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_COMPACT = re.compile(r"(\d{2})(\d{2})(\d{4})")


def _no_such_day(text: str) -> InvalidInput | None:
    """The error for a date typed in a known format whose day does not exist, if it is one."""
    value = text.strip()
    if match := _DAY_FIRST.fullmatch(value) or _COMPACT.fullmatch(value):
        day, month, year = (int(g) for g in match.groups())
    elif match := _YEAR_FIRST.fullmatch(value):
        year, month, day = (int(g) for g in match.groups())
    else:
        return None
    try:
        date(year, month, day)
    except ValueError:
        shown = f"{day:02d}/{month:02d}/{year:04d}"
        return InvalidInput(f"Le {shown} n'existe pas.", f"{shown} does not exist.")
    return None


def parse_date(text: str) -> date:
    day = try_parse_date(text)
    if day is None:
        raise _no_such_day(text) or InvalidInput(
            f"Date invalide : « {text} » (attendu JJ/MM/AAAA).",
            f"Invalid date: '{text}' (expected DD/MM/YYYY).",
        )
    return day


def parse_local_datetime(text: str) -> datetime:
    """A date and time typed on this workstation, in its local time zone unless one is given."""
    value = text.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
        for fmt in DATETIME_FORMATS:
            try:
                parsed = datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        day = re.split(r"[\sT]", value, maxsplit=1)[0]
        raise _no_such_day(day) or InvalidInput(
            f"Date et heure invalides : « {text} » (attendu JJ/MM/AAAA HH:MM).",
            f"Invalid date and time: '{text}' (expected DD/MM/YYYY HH:MM).",
        )
    return parsed if parsed.tzinfo else parsed.astimezone()


def age_parts(delta: timedelta) -> tuple[int, int, int]:
    """(days, hours, minutes) of a duration, in whole minutes (a negative one is 0)."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    return days, hours, minutes


def age_text(delta: timedelta) -> str:
    """A duration as a person reads an age on a screen or a page: 12 min, 3 h 05, 2 j 4 h.

    In French; the application shows the same parts in the user's language (``app.texts``).
    """
    days, hours, minutes = age_parts(delta)
    if days:
        return f"{days} j {hours} h"
    if hours:
        return f"{hours} h {minutes:02d}"
    return f"{minutes} min"
