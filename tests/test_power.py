"""Power limits: the budget per orbit, its pieces, the engine's duty-cycle integration
against the binomial closed form, and the [power] table."""

from __future__ import annotations

import dataclasses
import math
import tomllib
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from reliability.campaign import CampaignError, load_campaign, parse_campaign
from reliability.power import PowerSystem, power_pieces, units_powered
from reliability.runner import resolve_engine, run_campaign
from reliability.system import compile_plan, eclipse_at_full

CASE = Path("campaigns/validation/power_eclipse.toml")
PS = PowerSystem(
    level="sat", array_w=10_000, battery_wh=4000, depth_of_discharge=0.3, bus_w=1000, unit_w=500
)


def test_sun_first_by_hand():
    # sunlight: (10000 - 1000 - 1000 * 0.6 / (0.9 * 1.0)) / 500 = 16.67 -> 16; eclipse:
    # min((10000 - 1000 - 8000) * 1.0 * 0.9, 1200) - 600 = 300 Wh -> 300 / 300 = 1
    assert units_powered(PS, 10_000, 1.6, 0.6, 32) == (16, 1)
    # a battery that carries the bus alone (0.3 x 2000 Wh = 1 kW x 0.6 h): no GPU in eclipse
    small = PowerSystem(**{**_fields(PS), "battery_wh": 2000})
    assert units_powered(small, 10_000, 1.6, 0.6, 32)[1] == 0
    # more slots than power, and never more than the slots
    assert units_powered(PS, 1e6, 1.6, 0.0, 32) == (32, 32)
    assert units_powered(PS, 500, 1.6, 0.0, 32) == (0, 0)


def test_uniform_runs_the_same_count_all_orbit():
    uni = PowerSystem(**{**_fields(PS), "policy": "uniform"})
    # array: 10000 * 1.0 / (1.0 + 0.6 / 0.9) = 6000 W; battery: 1200 / 0.6 = 2000 W
    assert units_powered(uni, 10_000, 1.6, 0.6, 32) == (2, 2)  # (2000 - 1000) / 500
    big = PowerSystem(**{**_fields(uni), "battery_wh": 40_000})
    assert units_powered(big, 10_000, 1.6, 0.6, 32) == (10, 10)  # (6000 - 1000) / 500


def test_sun_first_never_loses_unit_hours_to_uniform_before_rounding():
    """Whole units aside, running in sunlight first is the better use of the energy: a
    unit-hour in eclipse costs 1 / eta of one in sunlight."""
    rng = np.random.default_rng(3)
    uni = PowerSystem(**{**_fields(PS), "policy": "uniform", "unit_w": 0.001})
    fine = PowerSystem(**{**_fields(PS), "unit_w": 0.001})
    for _ in range(200):
        array, t_e = rng.uniform(2000, 30000), rng.uniform(0.0, 0.6)
        s, e = units_powered(fine, array, 1.6, t_e, 10**9)
        n, _ = units_powered(uni, array, 1.6, t_e, 10**9)
        assert s * (1.6 - t_e) + e * t_e >= n * 1.6 * (1 - 1e-6)


def _fields(ps):
    return {f: getattr(ps, f) for f in ps.__slots__}


def test_pieces_keep_the_eclipse_time_exactly():
    minutes = np.r_[np.zeros(10), np.linspace(5, 30, 20), np.full(15, 30.0)]
    pp = power_pieces(PS, slots=32, period_h=1.6, eclipse_min=minutes, mission_h=45 * 24.0 - 6)
    ends = np.append(pp.start_h[1:], 45 * 24.0 - 6)
    shade = (pp.eclipse_share * (ends - pp.start_h)).sum()
    hours = np.r_[np.full(44, 24.0), 18.0]
    assert shade == pytest.approx((minutes / 60 / 1.6 * hours).sum(), rel=1e-12)
    assert len(pp.start_h) < 45 and pp.start_h[0] == 0.0
    assert np.all(np.diff(pp.start_h) > 0)


def _day_counts(day: int) -> tuple[int, np.ndarray, float]:
    """The validation case's units in sunlight, units in eclipse by usable units, and
    eclipse share on ``day``, from the orbit and the energy balance written out here
    (not from the plan): 15 kW losing 10% a year, 8 kWh at 30%, bus 1 kW, 800 W a GPU."""
    from reliability.orbit import beta_angle, eclipse_minutes, orbit_period_min

    period = orbit_period_min(400.0) / 60.0
    t_mid = 24.0 * day + 12.0
    beta = beta_angle(t_mid, altitude_km=400.0, inclination_deg=51.6, raan_deg=0.0)
    t_e = float(eclipse_minutes(400.0, beta)) / 60.0
    t_s = period - t_e
    array = 15000.0 * 0.9 ** (t_mid / 8760.0)
    sun = int(min(16, max(0, math.floor((array - 1000 - 1000 * t_e / (0.9 * t_s)) / 800 + 1e-9))))
    ecl = np.zeros(17, dtype=int)
    for j in range(17):
        running = min(j, sun)
        left = min((array - 1000 - running * 800) * t_s * 0.9, 0.3 * 8000) - 1000 * t_e
        ecl[j] = min(running, max(0, math.floor(left / (800 * t_e) + 1e-9))) if t_e else running
    return sun, ecl, t_e / period


