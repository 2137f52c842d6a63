"""Platforms: failure modes of a group level (a satellite's bus), group replacement
and common-cause shocks. The exact cases are campaigns/validation/b10_beta_factor,
platform_repair, platform_replace and castet_saleh_*; this module recomputes their
numbers and checks the mechanisms one at a time."""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np
import pytest
from scipy import integrate, linalg, stats

from reliability.campaign import CampaignError, load_campaign
from reliability.engine import counts_blocker, simulate, trial_keys
from reliability.engine._block import run_block
from reliability.engine._tree import GATE
from reliability.engine.plan import new_state, pack_plan, row_width
from reliability.engine.spec import RestoreKind, Restoring, S
from reliability.rare import markov_design
from reliability.runner.run import resolve_method
from reliability.system import compile_plan
from reliability.verify import validation_dir

NEVER = '{ name = "fault", law = "exponential", mean = "1e12 h" }'


def _expected(name: str) -> dict[str, float]:
    c = load_campaign(validation_dir() / f"{name}.toml")
    return {e.fault_class or e.metric: e.exact for e in c.expectations}


def _average(fn, mission: float, breaks: np.ndarray) -> float:
    pieces = itertools.pairwise(breaks)
    total = sum(integrate.quad(fn, a, b, epsabs=1e-13, epsrel=1e-12)[0] for a, b in pieces)
    return total / mission


