"""Heat: each satellite's radiator temperature from what it dissipates and absorbs, each
unit's temperature above it, and the Arrhenius acceleration of temperature-driven
failure modes.

A radiator of area A and emissivity eps rejects eps sigma A T^4; in equilibrium it
carries the satellite's dissipation P (the bus and the units that run) and the
environmental heat it absorbs per square metre, q (the Sun, Earth albedo and Earth
infrared on its faces; more in sunlight than in eclipse):

    T_rad = ((P / A + q) / (eps sigma)) ** (1/4),

taken over each orbit's mean loads (a radiator and the electronics on it hold heat
for longer than an orbit: an assumption [D], state it in a design review). A running
unit sits ``unit_rise_k_per_w`` kelvin per watt above the radiator (its junction-to-
radiator resistance). A failure mode with an activation energy Ea ages faster by the
Arrhenius factor

    AF = exp((Ea / k_B) (1 / T_ref - 1 / T)),  k_B = 8.617333262e-5 eV/K (CODATA 2018),

relative to ``reference_c``, the temperature at which its life law is stated (JEDEC
JEP122H, "Failure Mechanisms and Models for Semiconductor Devices", uses the same
form) [V]. The factor is a rate profile of the mode: its ageing clock runs AF times
faster (the accelerated-life model of every rate profile), so a Weibull mode keeps
its shape and stretches its time. Units are taken as all up for the temperature
(fewer units running would run cooler): the model errs towards more wear.

Throttling: with ``max_unit_c`` a satellite runs at most the whole units that keep a
running unit at or below it over the orbit (:func:`units_cooled`), in sunlight and in
eclipse alike; the units beyond are usable but not run, as when power falls short.

Examples
--------
>>> round(float(arrhenius(0.7, 85.0, 55.0)), 2)
7.95
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "BOLTZMANN_EV_PER_K",
    "STEFAN_BOLTZMANN",
    "Thermal",
    "arrhenius",
    "heat_steps",
    "radiator_temperature_c",
    "units_cooled",
]

BOLTZMANN_EV_PER_K = 8.617333262e-5  # CODATA 2018, exact in the SI
STEFAN_BOLTZMANN = 5.670374419e-8  # W m^-2 K^-4, CODATA 2018
KELVIN = 273.15


@dataclass(frozen=True, slots=True, kw_only=True)
class Thermal:
    """One satellite's radiator and its units' temperature rise (see the module
    docstring); ``unit_w`` and ``bus_w`` are what they dissipate."""

    radiator_m2: float
    emissivity: float = 0.85
    absorbed_sun_w_m2: float = 0.0
    absorbed_eclipse_w_m2: float = 0.0
    unit_w: float
    bus_w: float = 0.0
    unit_rise_k_per_w: float = 0.0
    reference_c: float = 55.0
    max_unit_c: float | None = None  # the hottest a running unit may run (None: no limit)
    level: str | None = None  # whose members each carry a radiator (None: the outermost)


def arrhenius(ea_ev: float, t_c: float | np.ndarray, reference_c: float) -> np.ndarray:
    """Arrhenius acceleration at ``t_c`` relative to ``reference_c`` (degrees C)."""
    t = np.asarray(t_c, dtype=float) + KELVIN
    return np.exp(ea_ev / BOLTZMANN_EV_PER_K * (1.0 / (reference_c + KELVIN) - 1.0 / t))


def radiator_temperature_c(th: Thermal, dissipated_w: float, absorbed_w_m2: float) -> float:
    """Equilibrium radiator temperature (degrees C).

    >>> th = Thermal(radiator_m2=20.0, emissivity=0.9, unit_w=700.0)
    >>> round(radiator_temperature_c(th, 11_200.0, 0.0), 1)   # 560 W/m^2
    50.5
    """
    flux = dissipated_w / th.radiator_m2 + absorbed_w_m2
    return (flux / (th.emissivity * STEFAN_BOLTZMANN)) ** 0.25 - KELVIN


def units_cooled(th: Thermal, absorbed_w_m2: np.ndarray | float) -> np.ndarray:
    """Most units a satellite may run (orbit mean, not rounded) with a running unit at
    ``max_unit_c`` or below: the radiator rejects eps sigma T^4 per square metre at
    T = max_unit_c less the unit's own rise, and the bus takes its share first.
    Infinite without a limit.

    >>> th = Thermal(radiator_m2=20.0, emissivity=0.9, unit_w=700.0, max_unit_c=50.5)
    >>> round(float(units_cooled(th, 0.0)), 2)   # the docstring above: 16 units at 50.5 C
    16.0
    """
    absorbed = np.asarray(absorbed_w_m2, dtype=float)
    if th.max_unit_c is None:
        return np.full(absorbed.shape, np.inf)
    t_rad = th.max_unit_c - th.unit_rise_k_per_w * th.unit_w + KELVIN
    rejected = th.emissivity * STEFAN_BOLTZMANN * t_rad**4 * th.radiator_m2
    return (rejected - absorbed * th.radiator_m2 - th.bus_w) / th.unit_w


def heat_steps(
    th: Thermal,
    *,
    eclipse_share: np.ndarray,
    running_sun: np.ndarray,
    running_eclipse: np.ndarray,
    mission_h: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Piece starts (h) and each piece's running-unit temperature (degrees C), from
    each day's eclipse share and units running in sunlight and in eclipse; days of
    equal temperature (to 0.01 K) are merged."""
    starts: list[float] = []
    temps: list[float] = []
    for d, f in enumerate(eclipse_share):
        t0 = 24.0 * d
        if t0 >= mission_h:
            break
        load = (1 - f) * (th.bus_w + running_sun[d] * th.unit_w) + f * (
            th.bus_w + running_eclipse[d] * th.unit_w
        )
        absorbed = (1 - f) * th.absorbed_sun_w_m2 + f * th.absorbed_eclipse_w_m2
        temp = radiator_temperature_c(th, load, absorbed) + th.unit_rise_k_per_w * th.unit_w
        temp = math.floor(temp * 100 + 0.5) / 100
        if not temps or temps[-1] != temp:
            starts.append(t0)
            temps.append(temp)
    return np.array(starts), np.array(temps)