def exact_power_eclipse() -> tuple[float, float]:
    """Mean capacity and unpowered share of the validation case: each satellite's
    usable GPUs are U ~ Binomial(16, exp(-t / 3 y)), counted while U >= 8."""
    lam = 1 / (3 * 8760.0)
    x, w = np.polynomial.legendre.leggauss(12)
    u = np.arange(17)
    cap = unpowered = 0.0
    for day in range(365):
        sun, ecl, f = _day_counts(day)
        t = 24.0 * day + 12.0 * (x + 1)
        pmf = stats.binom.pmf(u[:, None], 16, np.exp(-lam * t)[None, :])  # (u, t)
        counted = (u >= 8)[:, None] * pmf
        run = ((1 - f) * np.minimum(u, sun) + f * ecl)[:, None]
        cap += (12.0 * w * (counted * run).sum(0)).sum()
        unpowered += (12.0 * w * (counted * (u[:, None] - run)).sum(0)).sum()
    return cap / (16 * 8760.0), unpowered / (16 * 8760.0)


def test_the_validation_case_carries_its_exact_values():
    expect = {e["metric"]: e["exact"] for e in tomllib.loads(CASE.read_text())["verify"]["expect"]}
    cap, unpowered = exact_power_eclipse()
    assert expect["mean_capacity"] == pytest.approx(cap, abs=1e-9)
    assert expect["power_limited"] == pytest.approx(unpowered, abs=1e-9)
    # the case exercises each limit: the array binds in sunlight late in the year, and
    # a satellite that lost GPUs runs more of the rest in eclipse
    assert _day_counts(0)[0] == 16 and _day_counts(364)[0] < 16
    sun, ecl, _ = _day_counts(100)
    assert ecl[12] > ecl[16]
    # and the plan agrees with the independent counts, day by day
    a = compile_plan(load_campaign(CASE).base).arrays
    table = np.asarray(a.pw_ecl).reshape(len(a.pw_t), 17)
    for day in (0, 100, 200, 364):
        piece = np.searchsorted(a.pw_t, 24.0 * day, side="right") - 1
        sun, ecl, _ = _day_counts(day)
        # below k = 8 usable GPUs a satellite is down: the plan keeps zeros there
        assert a.pw_sun[piece] == sun and list(table[piece][8:]) == list(ecl[8:])
        assert not table[piece][:8].any()


def test_the_engine_meets_the_closed_form():
    c = load_campaign(CASE).with_overrides(trials=2000)
    ds = run_campaign(c, n_workers=0)
    cap, unpowered = exact_power_eclipse()
    for name, exact in (("mean_capacity", cap), ("power_limited", unpowered)):
        x = ds[name].values.ravel()
        assert abs(x.mean() - exact) < 4 * x.std(ddof=1) / math.sqrt(x.size), name
    # the ceiling: what the power system runs with every unit up, one cell of a year
    ceiling = np.mean([(1 - f) * s + f * e[16] for s, e, f in map(_day_counts, range(365))])
    assert float(ds["power_ceiling"].squeeze()) == pytest.approx(ceiling / 16, rel=1e-9)


SERVING = """
[campaign]
name = "slo"
mission = "30 d"
trials = 4
seed = 1
time_step = "1 d"
[environment]
orbit = "iss-400"
epoch = 2027-06-01
[units.gpu]
failures = [{ law = "exponential", mean = "1000000 y" }]
[cluster]
satellite = { n = 2, k = 1 }
gpu = { n = 16, k = 1 }
[power]
array_w = 15000
battery_wh = 3000
depth_of_discharge = 0.3
bus_w = 1000
unit_w = 600
[workload]
kind = "serving"
demand_units = 24
slo = 0.9
"""


