"""Links: when a satellite sees a ground station, and how much of its results the
downlink and its on-board store can carry.

Geometry. A circular orbit (:mod:`reliability.orbit`: J2 nodal and along-track
drifts, a spherical Earth turning at the sidereal rate) starts at its ascending node
at the mission start; a geostationary slot is held where it starts.
A station at latitude phi and longitude L with an elevation mask eps sees the
satellite while the Earth central angle between them is below the coverage angle
lambda = arccos(R cos(eps) / (R + h)) - eps (Wertz and Larson, "Space Mission
Analysis and Design", 3rd ed., 1999, sec. 5.3: lambda = 90 deg - eps - eta with
sin(eta) = cos(eps) R / (R + h); the same) [D]. Contact windows are found on a
20 s grid, their edges refined by false position to well under a millisecond (a
pass of under 20 s may be missed: a loss of well under 1 % of the contact time at a
5-10 deg mask). Every satellite of
an orbit sees the same windows (phasing shifts them, the long-run share stays), and
a station serves every satellite in view at once (one antenna each) [U].

Carrying results. A satellite produces ``output_gb_per_unit_h`` for each unit-hour
of work; its store holds ``buffer_gb``; the downlink empties it at ``downlink_gbps``
while a station is in view, and an always-on relay (an optical link to a GEO relay)
at ``relay_gbps``. The store is a fluid queue with both rates constant between
window edges, so each stretch has a closed form: with input a and drain c, content x
moves at a - c, clipped to [0, buffer]; a full store stalls the compute that feeds
it (results are not thrown away). :func:`carry` runs it over the mission for each
count of running units: the delivered share, per count, is what the engine applies
(see ``reliability.engine._account``): a satellite running j units delivers
``table[j]`` units' worth. The mean time a result waits on board follows from
Little's law (mean content over the delivery rate).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from reliability.orbit import (
    EARTH_RADIUS_KM,
    EARTH_ROTATION_RAD_S,
    J2,
    node_drift_rad_per_h,
    orbit_period_min,
)

__all__ = [
    "GB_PER_H_PER_GBPS",
    "Carried",
    "Links",
    "Station",
    "along_track_rad_s",
    "carry",
    "contact_fraction_integral",
    "contact_windows",
    "coverage_angle_deg",
    "geostationary",
    "overhead_pass_min",
    "station_in_reach",
]

GB_PER_H_PER_GBPS = 3600.0 / 8.0  # 1 Gbit/s carries 450 GB an hour
_STEP_S = 20.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Station:
    """A ground station: geodetic latitude and longitude (east), degrees."""

    name: str
    lat_deg: float
    lon_deg: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Links:
    """Each satellite's (each group of ``level``) downlink and store; see the module
    docstring."""

    level: str
    stations: tuple[Station, ...] = ()
    elevation_mask_deg: float = 10.0
    downlink_gbps: float = 0.0
    relay_gbps: float = 0.0
    buffer_gb: float = 0.0
    output_gb_per_unit_h: float


def coverage_angle_deg(altitude_km: float, mask_deg: float) -> float:
    """Earth central angle of a station's coverage circle, degrees.

    >>> round(coverage_angle_deg(650.0, 10.0), 2)
    16.65
    """
    r = EARTH_RADIUS_KM
    eps = math.radians(mask_deg)
    return math.degrees(math.acos(r * math.cos(eps) / (r + altitude_km)) - eps)


def along_track_rad_s(altitude_km: float, inclination_deg: float) -> float:
    """Rate of the argument of latitude of a circular orbit with J2, rad/s:
    n (1 + (3/4) J2 (R/a)^2 (6 - 8 sin^2 i)) (the mean anomaly's and the perigee's
    secular rates added; Vallado 2013, eqs. 9-41 and 9-42 at e = 0)."""
    a = EARTH_RADIUS_KM + altitude_km
    n = 2 * math.pi / (orbit_period_min(altitude_km) * 60.0)
    s2 = math.sin(math.radians(inclination_deg)) ** 2
    return n * (1.0 + 0.75 * J2 * (EARTH_RADIUS_KM / a) ** 2 * (6.0 - 8.0 * s2))


def geostationary(altitude_km: float, inclination_deg: float) -> bool:
    """A station-kept geostationary slot: within 1 deg of the equator and 1 min of a
    sidereal day (its longitude is held, as operators do, not left to drift by J2)."""
    sidereal_min = 2 * math.pi / EARTH_ROTATION_RAD_S / 60.0
    return abs(inclination_deg) < 1.0 and abs(orbit_period_min(altitude_km) - sidereal_min) < 1.0


def overhead_pass_min(altitude_km: float, mask_deg: float) -> float:
    """Contact time of an overhead pass of an equatorial, prograde circular orbit over
    a station on the equator, minutes: 2 lambda / (du/dt + dOmega/dt - omega_E), the
    satellite's rate relative to the turning Earth (exact: both move along the
    equator; J2 adds its along-track and nodal drifts to the satellite's rate).

    >>> round(overhead_pass_min(650.0, 10.0), 2)
    9.67
    """
    rate = (
        along_track_rad_s(altitude_km, 0.0)
        + node_drift_rad_per_h(altitude_km, 0.0) / 3600.0
        - EARTH_ROTATION_RAD_S
    )
    lam = math.radians(coverage_angle_deg(altitude_km, mask_deg))
    return 2 * lam / rate / 60.0


def contact_fraction_integral(
    altitude_km: float, inclination_deg: float, lat_deg: float, mask_deg: float, *, points=20_001
) -> float:
    """Long-run share of time one station sees a satellite, by quadrature over the
    sub-satellite latitude: with the argument of latitude uniform, sin(phi) = sin(i)
    sin(u) gives the density cos(phi) / (pi sqrt(sin^2 i - sin^2 phi)); the longitude
    relative to the station is uniform (the Earth turns under a non-repeating track);
    at latitude phi the coverage circle spans the longitudes within
    arccos((cos(lambda) - sin(phi) sin(phi_s)) / (cos(phi) cos(phi_s))). An independent
    check of :func:`contact_windows` (tests and ``reliability verify``).
    """
    s_i = abs(math.sin(math.radians(inclination_deg)))
    lam = math.radians(coverage_angle_deg(altitude_km, mask_deg))
    phs = math.radians(lat_deg)
    # u over a quarter orbit covers phi in [0, i']: integrate in u (no endpoint
    # singularity), both hemispheres
    u = (np.arange(points) + 0.5) / points * (math.pi / 2)
    total = 0.0
    for sign in (1.0, -1.0):
        phi = sign * np.arcsin(s_i * np.sin(u))
        c = (math.cos(lam) - np.sin(phi) * math.sin(phs)) / np.maximum(
            np.cos(phi) * math.cos(phs), 1e-300
        )
        span = np.arccos(np.clip(c, -1.0, 1.0)) / math.pi  # share of longitudes in view
        total += span.mean() / 2
    return float(total)


def station_in_reach(
    station: Station,
    *,
    altitude_km: float,
    inclination_deg: float,
    raan0_rad: float,
    gmst0_rad: float,
    mask_deg: float,
) -> bool:
    """Can ``station`` ever see the satellite? A held geostationary slot: is the slot
    within its coverage; any other orbit: does the ground track come within it (the
    station's latitude less the coverage angle is below the inclination's reach)."""
    lam = math.radians(coverage_angle_deg(altitude_km, mask_deg))
    lat = math.radians(station.lat_deg)
    if geostationary(altitude_km, inclination_deg):
        slot = raan0_rad - gmst0_rad
        cos_gamma = math.cos(lat) * math.cos(math.radians(station.lon_deg) - slot)
        return math.acos(max(-1.0, min(1.0, cos_gamma))) < lam
    reach = math.radians(min(inclination_deg, 180.0 - inclination_deg))
    return abs(lat) - lam < reach


def contact_windows(
    *,
    altitude_km: float,
    inclination_deg: float,
    raan0_rad: float,
    gmst0_rad: float,
    stations: tuple[Station, ...],
    mask_deg: float,
    span_h: float,
    step_s: float = _STEP_S,
) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (h from the mission start) of the windows in which at least one
    of ``stations`` sees the satellite, over ``[0, span_h]``. The satellite is at its
    ascending node at the start; ``gmst0_rad`` is the Earth's rotation angle then."""
    if not stations or span_h <= 0:
        return np.zeros(0), np.zeros(0)
    n_rad_s = along_track_rad_s(altitude_km, inclination_deg)
    drift = node_drift_rad_per_h(altitude_km, inclination_deg) / 3600.0
    if geostationary(altitude_km, inclination_deg):  # the slot is held
        n_rad_s, drift = EARTH_ROTATION_RAD_S, 0.0
    inc = math.radians(inclination_deg)
    cos_lam = math.cos(math.radians(coverage_angle_deg(altitude_km, mask_deg)))
    lat = np.radians([s.lat_deg for s in stations])
    lon = np.radians([s.lon_deg for s in stations])
    sta = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    cos_i, sin_i = math.cos(inc), math.sin(inc)

    def above(ts: np.ndarray) -> np.ndarray:  # > 0: some station sees it at ts (s)
        u = n_rad_s * ts
        node = raan0_rad + drift * ts - gmst0_rad - EARTH_ROTATION_RAD_S * ts  # Earth-fixed
        cu, su = np.cos(u), np.sin(u)
        cn, sn = np.cos(node), np.sin(node)
        xyz = np.stack([cn * cu - sn * su * cos_i, sn * cu + cn * su * cos_i, su * sin_i], axis=1)
        return (xyz @ sta).max(axis=1) - cos_lam

    steps = math.ceil(span_h * 3600.0 / step_s) + 1
    t = np.minimum(np.arange(steps) * step_s, span_h * 3600.0)  # s
    g = np.empty(steps)
    chunk = 200_000  # bounded memory for long missions
    for a in range(0, steps, chunk):
        g[a : a + chunk] = above(t[a : a + chunk])
    inside = g > 0.0
    edge = np.flatnonzero(inside[1:] != inside[:-1])  # a crossing within (t[e], t[e + 1])
    lo, hi, g_lo, g_hi = t[edge], t[edge + 1], g[edge], g[edge + 1]
    for _ in range(4):  # false position: the crossing to well under a millisecond
        cross = lo + g_lo / (g_lo - g_hi) * (hi - lo)
        g_x = above(cross)
        left = (g_x > 0.0) == (g_lo > 0.0)
        lo, g_lo = np.where(left, cross, lo), np.where(left, g_x, g_lo)
        hi, g_hi = np.where(left, hi, cross), np.where(left, g_hi, g_x)
    cross = lo + g_lo / np.where(g_lo != g_hi, g_lo - g_hi, 1.0) * (hi - lo)
    rising = inside[edge + 1]
    starts = list(cross[rising] / 3600.0)
    ends = list(cross[~rising] / 3600.0)
    if inside[0]:
        starts.insert(0, 0.0)
    if inside[-1]:
        ends.append(span_h)
    return np.asarray(starts, dtype=float), np.asarray(ends, dtype=float)


