"""The sequential feasibility search, on made-up designs with known verdicts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reliability.selection import Search, design_units, look_schedule


def _search(n=6, width=2, monotone=True, schedule=(1, 2, 4)):
    return Search(
        [float(c) for c in range(n)],
        [(i,) for i in range(n)],
        [monotone],
        at_least=1.0,
        confidence=0.9,
        schedule=list(schedule),
        width=width,
    )


def _outcomes(p, n, rng):
    return (rng.random(n) < p).astype(float)


def test_look_schedule_doubles_to_the_last_look():
    assert look_schedule(2, 2) == [2]
    assert look_schedule(2, 9) == [2, 4, 8, 9]
    with pytest.raises(ValueError, match="first_blocks"):
        look_schedule(0, 4)


def test_cheapest_first_width_at_a_time_and_nothing_dearer_than_the_pick():
    s = _search(width=2)
    assert s.batch() == [(0, 1), (1, 1)]
    s.record(0, np.zeros(200))  # P(meet) = 0: fails
    s.record(1, np.ones(200))  # P(meet) = 1: meets
    assert [s.states[d].status for d in (0, 1)] == ["fails", "meets"]
    assert s.pick == 1
    assert s.batch() == []  # design 1 meets and nothing cheaper is open
    assert all(st.status == "not run" for st in s.states[2:])


def test_a_failing_design_implies_the_designs_it_dominates():
    # design 3 is taken first (cheapest); with a monotone knob its failure rules out 0-2
    s = Search(
        [0.0, 1.0, 2.0, 3.0],
        [(3,), (2,), (1,), (0,)],
        [True],
        at_least=1.0,
        confidence=0.9,
        schedule=[1],
        width=1,
    )
    assert s.batch() == [(0, 1)]
    s.record(0, np.zeros(100))
    assert [st.status for st in s.states] == ["fails", "implied", "implied", "implied"]
    assert s.states[3].implied_by == 0
    assert s.batch() == []


def test_no_implication_across_a_knob_that_is_not_monotone():
    s = Search(
        [0.0, 1.0],
        [(1, 0), (0, 1)],
        [True, False],
        at_least=1.0,
        confidence=0.9,
        schedule=[1],
        width=1,
    )
    s.record(0, np.zeros(100))
    assert s.states[1].status == "not run"  # differs on the free knob: not dominated


def test_a_design_close_to_the_confidence_is_undecided_at_the_last_look():
    s = _search(n=1, schedule=(1, 2))
    x = np.r_[np.ones(90), np.zeros(10)]  # P(meet) = 0.9 exactly: never decided
    s.record(0, x)
    assert s.states[0].status == "open"
    s.record(0, np.r_[x, x])
    assert s.states[0].status == "undecided"
    assert s.pick is None and s.batch() == []


def test_bonferroni_over_the_looks():
    s = _search(schedule=(1, 2, 4, 8))
    assert s.level == pytest.approx(1 - 0.05 / 4)
    s.record(0, np.r_[np.ones(93), np.zeros(7)])  # 0.93 of 100: not yet above 0.9
    assert s.states[0].status == "open"
    assert s.states[0].p_meet.confidence_level == pytest.approx(1 - 0.0125)


def test_paired_difference_uses_the_common_trials():
    s = _search()
    s.record(0, np.r_[np.zeros(50), np.ones(50)])
    s.record(1, np.ones(300))
    metric, meet = s.paired(0, 1)
    assert metric.n == 100 and meet.value == pytest.approx(0.5)


def test_design_units_counts_slots_and_spares(make_campaign):
    c = make_campaign(
        cluster="sat = { n = 3, k = 2 }\nnode = { n = 4, k = 3, spares = { cold = 2 } }"
    )
    assert design_units(c.base) == 3 * 4 + 3 * 2


@settings(max_examples=40, deadline=None)
@given(
    p=st.lists(st.floats(0.0, 1.0), min_size=2, max_size=8),
    width=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_pick_meets_and_every_cheaper_design_is_settled(p, width, seed):
    """Whatever the designs' true P(meet): the search ends, its pick was shown to meet,
    and every cheaper design failed, was implied to, or stayed undecided."""
    rng = np.random.default_rng(seed)
    p = sorted(p)  # monotone along the knob, as declared
    s = _search(n=len(p), width=width, schedule=(1, 2, 4))
    per_block = 50
    draws = [_outcomes(q, 4 * per_block, rng) for q in p]
    rounds = 0
    while batch := s.batch():
        rounds += 1
        assert rounds < 100
        for d, nb in batch:
            s.record(d, draws[d][: nb * per_block])
    pick = s.pick
    cheaper = s.order[: s.order.index(pick)] if pick is not None else s.order
    assert all(s.states[d].status in ("fails", "implied", "undecided") for d in cheaper)
    if pick is not None:
        assert s.states[pick].p_meet.low >= 0.9


def _wrong_verdict_rates(p: float, confidence: float, looks: list[int], error: float):
    """Exact P(judged to fail) and P(judged to meet) of a design whose true P(meet) is
    ``p``, over looks after ``looks`` trials: a recursion over the distribution of
    successes among the paths still open, with the search's own decision rule."""
    from scipy import stats

    from reliability.stats import proportion_bounds

    alpha = error / len(looks)
    open_ = np.array([1.0])  # P(k successes so far, still open); k = 0 before any trial
    n_prev, fails, meets = 0, 0.0, 0.0
    for n in looks:
        step = stats.binom.pmf(np.arange(n - n_prev + 1), n - n_prev, p)
        dist = np.convolve(open_, step)
        k = np.arange(n + 1)
        with np.errstate(invalid="ignore"):
            low = np.where(k > 0, stats.beta.ppf(alpha, k, n - k + 1), 0.0)
            high = np.where(k < n, stats.beta.ppf(1 - alpha, k + 1, n - k), 1.0)
        for j in (0, n // 2, n):  # the search's own bounds, checked at a few counts
            b = proportion_bounds(int(j), n, alpha)
            assert (b.low, b.high) == pytest.approx((low[j], high[j]), abs=1e-12)
        fails += dist[high < confidence].sum()
        meets += dist[low >= confidence].sum()
        open_ = np.where((high < confidence) | (low >= confidence), 0.0, dist)
        n_prev = n
    return fails, meets


@pytest.mark.parametrize(
    ("confidence", "looks"),
    [(0.9, [250, 500, 1000, 2000, 4000]), (0.999, [100, 200, 400, 800, 1600, 3200, 6400])],
)
def test_each_verdict_is_wrong_at_most_error_of_the_time(confidence, looks):
    """At the boundary (true P(meet) = confidence, the worst case) the exact chance of a
    wrong verdict over every look stays within ``error`` on each side."""
    fails, _ = _wrong_verdict_rates(confidence, confidence, looks, 0.05)
    assert fails <= 0.05
    _, meets = _wrong_verdict_rates(confidence - 1e-9, confidence, looks, 0.05)
    assert meets <= 0.05
    if confidence == 0.9:  # and not vacuous: a design well inside meets almost surely
        _, sure = _wrong_verdict_rates(0.93, confidence, looks, 0.05)
        assert sure > 0.95


def test_a_design_implied_to_fail_earlier_in_the_round_is_not_judged_again():
    s = Search(
        [2.0, 1.0],
        [(0,), (1,)],
        [True],
        at_least=1.0,
        confidence=0.9,
        schedule=[1],
        width=2,
    )
    s.record(1, np.zeros(100))  # the cheaper design fails; it dominates design 0
    assert s.states[0].status == "implied"
    s.record(0, np.ones(100))  # its own blocks of the same round change nothing
    assert s.states[0].status == "implied" and s.pick is None


def test_trials_without_a_metric_are_left_out():
    s = _search(n=1, schedule=(1,))
    s.record(0, np.r_[np.ones(100), np.full(50, np.nan)])
    assert s.states[0].trials == 100 and s.states[0].status == "meets"
