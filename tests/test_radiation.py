"""Cross-sections, rate integrals and the fault processes of a unit type."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reliability import radiation as rad
from reliability.environment import spe_share


@given(
    l0=st.floats(0.0, 20.0),
    w=st.floats(0.5, 80.0),
    s=st.floats(0.3, 6.0),
)
@settings(max_examples=50, deadline=None)
def test_l25_root_matches_the_closed_form(l0, w, s):
    assert rad.l25(1e-8, l0, w, s) == pytest.approx(l0 + w * math.log(4 / 3) ** (1 / s), rel=1e-9)


@pytest.mark.parametrize(("lam", "w", "l0"), [(5.0, 20.0, 1.0), (2.0, 3.0, 0.5), (30.0, 1.0, 4.0)])
def test_rate_integral_closed_form_for_an_exponential_spectrum(lam, w, l0):
    sig, f0 = 1e-8, 1e-2
    r = rad.rate_integral(sig, l0, w, 1.0, lambda x: f0 * math.exp(-x / lam), k_geo=1.0, l_max=5e3)
    assert r == pytest.approx(sig * f0 * math.exp(-l0 / lam) * lam / (lam + w), rel=1e-8)
    half = rad.rate_integral(sig, l0, w, 1.0, lambda x: f0 * math.exp(-x / lam), l_max=5e3)
    assert half == pytest.approx(0.5 * r)  # Cauchy: thin planar volume in a 4 pi flux


def test_rate_integral_reads_a_tabulated_spectrum_log_log():
    # a power-law spectrum is exact under log-log interpolation
    table = [(x, 1e-3 * x**-2.5) for x in np.geomspace(0.1, 200.0, 7)]
    tab = rad.rate_integral(1e-8, 1.0, 15.0, 2.0, table, l_max=200.0)
    fun = rad.rate_integral(1e-8, 1.0, 15.0, 2.0, lambda x: 1e-3 * x**-2.5, l_max=200.0)
    assert tab == pytest.approx(fun, rel=1e-9)


def test_bendel_forms():
    assert float(rad.bendel(15.0, 15.0, 15.0)) == 0.0
    assert float(rad.bendel(1e9, 24.0)) == pytest.approx(1e-12)  # one-parameter saturation
    assert float(rad.bendel(1e9, 10.0, 20.0)) == pytest.approx(2.0**14 * 1e-12)
    e = np.linspace(20.0, 500.0, 50)
    assert np.all(np.diff(rad.bendel(e, 15.0, 15.0)) > 0)


def test_proton_rate_of_a_flat_spectrum_is_sigma_at_the_end():
    # Phi(>E) = F0 up to 300 MeV: the by-parts integral is F0 * sigma(300)
    table = [(16.0, 1e3), (300.0, 1e3)]
    r = rad.proton_rate(15.0, 15.0, table)
    assert r == pytest.approx(1e3 * float(rad.bendel(300.0, 15.0, 15.0)), rel=1e-4)


def _unit(make_campaign, radiation="", memory="", environment='orbit = "sso-650"'):
    extra = ""
    if radiation:
        extra += f"radiation = [{radiation}]\n"
    if memory:
        extra += f"memory = {memory}\n"
    c = make_campaign(environment=f"[environment]\n{environment}", unit_extra=extra)
    return c.base.units[0], c.base.environment, c.mission_h


def test_dose_proxy_rates_scale_with_the_dose(make_campaign):
    unit, env, mission = _unit(make_campaign, '{ class = "sdc", per_rad = 0.05 }')
    (fp,) = rad.fault_processes(unit, env, mission)
    assert fp.shape.mean_per_h == pytest.approx(0.05 * 150.0 / 8760.0)
    unit, env, mission = _unit(
        make_campaign,
        '{ class = "sdc", per_rad = 0.05 }',
        environment='orbit = "sso-650"\ndose_rad_per_y = 300',
    )
    (fp2,) = rad.fault_processes(unit, env, mission)
    assert fp2.shape.mean_per_h == pytest.approx(2 * fp.shape.mean_per_h)


def test_destructive_latchups_split_into_a_permanent_share(make_campaign):
    unit, env, mission = _unit(
        make_campaign, '{ class = "sel", per_device_day = 0.24, destructive = 0.25 }'
    )
    transient, permanent = rad.fault_processes(unit, env, mission)
    assert transient.effect == "transient" and permanent.effect == "permanent"
    assert transient.shape.mean_per_h == pytest.approx(0.0075)
    assert permanent.shape.mean_per_h == pytest.approx(0.0025)
    assert permanent.fault_class == transient.fault_class == "sel"


def test_total_dose_threshold_becomes_a_life(make_campaign):
    unit, env, mission = _unit(
        make_campaign, '{ class = "tid", threshold_rad = { median = 1500, sigma = 0.4 } }'
    )
    (fp,) = rad.fault_processes(unit, env, mission)
    assert fp.life.law == "lognormal" and fp.life.p2 == 0.4
    assert math.exp(fp.life.p1) == pytest.approx(1500 / (150 / 8760))  # 10 years at 150 rad/y


def test_heavy_ion_fit_uses_the_figure_of_merit(make_campaign):
    unit, env, mission = _unit(
        make_campaign,
        '{ class = "sdc", weibull = { sigma_sat = 1e-8, l0 = 1, w = 20, s = 1.5 }, bits = 1e6 }',
        environment='orbit = "geo"',
    )
    (fp,) = rad.fault_processes(unit, env, mission)
    # the figure of merit gives the quiet rate; GEO's solar events come on top
    quiet = 1.0 - fp.shape.spe_share
    assert fp.shape.mean_per_h * 24 * quiet == pytest.approx(340 * 1.0594e-10 * 1e6, rel=1e-3)


def test_memory_without_scrubbing_restarts_with_a_weibull_clock(make_campaign):
    unit, env, mission = _unit(
        make_campaign, memory="{ bits = 7.2e7, upset = { per_bit_day = 1e-9 } }"
    )
    names = {fp.name: fp for fp in rad.fault_processes(unit, env, mission)}
    assert set(names) == {"memory-corrected", "memory-due"}
    due = names["memory-due"]
    assert due.life.law == "weibull" and due.life.p2 == 2.0 and due.renew_clock
    assert names["memory-corrected"].effect == "none"
    unit, env, mission = _unit(
        make_campaign, memory='{ bits = 1e9, ecc = "none", upset = { per_bit_day = 1e-9 } }'
    )
    (fp,) = rad.fault_processes(unit, env, mission)
    assert fp.fault_class == "sdc" and fp.effect == "silent"


def test_rate_table_shares(make_campaign):
    unit, env, mission = _unit(
        make_campaign,
        '{ class = "sefi", per_device_day = 1.0 }',
        environment='orbit = "iss-400"\nsolar = "min"\nspe_share = 0\ngcr_solar_ratio = 1\ntrapped_solar_ratio = 1',
    )
    (row,) = rad.rate_table(unit, env, mission)
    assert row.per_unit_day == pytest.approx(1.0)
    assert row.saa_share == pytest.approx(env.saa_share)
    assert row.spe_share == 0.0


def test_device_presets_expand_to_their_published_entries(make_campaign):
    unit, env, mission = _unit(make_campaign, '{ device = "tpu-v6e" }')
    names = [e.name for e in unit.radiation]
    assert names == ["sdc", "hbm-uecc", "sefi"]
    assert unit.radiation[1].value == pytest.approx(1 / 44)
    unit, env, mission = _unit(make_campaign, '{ device = "jetson-orin-nx" }')
    soc = next(fp for fp in rad.fault_processes(unit, env, mission) if fp.name == "soc-sefi")
    c = env.c_heavy_ion + env.c_proton
    quiet = 1.0 - spe_share(env, env.c_heavy_ion / c)  # solar events come on top
    assert soc.shape.mean_per_h * 24 * quiet == pytest.approx(c * 4.5e4 * 1.1e-9)


def test_memory_device_gives_upsets_and_multi_bit_behaviour(make_campaign):
    unit, env, mission = _unit(
        make_campaign, memory='{ device = "cots-sram", bits = 1e9, scrub = "1 h" }'
    )
    assert unit.memory.mbu_fraction == 0.0122 and unit.memory.upset.value == 4.04e-7
    names = {fp.name for fp in rad.fault_processes(unit, env, mission)}
    assert "memory-mbu-due" in names  # no interleaving: double-bit upsets are uncorrectable


def test_a_let_spectrum_replaces_the_figure_of_merit(make_campaign):
    spectrum = "let_spectrum = [[0.5, 1e-2], [5, 1e-4], [30, 1e-7], [100, 1e-9]]"
    entry = '{ class = "sdc", weibull = { sigma_sat = 1e-8, l0 = 1, w = 20, s = 1.5 }, bits = 1 }'
    unit, env, mission = _unit(make_campaign, entry, environment=f'orbit = "geo"\n{spectrum}')
    (fp,) = rad.fault_processes(unit, env, mission)
    expected = rad.rate_integral(1e-8, 1, 20, 1.5, env.let_spectrum, k_geo=0.5) * 86400
    assert fp.shape.mean_per_h * 24 * (1.0 - fp.shape.spe_share) == pytest.approx(
        expected, rel=1e-9
    )


def test_physics_split_keeps_the_whole_rate_without_an_saa(make_campaign):
    # a heavy-ion/proton split in an orbit without SAA must not lose the proton part
    unit, env, mission = _unit(
        make_campaign,
        '{ class = "sdc", proton_sigma = 1e-9 }',
        environment='orbit = "geo"\nc_proton = 100\nsolar = "min"\ngcr_solar_ratio = 1\n'
        "trapped_solar_ratio = 1\nspe_share = 0",
    )
    (row,) = rad.rate_table(unit, env, mission)
    assert row.per_unit_day == pytest.approx((340 + 100) * 4.5e4 * 1e-9)
    assert row.saa_share == 0.0


def test_a_part_above_the_recoil_let_gets_no_proton_term(make_campaign):
    """Latch-up fit with onset 25 MeV cm^2/mg in a proton-rich orbit: the figure of
    merit's proton term (96.5% of the rate before) does not apply above the LET of
    proton recoils; below it, it does."""
    env_text = (
        'orbit = "sso-800"\nsolar = "min"\ngcr_solar_ratio = 1\ntrapped_solar_ratio = 1\n'
        "spe_share = 0"
    )
    fits = {
        onset: _unit(
            make_campaign,
            f'{{ class = "sel", weibull = {{ sigma_sat = 1e-5, l0 = {onset}, w = 30, s = 2 }}, '
            "bits = 1 }",
            environment=env_text,
        )
        for onset in (25, 10)
    }
    for onset, (unit, env, mission) in fits.items():
        (row,) = rad.rate_table(unit, env, mission)
        fom = rad.figure_of_merit(1e-5, onset, 30, 2)
        c = env.c_heavy_ion + (env.c_proton if onset < rad.RECOIL_LET_MAX else 0.0)
        assert row.per_unit_day == pytest.approx(c * fom, rel=1e-9)


def test_a_proton_spectrum_keeps_the_heavy_ion_term_of_a_bendel_fit(make_campaign):
    spectrum = "proton_spectrum = [[10, 1e3], [100, 1e2], [400, 1e1]]"
    unit, env, mission = _unit(
        make_campaign,
        '{ class = "sdc", bendel = { a = 20 }, bits = 1 }',
        environment=f'orbit = "sso-650"\nsolar = "min"\ngcr_solar_ratio = 1\n'
        f"trapped_solar_ratio = 1\nspe_share = 0\n{spectrum}",
    )
    (row,) = rad.rate_table(unit, env, mission)
    heavy = env.c_heavy_ion * rad.proton_fom(float(rad.bendel(150.0, 20.0, None)))
    proton = rad.proton_rate(20.0, None, env.proton_spectrum) * 86400
    assert row.per_unit_day == pytest.approx(heavy + proton, rel=1e-9)
    assert heavy > 0.1 * proton  # the part it lost before: not negligible


def test_a_dose_proxy_rate_is_refused_where_the_dose_is_from_electrons(make_campaign):
    from reliability.campaign import CampaignError

    for orbit in ("geo", "meo-gnss"):
        with pytest.raises(CampaignError, match=f"the {orbit} dose is mostly from electrons"):
            _unit(
                make_campaign,
                '{ class = "sdc", per_rad = 0.0588 }',
                environment=f'orbit = "{orbit}"',
            )
    _unit(make_campaign, '{ class = "sdc", per_rad = 0.0588 }', environment='orbit = "sso-650"')


# ----------------------------------------------------------------- latch-up and heat
SEL_HEAT = "campaigns/validation/sel_heat.toml"


def test_sel_onset_follows_johnston_1991():
    """At 125 C the onset is 0.4 of its 25 C value, and nothing moves at the test
    temperature."""
    assert float(rad.sel_onset(20.0, 125.0, 25.0)) == pytest.approx(8.0)
    assert float(rad.sel_onset(20.0, 25.0, 25.0)) == 20.0
    assert float(rad.sel_onset(20.0, -15.0, 25.0)) > 20.0  # colder: harder to latch


def test_sel_heat_case_is_the_figure_of_merit_at_the_hot_onset():
    import tomllib
    from pathlib import Path

    from reliability.thermal import STEFAN_BOLTZMANN

    doc = tomllib.loads(Path(SEL_HEAT).read_text())
    th = doc["thermal"]
    load = (th["bus_w"] + 16 * th["unit_w"]) / th["radiator_m2"] + th["absorbed_sun_w_m2"]
    temp = (load / (th["emissivity"] * STEFAN_BOLTZMANN)) ** 0.25 - 273.15
    temp += th["unit_rise_k_per_w"] * th["unit_w"]
    onset = 20.0 * 0.4 ** ((temp - 25.0) / 100.0)
    l25 = onset + 30.0 * math.sqrt(math.log(4 / 3))  # closed form, s = 2
    expected = doc["environment"]["c_heavy_ion"] * 1e-3 / l25**2 / 24.0 * 8760.0 * 64
    assert doc["environment"]["c_heavy_ion"] == 485.0  # Petersen's GEO point, pinned
    assert doc["verify"]["expect"][0]["exact"] == pytest.approx(expected, rel=1e-8)


def test_a_hot_latch_up_fit_follows_the_temperature_steps():
    from reliability.campaign import load_campaign
    from reliability.system.heat import unit_heat

    c = load_campaign(SEL_HEAT)
    unit = c.base.leaf_unit
    cold = rad.fault_processes(unit, c.base.environment, c.base.mission_h)[0].shape
    starts = np.array([0.0, 4380.0])
    temps = np.array([25.0, 125.0])  # half the year at the test temperature, half hot
    hot = rad.fault_processes(unit, c.base.environment, c.base.mission_h, (starts, temps))[0]
    steps = hot.shape.outside
    assert steps[0][1] == pytest.approx(cold.outside[0][1])
    hot_rate = dict(steps)[4380.0]
    assert hot_rate > 2 * cold.outside[0][1]
    assert hot.shape.mean_per_h == pytest.approx(cold.mean_per_h * (1 + hot_rate / steps[0][1]) / 2)
    assert unit_heat(c.base) is not None


def test_a_test_temperature_is_for_latch_up_fits_with_a_thermal_table():
    from pathlib import Path

    from reliability.campaign import CampaignError, parse_campaign

    text = Path(SEL_HEAT).read_text()
    with pytest.raises(
        CampaignError, match=r"tested_at_c = 25.0: the temperature model is for latch-up"
    ):
        parse_campaign(text.replace('class = "sel"', 'class = "sefi"'))
    no_heat = text.split("[thermal]")[0] + "[verify]" + text.split("[verify]")[1]
    with pytest.raises(CampaignError, match=r"radiation\[0\].tested_at_c = 25.0: a latch-up test"):
        parse_campaign(no_heat)


# ----------------------------------------------------------------------------- shielding


def test_shield_slows_trapped_protons_and_the_dose_proxy_with_them():
    from reliability.campaign.model import RadiationEntry
    from reliability.environment import preset
    from reliability.protons import (
        dose_proxy_rad_per_y,
        equivalent_shielding_mm,
        proton_shield_factor,
    )
    from reliability.radiation import _entry_rate_per_h

    thick = preset("sso-650", shielding_mm=10.0)
    assert proton_shield_factor(preset("sso-650"), 10.0) == 1.0  # no shielding set
    assert proton_shield_factor(preset("sso-650", shielding_mm=2.54), 10.0) == pytest.approx(1.0)
    assert 1.0 > proton_shield_factor(thick, 10.0) > 0.5
    # no trapped protons in GEO: nothing to slow
    assert proton_shield_factor(preset("geo", shielding_mm=5.0), 10.0) == 1.0
    # the proxy is calibrated at the preset's dose and the aluminium it implies: the
    # same rate there, more behind less, never following the electron dose
    at = equivalent_shielding_mm(preset("sso-650"))
    assert dose_proxy_rad_per_y(preset("sso-650", shielding_mm=at)) == pytest.approx(150.0)
    proxies = [dose_proxy_rad_per_y(preset("sso-650", shielding_mm=mm)) for mm in (1, 4, 10, 20)]
    assert proxies == sorted(proxies, reverse=True)
    assert proxies[0] < 2 * 150.0 < preset("sso-650", shielding_mm=1.0).dose_rad_per_y
    entry = RadiationEntry(
        name="sdc", fault_class="sdc", effect="silent", source="per_rad", value=1 / 17
    )
    rate, *_ = _entry_rate_per_h(entry, thick)
    assert rate == pytest.approx(dose_proxy_rad_per_y(thick) / 17 / 8760.0)
    assert _entry_rate_per_h(entry, preset("sso-650"))[0] == pytest.approx(150 / 17 / 8760)


def test_hbm2_preset_gives_the_tpu_v6e_hbm_rate_in_the_650_km_sso():
    # issue 15 item 5: the preset was 900x the measured 3.4 uncorrectable errors per
    # chip-year of the TPU v6e's 32 GiB HBM (Suncatcher) in the 650 km SSO (a long-run
    # mean: over one whole solar cycle)
    from reliability.campaign import parse_campaign
    from reliability.radiation import rate_table

    c = parse_campaign(
        """
