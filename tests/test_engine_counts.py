"""The counts engine against the per-unit engine, and where it may run.

Exact cases for both engines are in ``test_engine.py``; here every mechanism the
counts engine shares with the per-unit kernel (crews, spares, servicing, silent and
counted-only faults, a serving demand, a deep tree, warm-up) is checked against it:
two independent estimates of each summary must agree within 4 combined standard
errors.
"""

import math

import numpy as np
import pytest

from reliability.campaign import parse_campaign
from reliability.engine import counts_blocker, simulate
from reliability.system import compile_plan
from tests.conftest import campaign_text

Z = 4.0

FEATURES = {
    "crews and two modes": {
        "failures": '{ name = "hw", law = "exponential", mean = "900 h", repair = "30 h" }, '
        '{ name = "sefi", law = "exponential", mean = "400 h", repair = "1 h", renew = false }',
        "cluster": "node = { n = 8, k = 6, crews = 1 }",
    },
    "cold spares with resupply": {
        "failures": '{ law = "exponential", mean = "700 h" }',
        "cluster": 'node = { n = 6, k = 5, spares = { cold = 2, swap = "12 h" } }',
        "rest": '[maintenance]\nresupply = { every = "1500 h" }',
    },
    "warm spares and a crew": {
        "failures": '{ law = "exponential", mean = "700 h", repair = "48 h" }',
        "cluster": 'node = { n = 6, k = 5, crews = 1, spares = { warm = 1, dormant_mttf = "3000 h" } }',
    },
    "servicing, replace-all, system down": {
        "failures": '{ law = "exponential", mean = "500 h" }',
        "cluster": "node = { n = 6, k = 4 }",
        "rest": '[maintenance]\nservicing = { every = "800 h", duration = "24 h", '
        'policy = "replace-all" }',
    },
    "frozen while down and warm-up": {
        "failures": '{ law = "exponential", mean = "300 h", repair = { law = "exponential", '
        'mean = "40 h" } }',
        "cluster": "node = { n = 4, k = 3 }",
        "campaign_extra": 'age_while_down = false\nwarmup = "500 h"',
    },
    "three-level tree": {
        "failures": '{ law = "exponential", mean = "2000 h", repair = "72 h" }',
        "cluster": "satellite = { n = 4, k = 3 }\nnode = { n = 3, k = 2 }\n"
        'gpu = { n = 4, k = 3, crews = 2, unit = "node" }',
    },
    "serving a demand": {
        "failures": '{ law = "exponential", mean = "600 h", repair = "50 h" }',
        "cluster": "node = { n = 10, k = 6 }",
        "rest": '[workload]\nkind = "serving"\ndemand_units = 9\nslo = 0.9',
    },
}

SUMMARIES = (
    "availability",
    "mean_capacity",
    "outages",
    "downtime_h",
    "planned_downtime_h",
    "spares_used",
    "throughput",
)


def plan_of(**kw):
    text = campaign_text(trials=1, mission="4000 h", time_step="1000 h", **kw)
    return compile_plan(parse_campaign(text).base).arrays


def assert_same_mean(a, b, what):
    a, b = np.asarray(a, float), np.asarray(b, float)
    se = math.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    assert abs(a.mean() - b.mean()) <= Z * se + 1e-12, (what, a.mean(), b.mean(), se)


@pytest.mark.parametrize("feature", list(FEATURES))
def test_counts_engine_agrees_with_per_unit_clocks(feature):
    plan = plan_of(**FEATURES[feature])
    assert counts_blocker(plan) is None
    units = simulate(plan, 11, 1500, engine="units")
    counts = simulate(plan, 12, 1500, engine="counts")
    for name in SUMMARIES:
        assert_same_mean(getattr(units, name), getattr(counts, name), name)
    for m in range(plan.n_modes):
        assert_same_mean(units.failures[:, m], counts.failures[:, m], f"failures[{m}]")
        assert_same_mean(units.unit_downtime_h[:, m], counts.unit_downtime_h[:, m], "unit down")
        assert_same_mean(
            units.outage_downtime_h[:, m], counts.outage_downtime_h[:, m], "outage down"
        )
    for c in range(plan.n_cells):
        assert_same_mean(units.capacity[:, c], counts.capacity[:, c], f"capacity[{c}]")
        assert_same_mean(units.system_up[:, c], counts.system_up[:, c], f"system_up[{c}]")


def test_silent_and_counted_only_faults_are_poisson_with_their_rates():
    """Silent faults (SDC) strike up units, corrected upsets are counted in every slot:
    with no unit ever down both counts are Poisson with mean n x rate x T."""
    plan = plan_of(
        failures='{ law = "exponential", mean = "1e12 h", repair = "1 h" }',
        unit_extra='radiation = [{ class = "sdc", per_device_day = 0.48 }, '
        '{ class = "corrected", per_device_day = 24.0 }]',
        cluster="node = { n = 3, k = 3 }",
    )
    r = simulate(plan, 3, 2000, engine="counts")
    days = 4000 / 24
    for m, per_day in ((1, 0.48), (2, 24.0)):
        x = r.failures[:, m]
        mean = 3 * per_day * days
        assert abs(x.mean() - mean) <= Z * math.sqrt(mean / x.size), (m, x.mean(), mean)
        assert x.var(ddof=1) == pytest.approx(mean, rel=0.1)
    assert np.all(r.availability == 1.0)


def test_results_depend_on_the_seed_only():
    plan = plan_of(**FEATURES["crews and two modes"])
    a = simulate(plan, 5, 30, engine="counts")
    b = simulate(plan, 5, 60, engine="counts")
    np.testing.assert_array_equal(a.availability, b.availability[:30])
    np.testing.assert_array_equal(a.failures, b.failures[:30])
    assert not np.array_equal(a.availability, simulate(plan, 6, 30, engine="counts").availability)


@pytest.mark.parametrize(
    ("kw", "reason"),
    [
        (
            {"failures": '{ law = "weibull", shape = 2, mean = "900 h", repair = "1 h" }'},
            "not exponential",
        ),
        (
            {
                "failures": '{ law = "exponential", mean = "900 h", profile = "p" }',
                "rest": '[profiles.p]\nkind = "steps"\npoints = [[0, 1.0], ["500 h", 3.0]]',
            },
            "varies over the mission",
        ),
        (
            {
                "rest": '[workload]\nkind = "training"\naccelerators = 8\ncheckpoint = "daly"\n'
                'checkpoint_cost = "5 min"'
            },
            "training job",
        ),
    ],
)
def test_counts_engine_refuses_what_it_cannot_run_exactly(kw, reason):
    plan = plan_of(**kw)
    assert reason in counts_blocker(plan)
    with pytest.raises(ValueError, match="cannot run this plan exactly"):
        simulate(plan, 1, 1, engine="counts")


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="`engine` must be one of"):
        simulate(plan_of(), 1, 1, engine="fast")
