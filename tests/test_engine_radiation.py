"""The engine's radiation machinery: SAA patterns, solar particle events, silent and
counted faults, per-clock renewal and downtime by cause."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from reliability.engine import _laws as laws
from reliability.engine import _profiles as prof
from reliability.engine import simulate
from reliability.environment import solar_levels
from reliability.runner import run_campaign
from reliability.system import compile_plan


def assert_mean(x, exact, z=4.0):
    x = np.asarray(x, dtype=float)
    se = x.std(ddof=1) / math.sqrt(x.size)
    assert abs(x.mean() - exact) <= z * se, (x.mean(), exact, se)


@given(
    period=st.floats(0.5, 10.0),
    f=st.floats(0.01, 0.9),
    inside=st.booleans(),
    t=st.floats(0.0, 1e4),
)
@settings(max_examples=200, deadline=None)
def test_periodic_pattern_inverse_round_trip(period, f, inside, t):
    if inside:
        pt, pm, pc = [0.0, f * period], [1.0 / f, 0.0], [0.0, period]
    else:
        pt, pm, pc = [0.0, f * period], [0.0, 1.0 / (1.0 - f)], [0.0, 0.0]
    pt, pm, pc = np.array(pt), np.array(pm), np.array(pc)
    x = prof.periodic_cum(pt, pm, pc, 0, 2, period, period, t)
    back = prof.periodic_inverse(pt, pm, pc, 0, 2, period, period, x)
    # the inverse lands on a time with that cumulative value; where the pattern is
    # not flat that time is unique
    assert prof.periodic_cum(pt, pm, pc, 0, 2, period, period, back) == pytest.approx(
        x, rel=1e-9, abs=1e-9
    )
    s = t - math.floor(t / period) * period
    if (s < f * period) == inside and 1e-6 < s < period - 1e-6 and abs(s - f * period) > 1e-6:
        assert back == pytest.approx(t, rel=1e-9, abs=1e-9)
    assert x == pytest.approx(t, abs=period)  # multipliers average 1 over each orbit


@pytest.mark.parametrize("mean", [0.3, 4.0, 25.0, 3e3, 7e8])
def test_poisson_sampler_mean_and_variance(mean):
    n = 20000
    # one key per draw: PTRS may use several counter pairs of its stream
    draws = np.array(
        [laws.poisson(mean, np.uint64(i), np.uint64(3), np.uint64(0)) for i in range(n)]
    )
    assert_mean(draws, mean)
    assert draws.var(ddof=1) == pytest.approx(mean, rel=0.05)
    if mean < 30:
        counts = np.bincount(draws)
        expected = stats.poisson.pmf(np.arange(counts.size), mean) * n
        keep = expected > 5
        assert (
            stats.chisquare(
                counts[keep], expected[keep] * counts[keep].sum() / expected[keep].sum()
            ).pvalue
            > 1e-4
        )


SPE_ENV = """[environment]
orbit = "geo"
solar = "max"
spe_share = 0.5
spe_per_active_year = 6
spe_duration_median_h = 48
spe_duration_sigma = 0.5
spe_intensity_sigma = 1.0"""


@pytest.mark.slow
def test_solar_particle_events_give_their_expected_share(make_campaign):
    c = make_campaign(
        mission="2 y",
        trials=4000,
        time_step="73 d",
        failures="",
        unit_extra='radiation = [{ class = "sdc", per_device_day = 0.24 }]',
        environment=SPE_ENV,
        cluster="node = { n = 4, k = 1 }",
    )
    ds = run_campaign(c, n_workers=0)
    spe = ds["spe_fault_count"].sel(fault_class="node.sdc").isel(scenario=0).values
    total = ds["fault_count"].sel(fault_class="node.sdc").isel(scenario=0).values
    env = c.base.environment
    mission = c.mission_h
    mu, sigma = math.log(48.0), 0.5
    dist = stats.lognorm(s=sigma, scale=math.exp(mu))

    def mean_min(x):  # E[min(D, x)]
        return integrate.quad(dist.sf, 0.0, x, limit=200)[0]

    rate = env.spe_per_active_year / 8760.0
    intensity_hours = rate * integrate.quad(lambda s: mean_min(mission - s), 0.0, mission)[0]
    mean_dur = 48.0 * math.exp(0.5 * sigma**2)
    per_intensity_h = 0.01 * 0.5 / (rate * (7 / 11) * mean_dur)  # 0.01 per unit-hour, half SPE
    assert_mean(spe, 4 * per_intensity_h * intensity_hours)
    # solar max: the quiet half runs at the active-years level of the solar cycle
    quiet = total - spe
    assert_mean(quiet, 4 * 0.01 * 0.5 * mission * solar_levels(env.gcr_solar_ratio)[0])
    # events are bursty: the SPE count is over-dispersed against a Poisson count
    assert spe.var() > 3 * spe.mean()


def test_silent_faults_leave_availability_and_hardware_lives_unchanged(make_campaign):
    hw = '{ law = "weibull", shape = 1.5, mean = "2000 h", repair = "50 h" }'
    plain = make_campaign(trials=300, mission="5000 h", failures=hw)
    noisy = make_campaign(
        trials=300,
        mission="5000 h",
        failures=hw,
        unit_extra='radiation = [{ class = "sdc", per_device_day = 2.4 }]',
    )
    a = simulate(compile_plan(plain.base).arrays, 7, 300)
    b = simulate(compile_plan(noisy.base).arrays, 7, 300)
    # silent events only split the integration intervals: equal up to rounding
    np.testing.assert_allclose(a.availability, b.availability, rtol=1e-12)
    np.testing.assert_array_equal(a.failures[:, 0], b.failures[:, 0])
    assert b.failures[:, 1].mean() == pytest.approx(12 * 0.1 * 5000 * 0.99, rel=0.05)


def test_a_restart_renews_only_the_clock_that_fired(make_campaign):
    c = make_campaign(
        mission="3000 h",
        trials=200,
        failures='{ law = "fixed", at = "1000 h" }',
        unit_extra=('memory = { bits = 7.2e7, upset = { per_bit_day = 1e-6 }, recover = "0 h" }'),
        cluster="node = { n = 1, k = 1 }",
    )
    plan = compile_plan(c.base)
    r = simulate(plan.arrays, 3, 200)
    due = plan.mode_labels.index("node.memory-due")
    assert r.failures[:, due].mean() > 1.5  # restarts before the wear-out
    np.testing.assert_allclose(r.time_to_first_failure_h, 1000.0)


def test_downtime_is_charged_to_its_cause(make_campaign):
    c = make_campaign(
        mission="20000 h",
        trials=200,
        failures=(
            '{ name = "hw", law = "exponential", mean = "1000 h", repair = "30 h" }, '
            '{ name = "reset", law = "exponential", mean = "300 h", repair = "2 h" }'
        ),
        cluster="node = { n = 1, k = 1 }",
    )
    ds = run_campaign(c, n_workers=0).isel(scenario=0)
    down = ds["downtime_h"].values
    np.testing.assert_allclose(ds["outage_downtime_h"].sum("fault_class").values, down)
    np.testing.assert_allclose(ds["unit_downtime_h"].sum("fault_class").values, down)
    by_cause = ds["unit_downtime_h"].mean("trial")
    # mean downtime per cause: rate x repair time x up-time share (alternating renewal)
    up = 1 / (1 + 30 / 1000 + 2 / 300)
    assert float(by_cause.sel(fault_class="node.hw")) == pytest.approx(20000 * up * 0.03, rel=0.05)
    assert float(by_cause.sel(fault_class="node.reset")) == pytest.approx(
        20000 * up * 2 / 300, rel=0.05
    )


def _tid_lot():
    from reliability.campaign import load_campaign
    from reliability.verify import validation_dir

    return load_campaign(validation_dir() / "tid_lot.toml")


def test_tid_lot_numbers_are_the_mixed_binomial_ones():
    # given a satellite's lot factor z its ten thresholds are independent: failures by
    # t are binomial; both satellites' lots are independent, so R(t) is a square
    c = _tid_lot()
    (entry,) = c.base.leaf_unit.radiation
    _, ln_median, sigma = entry.threshold
    dose_h = c.base.environment.dose_rad_per_h

    def p(z, t):
        return stats.norm.cdf((math.log(dose_h * t) - ln_median - entry.lot_sigma * z) / sigma)

    def satellite(t, lots):
        # lots: how many independent lots the system's 2 x 10 units come from
        def given(z):
            ok = stats.binom.cdf(2, 10, p(z, t))
            return (ok if lots == 2 else ok**2) * stats.norm.pdf(z)

        return integrate.quad(given, -12, 12, epsabs=1e-14, epsrel=1e-12)[0]

    checked = 0
    for e in c.expectations:
        if e.metric == "reliability":
            assert satellite(e.at_h, 2) ** 2 == pytest.approx(e.exact, abs=1e-9)
            # one lot for the whole system would read differently: the level matters
            assert abs(satellite(e.at_h, 1) - e.exact) > 0.01
            checked += 1
        else:
            total = math.hypot(sigma, entry.lot_sigma)
            marginal = stats.norm.cdf((math.log(dose_h * c.mission_h) - ln_median) / total)
            assert 20 * marginal == pytest.approx(e.exact, abs=1e-8)
            checked += 1
    assert checked == 4


def test_lots_are_the_groups_of_their_level():
    c = _tid_lot()
    a = compile_plan(c.base).arrays
    np.testing.assert_array_equal(a.unit_lot, np.repeat([0, 1], 10))
    np.testing.assert_array_equal(a.lot_first, [0, 10])
    assert a.mode_lot_sigma.tolist() == [0.3]
    # without lot_sigma there are no lots and the life is unchanged
    plain = c.toml_text.replace(', lot_sigma = 0.3, lot = "satellite"', "")
    from reliability.campaign import parse_campaign

    b = compile_plan(parse_campaign(plain).base).arrays
    assert np.size(b.lot_first) == 0 and (b.mode_lot_sigma == 0).all()
    assert b.mode_p1.tolist() == a.mode_p1.tolist()


def test_lots_must_lie_inside_the_groups_that_are_replaced_and_splitting_refuses_them():
    from reliability.campaign import CampaignError, parse_campaign
    from reliability.runner.run import resolve_method

    text = _tid_lot().toml_text.split("[verify]")[0]
    # a plane of satellites replaced one by one: a lot per plane would be renewed by
    # one satellite's replacement and not by the others'
    planes = text.replace(
        "satellite = { n = 2, k = 2 }",
        'plane = { n = 1, k = 1 }\nsatellite = { n = 2, k = 2, platform = "bus", '
        'replace = "30 d" }',
    ).replace('lot = "satellite"', 'lot = "plane"')
    planes += '\n[units.bus]\nfailures = [{ name = "loss", law = "exponential", mean = "50 y" }]\n'
    with pytest.raises(CampaignError, match=r"threshold_rad\.lot = 'plane': a lot spans"):
        parse_campaign(planes)
    parse_campaign(planes.replace('lot = "plane"', 'lot = "satellite"'))  # inside: fine
    # the default level named or not is one level
    two = text.replace(
        "radiation = [",
        'radiation = [\n  { name = "tid2", class = "tid", effect = "permanent", '
        "threshold_rad = { median = 9000, sigma = 0.2, lot_sigma = 0.1 } },",
    )
    assert compile_plan(parse_campaign(two).base).arrays.lot_first.tolist() == [0, 10]
    split = text.replace("seed = 1409", 'seed = 1409\nmethod = "splitting"')
    with pytest.raises(CampaignError, match="splitting cannot estimate total-dose thresholds"):
        resolve_method(parse_campaign(split))


#: a dose rate of 1000 rad a year: a 5000 rad threshold is reached at 5 years
DOSE_ENV = '[environment]\norbit = "sso-650"\ndose_rad_per_y = 1000'


def test_stored_spares_carry_their_dose():
    """Issue 15 item 4: a spare on board collects dose from launch, powered or not."""
    from reliability.campaign import load_campaign
    from reliability.verify import validation_dir

    c = load_campaign(validation_dir() / "tid_stored_spare.toml")
    (entry,) = c.base.leaf_unit.radiation
    _, ln_median, sigma = entry.threshold
    dose_h, mission = c.base.environment.dose_rad_per_h, c.mission_h
    life = stats.lognorm(sigma, scale=math.exp(ln_median) / dose_h)  # hours from launch
    exact = 1.0 - integrate.quad(lambda t: life.cdf(t) ** 3, 0, mission, epsabs=1e-12)[0] / mission
    (e,) = c.expectations
    assert e.exact == pytest.approx(exact, abs=1e-9)
    ds = run_campaign(c.with_overrides(trials=2000, block_size=500), n_workers=0)
    assert_mean(ds["availability"].values.ravel(), exact)


def test_a_fixed_threshold_spare_is_dead_on_arrival_and_dose_runs_while_down(make_campaign):
    """Thresholds reached at 5 y: the one spare, stored since launch, fails when swapped
    in (availability 1/2 exactly, not 1); and a unit's dose runs on while the system is
    down for servicing even when units do not age then (age_while_down = false)."""
    tid = 'radiation = [{ class = "tid", threshold_rad = 5000 }]'
    c = make_campaign(
        mission="10 y",
        trials=8,
        failures="",
        unit_extra=tid,
        cluster='node = { n = 1, k = 1, spares = { cold = 1, swap = "1 min" } }',
        environment=DOSE_ENV,
    )
    ds = run_campaign(c, n_workers=0)
    assert np.allclose(ds["availability"].values, 0.5, atol=1e-6)
    visits = '[maintenance]\nservicing = { every = "3 y", duration = "1 y", system_down = true }'
    c = make_campaign(
        mission="5.5 y",
        trials=4,
        failures="",
        unit_extra=tid,
        cluster="node = { n = 1, k = 1 }",
        campaign_extra="age_while_down = false",
        environment=DOSE_ENV,
        rest=visits,
    )
    ds = run_campaign(c, n_workers=0)
    # the visit from 3 to 4 y does not hold the dose back: the threshold comes at 5 y
    assert np.allclose(ds["time_to_first_failure_h"].values, 5 * 8766.0, rtol=1e-3)


def test_a_renewing_repair_keeps_the_parts_dose_and_threshold(make_campaign):
    """A unit repaired in place (renew = true, the default) is the same silicon: its
    total-dose threshold and dose are kept, so the unit dies at X whatever its other
    repairs. Availability = (up share between repairs) x E min(X, T) / T."""
    c = make_campaign(
        mission="10 y",
        trials=2000,
        failures='{ law = "exponential", mean = "30 d", repair = "1 h" }',
        unit_extra='radiation = [{ class = "tid", threshold_rad = { median = 5000, sigma = 0.5 } }]',
        cluster="node = { n = 1, k = 1 }",
        environment=DOSE_ENV,
    )
    mission = c.mission_h
    life = stats.lognorm(0.5, scale=5000 / c.base.environment.dose_rad_per_h)
    alive = integrate.quad(life.sf, 0, mission)[0] / mission  # E min(X, T) / T
    up = 720.0 / 721.0
    ds = run_campaign(c, n_workers=0)
    assert_mean(ds["availability"].values.ravel(), up * alive)


def test_only_total_dose_lives_in_the_calendar_domain(make_campaign):
    from reliability.system import compile_plan

    c = make_campaign(
        failures='{ law = "exponential", mean = "30 d", repair = "1 h" }',
        unit_extra='radiation = [{ class = "tid", threshold_rad = 5000 }]\n'
        "memory = { bits = 7.2e7, upset = { per_bit_day = 1e-9 } }",
        environment='[environment]\norbit = "sso-650"',
    )
    plan = compile_plan(c.base)
    doms = {lab: int(plan.arrays.mode_dom[i]) for i, lab in enumerate(plan.mode_labels)}
    calendar = [d for d, flag in enumerate(plan.arrays.dom_calendar) if flag]
    assert len(calendar) == 1
    assert [lab for lab, d in doms.items() if d in calendar] == ["node.tid"]
