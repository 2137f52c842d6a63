"""Links: contact geometry against closed forms, the store against time stepping, the
engine's link limits against the binomial closed form, and the [links] table."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import numpy as np
import pytest

from reliability.campaign import CampaignError, load_campaign, parse_campaign
from reliability.describe import describe
from reliability.links import (
    GB_PER_H_PER_GBPS,
    Links,
    Station,
    carry,
    contact_fraction_integral,
    contact_windows,
    coverage_angle_deg,
    overhead_pass_min,
)
from reliability.orbit import EARTH_RADIUS_KM, sso_inclination_deg
from reliability.runner import run_campaign
from reliability.system import compile_plan, time_edges
from reliability.system.satellite import satellite_links
from tests.conftest import capped_survivors

CASE = Path("campaigns/validation/link_relay.toml")


def test_coverage_angle_puts_the_satellite_at_the_mask():
    """At the coverage angle the satellite stands at the mask's elevation, from the
    position vectors (station on the surface, satellite at R + h)."""
    for h, eps in ((400.0, 5.0), (650.0, 10.0), (35786.0, 0.0)):
        lam = math.radians(coverage_angle_deg(h, eps))
        station = np.array([EARTH_RADIUS_KM, 0.0])
        sat = (EARTH_RADIUS_KM + h) * np.array([math.cos(lam), math.sin(lam)])
        los = sat - station
        elevation = math.degrees(math.asin(los @ station / (np.linalg.norm(los) * EARTH_RADIUS_KM)))
        assert elevation == pytest.approx(eps, abs=1e-9)


def _windows(lat, lon, alt, inc, span_h, raan0=0.0):
    """Windows of one station at a 10 deg mask, the Earth's rotation angle 0 at the start."""
    station = (Station(name="s", lat_deg=lat, lon_deg=lon),)
    return contact_windows(
        altitude_km=alt,
        inclination_deg=inc,
        raan0_rad=raan0,
        gmst0_rad=0.0,
        stations=station,
        mask_deg=10.0,
        span_h=span_h,
    )


def test_overhead_pass_from_geometry_is_the_closed_form():
    starts, ends = _windows(0.0, 40.0, 650.0, 0.0, 24.0)
    whole = (starts > 0) & (ends < 24.0)
    assert whole.sum() >= 10
    np.testing.assert_allclose(
        60 * (ends - starts)[whole], overhead_pass_min(650.0, 10.0), rtol=1e-6
    )


@pytest.mark.parametrize(
    ("lat", "alt", "inc"),
    [(78.23, 650.0, sso_inclination_deg(650.0)), (32.5, 400.0, 51.6), (-72.02, 650.0, 97.99)],
)
def test_share_in_view_over_a_year_is_the_quadrature(lat, alt, inc):
    starts, ends = _windows(lat, 15.0, alt, inc, 8760.0, raan0=0.3)
    assert np.all(ends > starts) and np.all(starts[1:] >= ends[:-1])
    share = (ends - starts).sum() / 8760.0
    assert share == pytest.approx(contact_fraction_integral(alt, inc, lat, 10.0), rel=5e-3)


def test_a_station_out_of_reach_sees_nothing():
    # 51.6 deg inclination, coverage 12 deg at 400 km: a station at 78 N is never in view
    starts, _ = _windows(78.0, 0.0, 400.0, 51.6, 240.0)
    assert starts.size == 0
    assert contact_fraction_integral(400.0, 51.6, 78.0, 10.0) == 0.0


def _stepped(windows, span, rate, relay, buffer, inputs, dt=1.0 / 3600):
    """The store by brute force: one-second steps, clipped."""
    t = (np.arange(round(span / dt)) + 0.5) * dt
    view = np.zeros(t.size, bool)
    for a, b in windows:
        view |= (t >= a) & (t < b)
    drain = (relay + rate * view) * GB_PER_H_PER_GBPS
    x = np.zeros(len(inputs))
    stalled = np.zeros(len(inputs))
    held = np.zeros(len(inputs))
    for c in drain:
        y = x + (inputs - c) * dt
        stalled += np.maximum(y - buffer, 0.0)
        x = np.clip(y, 0.0, buffer)
        held += x * dt
    return stalled, held, x