@dataclass(frozen=True, slots=True)
class Carried:
    """What :func:`carry` found: ``table[j]``, the units' worth of results a satellite
    running ``j`` units delivers over the span (mission mean); and per capacity-grid
    cell: contact hours, the delivered share of the slots with every slot running, the
    mean time a result waits on board (minutes) with the most units the links carry in
    full running, and the longest stretch without a station (minutes)."""

    table: np.ndarray
    contact_h: np.ndarray
    ceiling: np.ndarray
    wait_min: np.ndarray
    gap_max_min: np.ndarray


def carry(
    links: Links, starts: np.ndarray, ends: np.ndarray, *, slots: int, edges: np.ndarray
) -> Carried:
    """Run the store (module docstring) over the windows ``starts``/``ends`` for each
    count of running units 0..slots, from empty at ``edges[0]`` to ``edges[-1]``.

    Examples
    --------
    With no store, a satellite only delivers in view, at most the link's rate:

    >>> lk = Links(level="sat", downlink_gbps=1.0, output_gb_per_unit_h=100.0)
    >>> c = carry(lk, np.array([1.0]), np.array([2.0]), slots=8, edges=np.array([0.0, 10.0]))
    >>> c.table.round(3).tolist()  # 450 GB an hour in view for 1 h of 10
    [0.0, 0.1, 0.2, 0.3, 0.4, 0.45, 0.45, 0.45, 0.45]
    """
    span0, span1 = float(edges[0]), float(edges[-1])
    cuts = np.unique(np.concatenate([starts, ends, edges]))
    cuts = cuts[(cuts >= span0) & (cuts <= span1)]
    lo, hi = cuts[:-1], cuts[1:]
    mid = 0.5 * (lo + hi)
    k = np.searchsorted(starts, mid, side="right") - 1
    in_view = (k >= 0) & (mid < np.append(ends, -np.inf)[np.where(k >= 0, k, -1)])
    drain = links.relay_gbps * GB_PER_H_PER_GBPS + in_view * links.downlink_gbps * GB_PER_H_PER_GBPS
    inputs = np.arange(slots + 1) * links.output_gb_per_unit_h  # GB/h by running units
    delivered, content, stalled = _fluid(hi - lo, drain, inputs, links.buffer_gb)
    span = span1 - span0
    # what a stalled store holds back is lost compute; what is still on board at the
    # end was computed, and counts
    lost = stalled.sum(axis=0) / np.maximum(inputs * span, 1e-300)
    table = np.arange(slots + 1) * (1.0 - np.minimum(1.0, lost))
    cell = np.searchsorted(edges, mid, side="right") - 1
    n_cells = len(edges) - 1
    width = np.diff(edges)
    ceiling = 1.0 - np.bincount(cell, stalled[:, -1], n_cells) / np.maximum(
        inputs[-1] * width, 1e-300
    )
    # waits at the most units carried in full: a satellite throttled to its links (at
    # full load a stalled store is always full, and the wait is only its size)
    j = int(np.flatnonzero(lost <= 1e-12)[-1])
    got = np.bincount(cell, delivered[:, j], n_cells)
    held = np.bincount(cell, content[:, j], n_cells)
    # none: even one unit stalls the store, and what waits is only the store's size
    wait = np.where((got > 0) & (j > 0), held / np.maximum(got, 1e-300), np.nan)
    contact = np.bincount(cell, (hi - lo) * in_view, n_cells)
    return Carried(
        table=table,
        contact_h=contact,
        ceiling=np.minimum(1.0, ceiling),
        wait_min=60.0 * wait,
        # a relay alone has no stations: no gaps to speak of
        gap_max_min=60.0 * _longest_gaps(starts, ends, edges)
        if links.stations
        else np.full(n_cells, np.nan),
    )


