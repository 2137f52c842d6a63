"""Orbit presets and how they lay a long-run mean rate out in time."""

import dataclasses
import math

import numpy as np
import pytest

from reliability.environment import (
    ACTIVE_YEARS,
    CYCLE_YEARS,
    HOURS_PER_YEAR,
    ORBITS,
    PRESET_TABLE,
    orbit_period_h,
    preset,
    provenance,
    rate_shape,
    solar_levels,
    solar_steps,
    spe_share,
    spe_shield_factors,
)


def test_every_preset_value_has_a_tag_and_a_source():
    for orbit, key, value, tag, source in PRESET_TABLE:
        assert tag in {"V", "S", "U", "D"}, (orbit, key)
        assert source.strip(), (orbit, key)
        assert math.isfinite(value)
    for orbit in ORBITS:
        keys = {k for k, *_ in provenance(orbit)}
        assert {
            "c_heavy_ion",
            "dose_rad_per_y",
            "saa_fraction",
            "spe_ion_share",
            "spe_transmission",
        } <= keys


def test_required_orbits_are_present():
    assert {"iss-400", "sso-500", "sso-650", "sso-800", "meo-gnss", "geo"} <= set(ORBITS)


def test_kepler_period_of_the_iss_orbit():
    assert orbit_period_h(400.0) * 60 == pytest.approx(92.56, abs=0.05)
    assert orbit_period_h(35786.0) == pytest.approx(23.934, abs=0.001)  # sidereal day


def test_overrides_and_unknown_orbit():
    env = preset("sso-650", "max", dose_rad_per_y=300.0)
    assert env.dose_rad_per_y == 300.0 and env.solar == "max"
    assert env.dose_rad_per_h == pytest.approx(300.0 / 8760.0)
    with pytest.raises(ValueError, match="unknown orbit 'mars'"):
        preset("mars")


@pytest.mark.parametrize("ratio", [0.5, 1.0, 2.0, 3.7])
def test_solar_levels_average_one_over_a_cycle(ratio):
    active, quiet = solar_levels(ratio)
    assert quiet / active == pytest.approx(ratio)
    assert (ACTIVE_YEARS * active + (CYCLE_YEARS - ACTIVE_YEARS) * quiet) / CYCLE_YEARS == (
        pytest.approx(1.0)
    )


def test_solar_steps_follow_the_cycle_from_the_launch_phase():
    env = preset("geo", cycle_phase_y=5.0)
    steps = solar_steps(env, 20 * HOURS_PER_YEAR)
    assert steps[0] == (0.0, True)
    assert steps[1] == (pytest.approx(2 * HOURS_PER_YEAR), False)
    assert steps[2] == (pytest.approx(6 * HOURS_PER_YEAR), True)
    assert steps[3] == (pytest.approx(13 * HOURS_PER_YEAR), False)
    assert solar_steps(preset("geo", "min"), 1e5) == [(0.0, False)]


def _integral(steps, mission):
    total = 0.0
    for i, (start, rate) in enumerate(steps):
        end = steps[i + 1][0] if i + 1 < len(steps) else mission
        total += rate * (end - start)
    return total


@pytest.mark.parametrize(
    ("orbit", "saa", "spe"), [("sso-650", None, None), ("iss-400", 0.5, 0.0), ("geo", None, 0.3)]
)
def test_rate_shape_keeps_the_long_run_mean_over_a_full_cycle(orbit, saa, spe):
    env = preset(orbit)
    mission = CYCLE_YEARS * HOURS_PER_YEAR
    shape = rate_shape(env, mission, 2.0, saa_share=saa, spe_share=spe)
    quiet = _integral(shape.outside, mission) + _integral(shape.inside, mission)
    mean_dur = env.spe_duration_median_h * math.exp(0.5 * env.spe_duration_sigma**2)
    spe_hours = env.spe_per_active_year * ACTIVE_YEARS * mean_dur
    total = quiet + shape.spe_per_intensity_h * spe_hours
    assert total == pytest.approx(2.0 * mission, rel=1e-12)
    share = _integral(shape.inside, mission) / quiet if quiet else 0.0
    assert share == pytest.approx(shape.saa_share, rel=1e-12)


