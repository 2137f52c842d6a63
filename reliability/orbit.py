"""Orbit geometry: the Sun's direction, the solar beta angle over the mission, nodal
precession and eclipses.

Circular orbits about a spherical Earth (R = 6378.137 km, WGS-84 equatorial radius;
mu = 398600.4418 km^3/s^2) with the J2 nodal drift (J2 = 1.08263e-3), the Sun at
the low-precision position of the Astronomical Almanac (accurate to about 0.01 deg
from 1950 to 2050, ample for a beta angle), and a cylindrical Earth shadow:

* beta, the angle between the orbit plane and the Sun direction, follows from the
  Sun's ecliptic longitude Gamma, the obliquity epsilon, the right ascension of the
  ascending node Omega and the inclination i (Rickman, "Introduction to
  Orbital Mechanics and Spacecraft Attitudes for Thermal Engineers", NASA/JSC, 2014):
  sin(beta) = cos(Gamma) sin(Omega) sin(i) - sin(Gamma) cos(epsilon) cos(Omega) sin(i)
  + sin(Gamma) sin(epsilon) cos(i);
* the eclipse of a circular orbit at height h lasts
  T = (P / pi) arccos(sqrt(h^2 + 2 R h) / ((R + h) cos(beta))) for |beta| < beta*,
  beta* = arcsin(R / (R + h)), and none above (same source);
* a sun-synchronous orbit precesses 360 deg per tropical year; its inclination
  solves cos(i) = -(2/3) (dOmega/dt) a^(7/2) / (J2 R^2 sqrt(mu)) (Vallado,
  "Fundamentals of Astrodynamics and Applications", 4th ed., 2013, eq. 9-43); its
  node keeps its local time, so a dawn-dusk orbit (local time of the ascending node
  18:00 or 06:00) keeps the Sun near its orbit normal all year.

Times are hours from the mission start; the start is a date (``epoch``, a day of
year) because the season sets beta.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "EARTH_RADIUS_KM",
    "EARTH_ROTATION_RAD_S",
    "J2",
    "MU_KM3_S2",
    "beta_angle",
    "eclipse_fraction",
    "eclipse_minutes",
    "gmst_rad",
    "initial_raan_rad",
    "max_eclipse_beta",
    "node_drift_rad_per_h",
    "orbit_period_min",
    "sso_inclination_deg",
    "sun_longitude",
]

EARTH_RADIUS_KM = 6378.137  # WGS-84 equatorial radius
MU_KM3_S2 = 398600.4418  # Earth's gravitational parameter (WGS-84)
J2 = 1.08263e-3  # Earth's second zonal harmonic
OBLIQUITY_DEG = 23.439  # mean obliquity of the ecliptic, J2000 (Astronomical Almanac)
TROPICAL_YEAR_D = 365.2422
EARTH_ROTATION_RAD_S = 7.2921159e-5  # sidereal rotation rate (WGS-84)


def orbit_period_min(altitude_km: float) -> float:
    """Period of a circular orbit, minutes.

    >>> round(orbit_period_min(650.0), 2)
    97.73
    """
    a = EARTH_RADIUS_KM + altitude_km
    return 2 * math.pi * math.sqrt(a**3 / MU_KM3_S2) / 60.0


def max_eclipse_beta(altitude_km: float) -> float:
    """beta*, in degrees: above it the orbit sees no eclipse.

    >>> round(max_eclipse_beta(650.0), 1)
    65.2
    """
    return math.degrees(math.asin(EARTH_RADIUS_KM / (EARTH_RADIUS_KM + altitude_km)))


def eclipse_minutes(altitude_km: float, beta_deg: float | np.ndarray) -> np.ndarray:
    """Eclipse duration per orbit (cylindrical shadow), minutes.

    >>> [round(float(eclipse_minutes(650.0, b)), 1) for b in (0.0, 60.0, 66.0)]
    [35.4, 17.8, 0.0]
    """
    r, h = EARTH_RADIUS_KM, altitude_km
    cos_b = np.cos(np.radians(np.asarray(beta_deg, dtype=float)))
    arg = np.sqrt(h * h + 2 * r * h) / ((r + h) * np.maximum(cos_b, 1e-300))
    shade = np.arccos(np.clip(arg, -1.0, 1.0)) / math.pi
    return np.where(arg < 1.0, shade * orbit_period_min(altitude_km), 0.0)


def eclipse_fraction(altitude_km: float, beta_deg: float | np.ndarray) -> np.ndarray:
    """Share of each orbit in the Earth's shadow."""
    return eclipse_minutes(altitude_km, beta_deg) / orbit_period_min(altitude_km)


def node_drift_rad_per_h(altitude_km: float, inclination_deg: float) -> float:
    """J2 drift of the ascending node of a circular orbit, rad/h (negative: westward
    for prograde orbits)."""
    a = EARTH_RADIUS_KM + altitude_km
    n = math.sqrt(MU_KM3_S2 / a**3)  # rad/s
    rate = -1.5 * J2 * (EARTH_RADIUS_KM / a) ** 2 * n * math.cos(math.radians(inclination_deg))
    return rate * 3600.0


