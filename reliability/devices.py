"""Published device responses, as radiation entries a campaign can name.

``radiation = [{ device = "tpu-v6e" }]`` in a unit type expands to the entries below
(validated like hand-written ones); ``memory = { device = "ddr4", bits = ... }``
takes the memory's upset response and multi-bit behaviour from here. Sources and
evidence tags follow ``shared/reference/radiation.md`` §3 (V primary, S secondary,
U placeholder, D derived). This module is data only.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DEVICES", "MEMORIES"]

#: device -> (entries, evidence tag, source)
DEVICES: dict[str, tuple[tuple[dict[str, Any], ...], str, str]] = {
    "tpu-v6e": (
        (
            # 1 per 14.4-20 rad; 1 per 17 rad is the middle of the range
            {"class": "sdc", "per_rad": 1 / 17},
            {"class": "due", "name": "hbm-uecc", "per_rad": 1 / 44, "recover": "10 min"},
            {"class": "sefi", "per_rad": 1 / 5000, "recover": "30 min"},
        ),
        "S",
        "Google Suncatcher (arXiv:2511.19468) 67 MeV proton tests, dose proxy; recovery times U",
    ),
    "jetson-orin-nx": (
        (
            # proton limiting cross-sections per device at 480 MeV (TRIUMF)
            {"class": "sefi", "name": "soc-sefi", "proton_sigma": 1.1e-9, "recover": "2 min"},
            {"class": "sefi", "name": "gpu-sefi", "proton_sigma": 6.5e-10, "recover": "2 min"},
            {"class": "sdc", "name": "gpu-seu", "proton_sigma": 3.5e-10},
        ),
        "S",
        (
            "Rodriguez-Ferrandez et al. 2024 (SoC SEFI 0.7-1.6e-9, GPU SEU 3.5e-10, GPU SEFI "
            "6.5e-10 cm^2); rate by Petersen's proton figure of merit [U accuracy 2-3x]"
        ),
    ),
    "jetson-tx2": (
        ({"class": "sefi", "proton_sigma": 1e-9, "recover": "5 min"},),
        "S",
        (
            "Wyrwas (NASA GSFC) 200 MeV protons: SEU ~1e-9 cm^2, a SEFI needing a power cycle "
            "in every run (SEFI taken at the SEU cross-section, U)"
        ),
    ),
}

#: memory -> (upset response, extra memory keys, evidence tag, source)
MEMORIES: dict[str, tuple[dict[str, Any], dict[str, Any], str, str]] = {
    "ddr4": (
        {"weibull": {"sigma_sat": 3e-11, "l0": 0.5, "w": 10.0, "s": 1.5}},
        {},
        "S",
        "Dufour et al. RADECS 2022: sigma_sat 1e-11-1e-10 cm^2/bit, L_th ~0.5; W and s U",
    ),
    "cots-sram": (
        {"per_bit_day": 4.04e-7},
        {"mbu_fraction": 0.0122, "mbu_span": 2},
        "V",
        (
            "Alsat-1 (~690 km SSO) on-orbit SRAM upsets: 4.04e-7 per bit-day, 1.22 % double; "
            "legacy sub-micron COTS SRAM (a 2002 80C386EX computer), protons included. "
            "Modern small-geometry SRAM is lower: 28 nm about 4.4e-8 there [D, from "
            "Microchip RT PolarFire heavy-ion fits], FinFET lower still [U]"
        ),
    ),
    "hbm2": (
        # 32 GiB (2.75e11 bits) x 1.07e-13 x 0.315 x 365.25 = 3.4 multi-bit upsets a year,
        # each uncorrectable by SEC-DED: the TPU v6e's measured HBM rate in that orbit
        {"per_bit_day": 1.07e-13},
        {"mbu_fraction": 0.315, "mbu_span": 2},
        "D",
        (
            "TPU v6e HBM (Suncatcher, S): 3.4 uncorrectable per chip-year at 150 rad/y "
            "(650 km SSO), read as the 31.5 % multi-bit upsets of V100 HBM2 neutron data "
            "(MICRO'21, S) over 32 GiB; was 1e-10, about 900x that (issue 15)"
        ),
    ),
}