def test_saa_share_below_the_time_fraction_is_refused():
    with pytest.raises(ValueError, match="below the SAA time fraction"):
        rate_shape(preset("iss-400"), 1000.0, 1.0, saa_share=0.01)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("ltan = 18.0\nraan_deg = 10.0", "give ltan or raan_deg, not both"),
        ("ltan = 25.0", "must be at most 24"),
        ('epoch = "spring"', "expected a date such as 2027-03-01"),
        ("epoch = 2150-01-01", "computed for 1901-2099"),
    ],
)
def test_bad_node_or_epoch_is_refused(make_campaign, extra, message):
    from reliability.campaign import CampaignError

    with pytest.raises(CampaignError, match=message):
        make_campaign(environment=f'[environment]\norbit = "sso-650"\n{extra}')


def test_trapped_protons_and_cosmic_rays_peak_at_solar_minimum():
    """Issue 15 item 6: in LEO both the SAA's trapped protons (AP-8 MIN over MAX, 1.4
    at 650 km) and the cosmic rays are more at solar minimum; the demo's SEFIs, laid
    out by the orbit, follow them (they were 1.5x more frequent in active years)."""
    from reliability.campaign import load_campaign
    from reliability.environment import preset, rate_shape, solar_steps
    from reliability.radiation import fault_processes

    env = preset("sso-650")
    assert env.trapped_solar_ratio == 1.4 and env.gcr_solar_ratio == 2.0
    shape = rate_shape(env, 11 * 8760.0, 1.0, heavy_ion_share=0.0)  # trapped alone
    phases = dict(solar_steps(env, 11 * 8760.0))
    active = [r for t, r in shape.inside if phases.get(t) is True]
    quiet = [r for t, r in shape.inside if phases.get(t) is False]
    assert quiet[0] / active[0] == pytest.approx(1.4)
    demo = load_campaign("campaigns/demo.toml").base
    sefi = next(
        fp
        for fp in fault_processes(demo.leaf_unit, demo.environment, demo.mission_h)
        if fp.fault_class == "sefi"
    )
    # the demo flies in active years (its five years start the cycle's active phase)
    assert [a for _, a in solar_steps(demo.environment, demo.mission_h)] == [True]
    quiet_env = dataclasses.replace(demo.environment, solar="min")
    quiet_sefi = next(
        fp
        for fp in fault_processes(demo.leaf_unit, quiet_env, demo.mission_h)
        if fp.fault_class == "sefi"
    )
    assert quiet_sefi.shape.inside[0][1] > sefi.shape.inside[0][1]  # more SEFIs when quiet


def test_the_saa_comes_as_a_daily_run_of_passes():
    """Issue 15 item 6: a run of consecutive passes a day, then clear orbits; the
    pattern keeps the SAA's share of the time and of the rate."""
    from reliability.environment import pattern_time, preset, saa_pass_h, saa_pattern

    env = preset("sso-650")
    length, day, passes = saa_pass_h(env)
    assert (day, passes) == (24.0, 6) and length == pytest.approx(0.07 * 24 / 6)
    inside = saa_pattern(0.07, env.orbit_period_h, inside=True, passes=6)
    outside = saa_pattern(0.07, env.orbit_period_h, inside=False, passes=6)
    for pattern in (inside, outside):
        assert pattern_time(pattern, 24.0, 24.0) == pytest.approx(24.0)  # mean 1 a day
        assert pattern_time(pattern, 24.0, 72.0) == pytest.approx(72.0)
    # in passes at the starts of six consecutive orbits, none after the sixth
    starts = inside[0][0::2]
    np.testing.assert_allclose(starts, np.arange(6) * env.orbit_period_h)
    late = 6 * env.orbit_period_h + 0.5
    assert pattern_time(inside, 24.0, 23.9) - pattern_time(inside, 24.0, late) == 0.0
    # 0: one pass every orbit, as before
    one = saa_pattern(0.07, env.orbit_period_h, inside=True, passes=0)
    assert one[0] == [0.0, pytest.approx(0.07 * env.orbit_period_h)]