@njit(cache=True, nogil=True)
def _fluid(
    length: np.ndarray, drain: np.ndarray, inputs: np.ndarray, buffer: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # pragma: no cover - compiled (run through carry)
    """Delivered GB, content integral (GB h) and input held back by a full store (GB)
    of each stretch (rows) for each input rate (columns), from an empty store: closed
    forms per stretch, clipped to [0, buffer]. Compiled: a mission has some 10^5
    stretches."""
    rows, cols = length.size, inputs.size
    delivered = np.empty((rows, cols))
    content = np.empty((rows, cols))
    stalled = np.empty((rows, cols))
    for j in range(cols):
        a = inputs[j]
        x = 0.0
        for s in range(rows):
            tau, c = length[s], drain[s]
            r = a - c
            if r > 0.0:  # the store rises until full, delivering c all along
                tf = min((buffer - x) / r, tau)
                content[s, j] = x * tf + 0.5 * r * tf * tf + buffer * (tau - tf)
                delivered[s, j] = c * tau
                stalled[s, j] = r * (tau - tf)
                x = min(buffer, x + r * tau)
            else:  # it falls until empty, then passes the input straight on
                te = min(x / -r, tau) if r < 0.0 else tau
                content[s, j] = x * te + 0.5 * r * te * te
                delivered[s, j] = c * te + a * (tau - te)
                stalled[s, j] = 0.0
                x = max(0.0, x + r * tau)
    return delivered, content, stalled


def _longest_gaps(starts: np.ndarray, ends: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Per cell, the longest part of a stretch without a window that falls in it (h);
    a cell with no window at all is one gap."""
    out = np.diff(edges).astype(float)
    if starts.size == 0:
        return out
    gap_lo = np.concatenate([[edges[0]], ends])
    gap_hi = np.concatenate([starts, [edges[-1]]])
    keep = gap_hi > gap_lo
    gap_lo, gap_hi = gap_lo[keep], gap_hi[keep]
    for c in range(len(out)):
        part = np.minimum(gap_hi, edges[c + 1]) - np.maximum(gap_lo, edges[c])
        out[c] = max(0.0, float(part.max(initial=0.0)))
    return out