def sso_inclination_deg(altitude_km: float) -> float:
    """Inclination of the circular sun-synchronous orbit at ``altitude_km``.

    >>> round(sso_inclination_deg(650.0), 2)
    97.99
    """
    a = EARTH_RADIUS_KM + altitude_km
    rate = 2 * math.pi / (TROPICAL_YEAR_D * 86400.0)  # rad/s, eastward
    cos_i = -2.0 / 3.0 * rate * a**3.5 / (J2 * EARTH_RADIUS_KM**2 * math.sqrt(MU_KM3_S2))
    return math.degrees(math.acos(cos_i))


def sun_longitude(day_of_year: float | np.ndarray, year: int = 2027) -> np.ndarray:
    """Ecliptic longitude of the Sun (rad) at ``day_of_year`` (1.0 = 1 January 0 h UT)
    of ``year``: the Astronomical Almanac's low-precision formula."""
    # Julian date of day d of `year` (1.0: 1 January 0 h UT), valid 1901-2099
    jd = 367 * year - (7 * year) // 4 + 1721043.5 + np.asarray(day_of_year, dtype=float)
    n = jd - 2451545.0
    mean_lon = np.radians(280.460 + 0.9856474 * n)
    g = np.radians(357.528 + 0.9856003 * n)
    return mean_lon + np.radians(1.915) * np.sin(g) + np.radians(0.020) * np.sin(2 * g)


def beta_angle(
    t_h: float | np.ndarray,
    *,
    altitude_km: float,
    inclination_deg: float,
    raan_deg: float | None = None,
    ltan_h: float | None = None,
    epoch_day: float = 1.0,
    year: int = 2027,
) -> np.ndarray:
    """Solar beta angle (degrees) at mission times ``t_h``.

    The node starts at right ascension ``raan_deg``, or at the local time of the
    ascending node ``ltan_h`` (hours, 18.0 for a dawn-dusk orbit crossing the equator
    northwards at dusk), and drifts by J2; the mission starts on day ``epoch_day`` of
    ``year``. The Sun direction dotted with the orbit normal, in inertial axes.

    >>> b = beta_angle(np.arange(0, 8760, 24.0), altitude_km=650, inclination_deg=97.99,
    ...                ltan_h=18.0)
    >>> bool(b.min() > 55)  # a dawn-dusk SSO: the Sun stays near the orbit normal
    True
    """
    t = np.asarray(t_h, dtype=float)
    lam = sun_longitude(epoch_day + t / 24.0, year)
    raan0 = initial_raan_rad(raan_deg=raan_deg, ltan_h=ltan_h, epoch_day=epoch_day, year=year)
    raan = raan0 + node_drift_rad_per_h(altitude_km, inclination_deg) * t
    inc = math.radians(inclination_deg)
    eps = math.radians(OBLIQUITY_DEG)
    sun = np.stack([np.cos(lam), math.cos(eps) * np.sin(lam), math.sin(eps) * np.sin(lam)])
    normal = np.stack(
        [np.sin(inc) * np.sin(raan), -np.sin(inc) * np.cos(raan), np.full_like(raan, np.cos(inc))]
    )
    return np.degrees(np.arcsin(np.clip((sun * normal).sum(axis=0), -1.0, 1.0)))


def initial_raan_rad(
    *, raan_deg: float | None = None, ltan_h: float | None = None, epoch_day: float, year: int
) -> float:
    """Right ascension of the ascending node at the mission start, rad: ``raan_deg``,
    or the mean Sun's right ascension plus the hour angle of the node's local (mean
    solar) time ``ltan_h``."""
    if (raan_deg is None) == (ltan_h is None):
        raise ValueError("give raan_deg or ltan_h, one of them")
    if raan_deg is not None:
        return math.radians(raan_deg)
    # local time is mean solar time: the hour angle from the mean Sun, which moves
    # along the equator at the Sun's mean longitude (the true Sun is up to 4 deg, the
    # equation of time, away from it)
    jd = 367 * year - (7 * year) // 4 + 1721043.5 + epoch_day
    mean_sun = math.radians((280.460 + 0.9856474 * (jd - 2451545.0)) % 360.0)
    return mean_sun + math.radians(15.0 * (ltan_h - 12.0))


def gmst_rad(day_of_year: float, year: int = 2027) -> float:
    """Greenwich mean sidereal time (rad) at ``day_of_year`` (1.0 = 1 January 0 h UT):
    the Earth's rotation angle that turns inertial longitudes into geographic ones
    (Astronomical Almanac: 280.46061837 deg + 360.98564736629 deg per day from J2000;
    its drift, 0.1 s a century, is far below what a contact window needs).

    >>> round(math.degrees(gmst_rad(1.5, 2000)) % 360, 4)  # J2000.0
    280.4606
    """
    jd = 367 * year - (7 * year) // 4 + 1721043.5 + day_of_year
    return math.radians((280.46061837 + 360.98564736629 * (jd - 2451545.0)) % 360.0)
