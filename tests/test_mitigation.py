"""ECC, scrubbing and TMR closed forms against independent routes."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reliability import mitigation as mit


def test_birthday_small_cases_by_enumeration():
    # M = 2: the second upset collides with probability 1/2, the third surely
    assert mit.birthday_expected_upsets(2) == pytest.approx(2.5)
    assert mit.birthday_median_upsets(2) == 2
    assert mit.birthday_expected_upsets(1) == pytest.approx(2.0)


def test_birthday_mean_matches_a_simulation():
    rng = np.random.default_rng(5)
    m, n = 4096, 20000
    words = rng.integers(0, m, size=(n, 400))
    order = np.argsort(words, axis=1, kind="stable")
    sorted_w = np.take_along_axis(words, order, axis=1)
    dup = sorted_w[:, 1:] == sorted_w[:, :-1]
    # index (1-based) of the first upset landing on an already-hit word
    later = np.where(dup, np.maximum(order[:, 1:], order[:, :-1]), 10**9)
    k = later.min(axis=1) + 1
    assert (k < 10**9).all()
    se = k.std(ddof=1) / math.sqrt(n)
    assert abs(k.mean() - mit.birthday_expected_upsets(m)) < 4 * se


@given(
    lam=st.floats(1e-12, 1e-4),
    t=st.floats(1e-3, 1e3),
    n=st.integers(8, 144),
)
@settings(max_examples=60, deadline=None)
def test_word_failure_matches_the_leading_order_when_small(lam, t, n):
    pw = mit.secded_word_failure(lam, t, n)
    x = lam * t
    lead = n * (n - 1) / 2 * x**2
    if n * x < 1e-3:
        assert pw == pytest.approx(lead, rel=5 * n * x + 1e-9)
    assert 0.0 <= pw <= 1.0


def test_periodic_and_random_scrub_agree_at_mu_two_over_t():
    words, n, lam, period = 2**27, 72, 1e-6 / 24, 24.0
    periodic = mit.secded_due_rate_periodic(words, n, lam, period)
    random = mit.secded_due_rate_random(words, n, lam, 2.0 / period)
    assert random == pytest.approx(periodic, rel=1e-3)


def test_no_scrub_mttf_is_the_weibull_mean():
    scale = mit.secded_noscrub_weibull_scale(2**20, 72, 1e-8)
    assert mit.secded_noscrub_mttf(2**20, 72, 1e-8) == pytest.approx(scale * math.gamma(1.5))


@pytest.mark.parametrize(("lam", "mu"), [(1e-4, 0.1), (1e-3, 1e-3), (0.5, 2.0)])
def test_tmr_closed_forms_match_their_markov_chains(lam, mu):
    no_repair = mit.markov_mttf(np.array([[-3 * lam, 3 * lam], [0.0, -2 * lam]]))
    assert mit.tmr_mttf(lam) == pytest.approx(no_repair, rel=1e-12)
    repair = mit.markov_mttf(np.array([[-3 * lam, 3 * lam], [mu, -(mu + 2 * lam)]]))
    assert mit.tmr_mttf_repair(lam, mu) == pytest.approx(repair, rel=1e-12)
    assert mit.tmr_reliability(lam, 0.0) == pytest.approx(1.0)


def test_mbu_defeats_secded_only_without_enough_interleaving():
    assert mit.mbu_due_rate(1e9, 1e-9, 0.3, 2, 1) == pytest.approx(0.3)
    assert mit.mbu_due_rate(1e9, 1e-9, 0.3, 2, 2) == 0.0
    assert mit.mbu_due_rate(1e9, 1e-9, 0.3, 4, 2) == pytest.approx(0.3)
    assert mit.mbu_due_rate(1e9, 1e-9, 0.0, 4, 1) == 0.0


def _due_by_quadrature(words, n, lam_in, lam_out, pass_h, period_h, scrub_h, passes=0):
    """Periodic scrub on the SAA's passes (``passes`` consecutive ones a day, or one
    each orbit): words * E_phase[P_w] / T by quadrature between the phases where the
    overlap changes slope."""
    import math

    from scipy import integrate, stats

    cycle = 24.0 if passes else period_h
    starts = [j * period_h for j in range(max(passes, 1))]

    def hours_in(a, b):
        def c(x):
            y = x % cycle
            return math.floor(x / cycle) * len(starts) * pass_h + sum(
                min(max(y - s, 0.0), pass_h) for s in starts
            )

        return c(b) - c(a)

    def p_word(phase):
        t_in = hours_in(phase, phase + scrub_h)
        m = lam_in * t_in + lam_out * (scrub_h - t_in)
        return stats.binom.sf(1, n, -math.expm1(-m))

    cuts = {0.0, cycle}
    for s in starts:
        for x in (s, s + pass_h, s - scrub_h, s + pass_h - scrub_h):
            cuts.add(x % cycle)
    cuts = sorted(cuts)
    total = sum(
        integrate.quad(p_word, a, b, epsabs=0, epsrel=1e-12)[0] for a, b in itertools.pairwise(cuts)
    )
    return words * total / cycle / scrub_h


def test_secded_in_saa_passes_is_the_phase_average():
    """Issue 15 item 6: a minute's scrub with 97.5% of the upsets in 7% of the orbit
    has 12.9x the uncorrectable errors of the orbit-mean formula."""
    import tomllib
    from pathlib import Path

    from reliability.mitigation import secded_due_in_passes

    period, f, share = 97.72823561065941 / 60, 0.07, 0.975
    lam = 1e-6 / 24
    words, n = 10 * 9663676416 / 72, 72
    lam_in, lam_out = lam * share / f, lam * (1 - share) / (1 - f)
    exact = _due_by_quadrature(words, n, lam_in, lam_out, f * period, period, 1 / 60)
    d_in, d_out = secded_due_in_passes(
        words, n, lam_in, lam_out, pass_h=f * period, period_h=period, scrub_h=1 / 60
    )
    assert d_in + d_out == pytest.approx(exact, rel=1e-4)
    assert d_in / (d_in + d_out) > 0.99  # the double errors happen in the passes
    flat = mit.secded_due_rate_periodic(words, n, lam, 1 / 60)
    assert exact / flat == pytest.approx(12.92, abs=0.01)  # a pass each orbit: issue 15
    # six consecutive passes a day (16.8 min each): fewer pass edges, nearer 13.58
    daily = _due_by_quadrature(words, n, lam_in, lam_out, f * 24 / 6, period, 1 / 60, passes=6)
    d_in, d_out = secded_due_in_passes(
        words, n, lam_in, lam_out, pass_h=f * 24 / 6, period_h=period, scrub_h=1 / 60, passes=6
    )
    assert d_in + d_out == pytest.approx(daily, rel=1e-4)
    assert 12.92 < daily / flat < share**2 / f + (1 - share) ** 2 / (1 - f)
    case = tomllib.loads(Path("campaigns/validation/r6b_secded_saa_scrub.toml").read_text())
    assert case["verify"]["expect"][0]["exact"] == pytest.approx(daily * 8760, rel=1e-8)
    # a scrub much longer than the orbit averages the passes out
    long_in, long_out = secded_due_in_passes(
        words, n, lam_in, lam_out, pass_h=f * period, period_h=period, scrub_h=240.0
    )
    assert long_in + long_out == pytest.approx(
        mit.secded_due_rate_periodic(words, n, lam, 240.0), rel=2e-3
    )
