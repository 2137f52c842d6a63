"""Dose-depth curves and protons slowed by aluminium (reliability.shielding)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reliability.shielding import (
    AL_DENSITY_G_CM3,
    AL_NUCLEAR_LENGTH_G_CM2,
    PSTAR_AL,
    DoseDepth,
    proton_range_g_cm2,
    shield_protons,
)


def test_curve_reproduces_its_table_and_is_log_linear_between():
    c = DoseDepth((1.0, 2.0, 4.0), (1000.0, 100.0, 50.0), (10.0, 8.0, 5.0), source="t")
    for mm, dose in zip(c.depth_mm, c.total_rad_per_y, strict=True):
        assert c.at(mm) == pytest.approx(dose, rel=1e-12)
    assert c.at(1.5) == pytest.approx(math.sqrt(1000.0 * 100.0), rel=1e-12)
    assert c.proton_at(3.0) == pytest.approx(math.sqrt(8.0 * 5.0), rel=1e-12)


def test_curve_is_not_extrapolated():
    c = DoseDepth((1.0, 2.0), (10.0, 5.0), source="table.txt")
    with pytest.raises(ValueError, match=r"outside the dose-depth table \(1-2 mm of table.txt\)"):
        c.at(3.0)


@pytest.mark.parametrize(
    ("depth", "dose"),
    [((1.0,), (1.0,)), ((2.0, 1.0), (1.0, 1.0)), ((1.0, 2.0), (1.0, 0.0))],
)
def test_malformed_curves_are_refused(depth, dose):
    with pytest.raises(ValueError):
        DoseDepth(depth, dose, source="x")


def test_range_table_is_pstar_at_its_points():
    for e, r in PSTAR_AL:
        assert float(proton_range_g_cm2(e)) == pytest.approx(r, rel=1e-12)


def test_spectrum_of_range_is_shifted_exactly():
    # a spectrum that is a function of the range, Phi0(>E) = R(E)^-2, comes out behind t
    # as (R(E) + rho t)^-2 exp(-rho t / lambda): the CSDA transport in closed form
    energies = np.geomspace(1.0, 500.0, 240)
    outside = tuple((float(e), float(proton_range_g_cm2(e)) ** -2.0) for e in energies)
    mm = 7.0
    rho_t = AL_DENSITY_G_CM3 * mm / 10.0
    behind = shield_protons(outside, mm)
    assert len(behind) > 20
    for e, phi in behind:
        exact = (float(proton_range_g_cm2(e)) + rho_t) ** -2.0 * math.exp(
            -rho_t / AL_NUCLEAR_LENGTH_G_CM2
        )
        assert phi == pytest.approx(exact, rel=2e-3)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 30.0), st.floats(0.0, 30.0))
def test_more_aluminium_never_lets_more_protons_through(a, b):
    outside = ((1.0, 500.0), (10.0, 100.0), (50.0, 40.0), (100.0, 20.0), (300.0, 2.0))
    thin, thick = sorted((a, b))
    lo = dict(shield_protons(outside, thick))
    hi = dict(shield_protons(outside, thin))
    for e, phi in lo.items():
        assert phi <= hi[e] * (1 + 1e-12)


def test_negative_shielding_is_refused():
    with pytest.raises(ValueError, match="non-negative"):
        shield_protons(((1.0, 2.0), (2.0, 1.0)), -1.0)


def test_electron_factor_scales_the_electron_part_only():
    c = DoseDepth((1.0, 2.0, 4.0), (1000.0, 100.0, 50.0), (10.0, 8.0, 5.0), "t", (985, 90, 44))
    half = c.electrons_scaled(0.5)
    for i, mm in enumerate(c.depth_mm):  # the table's depths; log-linear between
        e = c.electron_rad_per_y[i]
        assert half.at(mm) == pytest.approx(c.total_rad_per_y[i] - 0.5 * e, rel=1e-12)
        assert half.electron_rad_per_y[i] == pytest.approx(0.5 * e, rel=1e-12)
        assert half.proton_at(mm) == pytest.approx(c.proton_at(mm), rel=1e-12)
    assert half.at(3.0) < c.at(3.0)
    assert c.electrons_scaled(1.0).at(3.0) == pytest.approx(c.at(3.0), rel=1e-12)
    assert half.source == "t, electrons x0.5"
    with pytest.raises(ValueError, match="no electron part"):
        DoseDepth((1.0, 2.0), (10.0, 5.0), (1.0, 1.0), source="x").electrons_scaled(0.5)
    with pytest.raises(ValueError, match="one non-negative electron dose per depth"):
        DoseDepth((1.0, 2.0), (10.0, 5.0), None, "x", (1.0,))
