"""The solar-event fluence model (issue 15 item 3): ESP's mean and variance from two
SPENVIS runs, the event spread that matches them, geomagnetic transmission, and the
worst case against CREME96's worst day."""

import math

import numpy as np
import pytest

from reliability import radiation as rad
from reliability import solar
from reliability.environment import ACTIVE_YEARS, preset, spe_share


def test_the_esp_fit_gives_back_both_spenvis_runs():
    m, v = solar.SPE_FLUENCE_30MEV, solar.SPE_FLUENCE_VARIANCE
    for years, fluence in solar.ESP_RUNS_30MEV:
        assert solar.esp_quantile(m, v, years, 0.95) == pytest.approx(fluence, rel=1e-9)
    # a few 1e9 protons above 30 MeV per cm^2 per active year, and a spread that puts
    # most of it in rare large events
    assert 1e9 < m < 4e9
    assert 10.0 < v < 100.0


def test_the_event_spread_gives_esp_mean_and_variance_by_simulation():
    w = 6.0
    sigma = solar.event_sigma(w, solar.SPE_FLUENCE_VARIANCE)
    rng = np.random.default_rng(11)
    n = rng.poisson(w, size=400_000)
    owner = np.repeat(np.arange(n.size), n)
    x = np.exp(-0.5 * sigma**2 + sigma * rng.standard_normal(owner.size)) / w
    year = np.bincount(owner, weights=x, minlength=n.size)  # in units of the mean
    assert year.mean() == pytest.approx(1.0, abs=4 * year.std() / math.sqrt(year.size))
    # the variance of a heavy-tailed sum converges slowly: a loose, seeded check
    assert year.var() == pytest.approx(solar.SPE_FLUENCE_VARIANCE, rel=0.35)


def test_the_event_models_95_percent_fluences_sit_just_under_esps():
    env = preset("sso-650")
    rng = np.random.default_rng(3)
    sigma_f = math.hypot(env.spe_intensity_sigma, env.spe_duration_sigma)
    for years, fluence in solar.ESP_RUNS_30MEV:
        q = solar.compound_quantile(
            env.spe_fluence_per_active_year, env.spe_per_active_year, sigma_f, years, 0.95, rng=rng
        )
        assert 0.7 < q / fluence < 1.0  # lighter tail than ESP's lognormal


def test_transmission_and_trapped_protons_order_the_orbits():
    share = {o: spe_share(preset(o), heavy_ion_share=0.0) for o in ("iss-400", "sso-500")}
    share |= {o: spe_share(preset(o), heavy_ion_share=0.0) for o in ("sso-650", "sso-800")}
    # the polar caps let events in; the lower the orbit, the fewer trapped protons
    assert share["iss-400"] < share["sso-800"] < share["sso-650"] < share["sso-500"]
    # no trapped protons above 30 MeV in GEO: every rate takes the heavy-ion share
    geo = preset("geo")
    assert spe_share(geo, heavy_ion_share=0.0) == spe_share(geo) == geo.spe_ion_share
    # a campaign's own share wins
    assert spe_share(preset("sso-650", spe_share=0.3), heavy_ion_share=0.0) == 0.3


def test_a_trapped_proton_rates_worst_event_is_tens_of_times_its_mean():
    """Before the fluence model the 650 km SSO's worst event lifted a rate 5.3 times;
    CREME96's worst day is about 40 times the 800 km preset's trapped-proton mean."""
    env = preset("sso-650")
    assert rad.spe_worst_factor(env, heavy_ion_share=0.0) > 30.0
    assert rad.spe_worst_factor(env, heavy_ion_share=1.0) < 15.0


def test_the_worst_events_reach_creme96s_worst_day_within_a_few_cycles():
    """October 1989, CREME96's worst day, is the record of some six cycles: a cycle
    should hold a day above it with a chance between 1 in 10 and 9 in 10."""
    env = preset("geo")

    def chance(sigma):
        return solar.cycle_exceedance(
            solar.CREME96_WORST_DAY_30MEV,
            fluence_per_active_year=env.spe_fluence_per_active_year,
            events_per_year=env.spe_per_active_year,
            duration_median_h=env.spe_duration_median_h,
            duration_sigma=env.spe_duration_sigma,
            intensity_sigma=sigma,
            active_years=ACTIVE_YEARS,
        )

    assert 0.1 < chance(env.spe_intensity_sigma) < 0.9
    assert chance(1.0) < 0.05  # the old spread of 1: one cycle in 40


def test_a_days_chance_counts_short_events_at_their_share_of_the_day():
    # one event a year of fixed size: a two-day event runs at twice the threshold all
    # day; a 6 h event runs at the threshold over its hours but a quarter of it over
    # the day, and never clears it
    kw = {
        "fluence_per_active_year": 2.0 * 3600.0,
        "events_per_year": 1.0,
        "duration_sigma": 1e-9,
        "intensity_sigma": 1e-9,
        "active_years": 1.0,
    }
    long = solar.cycle_exceedance(1.0 / 48.0, duration_median_h=48.0, **kw)
    short = solar.cycle_exceedance(2.0 / 6.0 * 1.01, duration_median_h=6.0, **kw)
    assert long == pytest.approx(-math.expm1(-1.0), rel=1e-9)
    assert short < 1e-12


