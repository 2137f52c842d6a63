"""Engineering units for campaign files: durations written the way engineers say them.

All times inside the library are hours (float). A year is 365 days (8760 h), the
convention of the reliability literature (MTTF in hours, missions in 8760 h years).
"""

from __future__ import annotations

import math
import re

__all__ = ["HOURS_PER", "duration_text", "hours_text", "parse_duration_h"]

#: Hours per accepted time unit. Months are deliberately absent: they are ambiguous.
HOURS_PER: dict[str, float] = {
    "s": 1 / 3600,
    "sec": 1 / 3600,
    "second": 1 / 3600,
    "seconds": 1 / 3600,
    "min": 1 / 60,
    "minute": 1 / 60,
    "minutes": 1 / 60,
    "h": 1.0,
    "hr": 1.0,
    "hour": 1.0,
    "hours": 1.0,
    "d": 24.0,
    "day": 24.0,
    "days": 24.0,
    "w": 168.0,
    "week": 168.0,
    "weeks": 168.0,
    "y": 8760.0,
    "yr": 8760.0,
    "year": 8760.0,
    "years": 8760.0,
}

_DURATION_RE = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z]+)\s*$")


def parse_duration_h(value: object) -> float:
    """Convert a duration to hours.

    Parameters
    ----------
    value : float, int or str
        A bare number is taken as hours; a string is ``"<number> <unit>"`` with a
        unit from :data:`HOURS_PER` (``"24 h"``, ``"10 min"``, ``"5 y"``).

    Returns
    -------
    float
        The duration in hours (may be negative or non-finite; callers validate).

    Raises
    ------
    ValueError
        If a string is not a recognised ``"<number> <unit>"``.
    TypeError
        If the value is neither a number nor a string.

    Examples
    --------
    >>> parse_duration_h("2 d")
    48.0
    >>> parse_duration_h(1.5)
    1.5
    """
    if isinstance(value, bool):
        raise TypeError("expected a duration such as 24 or '24 h', got a boolean")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        m = _DURATION_RE.match(value)
        if m is None:
            raise ValueError("expected a duration such as '24 h', '10 min', '2 d' or '5 y'")
        unit = m.group(2).lower()
        if unit not in HOURS_PER:
            raise ValueError(f"unknown time unit {m.group(2)!r} (use one of s, min, h, d, w, y)")
        number = float(m.group(1))
        if not math.isfinite(number):
            raise ValueError("duration must be finite")
        return number * HOURS_PER[unit]
    raise TypeError(f"expected a duration such as 24 or '24 h', got {type(value).__name__}")


def duration_text(hours: float) -> str:
    """A duration as a campaign file writes it, the inverse of
    :func:`parse_duration_h`: years, days, hours, minutes or seconds.

    Examples
    --------
    >>> [duration_text(h) for h in (17520.0, 72.0, 2.5, 1 / 12, 1 / 120)]
    ['2 y', '3 d', '2.5 h', '5 min', '30 s']
    """
    if hours >= HOURS_PER["y"]:
        return f"{hours / HOURS_PER['y']:.4g} y"
    if hours >= 48:
        return f"{hours / 24:.4g} d"
    if hours >= 1 or hours <= 0:
        return f"{hours:.4g} h"
    if hours >= 1 / 60:
        return f"{hours * 60:.4g} min"
    return f"{hours * 3600:.4g} s"


def hours_text(hours: float) -> str:
    """Hours as the library computes with them, with the days or years an engineer
    reads beside them when those are round (at most three significant digits).

    Examples
    --------
    >>> [hours_text(h) for h in (24.0, 131400.0, 720.0, 1000.0)]
    ['24 h', '131400 h (15 y)', '720 h (30 d)', '1000 h']
    """
    text = f"{hours:.6g} h"
    if not math.isfinite(hours) or hours < 48:
        return text
    unit = "y" if hours >= HOURS_PER["y"] else "d"  # as duration_text picks from 48 h
    value = hours / HOURS_PER[unit]
    if not math.isclose(value, float(f"{value:.3g}"), rel_tol=1e-9):
        return text
    return f"{text} ({value:.4g} {unit})"