def test_the_slo_is_missed_exactly_while_in_eclipse():
    """No failures: sunlight runs all 32 GPUs (demand 24 met), eclipse runs far fewer
    than 0.9 x 24: SLO attainment is the share of time in sunlight."""
    c = parse_campaign(SERVING)
    a = compile_plan(c.base).arrays
    full = eclipse_at_full(a)
    assert a.pw_sun.min() == 16 and 2 * full.max() < 0.9 * 24
    ds = run_campaign(c, n_workers=0)
    lengths = np.diff(np.append(a.pw_t, 30 * 24.0))
    sunlit = 1 - (a.pw_frac * lengths).sum() / (30 * 24.0)
    assert ds["slo_attainment"].values == pytest.approx(sunlit, rel=1e-9)
    ecl_cap = (a.pw_frac * lengths * 2 * full).sum() / (30 * 24.0)
    assert ds["throughput"].values == pytest.approx((sunlit * 24 + ecl_cap) / 24, rel=1e-9)


def test_power_runs_on_per_unit_clocks():
    c = load_campaign(CASE)
    assert resolve_engine(c, [compile_plan(c.base)]) == "units"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "unit_w = 800",
            'unit_w = 800\nlevel = "gpu"',
            "power.level = .gpu.: the members of the power level carry the compute units",
        ),
        ("unit_w = 800", 'unit_w = 800\npolicy = "greedy"', "must be one of sun-first, uniform"),
        ("depth_of_discharge = 0.3", "depth_of_discharge = 0", "must be positive"),
        ("unit_w = 800", "unit_w = -5", "must be positive"),
        ("unit_w = 800", "unit_w = 800\nbogus = 1", "unknown key"),
    ],
)
def test_bad_power_tables_are_refused(old, new, message):
    with pytest.raises(CampaignError, match=message):
        parse_campaign(CASE.read_text().replace(old, new))


def test_power_needs_an_orbit():
    text = CASE.read_text().replace('[environment]\norbit = "iss-400"\n', "")
    with pytest.raises(CampaignError, match=r"power: needs an \[environment\] orbit"):
        parse_campaign(text)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("battery_wh = 8000", "battery_wh = 1500", r"power.battery_wh = 1500: the battery gives"),
        ("array_w = 15000", "array_w = 1500", r"power.array_w = 1500: the array gives"),
    ],
)
def test_a_satellite_that_would_brown_out_is_refused(old, new, message):
    with pytest.raises(CampaignError, match=message):
        parse_campaign(CASE.read_text().replace(old, new))


def test_a_mission_of_part_days_keeps_its_last_eclipse():
    """The last, partial day is sampled at its middle: its eclipse share is its own."""
    from reliability.eclipses import eclipse_days

    c = load_campaign(CASE)
    env = c.base.environment
    _, whole = eclipse_days(env, 30 * 24.0)
    _, part = eclipse_days(env, 29 * 24.0 + 6.0)
    assert part.size == 30 and part[:29] == pytest.approx(whole[:29])
    short = dataclasses.replace(c.base, mission_h=29 * 24.0 + 6.0, time_step_h=24.0)
    a = compile_plan(short).arrays
    length = np.diff(np.append(a.pw_t, short.mission_h))
    shade = (a.pw_frac * length).sum()
    period = env.orbit_period_h
    expected = (whole[:29] / 60 / period * 24).sum() + part[29] / 60 / period * 6
    assert shade == pytest.approx(expected, rel=1e-12)
    tiny = dataclasses.replace(c.base, mission_h=6.0, time_step_h=6.0)
    assert compile_plan(tiny).arrays.pw_t.tolist() == [0.0]


def test_the_result_stores_the_hours_in_shadow_per_cell():
    from reliability.eclipses import eclipse_days

    c = load_campaign(CASE).with_overrides(trials=10)
    ds = run_campaign(c, n_workers=0)
    env = c.base.environment
    _, shade = eclipse_days(env, 8760.0)
    hours = (shade / 60.0 / env.orbit_period_h * 24.0).sum()
    assert float(ds["eclipse_h"].sum()) == pytest.approx(hours, rel=1e-12)
    assert ds["eclipse_h"].attrs["units"] == "h"


def test_validate_says_when_power_drops_a_satellite_below_its_k():
    """Power does not enter availability: validate says on how many days a satellite
    with every unit usable runs fewer than its k (in eclipse here: the battery carries
    a few of 16 GPUs, k = 8) and still counts as up."""
    from reliability.describe import describe

    line = next(x for x in describe(load_campaign(CASE)) if x.startswith("power"))
    assert "below the satellite's k = 8 on" in line and "counts as up" in line
    roomy = CASE.read_text().replace("battery_wh = 8000", "battery_wh = 80000")
    roomy = roomy.replace("array_w = 15000", "array_w = 60000")
    line = next(x for x in describe(parse_campaign(roomy)) if x.startswith("power"))
    assert "below the satellite's k" not in line
