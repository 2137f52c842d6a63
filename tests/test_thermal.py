"""Heat: radiator temperature, the Arrhenius factor, and wear-out driven by the orbit."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import numpy as np
import pytest

from reliability.campaign import CampaignError, load_campaign, parse_campaign
from reliability.orbit import beta_angle, eclipse_minutes, orbit_period_min
from reliability.runner import run_campaign
from reliability.system import compile_plan
from reliability.system.heat import unit_temperature_steps
from reliability.thermal import Thermal, arrhenius, radiator_temperature_c, units_cooled
from tests.conftest import capped_survivors

CASE = Path("campaigns/validation/heat_weibull.toml")


def test_arrhenius_factor_of_issue_16():
    """0.7 eV from 55 C to 85 C: 7.95."""
    assert float(arrhenius(0.7, 85.0, 55.0)) == pytest.approx(7.95, abs=0.005)
    assert float(arrhenius(0.7, 55.0, 55.0)) == 1.0
    assert float(arrhenius(0.7, 25.0, 55.0)) < 1.0


def test_radiator_balance():
    th = Thermal(radiator_m2=10.0, emissivity=0.8, unit_w=100.0)
    t = radiator_temperature_c(th, 4000.0, 100.0) + 273.15
    assert 0.8 * 5.670374419e-8 * t**4 * 10.0 == pytest.approx(4000.0 + 100.0 * 10.0)


def _independent_temperatures(text: str) -> np.ndarray:
    """The case's GPU temperature each day, from the orbit and the radiator balance
    written out again: orbit-mean load and absorbed heat, Stefan-Boltzmann, a rise."""
    th = tomllib.loads(text)["thermal"]
    days = np.arange(2 * 365)
    beta = beta_angle(12.0 + 24.0 * days, altitude_km=400.0, inclination_deg=51.6, raan_deg=0.0)
    f = eclipse_minutes(400.0, beta) / orbit_period_min(400.0)
    load = th["bus_w"] + 20 * th["unit_w"]
    absorbed = (1 - f) * th["absorbed_sun_w_m2"] + f * th["absorbed_eclipse_w_m2"]
    flux = load / th["radiator_m2"] + absorbed
    t_rad = (flux / (th["emissivity"] * 5.670374419e-8)) ** 0.25
    return t_rad - 273.15 + th["unit_rise_k_per_w"] * th["unit_w"]


def exact_heat_faults() -> float:
    """Expected GPU failures of the case: 20 (1 - R(2 y)), R the time-transformed
    Weibull under each day's Arrhenius factor (temperatures to 0.01 K, as the model
    keeps them)."""
    text = CASE.read_text()
    temps = np.floor(_independent_temperatures(text) * 100 + 0.5) / 100
    k = 8.617333262e-5
    factor = np.exp(0.7 / k * (1 / (55.0 + 273.15) - 1 / (temps + 273.15)))
    age_y = (factor * 24.0).sum() / 8760.0  # operational time over the two years
    return 20 * (1 - math.exp(-((age_y / 6.0) ** 2)))


def test_the_model_keeps_the_independent_temperatures():
    starts, temps = unit_temperature_steps(load_campaign(CASE).base)
    expected = np.floor(_independent_temperatures(CASE.read_text()) * 100 + 0.5) / 100
    day = (starts / 24).astype(int)
    assert temps == pytest.approx(expected[day], abs=1e-9)
    # every day not listed repeats the day before
    filled = np.repeat(temps, np.diff(np.append(day, len(expected))))
    assert filled == pytest.approx(expected, abs=1e-9)


def test_the_validation_case_carries_its_exact_value():
    (expect,) = tomllib.loads(CASE.read_text())["verify"]["expect"]
    assert expect["exact"] == pytest.approx(exact_heat_faults(), rel=1e-10)


def test_wear_out_follows_the_time_transformed_weibull():
    c = load_campaign(CASE)
    ds = run_campaign(c, n_workers=0)
    x = ds["fault_count"].sel(fault_class="gpu.mode0").values.ravel().astype(float)
    exact = exact_heat_faults()
    assert abs(x.mean() - exact) < 4 * x.std(ddof=1) / math.sqrt(x.size)
    # and hotter than the laws' 55 C: more failures than the law alone gives
    assert exact > 20 * (1 - math.exp(-((2 / 6.0) ** 2))) * 1.5


def test_an_activation_energy_needs_a_thermal_table():
    text = CASE.read_text()
    bare = text[: text.index("[thermal]")] + text[text.index("[verify]") :]
    with pytest.raises(CampaignError, match=r"units.gpu.failures\[0\].activation_ev = 0.7: an"):
        parse_campaign(bare)
    both = text.replace("activation_ev = 0.7", 'activation_ev = 0.7, profile = "p"').replace(
        "[cluster]", '[profiles.p]\nkind = "steps"\npoints = [[0, 1.0]]\n[cluster]'
    )
    with pytest.raises(CampaignError, match="not both"):
        parse_campaign(both)


def test_without_power_every_slot_runs_and_an_orbit_is_optional():
    text = CASE.read_text().replace('[environment]\norbit = "iss-400"\n', "")
    c = parse_campaign(text)
    starts, temps = unit_temperature_steps(c.base)
    assert list(starts) == [0.0] and temps.size == 1  # no eclipse: one temperature
    assert compile_plan(c.base).arrays.dom_kind.size == 2  # the heat profile's domain


def test_validate_warns_of_a_radiator_far_too_small():
    from reliability.describe import design_warnings

    hot = parse_campaign(CASE.read_text().replace("radiator_m2 = 24.0", "radiator_m2 = 4.0"))
    assert any("above the 125 C rating" in w for w in design_warnings(hot))
    assert not any("125 C" in w for w in design_warnings(load_campaign(CASE)))


THROTTLE = Path("campaigns/validation/heat_throttle.toml")


def test_units_cooled_is_the_radiator_balance_solved_for_units():
    th = Thermal(
        radiator_m2=19.0,
        emissivity=0.85,
        unit_w=700.0,
        bus_w=1500.0,
        unit_rise_k_per_w=0.02,
        max_unit_c=70.0,
    )
    n = float(units_cooled(th, 100.0))
    # n units run exactly at the limit: the radiator at 70 C less the rise of 14 K
    assert radiator_temperature_c(th, 1500.0 + n * 700.0, 100.0) + 14.0 == pytest.approx(70.0)
    assert float(units_cooled(Thermal(radiator_m2=1.0, unit_w=1.0), 0.0)) == math.inf


def _throttle_exact() -> tuple[float, float]:
    return capped_survivors(10)


def test_throttle_case_states_the_binomial_values():
    expect = tomllib.loads(THROTTLE.read_text())["verify"]["expect"]
    assert [e["exact"] for e in expect] == pytest.approx(_throttle_exact(), abs=1e-9)


def test_engine_throttles_to_what_the_radiator_cools():
    c = load_campaign(THROTTLE).with_overrides(trials=2000, block_size=1000)
    plan = compile_plan(c.base).arrays
    assert list(plan.pw_sun) == [10]  # (0.85 sigma (56 C)^4 - 100) 19 - 1500) / 700 = 10.5
    ds = run_campaign(c, n_workers=0)
    for name, exact in zip(("mean_capacity", "power_limited"), _throttle_exact(), strict=True):
        x = ds[name].values.ravel()
        assert abs(x.mean() - exact) <= 4 * x.std(ddof=1) / math.sqrt(x.size), name
    # the heat follows the throttle: running units stay at or below the limit
    _, temps = unit_temperature_steps(c.base)
    assert temps.max() <= 70.0


def test_a_limit_no_unit_can_meet_is_refused():
    text = THROTTLE.read_text().replace("max_unit_c = 70.0", "max_unit_c = -10.0")
    with pytest.raises(
        CampaignError, match=r"thermal.max_unit_c = -10.0: the radiator cannot keep"
    ):
        parse_campaign(text)
