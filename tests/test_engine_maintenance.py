"""Calendar preventive maintenance of units (the engine's scheduled-maintenance
module); its exact case is campaigns/validation/pm_calendar*.toml."""

import numpy as np
import pytest

from reliability.campaign import CampaignError
from reliability.engine import simulate
from reliability.rare import markov_design
from reliability.system import compile_plan

NEVER = '{ name = "fails", law = "exponential", mean = "1e9 h", repair = "1 h" }'


def _campaign(make_campaign, maintenance, **kw):
    kw.setdefault("failures", NEVER)
    return make_campaign(unit_extra=f"maintenance = {maintenance}", **kw)


@pytest.mark.parametrize("engine", ["units", "counts"])
def test_staggered_turns_take_the_units_down_one_at_a_time(make_campaign, engine):
    # units that never fail: a 4-of-4 group is down exactly while one unit is in its
    # turn: 4 turns of 10 h per 1000 h period, 9 whole periods in [0, 10000) h
    c = _campaign(
        make_campaign,
        '{ every = "1000 h", duration = "10 h" }',
        mission="10000 h",
        cluster="node = { n = 4, k = 4 }",
    )
    r = simulate(compile_plan(c.base).arrays, 1, 3, engine=engine)
    np.testing.assert_allclose(r.downtime_h, 9 * 4 * 10.0)
    np.testing.assert_array_equal(r.outages, 9 * 4)
    # a 3-of-4 group never goes down: the turns do not overlap
    c = _campaign(
        make_campaign,
        '{ every = "1000 h", duration = "10 h" }',
        mission="10000 h",
        cluster="node = { n = 4, k = 3 }",
    )
    r = simulate(compile_plan(c.base).arrays, 1, 3, engine=engine)
    np.testing.assert_array_equal(r.downtime_h, 0.0)
    np.testing.assert_allclose(r.mean_capacity, 1 - 9 * 4 * 10.0 / (4 * 10000))


def test_turns_at_once_take_the_group_down_together(make_campaign):
    c = _campaign(
        make_campaign,
        '{ every = "1000 h", first = "500 h", duration = "10 h", stagger = false }',
        mission="10000 h",
        cluster="node = { n = 4, k = 3 }",
    )
    r = simulate(compile_plan(c.base).arrays, 2, 2)
    np.testing.assert_allclose(r.downtime_h, 10 * 10.0)  # turns at 500, 1500, ..., 9500 h
    plan = compile_plan(c.base)
    maintenance = plan.mode_labels.index("node.maintenance")
    np.testing.assert_array_equal(r.failures[:, maintenance], 4 * 10)


def test_renewing_turns_cut_wear_out_failures(make_campaign):
    # block replacement: Weibull shape 4, mean 1000 h; renewing every 300 h keeps
    # every unit young, so far fewer wear-out failures than without maintenance
    wear = '{ name = "wear", law = "weibull", shape = 4, mean = "1000 h", repair = "24 h" }'
    plain = make_campaign(failures=wear, mission="20000 h", cluster="node = { n = 4, k = 1 }")
    kept = _campaign(
        make_campaign,
        '{ every = "300 h", duration = "2 h" }',
        failures=wear,
        mission="20000 h",
        cluster="node = { n = 4, k = 1 }",
    )
    a = simulate(compile_plan(plain.base).arrays, 3, 200).failures[:, 0].mean()
    b = simulate(compile_plan(kept.base).arrays, 3, 200).failures[:, 0].mean()
    assert b < 0.2 * a
    # without renewal the turns only cost time: wear-out goes on at its own pace
    aged = _campaign(
        make_campaign,
        '{ every = "300 h", duration = "2 h", renew = false }',
        failures=wear,
        mission="20000 h",
        cluster="node = { n = 4, k = 1 }",
    )
    c = simulate(compile_plan(aged.base).arrays, 3, 200).failures[:, 0].mean()
    assert c > 0.8 * a


def test_bad_maintenance_tables_name_the_key(make_campaign):
    with pytest.raises(CampaignError, match=r"maintenance\.duration = '300 h': must be shorter"):
        _campaign(make_campaign, '{ every = "200 h", duration = "300 h" }')
    with pytest.raises(CampaignError, match=r"maintenance\.colour = 1: unknown key"):
        _campaign(make_campaign, '{ every = "200 h", duration = "3 h", colour = 1 }')
    with pytest.raises(CampaignError, match=r"maintenance\.duration: is required"):
        _campaign(make_campaign, '{ every = "200 h" }')