# ----------------------------------------------------------------------------- shielding


def test_shielding_reads_the_dose_from_the_orbit_curve():
    from reliability.environment import dose_depth

    for orbit in ORBITS:
        curve = dose_depth(preset(orbit))
        for mm, total in zip(curve.depth_mm, curve.total_rad_per_y, strict=True):
            env = preset(orbit, shielding_mm=mm)
            assert env.dose_rad_per_y == pytest.approx(total, rel=1e-12)
            assert env.dose_proton_rad_per_y <= env.dose_rad_per_y
        # thicker is never worse
        doses = [preset(orbit, shielding_mm=mm).dose_rad_per_y for mm in (1, 3, 10, 20)]
        assert doses == sorted(doses, reverse=True)


def test_no_shielding_leaves_the_preset_dose():
    assert preset("sso-650").dose_rad_per_y == 150.0
    assert preset("sso-650").dose_proton_rad_per_y is None


def test_preset_curves_bracket_the_published_leo_figures():
    # Google's 750 rad(Si) per 5 y "shielded" in the 650 km SSO [V] lies between the
    # AP-8 MIN curve's 10 and 20+ mm (AP-8 MIN is the solar-minimum, worse phase)
    env10 = preset("sso-650", shielding_mm=10.0)
    env20 = preset("sso-650", shielding_mm=20.0)
    assert env20.dose_rad_per_y < 150.0 < env10.dose_rad_per_y
    # the curve is electron-dominated behind thin shields and proton-dominated behind thick
    thin = preset("sso-650", shielding_mm=1.0)
    assert thin.dose_proton_rad_per_y / thin.dose_rad_per_y < 0.1
    assert env10.dose_proton_rad_per_y / env10.dose_rad_per_y > 0.9


def test_electron_dose_factor_moves_only_the_electron_dose(make_campaign):
    from reliability.campaign import CampaignError
    from reliability.environment import dose_depth

    for orbit, mm in (("sso-650", 1.0), ("sso-650", 4.0), ("iss-400", 2.0), ("geo", 8.0)):
        full = preset(orbit, shielding_mm=mm)
        sixth = preset(orbit, shielding_mm=mm, electron_dose_factor=1 / 6)
        curve = dose_depth(full)  # the preset's AE-8 electrons and bremsstrahlung
        electrons = curve.electron_rad_per_y[curve.depth_mm.index(mm)]
        assert sixth.dose_proton_rad_per_y == full.dose_proton_rad_per_y
        assert sixth.dose_rad_per_y == pytest.approx(
            full.dose_rad_per_y - electrons * 5 / 6, rel=1e-9
        )
    # a thin shield's dose is nearly all electrons, a thick one's nearly all protons
    for mm, low, high in ((1.0, 0.1, 0.2), (20.0, 0.95, 1.0)):
        ratio = (
            preset("sso-650", shielding_mm=mm, electron_dose_factor=0.1).dose_rad_per_y
            / preset("sso-650", shielding_mm=mm).dose_rad_per_y
        )
        assert low < ratio < high, (mm, ratio)
    with pytest.raises(ValueError, match="it needs shielding_mm"):
        preset("sso-650", electron_dose_factor=0.5)  # the API refuses it too
    for extra, message in (
        ("electron_dose_factor = 0.2", r"electron_dose_factor = 0.2: needs shielding_mm"),
        ("shielding_mm = 2.0\nelectron_dose_factor = 0", "must be positive"),
    ):
        with pytest.raises(CampaignError, match=message):
            make_campaign(environment=f'[environment]\norbit = "sso-650"\n{extra}')


