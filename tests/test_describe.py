"""What `validate` says of a design (reliability.describe)."""

from reliability.describe import describe, design_warnings

SWAPPED = '{ law = "exponential", mean = "100 h" }'
REPAIRED = '{ law = "exponential", mean = "100 h", repair = "10 h" }'


def test_spares_that_can_never_be_used_are_named(make_campaign):
    c = make_campaign(failures=REPAIRED, cluster="node = { n = 4, k = 3, spares = { cold = 2 } }")
    (w,) = design_warnings(c)
    assert "spares of level 'node' are never used" in w
    assert any(line.startswith("warning") for line in describe(c))
    # the warning goes once a mode replaces the unit
    c = make_campaign(
        failures=f"{REPAIRED}, {SWAPPED}", cluster="node = { n = 4, k = 3, spares = { cold = 2 } }"
    )
    assert design_warnings(c) == []


def test_a_shock_that_replaces_units_uses_their_spares(make_campaign):
    c = make_campaign(
        failures=REPAIRED,
        cluster='rack = { n = 1, k = 1, platform = "rack" }\n'
        "node = { n = 4, k = 3, spares = { cold = 2 } }",
        rest='[units.rack]\nfailures = [{ law = "exponential", mean = "1 y", effect = "shock" }]',
    )
    assert design_warnings(c) == []


def test_platforms_are_described(make_campaign):
    c = make_campaign(
        cluster='sat = { n = 4, k = 3, platform = "bus", replace = "90 d", launch_failure = 0.05 }'
        "\nnode = { n = 4, k = 3 }",
        rest='[units.bus]\nfailures = [{ name = "loss", law = "exponential", mean = "5 y" }, '
        '{ name = "debris", law = "exponential", mean = "50 y", effect = "shock", p = 0.25 }]',
    )
    text = "\n".join(describe(c))
    assert "4 platforms" in text
    assert "each carried by a platform of type bus, replaced in fixed(2160 h (90 d))" in text
    assert "by a launch that fails with p = 0.05" in text
    assert "unit bus: (a platform)" in text
    assert "group down until replaced" in text
    assert "a shock: fails each unit of the group up with p = 0.25" in text


def test_validate_says_what_the_run_measures_against(make_campaign):
    """Workload (with the SLO's default), target, costs and method are stated, also
    when absent, so that nothing the run uses is left implicit."""
    bare = "\n".join(describe(make_campaign()))
    assert "workload      none" in bare and "target        none" in bare
    assert "costs         none" in bare and "method        crude Monte Carlo, 100 trials" in bare
    c = make_campaign(
        campaign_extra='target = { metric = "availability", at_least = 0.99, confidence = 0.9 }',
        rest='[workload]\nkind = "serving"\ndemand_units = 10\n\n[cost]\nnode = { mass_kg = 3.0 }',
    )
    text = "\n".join(describe(c))
    assert "serving 10 of 12 unit slots" in text and ">= 1 (the default: all of it)" in text
    assert "P(availability >= 0.99) >= 0.9" in text
    assert "per node slot and on-board spare: mass_kg 3; designs ranked by mass_kg" in text
    # a training job: its interrupt interval, the number Daly's interval comes from
    c = make_campaign(
        failures='{ law = "exponential", mean = "1200 h", repair = "0 h", crew = false }',
        rest='[workload]\nkind = "training"\naccelerators = 12\ncheckpoint = "daly"\n'
        'checkpoint_cost = "1 min"',
    )
    text = "\n".join(describe(c))
    assert "training on 12 units (open-ended; its interrupts every 100 h on average" in text


def test_the_multi_bit_warning_goes_once_words_are_interleaved(make_campaign):
    memory = 'memory = {{ device = "hbm2", bits = 2.7e11, scrub = "1 h"{} }}'
    c = make_campaign(environment='[environment]\norbit = "sso-650"', unit_extra=memory.format(""))
    (w,) = design_warnings(c)
    assert "every multi-bit upset (31.5% of upsets" in w and "memory.interleave" in w
    c = make_campaign(
        environment='[environment]\norbit = "sso-650"', unit_extra=memory.format(", interleave = 2")
    )
    assert design_warnings(c) == []


def test_validate_says_where_the_solar_event_shares_come_from(make_campaign):
    def solar_line(environment):
        c = make_campaign(environment=f"[environment]\n{environment}\n")
        return next(line for line in describe(c) if line.startswith("solar events"))

    sso = solar_line('orbit = "sso-650"')
    assert "ESP-PSYCHIC" in sso and "x0.2138" in sso
    assert "a trapped-proton rate 12.7% from events, a heavy-ion rate 2.0%" in sso
    geo = solar_line('orbit = "geo"')
    assert "no trapped protons reach 30 MeV here: a heavy-ion rate 10.0% from events" in geo
    assert "the events' 40.9 protons/cm^2 s above 30 MeV" in geo
    assert "every rate 5.0% from events (spe_share)" in solar_line(
        'orbit = "sso-650"\nspe_share = 0.05'
    )


def test_a_sweep_names_a_scenario_only_where_it_changes_what_is_shown(make_campaign):
    """The workload line is the file's own, and says which of its keys each scenario
    replaces; a rate table is labelled with a scenario only when the sweep changes it
    (a label on one table alone read as if the scenario's workload were shown)."""
    memory = 'memory = { device = "hbm2", bits = 2.7e11, scrub = "1 h", interleave = 2 }'
    training = (
        '[workload]\nkind = "training"\naccelerators = 12\ncheckpoint = "daly"\n'
        'checkpoint_cost = "1 min"\nrestart = "5 min"\n'
    )
    env = '[environment]\norbit = "sso-650"'
    c = make_campaign(
        environment=env,
        unit_extra=memory,
        rest=training + '[sweep]\n"workload.restart" = ["2 min", "20 min"]',
    )
    lines = describe(c)
    work = lines.index(next(line for line in lines if line.startswith("workload")))
    assert "restart 5 min" in lines[work]
    assert lines[work + 1].strip() == "as the file gives it; each scenario sets workload.restart"
    (table,) = [line for line in lines if line.startswith("radiation")]
    assert "[scenario" not in table
    c = make_campaign(
        environment=env,
        unit_extra=memory,
        rest=training + '[sweep]\n"units.node.memory.scrub" = ["1 h", "24 h"]',
    )
    tables = [line for line in describe(c) if line.startswith("radiation")]
    assert [t.split("[")[1].split("]")[0] for t in tables] == [
        "scenario scrub=1 h",
        "scenario scrub=24 h",
    ]
    assert not any("each scenario sets" in line for line in describe(c))


def test_long_durations_show_their_years_and_days(make_campaign):
    c = make_campaign(
        mission="5 y",
        failures='{ law = "weibull", shape = 1.2, mean = "15 y" }',
        cluster="node = { n = 12, k = 10, spares = { cold = 2 } }",
    )
    text = "\n".join(describe(c))
    assert "mission       43800 h (5 y)," in text
    assert "life weibull(shape=1.2, mean=131400 h (15 y))" in text