def test_store_matches_time_stepping():
    windows = [(1.0, 1.2), (3.5, 3.6), (6.0, 6.25), (9.0, 9.1)]
    lk = Links(
        level="sat", downlink_gbps=1.0, relay_gbps=0.02, buffer_gb=60.0, output_gb_per_unit_h=5.0
    )
    starts, ends = np.array(windows).T
    slots = 12
    c = carry(lk, starts, ends, slots=slots, edges=np.array([0.0, 12.0]))
    inputs = np.arange(slots + 1) * lk.output_gb_per_unit_h
    stalled, held, left = _stepped(windows, 12.0, 1.0, 0.02, 60.0, inputs)
    carried = np.arange(slots + 1) * (1 - stalled / np.maximum(inputs * 12.0, 1e-300))
    np.testing.assert_allclose(c.table, carried, atol=2e-3)
    # the wait: what the store holds over what it delivers, at the most units carried
    # in full (here j units while nothing stalls)
    j = int(np.flatnonzero(stalled <= 1e-9)[-1])
    delivered = inputs[j] * 12.0 - left[j]  # what went down; the store keeps the rest
    assert j >= 1
    assert c.wait_min[0] == pytest.approx(60 * held[j] / delivered, rel=1e-3)
    assert c.table[1] == 1.0 and c.table[-1] < 12.0  # a unit is carried, twelve are not


def test_a_large_store_carries_the_mean_rate():
    """With room for every gap, the links carry min(j, share in view x rate / output)."""
    span = 24.0 * 60
    starts, ends = _windows(78.23, 15.4, 650.0, 97.99, span)
    lk = Links(level="sat", downlink_gbps=1.0, buffer_gb=1e3, output_gb_per_unit_h=10.0)
    c = carry(lk, starts, ends, slots=16, edges=np.array([0.0, span]))
    mean = (ends - starts).sum() / span * GB_PER_H_PER_GBPS / 10.0  # units' worth
    j = np.arange(17)
    # the store fills once (1,000 GB) before anything is lost: within that of the mean
    slack = 1e3 / 10.0 / span
    assert np.all(np.abs(c.table - np.minimum(j, mean)) <= slack + 1e-9)


def _binomial_exact() -> tuple[float, float]:
    return capped_survivors(9)


def test_validation_case_states_the_binomial_values():
    exact = _binomial_exact()
    expect = tomllib.loads(CASE.read_text())["verify"]["expect"]
    assert [e["exact"] for e in expect] == pytest.approx(exact, abs=1e-9)


def test_engine_link_limits_match_the_binomial_closed_form():
    c = load_campaign(CASE).with_overrides(trials=2000, block_size=1000)
    ds = run_campaign(c, n_workers=0)
    for name, exact in zip(("mean_capacity", "link_limited"), _binomial_exact(), strict=True):
        x = ds[name].values.ravel()
        assert abs(x.mean() - exact) <= 4 * x.std(ddof=1) / math.sqrt(x.size), name


DEMO = """
[campaign]
name = "links"
mission = "60 d"
trials = 20
seed = 3
time_step = "30 d"

[environment]
orbit = "sso-650"

[units.gpu]
failures = [{ law = "exponential", mean = "100000 y" }]

[cluster]
satellite = { n = 2, k = 1 }
gpu = { n = 8, k = 1 }

[links]
stations = [{ name = "SvalSat", lat = 78.23, lon = 15.41 }]
downlink_gbps = 0.5
buffer_gb = 100
output_gb_per_unit_h = OUTPUT
"""


def test_engine_applies_the_table_and_the_result_stores_the_links():
    c = parse_campaign(DEMO.replace("OUTPUT", "5.0"))
    design = c.base
    carried = satellite_links(design, time_edges(design.mission_h, design.time_step_h))
    assert 1.0 < carried.table[-1] < 8.0  # the links bind
    ds = run_campaign(c, n_workers=0)
    # nothing fails in 60 days (a life of 1e5 years): every trial is the table
    np.testing.assert_allclose(ds["mean_capacity"].values, carried.table[-1] / 8, rtol=1e-9)
    np.testing.assert_allclose(ds["link_limited"].values, 1 - carried.table[-1] / 8, rtol=1e-9)
    for name in ("contact_h", "link_ceiling", "link_wait_min", "contact_gap_max_min"):
        assert ds[name].dims == ("scenario", "time"), name
    np.testing.assert_allclose(ds["contact_h"].values[0], carried.contact_h)
    assert 0 < float(ds["link_wait_min"].max()) < float(ds["contact_gap_max_min"].max())


def test_a_light_output_is_never_link_limited():
    c = parse_campaign(DEMO.replace("OUTPUT", "0.01"))
    ds = run_campaign(c, n_workers=0)
    assert float(ds["link_limited"].max()) == 0.0
    assert float(ds["mean_capacity"].min()) == 1.0


def test_validate_describes_the_links():
    text = "\n".join(describe(parse_campaign(DEMO.replace("OUTPUT", "5.0"))))
    line = next(x for x in text.splitlines() if x.startswith("links"))
    assert "1 station(s) above 10 deg (SvalSat)" in line
    assert "units' worth of 8 running" in line


