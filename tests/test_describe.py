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
    assert "each carried by a platform of type bus, replaced in fixed(2160 h)" in text
    assert "by a launch that fails with p = 0.05" in text
    assert "unit bus: (a platform)" in text
    assert "group down until replaced" in text
    assert "a shock: fails each unit of the group up with p = 0.25" in text
