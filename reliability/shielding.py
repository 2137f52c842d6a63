"""Aluminium shielding: dose-depth curves and trapped protons slowed by the shield.

A part sits at the centre of a solid aluminium sphere of radius ``shielding_mm`` (the
convention of SHIELDOSE-2 and of SPENVIS's "4 pi dose at centre of Al spheres"): every
particle reaching it crossed ``shielding_mm`` of aluminium.

* **Dose** at a depth comes from a tabulated dose-depth curve, interpolated linearly
  in depth and in the logarithm of the dose (dose falls about exponentially with
  depth); the curve reproduces its own table at the tabulated depths and is not
  extrapolated beyond them.
* **Protons** are slowed in the continuous-slowing-down approximation: a proton of
  energy E behind t of aluminium entered with the energy E0 whose range is
  R(E) + rho t (NIST PSTAR ranges), and nuclear reactions remove a share
  1 - exp(-rho t / lambda) on the way. The integral spectrum behind the shield is
  ``Phi_t(>E) = Phi_0(>E0(E)) exp(-rho t / lambda)``.
* **Heavy ions** are not transported here: galactic heavy ions are barely slowed by a
  few mm of aluminium; a LET spectrum is taken as given behind the shielding it was
  computed for (import it from CREME96 or SPENVIS at the depth flown).

This module knows no orbit and no device.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

__all__ = [
    "AL_DENSITY_G_CM3",
    "DoseDepth",
    "OutsideCurve",
    "flux_above_behind",
    "proton_range_g_cm2",
    "shield_protons",
]

#: density of aluminium, g/cm^3 [V: NIST PSTAR material 13]
AL_DENSITY_G_CM3 = 2.699
#: nuclear interaction length of aluminium, g/cm^2 [V: Particle Data Group, Atomic
#: and nuclear properties of materials, Al]
AL_NUCLEAR_LENGTH_G_CM2 = 107.2

#: CSDA range of protons in aluminium, (MeV, g/cm^2) [S: NIST PSTAR (ICRU Report 49),
#: physics.nist.gov/PhysRefData/Star/Text/PSTAR.html, read from a verbatim copy of its
#: aluminium table (github DaitTHU/Radiation, @Material/data/STAR/pstar_data/10.txt)]
PSTAR_AL: tuple[tuple[float, float], ...] = (
    (1.0, 3.945e-3),
    (2.0, 1.146e-2),
    (5.0, 5.188e-2),
    (10.0, 0.1705),
    (20.0, 0.5748),
    (30.0, 1.180),
    (50.0, 2.928),
    (70.0, 5.325),
    (100.0, 10.01),
    (150.0, 20.32),
    (200.0, 33.31),
    (300.0, 65.72),
    (500.0, 148.9),
)


class OutsideCurve(ValueError):
    """A depth outside a dose-depth table (curves are not extrapolated)."""


@dataclass(frozen=True, slots=True)
class DoseDepth:
    """Annual dose (rad(Si) per year) behind aluminium at tabulated depths (mm).

    ``proton_rad_per_y`` is the trapped-proton part where the source splits it (the
    part a dose-proxy single-event rate, calibrated in a proton beam, follows), and
    ``electron_rad_per_y`` the trapped electrons' with their bremsstrahlung.

    Examples
    --------
    >>> c = DoseDepth((1.0, 3.0), (1000.0, 10.0), source="example")
    >>> round(c.at(2.0), 6)
    100.0
    """

    depth_mm: tuple[float, ...]
    total_rad_per_y: tuple[float, ...]
    proton_rad_per_y: tuple[float, ...] | None = None
    source: str = ""
    electron_rad_per_y: tuple[float, ...] | None = None
    #: solar protons' part where the source includes them (OMERE's ESP at the
    #: confidence its file states; SPENVIS's SHIELDOSE-2 files are trapped only)
    solar_rad_per_y: tuple[float, ...] | None = None
    #: the mission length the source's totals were for (years; None: not known)
    source_years: float | None = None

    def __post_init__(self) -> None:
        d = self.depth_mm
        if len(d) < 2 or any(b <= a for a, b in itertools.pairwise(d)):
            raise ValueError(f"{self.source}: depths must increase, at least two: {d}")
        if len(self.total_rad_per_y) != len(d) or any(v <= 0 for v in self.total_rad_per_y):
            raise ValueError(f"{self.source}: one positive dose per depth expected")
        for part, name in (
            (self.proton_rad_per_y, "proton"),
            (self.electron_rad_per_y, "electron"),
            (self.solar_rad_per_y, "solar-proton"),
        ):
            if part is not None and (len(part) != len(d) or any(v < 0 for v in part)):
                raise ValueError(f"{self.source}: one non-negative {name} dose per depth expected")

    def _interp(self, values: Sequence[float], mm: float) -> float:
        d = self.depth_mm
        if not d[0] - 1e-9 <= mm <= d[-1] + 1e-9:
            raise OutsideCurve(
                f"shielding {mm:g} mm is outside the dose-depth table "
                f"({d[0]:g}-{d[-1]:g} mm of {self.source}); the curve is not extrapolated"
            )
        logs = np.log(np.maximum(np.asarray(values, dtype=float), 1e-300))
        return float(np.exp(np.interp(mm, d, logs)))

    def at(self, mm: float) -> float:
        """Total dose behind ``mm`` of aluminium, rad(Si) per year."""
        return self._interp(self.total_rad_per_y, mm)

    def electrons_scaled(self, factor: float) -> DoseDepth:
        """The curve with its electron part (trapped electrons and their
        bremsstrahlung) times ``factor``, every other part as it is.

        Trapped-electron models disagree with flight data in low orbits more than any
        other input of a thin-shield dose: DMSP F7's dosimeter at 840 km read AE-8's
        outer-zone electron dose about 6 times too high (Gussenhoven et al. 1987, IEEE
        Trans. Nucl. Sci. [V: abstract]).

        Examples
        --------
        >>> c = DoseDepth((1.0, 3.0), (1000.0, 10.0), (100.0, 8.0), "example", (900.0, 2.0))
        >>> round(c.electrons_scaled(0.5).at(1.0), 6)
        550.0
        """
        e = self.electron_rad_per_y
        if e is None:
            raise ValueError(f"{self.source}: no electron part to scale")
        total = tuple(t - (1.0 - factor) * x for t, x in zip(self.total_rad_per_y, e, strict=True))
        return replace(
            self,
            total_rad_per_y=total,
            electron_rad_per_y=tuple(factor * x for x in e),
            source=f"{self.source}, electrons x{factor:g}",
        )

    def _part_at(self, part: Sequence[float] | None, mm: float) -> float | None:
        if part is None:
            return None
        return self._interp(part, mm) if max(part) > 0 else 0.0

    def solar_at(self, mm: float) -> float | None:
        """Solar protons' dose behind ``mm``, rad(Si) per year (None: not included)."""
        return self._part_at(self.solar_rad_per_y, mm)

    def proton_at(self, mm: float) -> float | None:
        """Trapped-proton dose behind ``mm``, rad(Si) per year (None: not split)."""
        return self._part_at(self.proton_rad_per_y, mm)


