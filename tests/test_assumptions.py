"""The design at a glance, the assumptions with their evidence tags, suggested swings."""

import tomllib

from reliability.assumptions import assumptions, at_a_glance, suggested_swings
from reliability.campaign import load_campaign, parse_campaign
from tests.conftest import campaign_text

NOTES = """# Where the numbers come from:
# * node life: mean 1000 h [U, placeholder]; from a
#   bench test of three boards
# * repair by the crew: 24 h [D]
# * a note with no tag is not an assumption here
# - dose behind 2 mm Al [V: measured] and [S]
"""


def test_notes_become_tagged_assumptions_with_continuations_joined():
    c = parse_campaign(NOTES + campaign_text())
    got = [(a.text, a.tags, a.placeholder) for a in assumptions(c)]
    assert got == [
        (
            "node life: mean 1000 h [U, placeholder]; from a bench test of three boards",
            ("U",),
            True,
        ),
        ("repair by the crew: 24 h [D]", ("D",), False),
        ("dose behind 2 mm Al [V: measured] and [S]", ("V", "S"), False),
    ]


def test_presets_bring_their_tags_and_a_campaign_override_is_marked():
    env = '[environment]\norbit = "sso-650"\ndose_rad_per_y = 300'
    c = parse_campaign(campaign_text(environment=env))
    rows = {a.text.split(" ", 1)[0]: a for a in assumptions(c) if a.where.startswith("orbit")}
    assert rows["saa_share"].tags == ("V",) and "Xu" in rows["saa_share"].text
    dose = rows["dose_rad_per_y"]
    assert dose.tags == ("D",) and "300 set by the campaign (preset 150" in dose.text
    placeholders = [a for a in assumptions(c) if a.placeholder]
    assert placeholders and assumptions(c)[: len(placeholders)] == placeholders


def test_device_presets_are_listed_once():
    c = load_campaign("campaigns/sso650-tpu.toml")
    devices = [a for a in assumptions(c) if a.where.startswith("device preset")]
    assert [a.where for a in devices] == ["device preset tpu-v6e"]
    assert devices[0].tags == ("S",)


def test_the_design_at_a_glance():
    lines = at_a_glance(load_campaign("campaigns/demo.toml"))
    assert lines[0] == (
        "Cluster: satellite 3-of-4 > gpu 14-of-16 (+2 cold spares each); 64 unit slots; "
        "mission 5 years."
    )
    assert any(line.startswith("Servicing every 2 years") for line in lines)
    assert any(
        "SAA 7% of the time (6 passes a day) carrying 97.5% of proton upsets" in line
        for line in lines
    )
    assert lines[-1] == "Requirement: P(availability >= 0.99) >= 0.9."


def test_suggested_swings_load_and_move_each_life_and_rate():
    from reliability.campaign import parse_campaign

    shipped = load_campaign("campaigns/demo.toml")  # it has its own [swings]: drop them
    assert suggested_swings(shipped) == ""
    text = shipped.toml_text.split("\n# One-at-a-time swings")[0]
    c = parse_campaign(text, source="demo.toml")
    snippet = suggested_swings(c)
    swings = tomllib.loads(snippet)["swings"]
    assert swings["units.gpu.failures[0].mean"] == ["4 y", "16 y"]
    assert swings["units.gpu.radiation[0].per_device_day"] == [0.0083335, 0.033334]
    assert swings["units.gpu.radiation[1].per_rad"] == [0.0294, 0.1176]
    # the file without its sweep, with the suggestion, loads: a tornado of 2 x 4 + 1
    doc = tomllib.loads(c.toml_text)
    doc.pop("sweep")
    doc["swings"] = swings
    from reliability.campaign import validate_document

    assert len(validate_document(doc).scenarios) == 9


def test_no_suggestion_when_the_campaign_has_swings():
    swings = '[swings]\n"units.node.failures[0].mean" = ["600 h", "2000 h"]'
    assert suggested_swings(parse_campaign(campaign_text(rest=swings))) == ""


def test_a_dose_read_off_a_curve_is_not_said_to_be_set_by_the_campaign():
    """A shield reads the dose off a dose-depth curve: the assumptions table says so,
    and that it is the baseline's (new-user walk: it read 'dose_rad_per_y = 1229 set
    by the campaign', which gives shielding_mm, not a dose)."""
    from pathlib import Path

    from reliability.assumptions import assumptions
    from reliability.campaign import load_campaign

    path = Path(__file__).parents[1] / "campaigns" / "shielding-omere.toml"
    (dose,) = [a.text for a in assumptions(load_campaign(path)) if "dose_rad_per_y" in a.text]
    assert dose.startswith("dose_rad_per_y = 1229 read from omere_dose_700km_98deg.dos")
    assert "behind the baseline's shielding_mm = 4" in dose and "set by the campaign" not in dose
