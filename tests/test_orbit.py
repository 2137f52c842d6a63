"""Orbit geometry against the closed forms of issue 16 and an independent formula."""

import math

import numpy as np
import pytest

from reliability.orbit import (
    EARTH_RADIUS_KM,
    beta_angle,
    eclipse_minutes,
    max_eclipse_beta,
    node_drift_rad_per_h,
    orbit_period_min,
    sso_inclination_deg,
    sun_longitude,
)


def test_eclipse_duration_at_650_km():
    """Issue 16: 35.4 min at beta 0, 17.8 min at 60 deg, none above 65.2 deg."""
    assert float(eclipse_minutes(650, 0.0)) == pytest.approx(35.4, abs=0.05)
    assert float(eclipse_minutes(650, 60.0)) == pytest.approx(17.8, abs=0.05)
    assert max_eclipse_beta(650) == pytest.approx(65.2, abs=0.05)
    assert float(eclipse_minutes(650, 65.3)) == 0.0
    assert float(eclipse_minutes(650, -60.0)) == float(eclipse_minutes(650, 60.0))


def test_eclipse_of_geo_is_about_70_minutes_at_equinox():
    # cylindrical shadow: T = P * beta* / pi = 1436 min * 8.7 deg / 180 deg
    assert float(eclipse_minutes(35786, 0.0)) == pytest.approx(69.4, abs=0.3)


def test_eclipse_against_a_direct_shadow_test():
    """The closed form against sampling the orbit: the share of positions behind the
    Earth (cylindrical shadow) for a beta angle."""
    h, beta = 650.0, 40.0
    r = EARTH_RADIUS_KM + h
    u = np.linspace(0, 2 * np.pi, 2_000_001)[:-1]
    b = math.radians(beta)
    # position in a frame whose x axis is the Sun's projection on the orbit plane
    along_sun = r * np.cos(u) * math.cos(b)
    across = np.hypot(r * np.sin(u), r * np.cos(u) * math.sin(b))
    shadow = (along_sun < 0) & (across < EARTH_RADIUS_KM)
    assert shadow.mean() * orbit_period_min(h) == pytest.approx(
        float(eclipse_minutes(h, beta)), abs=1e-3
    )


def _beta_formula(gamma, eps, raan, inc):
    """The standard formula (issue 16)."""
    return np.arcsin(
        np.cos(gamma) * np.sin(raan) * np.sin(inc)
        - np.sin(gamma) * np.cos(eps) * np.cos(raan) * np.sin(inc)
        + np.sin(gamma) * np.sin(eps) * np.cos(inc)
    )


@pytest.mark.parametrize(
    ("altitude", "inclination", "raan"),
    [(650.0, None, 257.3), (420.0, 51.6, 0.0), (420.0, 51.6, 123.0)],
    ids=["sso-650", "iss-raan0", "iss-raan123"],
)
def test_beta_over_a_year_matches_the_standard_formula(altitude, inclination, raan):
    inc = sso_inclination_deg(altitude) if inclination is None else inclination
    t = np.arange(0.0, 8760.0, 6.0)
    beta = beta_angle(t, altitude_km=altitude, inclination_deg=inc, raan_deg=raan)
    gamma = sun_longitude(1.0 + t / 24.0)
    node = math.radians(raan) + node_drift_rad_per_h(altitude, inc) * t
    expected = _beta_formula(gamma, math.radians(23.439), node, math.radians(inc))
    assert np.abs(np.radians(beta) - expected).max() < 1e-6


def test_a_sun_synchronous_node_keeps_pace_with_the_sun():
    inc = sso_inclination_deg(650.0)
    assert inc == pytest.approx(97.99, abs=0.02)  # published: 97.99 deg at 650 km
    per_day = math.degrees(node_drift_rad_per_h(650.0, inc)) * 24
    assert per_day == pytest.approx(360 / 365.2422, rel=1e-9)


def test_dawn_dusk_sso_sees_eclipses_only_near_the_june_solstice():
    t = np.arange(0.0, 8760.0, 24.0)
    beta = beta_angle(t, altitude_km=650.0, inclination_deg=sso_inclination_deg(650.0), ltan_h=18.0)
    shaded = eclipse_minutes(650.0, beta) > 0
    days = np.flatnonzero(shaded)
    assert 0 < days.size < 120  # an eclipse season, not the whole year
    assert 120 < days.mean() < 230  # around the June solstice (day 172)
    assert np.abs(beta).max() <= 90.0


def test_iss_like_beta_reaches_inclination_plus_obliquity():
    t = np.arange(0.0, 8760.0, 1.0)
    beta = beta_angle(t, altitude_km=420.0, inclination_deg=51.6, raan_deg=0.0)
    assert np.abs(beta).max() == pytest.approx(51.6 + 23.44, abs=0.3)


def test_sun_longitude_at_the_2027_march_equinox():
    # 2027 March 20, 20:25 UT (USNO): the Sun's longitude crosses 0
    day = 31 + 28 + 20 + (20 + 25 / 60) / 24
    assert math.degrees(float(sun_longitude(day, 2027))) % 360 == pytest.approx(360, abs=0.02)


def test_gmst_turns_a_sidereal_day_a_day():
    """The rate, not only J2000's constant: 360.98564736629 deg a day, so the Earth
    turns 360 deg in a sidereal day (23 h 56 min 4.09 s)."""
    from reliability.orbit import EARTH_ROTATION_RAD_S, gmst_rad

    a, b = gmst_rad(1.0, 2027), gmst_rad(2.0, 2027)
    assert math.degrees(b - a) % 360 == pytest.approx(0.98564736629, abs=1e-9)
    sidereal_day = 2 * math.pi / EARTH_ROTATION_RAD_S
    assert sidereal_day == pytest.approx(86164.09, abs=0.01)
    # 2027-01-01 0 h UT: 6.6948 h of sidereal time (Astronomical Almanac formula)
    assert math.degrees(a) / 15 == pytest.approx(6.6948, abs=1e-3)
