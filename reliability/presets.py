"""Orbit presets: every preset value of :mod:`reliability.environment` with its
evidence tag and source.

Tags as in ``shared/reference/radiation.md``: V read in a primary source, S secondary,
U unverified placeholder, D derived here. A campaign picks a preset with
``[environment] orbit = "sso-650"`` and may override any value by its key.
"""

from __future__ import annotations

from reliability import solar as _solar

__all__ = ["NODE_DEFAULTS", "PRESET_TABLE"]

# (orbit, key, value, tag, source or note). Units are in the key names.
PRESET_TABLE: tuple[tuple[str, str, float, str, str], ...] = (
    # ISS-like LEO, 400 km, 51.6 deg
    ("iss-400", "altitude_km", 400.0, "V", "ISS nominal altitude"),
    ("iss-400", "inclination_deg", 51.6, "V", "ISS inclination"),
    ("iss-400", "c_heavy_ion", 53.8, "S", "Petersen 1998 C, 400 km 60 deg (digitised)"),
    ("iss-400", "c_proton", 4.7, "S", "Petersen 1998 C, 400 km 60 deg (digitised)"),
    ("iss-400", "dose_rad_per_y", 30.0, "U", "placeholder; the curve: behind about 20 mm Al"),
    ("iss-400", "saa_fraction", 0.07, "U", "reference default 5-10 %"),
    ("iss-400", "saa_share", 0.975, "V", "Xu et al. 2025: 97.5 % of LEO SRAM SEUs in SAA"),
    (
        "iss-400",
        "spe_ion_share",
        0.005,
        "U",
        "heavy-ion rates: geomagnetic shielding at 51.6 deg; placeholder",
    ),
    (
        "iss-400",
        "spe_transmission",
        0.003,
        "U",
        "below SPENVIS's 0.006 at 530 km 53 deg (lower shields more); 0.001 also quoted",
    ),
    (
        "iss-400",
        "trapped_solar_ratio",
        1.6,
        "U",
        "as sso-500; lower is higher (x5-10 measured, Huston et al. 1996)",
    ),
    # dawn-dusk sun-synchronous orbits
    ("sso-500", "altitude_km", 500.0, "V", "preset definition"),
    ("sso-500", "inclination_deg", 97.4, "D", "sun-synchronous at 500 km"),
    ("sso-500", "c_heavy_ion", 97.4, "S", "Petersen 1998 C, 500 km 90 deg (digitised)"),
    ("sso-500", "c_proton", 17.9, "S", "Petersen 1998 C, 500 km 90 deg (digitised)"),
    ("sso-500", "dose_rad_per_y", 100.0, "U", "placeholder; the curve: behind 7.5 mm Al"),
    ("sso-500", "saa_fraction", 0.07, "U", "reference default 5-10 %"),
    ("sso-500", "saa_share", 0.975, "V", "Xu et al. 2025 (LEO SRAM)"),
    (
        "sso-500",
        "spe_ion_share",
        0.02,
        "U",
        "heavy-ion rates: SPE flux only over the polar caps; placeholder",
    ),
    (
        "sso-500",
        "spe_transmission",
        0.2138,
        "U",
        "SPENVIS's 825 km 98.8 deg factor moved down; cutoffs rise ~10% lower down",
    ),
    (
        "sso-500",
        "trapped_solar_ratio",
        1.6,
        "D",
        "AP-8 MIN/MAX, IRBEM aep8 (2026-12-07): 1.61 >10 MeV, 1.51 >30 MeV",
    ),
    ("sso-650", "altitude_km", 650.0, "S", "Project Suncatcher orbit (~650 km)"),
    ("sso-650", "inclination_deg", 98.0, "D", "sun-synchronous at 650 km"),
    ("sso-650", "c_heavy_ion", 101.75, "D", "Petersen C interpolated 600-700 km 90 deg"),
    ("sso-650", "c_proton", 62.25, "D", "Petersen C interpolated 600-700 km 90 deg"),
    ("sso-650", "dose_rad_per_y", 150.0, "V", "Google: 750 rad(Si) per 5 y, shielded"),
    ("sso-650", "saa_fraction", 0.07, "U", "reference default 5-10 %"),
    ("sso-650", "saa_share", 0.975, "V", "Xu et al. 2025 (LEO SRAM)"),
    (
        "sso-650",
        "spe_ion_share",
        0.02,
        "U",
        "heavy-ion rates: SPE flux only over the polar caps; placeholder",
    ),
    (
        "sso-650",
        "spe_transmission",
        0.2138,
        "U",
        "SPENVIS's 825 km 98.8 deg factor moved down; cutoffs rise ~10% lower down",
    ),
    (
        "sso-650",
        "trapped_solar_ratio",
        1.4,
        "D",
        "AP-8 MIN/MAX, IRBEM aep8 (2026-12-07): 1.38 >10 MeV, 1.34 >30 MeV",
    ),
    ("sso-800", "altitude_km", 800.0, "V", "preset definition"),
    ("sso-800", "inclination_deg", 98.6, "D", "sun-synchronous at 800 km"),
    ("sso-800", "c_heavy_ion", 104.5, "S", "Petersen 1998 C, 800 km 90 deg (digitised)"),
    ("sso-800", "c_proton", 128.4, "S", "Petersen 1998 C, 800 km 90 deg (digitised)"),
    ("sso-800", "dose_rad_per_y", 400.0, "U", "placeholder; the curve: behind 12.7 mm Al"),
    ("sso-800", "saa_fraction", 0.08, "U", "reference default 5-10 %"),
    ("sso-800", "saa_share", 0.975, "V", "Xu et al. 2025 (LEO SRAM)"),
    (
        "sso-800",
        "spe_ion_share",
        0.02,
        "U",
        "heavy-ion rates: SPE flux only over the polar caps; placeholder",
    ),
    (
        "sso-800",
        "spe_transmission",
        0.2138,
        "D",
        "SPENVIS exposure factor at 825 km 98.8 deg, 25 km higher (reliability.solar)",
    ),
    (
        "sso-800",
        "trapped_solar_ratio",
        1.3,
        "D",
        "AP-8 MIN/MAX, IRBEM aep8 (2026-12-07): 1.26 >10 MeV, 1.27 >30 MeV",
    ),
    # GNSS-like MEO and GEO: no trapped protons, full GCR and SPE exposure
    ("meo-gnss", "altitude_km", 20200.0, "V", "GPS constellation altitude"),
    ("meo-gnss", "inclination_deg", 55.0, "V", "GPS inclination"),
    ("meo-gnss", "c_heavy_ion", 309.0, "S", "Petersen 1998 C, 20 000 km (306-312)"),
    ("meo-gnss", "c_proton", 0.0, "S", "Petersen 1998: no trapped-proton term"),
    ("meo-gnss", "dose_rad_per_y", 2000.0, "U", "outer-belt electrons; the curve: 8.5 mm Al"),
    ("meo-gnss", "saa_fraction", 0.0, "D", "no SAA above the inner belt"),
    ("meo-gnss", "saa_share", 0.0, "D", "no SAA above the inner belt"),
    (
        "meo-gnss",
        "spe_ion_share",
        0.1,
        "U",
        "heavy-ion rates: no geomagnetic shielding; placeholder",
    ),
    (
        "meo-gnss",
        "spe_transmission",
        0.903,
        "U",
        "no trapped protons >30 MeV: unused; SPENVIS's HEO run (2,500 x 70,000 km) gave it",
    ),
    ("meo-gnss", "trapped_solar_ratio", 1.0, "D", "no trapped-proton term"),
    ("geo", "altitude_km", 35786.0, "V", "geostationary altitude"),
    ("geo", "inclination_deg", 0.0, "V", "geostationary"),
    ("geo", "c_heavy_ion", 340.0, "D", "Petersen's 20-30 Mm plateau, not 485; CREME96: 327-344"),
    ("geo", "c_proton", 0.0, "S", "Petersen 1998: no trapped-proton term"),
    ("geo", "dose_rad_per_y", 500.0, "U", "placeholder; the curve: 10.8 mm Al (17 krad/y at 4)"),
    ("geo", "saa_fraction", 0.0, "D", "no SAA"),
    ("geo", "saa_share", 0.0, "D", "no SAA"),
    ("geo", "spe_ion_share", 0.1, "U", "heavy-ion rates: no geomagnetic shielding; placeholder"),
    (
        "geo",
        "spe_transmission",
        1.0,
        "U",
        "no trapped protons >30 MeV: unused; cutoffs at 6.6 Earth radii pass most",
    ),
    ("geo", "trapped_solar_ratio", 1.0, "D", "no trapped-proton term"),
    # solar cycle and solar particle events (all orbits)
    (
        "*",
        "saa_passes_per_day",
        6.0,
        "U",
        "SSO assumed: Swift (20.6 deg) 7 consecutive orbits a day (Swift handbook)",
    ),
    ("*", "gcr_solar_ratio", 2.0, "U", "heavy-ion SEU rate, solar min / solar max"),
    ("*", "spe_per_active_year", 6.0, "U", "'several' per active year (JPL91/ESP)"),
    ("*", "spe_duration_median_h", 48.0, "U", "lognormal duration, 1-3 day median"),
    ("*", "spe_duration_sigma", 0.5, "U", "spread of ln(duration)"),
    (
        "*",
        "spe_fluence_per_active_year",
        round(_solar.SPE_FLUENCE_30MEV, -6),
        "D",
        ">30 MeV at 1 AU, per cm^2: ESP-PSYCHIC mean from two SPENVIS runs (solar.esp_fit)",
    ),
    (
        "*",
        "spe_proton_response",
        0.96,
        "D",
        "MEO/GEO event protons: C_p per >30 MeV trapped flux, SSO presets 0.84-1.04",
    ),
    (
        "*",
        "spe_intensity_sigma",
        round(_solar.event_sigma(6.0, _solar.SPE_FLUENCE_VARIANCE, 0.5), 3),
        "D",
        "ln intensity, mean 1: ESP's variance over 6 events a year (solar.event_sigma)",
    ),
    ("*", "cycle_phase_y", 0.0, "U", "years into the cycle at launch (0 = start of active)"),
)

#: where each preset's node is when the campaign does not say: (key, value, tag, source)
NODE_DEFAULTS: dict[str, tuple[str, float, str, str]] = {
    "sso-500": ("ltan_h", 18.0, "D", "dawn-dusk by the preset's definition"),
    "sso-650": ("ltan_h", 18.0, "D", "dawn-dusk by the preset's definition (Suncatcher)"),
    "sso-800": ("ltan_h", 18.0, "D", "dawn-dusk by the preset's definition"),
    "iss-400": (
        "raan_deg",
        0.0,
        "U",
        "placeholder: the node drifts 5 deg a day, so the season sets beta more than the start",
    ),
    "meo-gnss": ("raan_deg", 0.0, "U", "placeholder: one of the six GPS planes"),
    "geo": ("raan_deg", 0.0, "D", "equatorial: the node does not matter"),
}
