"""The kernel's building blocks: normal quantile, law draws, profiles, random streams."""

import math

import numpy as np
import pytest
from scipy import special, stats

from reliability.engine import _laws as laws
from reliability.engine import _profiles as prof
from reliability.engine import streams as rnd
from reliability.engine.spec import LawKind, ProfileKind


def test_ndtri_matches_scipy():
    p = np.concatenate(
        [np.logspace(-300, -1, 200), np.linspace(0.01, 0.99, 99), 1 - np.logspace(-16, -1, 50)]
    )
    ours = np.array([laws.ndtri(x) for x in p])
    np.testing.assert_allclose(ours, special.ndtri(p), rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize(
    ("law", "p1", "p2", "dist"),
    [
        (LawKind.EXPONENTIAL, 1000.0, 0.0, stats.expon(scale=1000.0)),
        (LawKind.WEIBULL, 1107.73, 1.5, stats.weibull_min(1.5, scale=1107.73)),
        (LawKind.LOGNORMAL, math.log(24.0), 0.8, stats.lognorm(0.8, scale=24.0)),
    ],
)
def test_draw_is_the_inverse_survival_function(law, p1, p2, dist):
    u = np.linspace(0.001, 0.999, 77)
    ours = np.array([laws.draw(law, p1, p2, x) for x in u])
    np.testing.assert_allclose(ours, dist.isf(u), rtol=1e-10)


def test_fixed_law_is_deterministic():
    assert laws.draw(LawKind.FIXED, 24.0, 0.0, 0.3) == 24.0


@pytest.mark.parametrize(
    ("law", "p1", "p2", "dist"),
    [
        (LawKind.WEIBULL, 1000.0, 2.0, stats.weibull_min(2.0, scale=1000.0)),
        (LawKind.LOGNORMAL, math.log(500.0), 0.5, stats.lognorm(0.5, scale=500.0)),
        (LawKind.EXPONENTIAL, 300.0, 0.0, stats.expon(scale=300.0)),
    ],
)
def test_draw_after_is_conditional_on_survival(law, p1, p2, dist):
    age = 700.0
    u = np.linspace(0.001, 0.999, 41)
    ours = np.array([laws.draw_after(law, p1, p2, age, x) for x in u])
    # P(T > t | T > age) = u  <=>  sf(t) = u sf(age)
    np.testing.assert_allclose(dist.sf(ours), u * dist.sf(age), rtol=1e-8)


def test_steps_profile_inverse_round_trip():
    t0 = np.array([0.0, 100.0, 200.0, 500.0])
    m = np.array([1.0, 0.0, 3.0, 0.5])
    c0 = np.concatenate([[0.0], np.cumsum(m[:-1] * np.diff(t0))])
    for t in [0.0, 50.0, 100.0, 150.0, 200.0, 333.0, 500.0, 900.0]:
        c = prof.cum(ProfileKind.STEPS, t0, m, c0, 0, 4, 1.0, 0.0, 1.0, 0.0, t)
        back = prof.inverse(ProfileKind.STEPS, t0, m, c0, 0, 4, 1.0, 0.0, 1.0, 0.0, c)
        if 100.0 <= t <= 200.0:  # flat piece: the inverse is its right end
            assert back == pytest.approx(200.0)
        else:
            assert back == pytest.approx(t)


def test_sine_profile_matches_closed_form_and_inverts():
    mean, amp, period = 1e-3 * 1000, 0.5, 2000.0
    for t in [0.0, 10.0, 499.0, 1500.0, 3777.0]:
        c = prof.cum(
            ProfileKind.SINE, np.zeros(1), np.zeros(1), np.zeros(1), 0, 1, mean, amp, period, 0.0, t
        )
        exact = mean * (t + 0.5 * period / (2 * math.pi) * (1 - math.cos(2 * math.pi * t / period)))
        assert c == pytest.approx(exact, rel=1e-12, abs=1e-12)
        back = prof.inverse(
            ProfileKind.SINE, np.zeros(1), np.zeros(1), np.zeros(1), 0, 1, mean, amp, period, 0.0, c
        )
        assert back == pytest.approx(t, abs=1e-9)


def test_uniform_streams_are_uniform_and_independent():
    key = np.uint64(0x1234_5678_9ABC_DEF0)
    u = np.array([rnd.uniform(key, rnd.stream_id(1, 7, 0), np.uint64(i)) for i in range(20000)])
    assert u.min() > 0 and u.max() < 1
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    v = np.array([rnd.uniform(key, rnd.stream_id(1, 8, 0), np.uint64(i)) for i in range(20000)])
    assert abs(np.corrcoef(u, v)[0, 1]) < 4 / math.sqrt(20000)
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 4 / math.sqrt(20000)
    # neighbouring keys give unrelated streams
    w = np.array(
        [
            rnd.uniform(key + np.uint64(1), rnd.stream_id(1, 7, 0), np.uint64(i))
            for i in range(20000)
        ]
    )
    assert abs(np.corrcoef(u, w)[0, 1]) < 4 / math.sqrt(20000)
