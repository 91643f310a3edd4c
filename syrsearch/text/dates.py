"""Dates as people type them in a filter: ``30d``, ``2w``, ``6m``, ``1y``,
``today``, ``yesterday``, counted back from today."""

from __future__ import annotations

import re
from datetime import date, timedelta

_AGO = re.compile(r"(\d{1,5})\s*(d|w|m|y)(?:\s*ago)?", re.IGNORECASE)


def _months_back(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(day.day, (following - timedelta(days=1)).day))


def relative_date(text: str, today: date) -> date | None:
    """The day ``text`` names counted back from ``today``, or None if it is not
    a relative date (``2016-03`` is not: see :func:`text.metadata.parse_date`)."""
    text = text.strip().lower()
    if text == "today":
        return today
    if text == "yesterday":
        return today - timedelta(days=1)
    m = _AGO.fullmatch(text)
    if m is None:
        return None
    n, unit = int(m.group(1)), m.group(2)
    try:
        if unit == "d":
            return today - timedelta(days=n)
        if unit == "w":
            return today - timedelta(weeks=n)
        return _months_back(today, n * (12 if unit == "y" else 1))
    except (OverflowError, ValueError):
        return None
