import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reliability.units import duration_text, hours_text, parse_duration_h


@pytest.mark.parametrize(
    ("value", "hours"),
    [
        (24, 24.0),
        (1.5, 1.5),
        ("24 h", 24.0),
        ("10 min", 10 / 60),
        ("3 d", 72.0),
        ("2 w", 336.0),
        ("5 y", 43800.0),
        ("1e3 h", 1000.0),
        ("36 s", 0.01),
        ("2days", 48.0),
    ],
)
def test_parse_duration(value, hours):
    assert math.isclose(parse_duration_h(value), hours)


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("24", "expected a duration"),
        ("3 months", "unknown time unit"),
        (True, "boolean"),
        ([1], "got list"),
        ("h", "expected a duration"),
    ],
)
def test_parse_duration_rejects(value, match):
    with pytest.raises((ValueError, TypeError), match=match):
        parse_duration_h(value)


@given(st.floats(min_value=1e-3, max_value=1e6, allow_nan=False))
def test_duration_text_reads_back_to_four_digits(hours):
    assert parse_duration_h(duration_text(hours)) == pytest.approx(hours, rel=6e-4)


@given(st.floats(min_value=0.0, max_value=1e7, allow_nan=False))
def test_hours_text_keeps_the_hours_and_adds_only_a_round_reading(hours):
    text = hours_text(hours)
    assert parse_duration_h(text.split(" (")[0]) == pytest.approx(hours, rel=1e-5, abs=1e-9)
    if " (" in text:  # the days or years beside it are exact, not rounded
        value = text.split(" (")[1].rstrip(")")
        assert len(value.split()[0].replace(".", "").strip("0")) <= 3
        assert parse_duration_h(value) == pytest.approx(hours, rel=1e-9)


def test_hours_text_examples():
    assert [hours_text(h) for h in (24.0, 131400.0, 720.0, 1000.0, math.inf)] == [
        "24 h",
        "131400 h (15 y)",
        "720 h (30 d)",
        "1000 h",
        "inf h",
    ]
