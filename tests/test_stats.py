import math

import numpy as np
import pytest
from scipy import stats

from reliability.stats import mean_ci, proportion_ci


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