def test_calendar_maintenance_is_not_markovian(make_campaign):
    c = _campaign(
        make_campaign,
        '{ every = "200 h", duration = "3 h" }',
        failures='{ law = "exponential", mean = "1000 h", repair = { law = "exponential", mean = "24 h" } }',
    )
    design, reason = markov_design(c.base)
    assert design is None and "calendar maintenance" in reason


def test_rejuvenation_renews_the_named_modes_only(make_campaign):
    # a power cycle every 100 h clears the ageing "hang" state, not hardware wear;
    # hangs recover at once, so they never hold a unit down and wear ages alike
    modes = (
        '{ name = "hang", law = "weibull", shape = 3, mean = "300 h", repair = "0 h", '
        "crew = false, renew = false },"
        '{ name = "wear", law = "weibull", shape = 3, mean = "2000 h" }'
    )
    kw = {"failures": modes, "mission": "2000 h", "cluster": "node = { n = 4, k = 1 }"}

    def run(renew):
        pm = f'{{ every = "100 h", duration = "0.1 h", renew = {renew} }}'
        c = _campaign(make_campaign, pm, **kw)
        return simulate(compile_plan(c.base).arrays, 4, 300).failures

    selected, none, everything = run('["hang"]'), run("false"), run("true")
    assert selected[:, 0].mean() < 0.2 * none[:, 0].mean()  # hangs: state cleared
    np.testing.assert_array_equal(selected[:, 1], none[:, 1])  # wear: same lives
    assert 1.5 < none[:, 1].mean() < 2.5  # about half the units wear out by 2000 h
    assert everything[:, 1].mean() < 0.05  # renewing every unit: no wear-out
    with pytest.raises(CampaignError, match=r'renew = \["rust"\]: expected true, false or a list'):
        _campaign(make_campaign, '{ every = "100 h", duration = "1 h", renew = ["rust"] }', **kw)


def test_a_visit_during_a_turn_ends_it_by_the_turn_s_own_rule(make_campaign):
    # each 10 h turn (every 100 h, all units at once) is cut short by a visit at
    # +5 h that replaces failed units; a turn that does not renew leaves the unit's
    # wear-out clock running, so wear-out goes on nearly as without turns
    wear = '{ name = "wear", law = "weibull", shape = 4, mean = "1000 h" }'
    visits = (
        "[maintenance]\nservicing = "
        '{ every = "100 h", first = "105 h", duration = "0 h", system_down = false }'
    )
    kw = {"failures": wear, "mission": "20000 h", "cluster": "node = { n = 4, k = 1 }"}

    def wear_outs(maintenance):
        if maintenance:
            c = _campaign(make_campaign, maintenance, rest=visits, **kw)
        else:
            c = make_campaign(rest=visits, **kw)
        return simulate(compile_plan(c.base).arrays, 6, 200).failures[:, 0].mean()

    base = wear_outs("")
    kept = wear_outs('{ every = "100 h", duration = "10 h", stagger = false, renew = false }')
    renewed = wear_outs('{ every = "100 h", duration = "10 h", stagger = false }')
    assert kept == pytest.approx(base, rel=0.15)
    assert renewed < 0.05 * base


def test_a_turn_of_a_job_member_is_a_planned_stop(make_campaign):
    # four units that never fail run one job; each takes a 1 h turn every 100 h:
    # the job checkpoints before the turn (no work lost) and restarts after it
    c = _campaign(
        make_campaign,
        '{ every = "100 h", duration = "1 h" }',
        mission="1000 h",
        cluster="node = { n = 4, k = 1 }",
        rest=(
            '[workload]\nkind = "training"\naccelerators = 4\ncheckpoint = "10 h"\n'
            'checkpoint_cost = "0.1 h"\nrestart = "0.2 h"'
        ),
    )
    plan = compile_plan(c.base)
    r = simulate(plan.arrays, 1, 3)
    turn = plan.mode_labels.index("node.maintenance")
    np.testing.assert_array_equal(r.lost_work_h[:, turn], 0.0)
    assert 0.9 < r.throughput.min() < 0.99  # the turns and restarts cost time, no work
