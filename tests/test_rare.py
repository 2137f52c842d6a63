"""Rare-event estimation: balanced failure biasing against exact chain solutions."""

import math

import numpy as np
import pytest

from reliability.rare import (
    MarkovDesign,
    estimate_gamma,
    estimate_unavailability,
    exact_gamma,
    exact_unavailability,
)

B13 = {1e-3: 4.861282e-2, 1e-4: 6.183674e-4, 1e-5: 6.320790e-6}


@pytest.mark.parametrize(("lam", "gamma"), list(B13.items()))
def test_exact_gamma_reproduces_b13(lam, gamma):
    d = MarkovDesign(levels=((12, 10),), lam=lam, mu=1 / 24, crews=1)
    assert exact_gamma(d) == pytest.approx(gamma, rel=1e-6)


def test_bfb_has_bounded_relative_error_on_b13():
    res = []
    for lam, gamma in B13.items():
        d = MarkovDesign(levels=((12, 10),), lam=lam, mu=1 / 24, crews=1)
        e = estimate_gamma(d, 77, 10000)
        assert abs(e.value - gamma) < 4 * e.se, (lam, e.value, gamma)
        assert e.ess > 1000 and e.max_weight_share < 0.01
        res.append(e.re_per_sample)
    assert max(res) / min(res) < 2.0  # flat as gamma falls from 5e-2 to 6e-6


def test_crude_and_importance_agree_where_crude_works():
    d = MarkovDesign(levels=((3, 2), (4, 3)), lam=5e-3, mu=1 / 24, crews=1)
    exact = exact_unavailability(d)
    crude, _ = estimate_unavailability(d, 3, 200_000, method="crude")
    bfb, _ = estimate_unavailability(d, 4, 20_000)
    # both unbiased; where failures are not rare, biasing buys nothing (nor is it used)
    for e in (crude, bfb):
        assert abs(e.value - exact) < 4 * e.se, (e.value, exact, e.se)


def test_independent_repair_and_the_steady_state_binomial():
    # one level, independent repair: units are independent, U = P(Bin(n, q) > n - k)
    lam, mu = 1e-3, 1 / 24
    d = MarkovDesign(levels=((5, 3),), lam=lam, mu=mu, crews=0)
    q = lam / (lam + mu)
    down = sum(math.comb(5, j) * q**j * (1 - q) ** (5 - j) for j in range(3, 6))
    assert exact_unavailability(d) == pytest.approx(down, rel=1e-9)
    e, cycle = estimate_unavailability(d, 9, 20_000)
    assert abs(e.value - down) < 4 * e.se
    assert cycle > 1 / (5 * lam)


def test_seeded_runs_repeat_exactly():
    d = MarkovDesign(levels=((12, 10),), lam=1e-4, mu=1 / 24, crews=1)
    a, b = estimate_gamma(d, 5, 500), estimate_gamma(d, 5, 500)
    assert a == b
    assert estimate_gamma(d, 6, 500) != a


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"levels": ((3, 4),)}, "1 <= k <= n"),
        ({"levels": ((3, 2),), "lam": -1.0}, "positive"),
        ({"levels": ((3, 2),), "crews": -1}, "crews"),
    ],
)
def test_design_validation(kwargs, message):
    base = {"lam": 1e-3, "mu": 0.1}
    with pytest.raises(ValueError, match=message):
        MarkovDesign(**{**base, **kwargs})


def test_estimator_validation():
    d = MarkovDesign(levels=((3, 2),), lam=1e-3, mu=0.1)
    with pytest.raises(ValueError, match="method"):
        estimate_gamma(d, 1, 10, method="splitting")
    with pytest.raises(ValueError, match="bias"):
        estimate_gamma(d, 1, 10, bias=1.0)
    assert np.isfinite(estimate_gamma(d, 1, 100).value)