def test_fitted_rates_are_quiet_and_solar_events_come_on_top():
    """A cross-section fit computed from the quiet environment (figure of merit, AP-8)
    is the rate without events: its long-run mean is that over 1 - spe_share, so the
    quiet part laid out in time stays the fit's rate."""
    from reliability.campaign.model import RadiationEntry
    from reliability.environment import rate_shape, spe_share

    env = preset("sso-500")
    entry = RadiationEntry(
        name="sefi",
        fault_class="sefi",
        effect="transient",
        source="weibull",
        params=(1e-7, 1.0, 15.0, 1.5),
    )
    mean, hi, _ = rad._entry_rate_per_h(entry, env)
    fom = rad.figure_of_merit(*entry.params)
    quiet = (env.c_heavy_ion + env.c_proton * rad.proton_shield_factor(env, 10.0)) * fom / 24
    share = spe_share(env, hi)
    assert share > 0.05  # a third trapped protons at 500 km: a sizeable event share
    assert mean == pytest.approx(quiet / (1.0 - share), rel=1e-9)
    shape = rate_shape(env, 11 * 8766.0, mean, heavy_ion_share=hi)
    assert shape.spe_share == pytest.approx(share, rel=1e-12)


def test_the_event_spread_follows_a_campaigns_event_count():
    few = preset("sso-650", spe_per_active_year=2.0)
    assert few.spe_intensity_sigma == pytest.approx(
        solar.event_sigma(2.0, solar.SPE_FLUENCE_VARIANCE, few.spe_duration_sigma)
    )
    assert few.spe_intensity_sigma < preset("sso-650").spe_intensity_sigma
    pinned = preset("sso-650", spe_per_active_year=2.0, spe_intensity_sigma=1.0)
    assert pinned.spe_intensity_sigma == 1.0


def test_keys_that_would_do_nothing_are_refused():
    from reliability.campaign import CampaignError, parse_campaign
    from tests.conftest import campaign_text

    # in GEO the transmission moves the events' protons on parts they upset: accepted
    geo = '[environment]\norbit = "geo"\nspe_transmission = 0.5\n'
    assert parse_campaign(campaign_text(environment=geo)).base.environment.spe_transmission == 0.5
    leo = '[environment]\norbit = "sso-650"\nspe_proton_response = 2.0\n'
    with pytest.raises(CampaignError, match=r"spe_proton_response = 2.0: has no effect in orbit"):
        parse_campaign(campaign_text(environment=leo), source="x.toml")
    few = '[environment]\norbit = "sso-650"\nspe_per_active_year = 0.01\n'
    with pytest.raises(CampaignError, match=r"spe_per_active_year = 0.01: .*no spread"):
        parse_campaign(campaign_text(environment=few), source="x.toml")


def test_combined_share_weighs_the_parts_by_their_quiet_rates():
    # half heavy ions (events add 1/9 of them), half protons (events add 1/3)
    got = solar.combined_share(0.1, 0.25, 0.5)
    extra = 0.5 / 9 + 0.5 / 3
    assert got == pytest.approx(extra / (1 + extra), rel=1e-12)
    assert solar.combined_share(0.1, 1.0, 1.0) == pytest.approx(0.1)
    assert solar.combined_share(0.1, 1.0, 0.5) == 1.0


def test_event_sigma_refuses_a_variance_it_cannot_give():
    with pytest.raises(ValueError, match="no spread"):
        solar.event_sigma(2.0, 0.1, 0.5)


def test_geo_event_protons_upset_the_parts_protons_can():
    """No trapped protons reach 30 MeV in GEO, but events' protons arrive in full: a
    part with a low onset takes them at the SSO presets' response per unit flux, beside
    the heavy-ion share; a part above the recoils' LET takes the heavy-ion share only."""
    from reliability.campaign.model import RadiationEntry

    env = preset("geo")

    def share(l0):
        e = RadiationEntry(
            name="x",
            fault_class="sefi",
            effect="transient",
            source="weibull",
            params=(1e-7, l0, 15.0, 1.5),
        )
        return rad._entry_rate_per_h(e, env)[2]

    fom = rad.figure_of_merit(1e-7, 1.0, 15.0, 1.5)
    heavy = env.c_heavy_ion * fom
    flux = env.spe_fluence_per_active_year * env.spe_transmission * 7 / 11 / (365.25 * 86400)
    extra = heavy * env.spe_ion_share / (1 - env.spe_ion_share)
    extra += env.spe_proton_response * flux * fom
    assert share(1.0) == pytest.approx(extra / (heavy + extra), rel=1e-12)
    assert share(1.0) > 0.15
    assert share(25.0) == pytest.approx(env.spe_ion_share, rel=1e-12)
