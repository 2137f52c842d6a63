"""Swings of a result: paired changes from the baseline, widest first."""

import json

import numpy as np
import pytest
import xarray as xr

from reliability.swings import swing_effects, swing_table


def _result(swings=True):
    rng = np.random.default_rng(3)
    base = rng.uniform(0.9, 1.0, 50)
    values = np.stack([base, base - 0.01, base + 0.002, base - 0.05, base + 0.05])
    ds = xr.Dataset(
        {"availability": (("scenario", "trial"), values)},
        coords={"scenario": ["baseline", "cold=0", "cold=3", "mean=1 y", "mean=4 y"]},
    )
    if swings:
        ds.attrs["swings"] = json.dumps(
            [["cluster.node.spares.cold", [0, 3]], ["units.node.failures[0].mean", ["1 y", "4 y"]]]
        )
    return ds


def test_effects_are_paired_differences_widest_first():
    effects = swing_effects(_result())
    assert [path for path, _ in effects] == [
        "units.node.failures[0].mean",
        "cluster.node.spares.cold",
    ]
    (_, (lo, hi)), (_, (zero, three)) = effects
    assert lo[0] == "1 y" and lo[1].value == pytest.approx(-0.05)
    assert hi[1].value == pytest.approx(0.05) and three[1].value == pytest.approx(0.002)
    # every trial moved by the same amount: a paired interval has no width
    assert zero[1].high - zero[1].low == pytest.approx(0.0, abs=1e-12)


def test_table_lists_every_swing_and_is_empty_without_swings():
    text = swing_table(_result())
    assert text.splitlines()[0].startswith("baseline availability: ")
    assert "units.node.failures[0].mean  1 y" in text and "-0.05" in text
    assert len(text.splitlines()) == 2 + 4
    assert swing_table(_result(swings=False)) == ""
    with pytest.raises(ValueError, match="no \\[swings\\]"):
        swing_effects(_result(swings=False))
