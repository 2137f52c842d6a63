"""The kernel's field slots must match the packing order in plan.py."""

from reliability.engine import _layout
from reliability.engine.plan import PLAN_FLOAT, PLAN_INT, STATE_FLOAT, STATE_INT, STATE_UINT


def test_layout_constants_match_field_tuples():
    for prefix, fields in (
        ("P", PLAN_INT),
        ("PF", PLAN_FLOAT),
        ("S", STATE_INT),
        ("SF", STATE_FLOAT),
        ("SU", STATE_UINT),
    ):
        for i, f in enumerate(fields):
            assert getattr(_layout, f"{prefix}_{f.upper()}") == i, (prefix, f)