def _shielded(tmp_path, env_lines, sweep=""):
    import shutil
    from pathlib import Path

    src = Path(__file__).parents[1] / "campaigns" / "data" / "spenvis_sd2_550km_95deg.txt"
    shutil.copy(src, tmp_path / "a.txt")
    shutil.copy(src, tmp_path / "b.txt")
    text = (
        '[campaign]\nname = "s"\nmission = "1 y"\ntrials = 10\nseed = 1\n'
        f'[environment]\norbit = "sso-500"\n{env_lines}\n'
        '[units.node]\nfailures = [{ law = "exponential", mean = "1000 h", repair = "24 h" }]\n'
        "[cluster]\nnode = { n = 4, k = 3 }\n" + sweep
    )
    (tmp_path / "c.toml").write_text(text)
    return tmp_path / "c.toml", text


def test_electron_dose_factor_scales_an_imported_spenvis_curve(tmp_path):
    from reliability.campaign import CampaignError, load_campaign
    from reliability.envfiles import read_dose_depth

    lines = 'shielding_mm = 1.0\ndose_depth_file = "a.txt"\nelectron_dose_factor = 0.25'
    path, _ = _shielded(tmp_path, lines)
    env = load_campaign(path).base.environment
    table = read_dose_depth(tmp_path / "a.txt")
    i = table.depth_mm.index(1.0)
    # SPENVIS's Electrons and Bremsstrahlung columns, a quarter of them kept
    electrons = table.electron_rad_per_y[i]
    assert electrons == pytest.approx(5848.3, rel=1e-4)
    assert env.dose_rad_per_y == pytest.approx(table.total_rad_per_y[i] - 0.75 * electrons)
    assert env.dose_proton_rad_per_y == pytest.approx(table.proton_rad_per_y[i])
    # a file whose legend does not name its electrons cannot be scaled
    raw = (tmp_path / "a.txt").read_text()
    (tmp_path / "a.txt").write_text(raw.replace("'Electrons'", "'Other'"))
    with pytest.raises(CampaignError, match=r"electron_dose_factor = 0\.25: needs a dose_depth"):
        load_campaign(path)


def test_data_files_a_sweep_names_are_in_the_config_hash(tmp_path):
    from reliability.campaign import load_campaign

    path, _ = _shielded(
        tmp_path,
        'shielding_mm = 4.0\ndose_depth_file = "a.txt"',
        '[sweep]\n"environment.dose_depth_file" = ["a.txt", "b.txt"]\n',
    )
    before = load_campaign(path)
    assert [n for n, _ in before.files] == ["a.txt", "b.txt"]
    text = (
        (tmp_path / "b.txt").read_text().replace("1.0000E+01, 5.6028E+02", "1.0000E+01, 9.6028E+02")
    )
    (tmp_path / "b.txt").write_text(text)
    assert load_campaign(path).config_sha256 != before.config_sha256


def test_relative_files_need_a_folder_and_presets_their_orbit(tmp_path):
    from reliability.campaign import CampaignError, load_campaign, parse_campaign

    path, text = _shielded(tmp_path, 'shielding_mm = 4.0\ndose_depth_file = "a.txt"')
    assert load_campaign(path).base.environment.dose_depth is not None
    with pytest.raises(CampaignError, match="needs the campaign read from its file"):
        parse_campaign(text)
    path, _ = _shielded(tmp_path, "shielding_mm = 4.0\naltitude_km = 550.0")
    with pytest.raises(CampaignError, match="moves the orbit off its preset"):
        load_campaign(path)


def test_suggested_swings_load_from_a_results_copy_of_the_files(tmp_path):
    from reliability.assumptions import suggested_swings
    from reliability.campaign import load_campaign, parse_campaign

    path, text = _shielded(tmp_path, 'shielding_mm = 4.0\ndose_depth_file = "a.txt"')
    c = load_campaign(path)
    copy = parse_campaign(text, source="result attribute config_toml", files=dict(c.files))
    assert suggested_swings(copy) == suggested_swings(c)