def test_platform_repair_numbers_are_the_alternating_renewal_ones():
    # bus: exponential life, fixed repair: up at t with probability
    # sum_n Poisson(n; l (t - n D)) over n D <= t (the n-th down period ended by t)
    lg, mg, lb, d, mission = 1 / 5000, 1 / 100, 1 / 4000, 200.0, 20000.0

    def gpu(t):
        return mg / (lg + mg) + lg / (lg + mg) * math.exp(-(lg + mg) * t)

    def bus(t):
        n = np.arange(int(t // d) + 1)
        return float(stats.poisson.pmf(n, lb * (t - n * d)).sum())

    def capacity(t):
        j = np.arange(3, 5)
        return bus(t) * float((j * stats.binom.pmf(j, 4, gpu(t))).sum()) / 4

    breaks = np.arange(0.0, mission + 1, d)
    sat = lambda t: bus(t) * stats.binom.sf(2, 4, gpu(t))
    exp = _expected("platform_repair")
    assert _average(lambda t: stats.binom.sf(2, 4, sat(t)), mission, breaks) == pytest.approx(
        exp["availability"], abs=1e-9
    )
    assert _average(capacity, mission, breaks) == pytest.approx(exp["mean_capacity"], abs=1e-9)
    bus_faults = 4 * lb * mission * _average(bus, mission, breaks)
    assert bus_faults == pytest.approx(exp["bus.loss"], abs=1e-6)
    gpu_faults = 16 * lg * mission * _average(gpu, mission, breaks)
    assert gpu_faults == pytest.approx(exp["gpu.fault"], abs=1e-6)


def test_platform_replace_numbers_are_the_ctmc_ones():
    # per satellite: (failed GPUs, spare in stock, swap under way) while the bus is up,
    # and "R" while the satellite is being replaced (it comes back new, spare restocked)
    lg, lb, lead, mu, mission = 1 / 10000, 1 / 4000, 500.0, 1 / 50, 20000.0
    states = [(f, s, r) for f in range(5) for s in range(2) for r in range(2) if r <= min(s, f)]
    states.append("R")
    ix = {x: i for i, x in enumerate(states)}
    q = np.zeros((len(states), len(states)))
    for x, i in ix.items():
        if x == "R":
            q[i, ix[(0, 1, 0)]] += 1 / lead
        else:
            f, s, r = x
            if f < 4:
                q[i, ix[(f + 1, s, 1 if s > r else r)]] += (4 - f) * lg
            if r:
                q[i, ix[(f - 1, s - 1, 0)]] += mu
            q[i, ix["R"]] += lb
        q[i, i] = -q[i].sum()
    p0 = np.zeros(len(states))
    p0[ix[(0, 1, 0)]] = 1.0
    up = np.array([0.0 if x == "R" else float(x[0] <= 1) for x in states])
    cap = np.array([0.0 if x == "R" else (4 - x[0]) * float(x[0] <= 1) for x in states])
    alive = np.array([0.0 if x == "R" else 1.0 for x in states])

    def prob(t):
        return p0 @ linalg.expm(q * t)

    breaks = np.linspace(0.0, mission, 201)
    exp = _expected("platform_replace")
    avail = _average(lambda t: stats.binom.sf(2, 4, prob(t) @ up), mission, breaks)
    assert avail == pytest.approx(exp["availability"], abs=1e-9)
    capacity = _average(lambda t: prob(t) @ cap / 4, mission, breaks)
    assert capacity == pytest.approx(exp["mean_capacity"], abs=1e-9)
    up_share = _average(lambda t: prob(t) @ alive, mission, breaks)
    assert 4 * lb * mission * up_share == pytest.approx(exp["bus.loss"], abs=1e-6)
    # the same with launches of mean 400 h failing with p = 0.2: a geometric sum of
    # exponential lead times is exponential with mean 400 / 0.8 = 500 h; launches
    # complete at 1/400 h while a satellite is being replaced
    launch = _expected("platform_replace_launch")
    for key in ("availability", "mean_capacity", "bus.loss"):
        assert launch[key] == exp[key]
    launches = 4 * mission * (1 - up_share) / 400
    assert launches == pytest.approx(launch["launches"], abs=1e-6)
    assert 0.2 * launches == pytest.approx(launch["launch_failures"], abs=1e-6)


def test_group_spares_numbers_are_the_ctmc_ones():
    # (s, Q) = (0, 1): state (satellites waiting, relocating, free spares, orders in
    # flight); orders are placed while free + orders - waiting <= 0
    lb, mur, lead, pfail, mission, n = 1 / 2000, 1 / 100, 500.0, 0.2, 20000.0, 4

    def reorder(w, r, x, o):
        while x + o - w <= 0:
            o += 1
        return (w, r, x, o)

    start = reorder(0, 0, 1, 0)
    moves: dict[tuple, list] = {}
    todo = [start]
    while todo:
        st = todo.pop()
        if st in moves:
            continue
        w, r, x, o = st
        out = []
        if w + r < n:  # a bus fails: a free spare starts relocating, or it waits
            hit = (w, r + 1, x - 1, o) if x > 0 else (w + 1, r, x, o)
            out.append((reorder(*hit), (n - w - r) * lb))
        if r:
            out.append(((w, r - 1, x, o), r * mur))
        if o:  # a launch arrives: its spare serves a waiting satellite first
            served = min(w, x + 1)
            out.append(
                (reorder(w - served, r + served, x + 1 - served, o - 1), o * (1 - pfail) / lead)
            )
            out.append((reorder(w, r, x, o - 1), o * pfail / lead))
        moves[st] = out
        todo += [nx for nx, _ in out]
    states = sorted(moves)
    ix = {x: i for i, x in enumerate(states)}
    q = np.zeros((len(states), len(states)))
    for st, out in moves.items():
        for nx, rate in out:
            if nx != st:
                q[ix[st], ix[nx]] += rate
    np.fill_diagonal(q, -q.sum(axis=1))
    p0 = np.zeros(len(states))
    p0[ix[start]] = 1.0
    column = lambda f: np.array([f(*x) for x in states], dtype=float)
    breaks = np.linspace(0.0, mission, 201)

    def average(v):
        return _average(lambda t: p0 @ linalg.expm(q * t) @ v, mission, breaks)

    exp = _expected("group_spares_reorder")
    assert average(column(lambda w, r, x, o: w + r <= 1)) == pytest.approx(
        exp["availability"], abs=1e-9
    )
    launches = mission * average(column(lambda w, r, x, o: o)) / lead
    assert launches == pytest.approx(exp["launches"], abs=1e-6)
    assert pfail * launches == pytest.approx(exp["launch_failures"], abs=1e-6)
    used = mission * average(column(lambda w, r, x, o: r)) * mur
    assert used == pytest.approx(exp["group_spares_used"], abs=1e-6)
    waited = mission * average(column(lambda w, r, x, o: (n - w - r) * lb * (x == 0)))
    assert waited == pytest.approx(exp["group_spare_stockouts"], abs=1e-6)


def test_group_spares_cadence_numbers_are_the_chain_ones():
    # (satellites waiting, relocating, free spares) is a CTMC between launches; a
    # launch every 2000 h from 1500 h adds a spare with probability 0.8 (it serves a
    # waiting satellite first): p(t) is expm piece by piece, with a jump at each launch
    lb, mur, n, pfail, mission, top = 1 / 10000, 1 / 100, 4, 0.2, 20000.0, 12
    states = [(w, r, x) for w in range(n + 1) for r in range(n + 1 - w) for x in range(top + 1)]
    ix = {st: i for i, st in enumerate(states)}
    size = len(states)
    q = np.zeros((size, size))
    jump = np.zeros((size, size))
    for (w, r, x), i in ix.items():
        if n - w - r:
            q[i, ix[(w, r + 1, x - 1) if x else (w + 1, r, x)]] += (n - w - r) * lb
        if r:
            q[i, ix[(w, r - 1, x)]] += r * mur
        jump[i, i] += pfail
        # x = top is out of reach (one spare a launch): keep its row a distribution
        arrive = (w - 1, r + 1, x) if w else (w, r, min(x + 1, top))
        jump[i, ix[arrive]] += 1 - pfail
    np.fill_diagonal(q, -q.sum(axis=1))
    big = np.zeros((2 * size, 2 * size))
    big[:size, :size] = q
    big[:size, size:] = np.eye(size)
    column = lambda f: np.array([f(*st) for st in states], dtype=float)
    up, relocating, free = (
        column(lambda w, r, x: w + r <= 1),
        column(lambda w, r, x: r),
        column(lambda w, r, x: x),
    )
    stockout = column(lambda w, r, x: (n - w - r) * lb * (x == 0))  # a loss finds none
    launches = np.arange(1500.0, mission, 2000.0)
    marks = sorted({*launches, *np.arange(1000.0, mission + 1, 1000.0)})
    p = np.zeros(size)
    p[ix[(0, 0, 1)]] = 1.0
    t = up_h = relocating_h = waited = 0.0
    stock = {}
    for m in marks:
        e = linalg.expm(big * (m - t))  # [[e^{QL}, int_0^L e^{Qs} ds], [0, I]]
        up_h += p @ e[:size, size:] @ up
        relocating_h += p @ e[:size, size:] @ relocating
        waited += p @ e[:size, size:] @ stockout
        p = p @ e[:size, :size]
        if m in launches:
            p = p @ jump
        stock[m], t = p @ free, m
    assert p[[ix[st] for st in states if st[2] == top]].sum() < 1e-12
    exp = _expected("group_spares_cadence")
    assert up_h / mission == pytest.approx(exp["availability"], abs=1e-9)
    assert launches.size == exp["launches"]
    assert pfail * launches.size == pytest.approx(exp["launch_failures"], abs=1e-12)
    assert relocating_h * mur == pytest.approx(exp["group_spares_used"], abs=1e-8)
    assert waited == pytest.approx(exp["group_spare_stockouts"], abs=1e-9)
    c = load_campaign(validation_dir() / "group_spares_cadence.toml")
    at = [e for e in c.expectations if e.metric == "group_spare_stock"]
    assert len(at) == 3
    for e in at:
        assert stock[e.at_h] == pytest.approx(e.exact, abs=1e-9)


def test_platform_design_life_numbers_are_the_lattice_ones():
    # a new satellite at s is up until s + life (or the mission end), then launches
    # fly at s + life + lead * g until one succeeds (probability 1 - p each)
    mission, life, lead, p = 19800.0, 5000.0, 1000.0, 0.5

    @functools.cache
    def from_new(s: float) -> np.ndarray:
        """(up hours, retirements, launches, failed launches) expected after s."""
        total = np.array([min(life, mission - s), 0.0, 0.0, 0.0])
        if s + life >= mission:
            return total
        total[1] = 1.0
        reach, t = 1.0, s + life + lead
        while t < mission:
            total[2:] += reach * np.array([1.0, p])
            total += reach * (1 - p) * from_new(t)
            reach, t = reach * p, t + lead
        return total

    up_h, retired, launches, failed = from_new(0.0)
    exp = _expected("platform_design_life")
    assert up_h / mission == pytest.approx(exp["availability"], abs=1e-9)
    assert retired == pytest.approx(exp["bus.end_of_life"], abs=1e-9)
    assert launches == pytest.approx(exp["launches"], abs=1e-9)
    assert failed == pytest.approx(exp["launch_failures"], abs=1e-9)


def test_design_life_is_a_planned_retirement_of_platforms_only(tmp_path):
    c = load_campaign(validation_dir() / "platform_design_life.toml")
    (mode,) = c.base.units[1].failures
    assert (mode.name, mode.planned, mode.life.law, mode.life.p1) == (
        "end_of_life",
        True,
        "fixed",
        5000.0,
    )
    plan = compile_plan(c.base)
    assert plan.mode_sources[plan.mode_classes.index("bus.end_of_life")] == "scheduled"
    text = (validation_dir() / "platform_design_life.toml").read_text()
    leaf = text.replace("[units.gpu]", '[units.gpu]\ndesign_life = "5 y"')
    (tmp_path / "leaf.toml").write_text(leaf)
    with pytest.raises(CampaignError, match=r"units\.gpu\.design_life.*retires a platform"):
        load_campaign(tmp_path / "leaf.toml")


@pytest.mark.parametrize(
    ("spares", "up_h", "used", "launches"),
    [
        # two spares free at 5000 h and 10000 h: handed over at once; none at 15000 h
        ("cold = 2", 15000.0, 2, 0),
        # none free at 5000 h: the launch at 6000 h brings one, which relocates 100 h;
        # that satellite retires at 11100 h with no spare left
        (
            'cold = 0, launch_every = "1000 h", launch_first = "6000 h", launch_count = 1',
            10000.0,
            1,
            1,
        ),
        # seven launches 91.3 d apart from 6000 h, the last at 19147.2 h (adding up the
        # intervals must not lose it to rounding); the wait from 5000 h to 6100 h is the
        # only downtime: the retirements at 11100 h and 16100 h find a spare
        (
            'cold = 0, launch_every = "91.3 d", launch_first = "6000 h", launch_count = 7',
            19800.0 - 1100.0,
            3,
            7,
        ),
    ],
)
def test_a_planned_retirement_hands_over_to_a_free_spare_group(spares, up_h, used, launches):
    from reliability.campaign import parse_campaign
    from reliability.runner import run_campaign

    text = (validation_dir() / "platform_design_life.toml").read_text()
    text = text.replace(
        'replace = "1000 h", launch_failure = 0.5',
        f'group_spares = {{ {spares}, relocate = "100 h" }}',
    )
    text = text.replace("trials = 4000", "trials = 3")
    ds = run_campaign(parse_campaign(text.split("[verify]")[0]), n_workers=0)
    np.testing.assert_allclose(ds["availability"].values, up_h / 19800.0, rtol=1e-12)
    assert (ds["group_spares_used"].values == used).all()
    assert (ds["launches"].values == launches).all()


def test_cadence_settings_are_refused_where_they_mean_nothing(tmp_path):
    text = (validation_dir() / "group_spares_cadence.toml").read_text()
    cadence = ', launch_every = "2000 h", launch_first = "1500 h", batch = 1'
    cases = [  # (the cadence replaced by, keep the launch failure, refusal)
        (", batch = 1", False, r"batch.*set reorder.*launch_every"),
        (', launch_first = "1500 h"', False, r"launch_first.*set launch_every"),
        (', launch_every = "10 min", batch = 1', True, r"launch_every.*under an hour"),
        ("", True, r"launch_failure.*group_spares\.launch_every"),
    ]
    for change, failure, pattern in cases:
        bad = text.replace(cadence, change)
        if not failure:
            bad = bad.replace("launch_failure = 0.2, ", "")
        (tmp_path / "bad.toml").write_text(bad)
        with pytest.raises(CampaignError, match=pattern):
            load_campaign(tmp_path / "bad.toml")


def test_repairable_spares_numbers_are_the_birth_death_ones():
    # f failed units (in repair or waiting for the repairer): 6 in slots while f <= 2
    lam, mu, n, k, spares, mission = 1 / 500, 1 / 50, 6, 5, 2, 20000.0
    top = n + spares
    q = np.zeros((top + 1, top + 1))
    in_slots = np.array([n if f <= spares else n + spares - f for f in range(top + 1)])
    for f in range(top + 1):
        if f < top:
            q[f, f + 1] = lam * in_slots[f]
        if f:
            q[f, f - 1] = mu  # one repairer
        q[f, f] = -q[f].sum()
    breaks = np.linspace(0.0, mission, 201)

    def average(v):
        return _average(lambda t: linalg.expm(q * t)[0] @ v, mission, breaks)

    f = np.arange(top + 1)
    exp = _expected("repairable_spares")
    assert average((in_slots >= k).astype(float)) == pytest.approx(exp["availability"], abs=1e-9)
    assert average(in_slots / n) == pytest.approx(exp["mean_capacity"], abs=1e-9)
    swaps = lam * in_slots * (f < spares) + mu * (f > spares)
    assert mission * average(swaps) == pytest.approx(exp["spares_used"], abs=1e-6)
    assert mission * average(lam * in_slots) == pytest.approx(exp["node.fault"], abs=1e-6)
    # free spares at a cell's end: those not yet taken by failed units
    c = load_campaign(validation_dir() / "repairable_spares.toml")
    stock = [e for e in c.expectations if e.metric == "spare_stock"]
    assert len(stock) == 2
    for e in stock:
        free = linalg.expm(q * e.at_h)[0] @ np.maximum(spares - f, 0)
        assert free == pytest.approx(e.exact, abs=1e-9)


def test_platform_retire_numbers_are_the_chain_ones():
    # per satellite: 4 GPUs up, 3 up, being replaced (its second failure retires it)
    lg, lead, mission = 1 / 2000, 300.0, 20000.0
    q = np.array([[-4 * lg, 4 * lg, 0.0], [0.0, -3 * lg, 3 * lg], [1 / lead, 0.0, -1 / lead]])
    breaks = np.linspace(0.0, mission, 201)

    def average(fn):
        return _average(lambda t: fn(linalg.expm(q * t)[0]), mission, breaks)

    exp = _expected("platform_retire")
    avail = average(lambda p: stats.binom.sf(2, 4, p[0] + p[1]))
    assert avail == pytest.approx(exp["availability"], abs=1e-9)
    assert average(lambda p: (4 * p[0] + 3 * p[1]) / 4) == pytest.approx(
        exp["mean_capacity"], abs=1e-9
    )
    retired = 4 * mission * average(lambda p: 3 * lg * p[1])
    assert retired == pytest.approx(exp["bus.retired"], abs=1e-6)
    launches = 4 * mission * average(lambda p: p[2]) / lead
    assert launches == pytest.approx(exp["launches"], abs=1e-6)


@pytest.mark.parametrize("years", [1, 5])
def test_castet_saleh_numbers_are_the_published_fit(years):
    exact = 1 - math.exp(-((years / 2607) ** 0.4521))
    assert _expected(f"castet_saleh_{years}y")["bus.loss"] == pytest.approx(exact, abs=1e-10)


def _bus(failure: str) -> str:
    return f"[units.bus]\nfailures = [{failure}]"


def test_a_replaced_group_comes_back_with_new_units(make_campaign):
    # GPUs wear out at a fixed 1000 h; the bus fails at a fixed 700 h and the satellite
    # is replaced 100 h later: new GPUs every 800 h never reach 1000 h
    c = make_campaign(
        mission="3000 h",
        failures='{ name = "wear", law = "fixed", mean = "1000 h" }',
        cluster='sat = { n = 1, k = 1, platform = "bus", replace = "100 h" }\nnode = { n = 4, k = 4 }',
        rest=_bus('{ name = "loss", law = "fixed", mean = "700 h" }'),
    )
    plan = compile_plan(c.base)
    r = simulate(plan.arrays, 1, 2)
    wear, loss = plan.mode_labels.index("node.wear"), plan.mode_labels.index("bus.loss")
    np.testing.assert_array_equal(r.failures[:, wear], 0)
    np.testing.assert_array_equal(r.failures[:, loss], 3)  # at 700, 1500 and 2300 h
    np.testing.assert_allclose(r.availability, 1 - 3 * 100 / 3000)
    np.testing.assert_array_equal(r.outages, 3)


def test_a_repaired_platform_leaves_its_units_as_they_were(make_campaign):
    # the same, repaired in place: the GPUs keep their age and wear out at 1000 h
    c = make_campaign(
        mission="3000 h",
        failures='{ name = "wear", law = "fixed", mean = "1000 h" }',
        cluster='sat = { n = 1, k = 1, platform = "bus" }\nnode = { n = 4, k = 4 }',
        rest=_bus('{ name = "loss", law = "fixed", mean = "700 h", repair = "100 h" }'),
    )
    plan = compile_plan(c.base)
    r = simulate(plan.arrays, 1, 2)
    np.testing.assert_array_equal(r.failures[:, plan.mode_labels.index("node.wear")], 4)
    # down from 700 to 800 h (bus) and for good from 1000 h (no spares, no visit)
    np.testing.assert_allclose(r.downtime_h, 100 + 2000)
    # the bus itself: down 700-800, 1500-1600 and 2300-2400 h
    np.testing.assert_allclose(r.unit_downtime_h[:, plan.mode_labels.index("bus.loss")], 300)


def test_a_visit_replaces_a_failed_platform(make_campaign):
    c = make_campaign(
        mission="3000 h",
        failures=NEVER,
        cluster='sat = { n = 2, k = 2, platform = "bus" }\nnode = { n = 2, k = 1 }',
        rest=_bus('{ name = "loss", law = "fixed", mean = "500 h" }')
        + '\n[maintenance]\nservicing = { every = "1000 h", duration = "0 h", system_down = false }',
    )
    r = simulate(compile_plan(c.base).arrays, 1, 2)
    # both buses fail at 500 h and come back at the visit at 1000 h; then 1500 -> 2000 h;
    # 2500 h -> the end
    np.testing.assert_allclose(r.downtime_h, 500 + 500 + 500)
    np.testing.assert_allclose(r.mean_capacity, 1 - 1500 / 3000)


def test_shock_probability_matches_its_binomial_thinning(make_campaign):
    # 12 nodes that never fail on their own, 10 needed; shocks at 1/100 h each fail a
    # node up with probability 0.3, no repair: after j shocks a node is up with
    # probability 0.7^j, so R(t) = sum_j Poisson(j; t/100) P(Bin(12, 1 - 0.7^j) <= 2)
    c = make_campaign(
        mission="400 h",
        failures=NEVER,
        cluster='rack = { n = 1, k = 1, platform = "rack" }\nnode = { n = 12, k = 10 }',
        rest='[units.rack]\nfailures = [{ name = "shock", law = "exponential", mean = "100 h", '
        'effect = "shock", p = 0.3 }]',
    )
    r = simulate(compile_plan(c.base).arrays, 7, 4000)
    for t in (50.0, 150.0, 300.0):
        j = np.arange(200)
        exact = float((stats.poisson.pmf(j, t / 100) * stats.binom.cdf(2, 12, 1 - 0.7**j)).sum())
        ttff = r.time_to_first_failure_h
        est = float(np.mean(np.isnan(ttff) | (ttff > t)))
        se = math.sqrt(exact * (1 - exact) / ttff.size)
        assert abs(est - exact) < 4 * se, (t, est, exact)


def test_a_shock_downs_every_unit_up_and_they_are_restored_by_its_rule(make_campaign):
    c = make_campaign(
        mission="1000 h",
        failures=NEVER,
        cluster='rack = { n = 1, k = 1, platform = "rack" }\nnode = { n = 4, k = 1, crews = 1 }',
        rest='[units.rack]\nfailures = [{ name = "shock", law = "exponential", mean = "200 h", '
        'effect = "shock", repair = "10 h" }]',
    )
    plan = compile_plan(c.base)
    r = simulate(plan.arrays, 3, 50)
    shock = plan.mode_labels.index("rack.shock")
    # one crew repairs the four nodes one after the other: the rack is down 10 h of the
    # 40 h a shock costs (unless the next shock comes first or the mission ends)
    per_shock = r.downtime_h / np.maximum(r.failures[:, shock], 1)
    assert np.all(per_shock <= 10 + 1e-9)
    assert np.all(r.unit_downtime_h[:, shock] <= 100.0 * r.failures[:, shock] + 1e-9)
    assert r.failures[:, shock].sum() > 0


def test_platforms_are_refused_where_they_cannot_be_modelled(make_campaign):
    c = make_campaign(
        cluster='sat = { n = 4, k = 3, platform = "bus" }\nnode = { n = 4, k = 3 }',
        rest=_bus('{ name = "loss", law = "exponential", mean = "4000 h", repair = "10 h" }'),
    )
    assert (
        counts_blocker(compile_plan(c.base).arrays) == "platforms carry particular groups of units"
    )
    design, why = markov_design(c.base)
    assert design is None and "platforms" in why


@pytest.mark.parametrize(
    ("cluster", "rest", "message"),
    [
        (
            'node = { n = 4, k = 3, platform = "bus" }',
            "",
            "a platform belongs to a level of groups",
        ),
        (
            'sat = { n = 2, k = 1, platform = "nope" }\nnode = { n = 4, k = 3 }',
            "",
            "no such unit type",
        ),
        ('sat = { n = 2, k = 1, replace = "1 d" }\nnode = { n = 4, k = 3 }', "", "set platform"),
        (
            "sat = { n = 2, k = 1, retire_below_k = true }\nnode = { n = 4, k = 3 }",
            "",
            "set platform",
        ),
        (
            "sat = { n = 2, k = 1, group_spares = { cold = 1 } }\nnode = { n = 4, k = 3 }",
            "",
            "set platform",
        ),
        (
            (
                'sat = { n = 2, k = 1, platform = "bus", group_spares = { cold = 1, reorder = 0 } }\n'
                "node = { n = 4, k = 3 }"
            ),
            '[units.bus]\nfailures = [{ law = "exponential", mean = "1 y" }]',
            "set replace",
        ),
        (
            (
                'sat = { n = 2, k = 1, platform = "bus", group_spares = { cold = 1, batch = 2 } }\n'
                "node = { n = 4, k = 3 }"
            ),
            '[units.bus]\nfailures = [{ law = "exponential", mean = "1 y" }]',
            "set reorder",
        ),
        (
            'sat = { n = 2, k = 1, platform = "bus", launch_failure = 0.1 }\nnode = { n = 4, k = 3 }',
            "",
            "set replace",
        ),
        (
            (
                'sat = { n = 2, k = 1, platform = "bus", replace = "1 d", launch_failure = 1 }\n'
                "node = { n = 4, k = 3 }"
            ),
            '[units.bus]\nfailures = [{ law = "exponential", mean = "1 y" }]',
            "no launch would succeed",
        ),
        (
            'sat = { n = 2, k = 1, platform = "node" }\nnode = { n = 4, k = 3 }',
            "",
            "cannot also be a platform",
        ),
        (
            'sat = { n = 2, k = 1, platform = "bus" }\nnode = { n = 4, k = 3 }',
            '[units.bus]\nfailures = [{ law = "fixed", mean = "1 y", effect = "shock" }]',
            "a shock recurs",
        ),
        (
            'sat = { n = 2, k = 1, platform = "bus" }\nnode = { n = 4, k = 3 }',
            '[units.bus]\nfailures = [{ law = "exponential", mean = "1 y", p = 0.5 }]',
            'set effect = "shock"',
        ),
        (
            'sat = { n = 2, k = 1, platform = "bus" }\nnode = { n = 4, k = 3 }',
            (
                '[units.bus]\nfailures = [{ law = "exponential", mean = "1 y" }]\n'
                'radiation = [{ class = "sdc", per_device_day = 1e-3 }]'
            ),
            "a platform has failure modes only",
        ),
    ],
)
def test_bad_platforms_are_refused_with_the_key(make_campaign, cluster, rest, message):
    with pytest.raises(CampaignError, match=message):
        make_campaign(cluster=cluster, rest=rest)


def test_a_shock_on_the_units_themselves_is_refused(make_campaign):
    with pytest.raises(CampaignError, match="a shock acts on a group"):
        make_campaign(failures='{ law = "exponential", mean = "1 y", effect = "shock" }')


def test_training_with_platforms_is_refused(make_campaign):
    with pytest.raises(CampaignError, match="training job with platforms"):
        make_campaign(
            cluster='sat = { n = 4, k = 3, platform = "bus" }\nnode = { n = 4, k = 3 }',
            rest=_bus('{ law = "exponential", mean = "1 y", repair = "1 d" }')
            + '\n[workload]\nkind = "training"\naccelerators = 8\ncheckpoint = "1 h"',
        )


def test_splitting_is_refused_for_platforms(make_campaign):
    c = make_campaign(
        campaign_extra='method = "splitting"',
        cluster='sat = { n = 4, k = 3, platform = "bus" }\nnode = { n = 4, k = 3 }',
        rest=_bus('{ law = "exponential", mean = "1 y", repair = "1 d" }'),
    )
    with pytest.raises(CampaignError, match="splitting cannot estimate a design with platforms"):
        resolve_method(c)


def _field(a, slot, i):
    return a[int(a[slot]) + i]


def test_state_stays_consistent_through_replacements_and_shocks(make_campaign):
    # everything at once: a shared crew and a shared spare pool at the top, warm spares
    # on board, partial shocks and group replacements; at the mission end every
    # restoration, queue, crew and group count must agree with the units' states
    c = make_campaign(
        mission="20000 h",
        failures='{ name = "fault", law = "weibull", shape = 1.5, mean = "2000 h" }, '
        '{ name = "glitch", law = "exponential", mean = "3000 h", repair = "300 h" }',
        cluster='fleet = { n = 3, k = 2, crews = 1, spares = { cold = 2, swap = "100 h" } }\n'
        'sat = { n = 2, k = 1, platform = "bus", replace = { law = "exponential", mean = "400 h" } }\n'
        'node = { n = 4, k = 3, spares = { warm = 1, dormant_mttf = "5000 h", swap = "50 h", '
        'repair = "800 h" } }',
        rest='[units.bus]\nfailures = [{ name = "loss", law = "exponential", mean = "3000 h" }, '
        '{ name = "hit", law = "exponential", mean = "1500 h", effect = "shock", p = 0.4, '
        'repair = "200 h" }]',
    )
    _check_consistency(c)
    # spare satellites, warm in a parking orbit, replenished by launches that fail
    c = make_campaign(
        mission="20000 h",
        failures='{ name = "fault", law = "weibull", shape = 1.5, mean = "2000 h" }',
        cluster='fleet = { n = 2, k = 1, crews = 1, spares = { cold = 1, swap = "100 h", '
        'repair = "600 h", repairers = 1 } }\n'
        'sat = { n = 3, k = 2, platform = "bus", replace = "300 h", launch_failure = 0.3, '
        'group_spares = { warm = 1, dormant_mttf = "4000 h", relocate = "50 h", reorder = 1, '
        "batch = 2 } }\n"
        "node = { n = 4, k = 3 }",
        rest='[units.bus]\nfailures = [{ name = "loss", law = "exponential", mean = "3000 h" }, '
        '{ name = "hit", law = "exponential", mean = "1500 h", effect = "shock", p = 0.4, '
        'repair = "200 h" }]',
    )
    _check_consistency(c)


def _check_consistency(c):
    plan = compile_plan(c.base).arrays
    pi, pf = pack_plan(plan)
    si, sf, su = new_state(plan)
    rows = np.zeros((1, row_width(plan.n_modes, plan.n_cells)))
    n_units, n_groups = plan.n_units, len(plan.group_k)
    keys = trial_keys(11, 300)
    for i in range(keys.shape[0]):
        # one trial through the kernel's own entry point (its machine code is cached
        # with the kernel): the state arrays keep the trial's end for the checks
        rows[:] = 0.0
        run_block(pi, pf, si, sf, su, keys[i : i + 1], rows, np.zeros(0))
        up = np.array([_field(si, S.UNIT_UP, u) for u in range(n_units)])
        job = np.array([_field(si, S.UNIT_JOB, u) for u in range(n_units)])
        crewed = np.array([_field(si, S.UNIT_CREWED, u) for u in range(n_units)])
        assert np.all(job[up == 1] == Restoring.NONE)
        for pool in range(len(plan.crew_count)):
            mine = plan.unit_crew == pool
            assert _field(si, S.CREW_BUSY, pool) == crewed[mine].sum()
            assert _field(si, S.CQ_LEN, pool) == np.sum(job[mine] == Restoring.QUEUED)
        kind = np.array([_field(si, S.UNIT_KIND, u) for u in range(n_units)])
        held = (up == 0) & (kind != RestoreKind.REPAIR)
        held &= (job == Restoring.ACTIVE) | (job == Restoring.QUEUED)
        for sp in range(len(plan.sp_capacity)):
            mine = plan.unit_spare == sp
            assert _field(si, S.SQ_LEN, sp) == np.sum(job[mine] == Restoring.SPARE_WAIT)
            assert _field(si, S.SP_RES, sp) == np.sum(held[mine])
            assert 0 <= _field(si, S.SP_RES, sp) <= _field(si, S.SP_STOCK, sp)
            slots = range(plan.sp_ooff[sp], plan.sp_ooff[sp + 1])
            live = sum(_field(si, S.ORDER_LIVE, k) for k in slots)
            assert _field(si, S.SP_ONORDER, sp) == live * plan.sp_batch[sp]
            shop = range(plan.sp_soff[sp], plan.sp_soff[sp + 1])
            busy = sum(_field(si, S.SHOP_LIVE, k) for k in shop)
            assert busy == len(shop) or _field(si, S.SP_SHOPQ, sp) == 0
        for g in range(n_groups):  # up-counts from the members, gates from platforms
            kids = plan.group_child0[g]
            if kids < 0:
                members = up[(plan.unit_group == g) & (plan.unit_gate == 0)].sum()
            else:
                members = sum(_field(si, S.G_UP, h) for h in range(kids, kids + plan.group_n[g]))
            gate = plan.group_platform[g]
            down = 0 if gate < 0 else 1 - up[gate]
            assert _field(si, S.G_UPC, g) == members - down * GATE


def test_repairable_spares_agree_between_the_engines(make_campaign):
    # the counts engine restores through the same module: both reproduce the chain
    c = make_campaign(
        mission="20000 h",
        failures='{ name = "fault", law = "exponential", mean = "500 h" }',
        cluster='node = { n = 6, k = 5, spares = { cold = 2, swap = "0 h", repair = { law = "exponential", '
        'mean = "50 h" }, repairers = 1 } }',
    )
    plan = compile_plan(c.base).arrays
    exact = _expected("repairable_spares")["availability"]
    for engine in ("units", "counts"):
        a = simulate(plan, 5, 400, engine=engine).availability
        assert abs(a.mean() - exact) < 4 * a.std(ddof=1) / math.sqrt(a.size), engine


def test_a_failed_launch_charges_the_platform_down_time_once():
    # time being replaced: a satellite waits 400 h per launch, so its bus's unit-hours
    # down are 400 h x launches (platform_replace_launch's exact launches)
    c = load_campaign(validation_dir() / "platform_replace_launch.toml")
    plan = compile_plan(c.base)
    r = simulate(plan.arrays, 3, 1000)
    down = r.unit_downtime_h[:, plan.mode_labels.index("bus.loss")]
    exact = 400.0 * _expected("platform_replace_launch")["launches"]
    assert abs(down.mean() - exact) < 4 * down.std(ddof=1) / math.sqrt(down.size)


def test_calendar_maintenance_of_units_runs_beside_platforms(make_campaign):
    c = make_campaign(
        mission="1000 h",
        failures=NEVER,
        unit_extra='maintenance = { every = "100 h", duration = "1 h" }',
        cluster='sat = { n = 2, k = 1, platform = "bus" }\nnode = { n = 4, k = 3 }',
        rest=_bus('{ name = "loss", law = "exponential", mean = "1e9 h", repair = "1 h" }'),
    )
    plan = compile_plan(c.base)
    assert np.isinf(plan.arrays.unit_pm_first[8:]).all()  # platforms take no turns
    r = simulate(plan.arrays, 1, 2)
    # 8 units, each with turns at 100 h (+ its stagger) up to 900 h: 9 turns each
    np.testing.assert_array_equal(r.failures[:, plan.mode_labels.index("node.maintenance")], 72)


def test_replace_beside_spare_groups_needs_a_reorder_rule(make_campaign):
    with pytest.raises(CampaignError, match=r"set group_spares\.reorder"):
        make_campaign(
            cluster='sat = { n = 2, k = 1, platform = "bus", replace = "30 d", '
            "group_spares = { cold = 1 } }\nnode = { n = 4, k = 3 }",
            rest=_bus('{ law = "exponential", mean = "1 y" }'),
        )
