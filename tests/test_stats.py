import math

import numpy as np
import pytest
from scipy import stats

from reliability.stats import count_ci, mean_ci, nonnegative_ci, proportion_ci, share_ci


def test_mean_ci_is_a_t_interval():
    x = np.random.default_rng(3).normal(size=50)
    e = mean_ci(x, 0.9)
    lo, hi = stats.t.interval(0.9, 49, loc=x.mean(), scale=x.std(ddof=1) / math.sqrt(50))
    assert e.low == pytest.approx(lo) and e.high == pytest.approx(hi)


def test_proportion_ci_is_wilson_and_never_collapses():
    e = proportion_ci(0, 1000)
    assert e.value == 0 and e.high == pytest.approx(3.83e-3, rel=1e-2)


@pytest.mark.parametrize("bad", [[], [1.0, math.nan]])
def test_mean_ci_rejects(bad):
    with pytest.raises(ValueError):
        mean_ci(bad)


def test_confidence_level_is_checked():
    with pytest.raises(ValueError, match="confidence_level"):
        mean_ci([1.0, 2.0], 1.5)
    with pytest.raises(ValueError, match="successes"):
        proportion_ci(5, 3)


def _coverage(ci, draw, true, reps=2000):
    hits, lows = 0, math.inf
    for _ in range(reps):
        e = ci(draw())
        hits += e.low <= true <= e.high
        lows = min(lows, e.low)
    return hits / reps, lows


def test_count_interval_covers_poisson_and_overdispersed_counts():
    rng = np.random.default_rng(3)
    # rare Poisson counts: the t interval runs below zero here; Garwood is conservative
    cover, lowest = _coverage(count_ci, lambda: rng.poisson(0.05, 200), 0.05)
    assert cover >= 0.95 and lowest >= 0.0
    # over-dispersed (negative binomial, variance 5x the mean 2): widened by phi
    cover, lowest = _coverage(count_ci, lambda: rng.negative_binomial(0.5, 0.2, 100), 2.0)
    assert cover >= 0.925 and lowest >= 0.0
    none = count_ci(np.zeros(1000))
    assert none.low == 0.0 and none.high == pytest.approx(-np.log(0.025) / 1000)


def test_nonnegative_interval_stays_positive_on_skewed_downtime():
    rng = np.random.default_rng(4)

    def downtime():  # one trial in ten has an outage of exponential length, mean 50 h
        return rng.exponential(50.0, 500) * (rng.random(500) < 0.1)

    cover, lowest = _coverage(nonnegative_ci, downtime, 5.0)
    assert cover >= 0.92 and lowest > 0.0
    e = nonnegative_ci(downtime())
    assert e.high - e.value > e.value - e.low  # longer on the right, as the data
    assert nonnegative_ci(np.zeros(10)).high == 0.0
    with pytest.raises(ValueError, match="non-negative"):
        nonnegative_ci([1.0, -1.0])


def test_one_trial_has_no_interval_to_show():
    assert mean_ci([0.9]).interval() == "n/a (1 trial)"
    assert nonnegative_ci([3.0]).interval() == "n/a (1 trial)"
    assert mean_ci([0.5, 0.7]).interval(".2f") == "[-0.67, 1.87]"


def test_share_interval_covers_a_cause_share_of_zero_inflated_downtime():
    # each trial: an outage with probability 0.2, from cause 0 with probability 0.3
    # and an exponential length (mean 40 h) whatever its cause: the share is 0.3
    rng = np.random.default_rng(5)
    hits, reps = 0, 400
    for _ in range(reps):
        n = 2000
        down = rng.exponential(40.0, n) * (rng.random(n) < 0.2)
        first = rng.random(n) < 0.3
        part = np.stack([down * first, down * ~first], axis=1)
        share, low, high = share_ci(part, down)
        assert share.sum() == pytest.approx(1.0)
        assert 0.0 <= low[0] <= share[0] <= high[0] <= 1.0
        hits += low[0] <= 0.3 <= high[0]
    assert 0.93 <= hits / reps <= 0.97
    nothing = share_ci(np.zeros((5, 2)), np.zeros(5))
    assert np.isnan(nothing[0]).all() and np.isnan(nothing[1]).all()
    one = share_ci([[1.0, 3.0]], [4.0])
    assert one[0].tolist() == [0.25, 0.75] and np.isnan(one[1]).all()
