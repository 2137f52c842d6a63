"""Electrical power of a satellite: how many compute units its solar array and battery
can run, in sunlight and in eclipse, day by day over the mission.

Each satellite (each group of the power level) carries a solar array and a battery
and feeds its bus and its compute units. Per orbit of period P with an eclipse of
T_e (from the beta angle, :mod:`reliability.orbit`) and T_s = P - T_e in sunlight:

* the array gives ``array_w`` at the beginning of life, less ``degradation_per_y``
  compounded each year, and nothing in eclipse. Telemetry of eleven GEO
  communication satellites gave 0.44-1.03 % a year for GaAs cells and 0.71-1.69 % for
  silicon (Lohmeyer, Aniceto, Cahoy and Carlton, Int. J. Space Sci. Eng. 5(1), 2018)
  [V]; LEO arrays also lose to atomic oxygen and thermal cycling [U];
* the battery stores ``battery_wh``, of which ``depth_of_discharge`` may be drawn
  per eclipse (kept shallow in LEO, where a battery cycles some 5,500 times a year,
  for cycle life) [U: no sourced number here]; energy put into it returns
  ``charge_efficiency`` (round trip) [U];
* the bus draws ``bus_w`` always; each running compute unit ``unit_w``.

Two policies say which units run (the satellite's units beyond them are shed, as
usable but unpowered):

``sun-first`` (the default)
    sunlight runs every unit the array can carry after recharging what the bus
    draws in eclipse: n_s = (P_a - bus - bus T_e / (eta T_s)) / unit_w; eclipse
    runs the units that the energy left over and the battery allow:
    n_e = min((P_a - bus - n_s u) T_s eta - bus T_e, DoD E - bus T_e) / (u T_e).
    Before rounding to whole units this maximises the orbit's unit-hours: a unit
    run in eclipse costs 1/eta of itself in sunlight.
``uniform``
    the same count all orbit (a job that cannot pause in eclipse):
    n = min(P_a T_s / (T_s + T_e / eta), DoD E / T_e) - bus, over unit_w.

Counts are whole units, at most the satellite's slots, at least 0. Days whose
counts are equal are merged into one piece, with the eclipse share of the piece the
mean over its days: every integral the engine takes over a piece (capacity, served
demand, time meeting an SLO) is linear in that share, so the merge is exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "POLICIES",
    "PowerPieces",
    "PowerSystem",
    "eclipse_table",
    "power_pieces",
    "units_powered",
]

POLICIES = ("sun-first", "uniform")


@dataclass(frozen=True, slots=True, kw_only=True)
class PowerSystem:
    """One satellite's power system (see the module docstring); ``level`` names the
    tree level whose groups each carry one."""

    level: str
    array_w: float
    degradation_per_y: float = 0.0
    battery_wh: float
    depth_of_discharge: float
    charge_efficiency: float = 0.9
    bus_w: float = 0.0
    unit_w: float
    policy: str = "sun-first"


@dataclass(frozen=True, slots=True)
class PowerPieces:
    """Units each satellite can run, as steps over the mission: piece starts (h), the
    most units in sunlight, the units in eclipse by usable units (pieces x slots + 1,
    see :func:`eclipse_table`), and the share of each piece in eclipse."""

    start_h: np.ndarray
    sun: np.ndarray
    eclipse: np.ndarray
    eclipse_share: np.ndarray


def units_powered(
    ps: PowerSystem, array_w: float, period_h: float, eclipse_h: float, slots: int
) -> tuple[int, int]:
    """Units one satellite runs in sunlight and in eclipse for one orbit.

    Examples
    --------
    >>> ps = PowerSystem(level="sat", array_w=10_000, battery_wh=4000,
    ...                  depth_of_discharge=0.3, bus_w=1000, unit_w=500)
    >>> units_powered(ps, 10_000, 1.6, 0.0, 32)   # no eclipse: (10000 - 1000) / 500
    (18, 18)
    >>> units_powered(ps, 10_000, 1.6, 0.6, 32)
    (16, 1)
    """
    u, bus, eta = ps.unit_w, ps.bus_w, ps.charge_efficiency
    t_e = eclipse_h
    t_s = period_h - t_e
    store = ps.depth_of_discharge * ps.battery_wh  # energy one eclipse may draw

    def whole(x: float) -> int:
        return int(min(slots, max(0, math.floor(x + 1e-9))))

    if t_e <= 0.0:
        n = whole((array_w - bus) / u)
        return n, n
    if ps.policy == "uniform":
        load = min(array_w * t_s / (t_s + t_e / eta), store / t_e)
        n = whole((load - bus) / u)
        return n, n
    n_s = whole((array_w - bus - bus * t_e / (eta * t_s)) / u)
    return n_s, _eclipse_units(ps, array_w, t_s, t_e, n_s)


def _eclipse_units(ps: PowerSystem, array_w: float, t_s: float, t_e: float, sun: int) -> int:
    """Sun-first: the units the energy left over after ``sun`` units ran in sunlight,
    and the battery, carry through the eclipse (at most ``sun``)."""
    u, bus, eta = ps.unit_w, ps.bus_w, ps.charge_efficiency
    store = ps.depth_of_discharge * ps.battery_wh
    left = min((array_w - bus - sun * u) * t_s * eta, store) - bus * t_e
    return int(min(sun, max(0, math.floor(left / (u * t_e) + 1e-9))))


def eclipse_table(
    ps: PowerSystem, array_w: float, period_h: float, eclipse_h: float, slots: int
) -> np.ndarray:
    """Units a satellite runs in eclipse when ``j`` of its units are usable, for
    ``j = 0 .. slots``: under ``sun-first`` one that lost units draws less in sunlight
    and has more energy left for the eclipse.

    Examples
    --------
    >>> ps = PowerSystem(level="sat", array_w=10_000, battery_wh=4000,
    ...                  depth_of_discharge=0.3, bus_w=1000, unit_w=500)
    >>> eclipse_table(ps, 10_000, 1.6, 0.6, 32)[[0, 1, 14, 16, 32]].tolist()
    [0, 1, 2, 1, 1]
    """
    n_s, n_e = units_powered(ps, array_w, period_h, eclipse_h, slots)
    use = np.arange(slots + 1)
    if eclipse_h <= 0.0 or ps.policy == "uniform":
        return np.minimum(use, n_e)
    t_s = period_h - eclipse_h
    return np.array([min(j, _eclipse_units(ps, array_w, t_s, eclipse_h, min(j, n_s))) for j in use])


def power_pieces(
    ps: PowerSystem | None,
    *,
    slots: int,
    period_h: float,
    eclipse_min: np.ndarray,
    mission_h: float,
    k: int = 0,
    cap: np.ndarray | None = None,
) -> PowerPieces:
    """The steps of units powered per satellite over the mission, from each day's
    eclipse minutes per orbit (``eclipse_min[d]`` for day ``d``; the array's power at
    the day's middle). A satellite with fewer than ``k`` usable units is down and runs
    nothing: its entries of the eclipse table are 0, so that days differing only there
    share a piece. ``cap[d]``: at most that many units run on day ``d`` (the radiator's
    limit, :func:`reliability.thermal.units_cooled`); ``ps`` None: power limits none."""
    days = len(eclipse_min)
    starts, sun, ecl, share = [], [], [], []
    for d in range(days):
        t0 = 24.0 * d
        if t0 >= mission_h:
            break
        t_e = float(eclipse_min[d]) / 60.0
        if ps is None:
            n_s, table = slots, np.arange(slots + 1)
        else:
            age_y = (t0 + min(12.0, 0.5 * (mission_h - t0))) / 8760.0
            array = ps.array_w * (1.0 - ps.degradation_per_y) ** age_y
            n_s, _ = units_powered(ps, array, period_h, t_e, slots)
            table = eclipse_table(ps, array, period_h, t_e, slots)
        if cap is not None:
            n_s = int(min(n_s, cap[d]))
            table = np.minimum(table, int(cap[d]))
        table[:k] = 0
        hours = min(24.0, mission_h - t0)
        if sun and sun[-1] == n_s and np.array_equal(ecl[-1], table):
            share[-1] += (t_e / period_h) * hours
        else:
            starts.append(t0)
            sun.append(n_s)
            ecl.append(table)
            share.append((t_e / period_h) * hours)
    ends = [*starts[1:], mission_h]
    frac = [s / (e - t) for s, t, e in zip(share, starts, ends, strict=True)]
    return PowerPieces(
        np.array(starts, dtype=float),
        np.array(sun, dtype=np.int64),
        np.array(ecl, dtype=np.int64).reshape(len(starts), slots + 1),
        np.array(frac, dtype=float),
    )