def _loglog(x, xs: np.ndarray, ys: np.ndarray):
    """Log-log interpolation, continued along the end segments beyond the table."""
    lx, ly = np.log(xs), np.log(ys)
    u = np.log(np.asarray(x, dtype=float))
    out = np.interp(u, lx, ly)
    lo, hi = u < lx[0], u > lx[-1]
    out = np.where(lo, ly[0] + (u - lx[0]) * (ly[1] - ly[0]) / (lx[1] - lx[0]), out)
    return np.exp(np.where(hi, ly[-1] + (u - lx[-1]) * (ly[-1] - ly[-2]) / (lx[-1] - lx[-2]), out))


def proton_range_g_cm2(energy_mev):
    """CSDA range of protons in aluminium (g/cm^2), log-log between PSTAR's points.

    >>> round(float(proton_range_g_cm2(100.0)), 2)
    10.01
    """
    table = np.asarray(PSTAR_AL)
    return _loglog(energy_mev, table[:, 0], table[:, 1])


def _energy_from_range(range_g_cm2):
    table = np.asarray(PSTAR_AL)
    return _loglog(range_g_cm2, table[:, 1], table[:, 0])


def shield_protons(
    spectrum: Sequence[tuple[float, float]], mm: float
) -> tuple[tuple[float, float], ...]:
    """An integral proton spectrum ``[(MeV, Phi(>E)), ...]`` behind ``mm`` of aluminium
    (centre of a solid sphere; see the module's note), at the same energies, the
    points whose entry energy is past the table's last energy dropped.

    Examples
    --------
    >>> s = ((10.0, 100.0), (100.0, 10.0), (400.0, 1.0))
    >>> s == shield_protons(s, 0.0)
    True
    """
    if mm < 0 or not math.isfinite(mm):
        raise ValueError(f"shielding_mm must be a non-negative number, got {mm!r}")
    table = np.asarray(spectrum, dtype=float)
    if mm == 0:
        return tuple((float(e), float(f)) for e, f in table)
    rho_t = AL_DENSITY_G_CM3 * mm / 10.0
    e0 = _energy_from_range(proton_range_g_cm2(table[:, 0]) + rho_t)
    inside = e0 <= table[-1, 0]
    phi = np.exp(np.interp(np.log(e0[inside]), np.log(table[:, 0]), np.log(table[:, 1])))
    phi *= math.exp(-rho_t / AL_NUCLEAR_LENGTH_G_CM2)
    return tuple((float(e), float(f)) for e, f in zip(table[inside, 0], phi, strict=True))


@functools.lru_cache(maxsize=256)
def flux_above_behind(spectrum: tuple[tuple[float, float], ...], energy_mev: float, mm: float):
    """Phi(>``energy_mev``) of an integral proton spectrum behind ``mm`` of aluminium
    (:func:`shield_protons`, log-log between its energies).

    Examples
    --------
    >>> round(flux_above_behind(((10.0, 100.0), (100.0, 10.0)), 31.6227766, 0.0), 6)
    31.622777
    """
    shielded = np.log(np.asarray(shield_protons(spectrum, mm)))
    return float(np.exp(np.interp(math.log(energy_mev), shielded[:, 0], shielded[:, 1])))