[campaign]
name = "hbm"
mission = "11 y"
trials = 10
seed = 1
[environment]
orbit = "sso-650"
[units.tpu]
failures = [{ law = "exponential", mean = "100 y", repair = "1 d" }]
memory = { device = "hbm2", bits = 2.748779e11, scrub = "1 h" }
[cluster]
tpu = { n = 2, k = 1 }
"""
    )
    rows = rate_table(c.base.units[0], c.base.environment, c.base.mission_h)
    due = sum(r.per_unit_day for r in rows if r.fault_class == "due") * 365.25
    assert due == pytest.approx(3.4, rel=0.02)


def _memory_unit(memory):
    from reliability.campaign import parse_campaign
    from reliability.radiation import rate_table

    c = parse_campaign(
        f"""
[campaign]
name = "mem"
mission = "1 y"
trials = 10
seed = 1
[units.node]
failures = [{{ law = "exponential", mean = "100 y", repair = "1 d" }}]
memory = {memory}
[cluster]
node = {{ n = 2, k = 1 }}
"""
    )
    rows = rate_table(c.base.units[0], None, c.base.mission_h)
    return {r.name: r.per_unit_day for r in rows}


def test_chipkill_fails_on_two_symbols_and_bursts_across_a_symbol():
    # issue 15 item 5: a symbol code corrects anything inside one 4-bit symbol: a word
    # of 36 symbols fails when two take an upset between scrubs, a burst when it
    # crosses a symbol's edge; recomputed here from the per-bit probabilities
    from scipy import stats

    lam_day, scrub_h, bits = 1e-9, 24.0, 1e12
    rates = _memory_unit(
        f'{{ bits = {bits:g}, ecc = "chipkill", scrub = "{scrub_h:g} h", '
        f"upset = {{ per_bit_day = {lam_day:g} }}, mbu_fraction = 0.2, mbu_span = 2 }}"
    )
    p_bit = -math.expm1(-lam_day / 24 * scrub_h)
    p_symbol = 1 - (1 - p_bit) ** 4
    words = bits / 144
    exact = words * stats.binom.sf(1, 36, p_symbol) / scrub_h * 24
    assert rates["memory-due"] == pytest.approx(exact, rel=1e-6)
    assert rates["memory-mbu-due"] == pytest.approx(bits * lam_day * 0.2 * 1 / 4, rel=1e-9)
    secded = _memory_unit(
        f'{{ bits = {bits:g}, scrub = "{scrub_h:g} h", '
        f"upset = {{ per_bit_day = {lam_day:g} }}, mbu_fraction = 0.2, mbu_span = 2 }}"
    )
    assert secded["memory-mbu-due"] == pytest.approx(4 * rates["memory-mbu-due"])


def test_sec_ded_miscorrects_a_share_of_wide_bursts_into_silent_corruption():
    rates = _memory_unit(
        "{ bits = 1e10, upset = { per_bit_day = 1e-9 }, mbu_fraction = 0.1, mbu_span = 3, "
        'scrub = "1 h", miscorrect = 0.3 }'
    )
    burst = 1e10 * 1e-9 * 0.1
    assert rates["memory-mbu-sdc"] == pytest.approx(0.3 * burst)
    assert rates["memory-mbu-due"] == pytest.approx(0.7 * burst)
    # a 2-bit burst is detected, never miscorrected
    two = _memory_unit(
        "{ bits = 1e10, upset = { per_bit_day = 1e-9 }, mbu_fraction = 0.1, mbu_span = 2, "
        'scrub = "1 h", miscorrect = 0.3 }'
    )
    assert "memory-mbu-sdc" not in two and two["memory-mbu-due"] == pytest.approx(burst)


@pytest.mark.parametrize(
    ("memory", "message"),
    [
        (
            "{ bits = 1e9, upset = { per_bit_day = 1e-9 }, symbol_bits = 8 }",
            "needs ecc = 'chipkill'",
        ),
        (
            '{ bits = 1e9, ecc = "chipkill", upset = { per_bit_day = 1e-9 }, miscorrect = 0.1 }',
            "only SEC-DED miscorrects",
        ),
        (
            '{ bits = 1e9, ecc = "chipkill", word_bits = 102, upset = { per_bit_day = 1e-9 } }',
            "must hold at least 3 symbols of 4 bits",
        ),
    ],
)
def test_memory_code_errors(memory, message):
    from reliability.campaign import CampaignError

    with pytest.raises(CampaignError, match=message):
        _memory_unit(memory)


def test_even_bursts_are_never_miscorrected_and_chipkill_refuses_interleave():
    from reliability.campaign import CampaignError

    four = _memory_unit(
        "{ bits = 1e10, upset = { per_bit_day = 1e-9 }, mbu_fraction = 0.1, mbu_span = 4, "
        'scrub = "1 h", miscorrect = 0.3 }'
    )
    assert "memory-mbu-sdc" not in four
    with pytest.raises(CampaignError, match="a symbol code needs no interleaving"):
        _memory_unit(
            '{ bits = 1e9, ecc = "chipkill", interleave = 2, upset = { per_bit_day = 1e-9 } }'
        )


def test_the_worst_solar_event_of_a_cycle_against_the_shape_and_a_simulation():
    """spe_worst_factor: the median largest of a cycle's 42 lognormal intensities (mean
    1), at the SPE rate per unit intensity that rate_shape gives an entry."""
    from reliability.environment import preset, rate_shape

    env = preset("geo", solar="cycle")
    factor = rad.spe_worst_factor(env)
    shape = rate_shape(env, 11 * 8766.0, 1.0)  # a mean rate of 1 per hour
    rng = np.random.default_rng(7)
    sigma = env.spe_intensity_sigma
    largest = np.median(rng.lognormal(-0.5 * sigma**2, sigma, (20_000, 42)).max(axis=1))
    simulated = (1.0 - shape.spe_share) + shape.spe_per_intensity_h * largest
    assert factor == pytest.approx(simulated, rel=0.02)
    assert rad.spe_worst_factor(env, spe_share=0.0) == 1.0


def test_a_parts_event_share_behind_a_shield_weighs_both_spectra_by_its_response():
    """Behind a chosen shield the events' protons and the trapped ones are each slowed
    and weighed by the part's own Bendel cross-section (review: the flux above 30 MeV
    read the events of a high-threshold part behind thick shielding 0.27 where its
    response gives 0.38)."""
    from reliability.campaign.model import RadiationEntry
    from reliability.environment import preset, spe_shield_factors
    from reliability.protons import event_shield_factors, proton_shield_factor
    from reliability.radiation import _entry_rate_per_h
    from reliability.shielding import shield_protons
    from reliability.solar import ESP_SPECTRUM_1AU

    env = preset("sso-650", shielding_mm=20.0)
    events, trapped = event_shield_factors(env, 20.0)

    def rate(mm):
        return rad.proton_rate(20.0, None, shield_protons(ESP_SPECTRUM_1AU, mm))

    assert events == pytest.approx(rate(20.0) / rate(2.54), rel=1e-12)
    assert trapped == proton_shield_factor(env, 20.0)
    flux_events, _ = spe_shield_factors(env)
    assert events > 1.3 * flux_events  # a hard part keeps more of the events
    entry = RadiationEntry(
        name="sdc", fault_class="sdc", effect="silent", source="bendel", params=(20.0, None)
    )
    _, heavy, spe = _entry_rate_per_h(entry, env)
    assert spe == pytest.approx(
        spe_share(env, heavy, None, 1.0 - heavy, (events, trapped)), rel=1e-12
    )
    assert spe > spe_share(env, heavy, None, 1.0 - heavy)  # the flux measure: lower
    assert event_shield_factors(preset("sso-650"), 20.0) == (1.0, 1.0)