def test_links_need_the_power_level():
    text = DEMO.replace("OUTPUT", "1.0").replace(
        "[cluster]\nsatellite = { n = 2, k = 1 }",
        "[cluster]\nplane = { n = 1, k = 1 }\nsatellite = { n = 2, k = 1 }",
    )
    power = (
        '\n[power]\nlevel = "satellite"\narray_w = 9000\nbattery_wh = 6000\n'
        "depth_of_discharge = 0.3\nunit_w = 500\n"
    )
    parse_campaign(text + power)  # links default to the power level
    with pytest.raises(
        CampaignError, match=r"links.level = 'plane': must be the power and thermal level"
    ):
        parse_campaign(text.replace("[links]", '[links]\nlevel = "plane"') + power)


def test_training_with_links_is_refused():
    text = (
        DEMO.replace("OUTPUT", "1.0")
        + '\n[workload]\nkind = "training"\naccelerators = 4\ncheckpoint = "1 h"\n'
    )
    with pytest.raises(CampaignError, match="links with a training job are not modelled"):
        parse_campaign(text)


def test_plan_without_links_has_no_table():
    c = parse_campaign(DEMO.replace("OUTPUT", "1.0").split("[links]")[0])
    assert np.size(compile_plan(c.base).arrays.lk_d) == 0


THERMAL = """
[thermal]
radiator_m2 = 20.0
absorbed_sun_w_m2 = 150
absorbed_eclipse_w_m2 = 60
unit_w = 500
bus_w = 1000
unit_rise_k_per_w = 0.02
"""


def test_report_shows_links_and_temperatures(tmp_path):
    from reliability.report import write_report
    from reliability.system import temperature_cells

    c = parse_campaign(DEMO.replace("OUTPUT", "5.0") + THERMAL, source="links.toml")
    run = tmp_path / "run"
    ds = run_campaign(c, n_workers=0, out_dir=run)
    np.testing.assert_allclose(ds["unit_temperature_c"].values[0], temperature_cells(c.base))
    assert ds["unit_temperature_c"].attrs["units"] == "degC"
    html = write_report(run).read_text()
    for fig in ("link_ceiling", "link_wait", "unit_temperature"):
        assert (run / "figures" / f"{fig}.png").is_file(), fig
    assert "run but stalled by the links" in html
    assert "Links per satellite: 1 ground station(s) (SvalSat)" in html


def test_a_derating_step_to_zero_with_links_is_no_nan():
    """Review: the link share divided by x * cf, and a derating may step to 0."""
    text = DEMO.replace("OUTPUT", "5.0") + (
        '\n[profiles.dark]\nkind = "steps"\npoints = [[0, 1.0], ["20 d", 0.0], ["40 d", 1.0]]\n'
        '\n[derating]\nprofile = "dark"\n'
    )
    c = parse_campaign(text)
    carried = satellite_links(c.base, time_edges(c.base.mission_h, c.base.time_step_h))
    ds = run_campaign(c, n_workers=0)
    # two thirds of the mission at the links' full-slot share, a third at nothing
    np.testing.assert_allclose(ds["mean_capacity"].values, carried.table[-1] / 8 * 2 / 3, rtol=1e-9)


def test_validate_warns_of_a_station_that_never_sees_the_orbit():
    from reliability.describe import design_warnings

    text = DEMO.replace("OUTPUT", "1.0").replace('orbit = "sso-650"', 'orbit = "iss-400"')
    (warning,) = design_warnings(parse_campaign(text))
    assert "links.stations[0] (SvalSat) never sees the iss-400 orbit" in warning
    assert "only the relay carries results" in warning
    assert design_warnings(parse_campaign(DEMO.replace("OUTPUT", "1.0"))) == []


def test_throttling_follows_the_thermal_level():
    """Review: without [power] or [links] the radiator's level was the outermost one."""
    text = Path("campaigns/validation/heat_throttle.toml").read_text()
    planes = text.replace(
        "satellite = { n = 4, k = 1 }", "plane = { n = 1, k = 1 }\nsatellite = { n = 4, k = 1 }"
    )
    c = parse_campaign(planes.replace("[thermal]", '[thermal]\nlevel = "satellite"'))
    assert list(compile_plan(c.base).arrays.pw_sun) == [10]  # per satellite of 16
    c = parse_campaign(planes)  # by default the outermost level carries the radiator
    assert list(compile_plan(c.base).arrays.pw_sun) == [10]  # 10 of the plane's 64
    assert np.size(compile_plan(c.base).arrays.pw_group) == 1