def test_shielding_slows_the_events_protons_more_than_the_trapped():
    """Behind a chosen shield the events' protons above 30 MeV are those that entered
    above E0, where E0's range in aluminium is 30 MeV's plus the shield: ESP-PSYCHIC's
    soft spectrum loses more of them than AP-8's trapped one, so an orbit's event
    share falls with depth (before, it was the unshielded share at every depth)."""
    from scipy import optimize

    from reliability.shielding import AL_DENSITY_G_CM3, AL_NUCLEAR_LENGTH_G_CM2
    from reliability.solar import ESP_SPECTRUM_1AU

    pstar = np.log([(30.0, 1.180), (50.0, 2.928), (70.0, 5.325), (100.0, 10.01)])

    def entry_energy(mm):  # PSTAR's aluminium ranges, log-log between its points
        need = math.log(1.180 + AL_DENSITY_G_CM3 * mm / 10.0)
        return optimize.brentq(
            lambda ln_e: np.interp(ln_e, pstar[:, 0], pstar[:, 1]) - need, pstar[0, 0], pstar[-1, 0]
        )

    esp = np.log(np.asarray(ESP_SPECTRUM_1AU))

    def behind(mm):
        phi = math.exp(np.interp(entry_energy(mm), esp[:, 0], esp[:, 1]))
        return phi * math.exp(-AL_DENSITY_G_CM3 * mm / 10.0 / AL_NUCLEAR_LENGTH_G_CM2)

    e10, t10 = spe_shield_factors(preset("sso-650", shielding_mm=10.0))
    assert e10 == pytest.approx(behind(10.0) / behind(2.54), rel=2e-3)
    assert e10 < t10 < 1.0
    assert spe_shield_factors(preset("sso-650", shielding_mm=2.54)) == (1.0, 1.0)
    assert spe_shield_factors(preset("sso-650")) == (1.0, 1.0)
    shares = [spe_share(preset("sso-650", shielding_mm=mm), 0.0) for mm in (1.0, 2.54, 10.0)]
    assert shares[0] > shares[1] > shares[2]
    assert shares[1] == pytest.approx(spe_share(preset("sso-650"), 0.0), rel=1e-12)
    # where no trapped protons reach 30 MeV the events' protons alone are slowed
    geo = [spe_share(preset("geo", shielding_mm=mm), 1.0, None, 0.5) for mm in (2.54, 10.0)]
    assert geo[1] < geo[0]


def test_an_omere_file_is_read_as_saved_on_windows(tmp_path):
    """OMERE writes its degree signs in Latin-1: the campaign reads such a file (and a
    run's copy of it reads back the same), but refuses one with control bytes."""
    import shutil
    from pathlib import Path

    from reliability.campaign import CampaignError, load_campaign, parse_campaign

    src = Path(__file__).parents[1] / "campaigns" / "data" / "omere_dose_700km_98deg.dos"
    assert b"\xb0" in src.read_bytes()  # the degree sign, not UTF-8
    path, _ = _shielded(tmp_path, 'shielding_mm = 2.0\ndose_depth_file = "o.dos"')
    shutil.copy(src, tmp_path / "o.dos")
    c = load_campaign(path)
    env = c.base.environment
    assert env.dose_rad_per_y == pytest.approx(3.459e3, rel=1e-12)  # the file's 2 mm row
    assert env.dose_proton_rad_per_y == pytest.approx(7.052e2, rel=1e-12)
    assert "98.000\xb0" in dict(c.files)["o.dos"]
    copy = parse_campaign(path.read_text(), source="copy", files=dict(c.files))
    assert copy.config_sha256 == c.config_sha256
    (tmp_path / "o.dos").write_bytes(src.read_bytes() + b"\x01\x02")
    with pytest.raises(CampaignError, match="not a text file"):
        load_campaign(path)


def test_line_ends_do_not_move_the_config_hash(tmp_path):
    """A data file saved with Windows line ends reads as its Unix twin (review: its
    config hash moved once files were read as bytes)."""
    from reliability.campaign import load_campaign

    path, _ = _shielded(tmp_path, 'shielding_mm = 4.0\ndose_depth_file = "a.txt"')
    unix = load_campaign(path).config_sha256
    data = (tmp_path / "a.txt").read_bytes()
    (tmp_path / "a.txt").write_bytes(data.replace(b"\n", b"\r\n"))
    assert load_campaign(path).config_sha256 == unix
