"""Derive the orbit presets' trapped-particle spectra and dose-depth curves.

Not part of the library and not run by the tests: it writes
``reliability/data/trapped_environment.csv``, which the library reads, and says how
every number in it was made. It needs SpacePy (``pip install spacepy``; 0.7.0 was
used), whose IRBEM build carries the NASA AP-8/AE-8 trapped-particle models
(``fly_in_nasa_aeap1``) and Seltzer's SHIELDOSE-2 v2.10 (``shieldose2``).

Method, per preset orbit (circular; the preset's altitude and inclination):

* the sub-satellite track of a rotating Earth, sampled every 20 s over 3 days
  (the ground track then covers every longitude band many times);
* AP-8 MIN (protons, the worse phase in LEO) and AE-8 MAX (electrons, the worse
  phase) omnidirectional fluxes, each with the field model it was built on (IRBEM's
  default: Jensen-Cain 1960 for AP-8 MIN and AE-8, GSFC 12/66 for AP-8 MAX) and the
  ESA low-altitude interpolation (Daly et al. 1996), averaged over the track -- the
  convention of ECSS-E-ST-10-04C section 9 for mission-mean trapped fluxes;
* SHIELDOSE-2 (silicon detector, nuclear attenuation with local secondaries and
  neutron dose, INUC = 3) on the orbit-mean differential spectra: the dose at the
  centre of a solid aluminium sphere (twice the code's "1/2 dose at centre of
  spheres" column), per year, at the depths of :data:`DEPTHS_MM`.

Solar-proton dose is not included (its fluence is a statistical model, JPL-91 or
ESP, not a trapped mean): a user who needs it imports a SPENVIS dose-depth curve.

Run: ``python tools/derive_environment.py`` (about two minutes); ``--check`` compares
the method with a published SPENVIS run instead.
"""

from __future__ import annotations

import ctypes
import math
import pathlib
import sys

import numpy as np

DEPTHS_MM = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 15.0, 20.0)
#: the shipped integral proton spectrum's energies (MeV)
PROTON_MEV = (0.1, 0.5, 1, 2, 5, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 400)
#: the differential spectra given to SHIELDOSE-2: log-spaced within the models' ranges
#: (AP-8 0.1-400 MeV, AE-8 0.04-7 MeV), points with no flux dropped
PROTON_GRID = tuple(np.geomspace(0.1, 390.0, 40))
ELECTRON_GRID = tuple(np.geomspace(0.045, 6.9, 30))
ORBITS = {  # the presets of reliability.environment: altitude km, inclination deg
    "iss-400": (400.0, 51.6),
    "sso-500": (500.0, 97.4),
    "sso-650": (650.0, 98.0),
    "sso-800": (800.0, 98.6),
    "meo-gnss": (20200.0, 55.0),
    "geo": (35786.0, 0.0),
}
SECONDS_PER_YEAR = 365.25 * 86400.0
OUT = pathlib.Path(__file__).resolve().parents[1] / "reliability" / "data"
OUT = OUT / "trapped_environment.csv"


def _lib():
    import spacepy.irbempy as ib

    return ctypes.CDLL(str(pathlib.Path(ib.__file__).parent / "libirbem.so"))


def track(alt_km: float, inc_deg: float, days: float = 3.0, step_s: float = 20.0):
    """Sub-satellite latitude and east longitude (deg) of a circular orbit."""
    mu, r_e, w_e = 398600.4418, 6378.137, 7.2921159e-5
    t = np.arange(0.0, days * 86400.0, step_s)
    n = math.sqrt(mu / (r_e + alt_km) ** 3)
    u = n * t
    i = math.radians(inc_deg)
    lat = np.degrees(np.arcsin(np.sin(i) * np.sin(u)))
    lon = np.degrees(np.arctan2(np.cos(i) * np.sin(u), np.cos(u)) - w_e * t)
    return lat, (lon + 180.0) % 360.0 - 180.0


def orbit_flux(lib, alt_km, inc_deg, model: int, energies, whatf: int) -> np.ndarray:
    """Track-mean flux at ``energies`` (IRBEM model code; whatf 1 differential /MeV,
    3 integral), per cm^2 per s."""
    lat, lon = track(alt_km, inc_deg)
    nmax, emax = 100000, 25
    out = np.zeros(len(energies))
    for k0 in range(0, len(energies), emax):
        chunk = energies[k0 : k0 + emax]
        e = np.zeros((emax, 2))
        e[: len(chunk), 0] = chunk
        total = np.zeros(len(chunk))
        count = 0
        for s in range(0, len(lat), nmax):
            la, lo = lat[s : s + nmax], lon[s : s + nmax]
            m = len(la)
            x1, x2, x3 = (np.zeros(nmax) for _ in range(3))
            x1[:m], x2[:m], x3[:m] = alt_km, la, lo
            year = np.full(nmax, 2000, dtype=np.int32)
            doy = np.ones(nmax, dtype=np.int32)
            ut = np.zeros(nmax)
            flux = np.zeros((emax, nmax))
            args = [ctypes.c_int32(m), ctypes.c_int32(0), ctypes.c_int32(-model)]
            args += [ctypes.c_int32(whatf), ctypes.c_int32(len(chunk))]
            ptrs = [a.ctypes.data_as(ctypes.c_void_p) for a in (e, year, doy, ut, x1, x2, x3)]
            lib.fly_in_nasa_aeap1_(
                *(ctypes.byref(a) for a in args), *ptrs, flux.ctypes.data_as(ctypes.c_void_p)
            )
            f = flux[: len(chunk), :m]
            f = np.where((f < 0) | ~np.isfinite(f), 0.0, f)  # IRBEM's bad value: no flux
            total += f.sum(axis=1)
            count += m
        out[k0 : k0 + len(chunk)] = total / count
    return out


def shieldose2(lib, ep, pflux, ee, eflux, depths_mm):
    """Dose per year (rad(Si)) at the centre of solid Al spheres, SHIELDOSE-2."""
    imax, jmax = 71, 301
    z = np.zeros(imax)
    z[: len(depths_mm)] = depths_mm

    def arr(values):
        a = np.zeros(jmax)
        a[: len(values)] = values
        return a

    es, sf = arr([1.0]), arr([0.0])
    epa, pfa, eea, efa = arr(ep), arr(pflux), arr(ee), arr(eflux)
    outs = [np.zeros((3, imax)) for _ in range(5)]  # Fortran (IMAX, 3)
    ints = [3, 3, len(depths_mm), 3]  # Si detector, INUC 3, depths, mm
    i32 = [ctypes.c_int32(v) for v in ints]
    d = [ctypes.c_double(v) for v in (0.1, 400.0, 0.1, 400.0)]
    npts = ctypes.c_int32(1001)
    de = [ctypes.c_double(v) for v in (0.04, 7.0)]
    js = [ctypes.c_int32(v) for v in (0, len(ep), len(ee))]
    unit, dur = ctypes.c_double(1.0), ctypes.c_double(SECONDS_PER_YEAR)
    lib.shieldose2_(
        *(ctypes.byref(v) for v in i32),
        z.ctypes.data_as(ctypes.c_void_p),
        *(ctypes.byref(v) for v in d),
        ctypes.byref(npts),
        *(ctypes.byref(v) for v in de),
        ctypes.byref(npts),
        *(ctypes.byref(v) for v in js),
        ctypes.byref(unit),
        ctypes.byref(dur),
        *(a.ctypes.data_as(ctypes.c_void_p) for a in (es, sf, epa, pfa, eea, efa)),
        *(o.ctypes.data_as(ctypes.c_void_p) for o in outs),
    )
    _sol, prot, elec, brem, tot = (2.0 * o[2, : len(depths_mm)] for o in outs)
    return prot, elec, brem, tot


def check() -> int:
    """Recompute a published SPENVIS run (550 km, 95 deg: campaigns/data) with this
    method and print the ratio at each depth. 2026-12-07: total 0.88-1.02, trapped
    protons 0.85-1.03 between 0.5 and 20 mm."""
    sys.path.insert(0, str(OUT.parents[2]))
    from reliability.envfiles import read_dose_depth

    ref = read_dose_depth(OUT.parents[2] / "campaigns/data/spenvis_sd2_550km_95deg.txt")
    lib = _lib()
    ep, ee = np.array(PROTON_GRID), np.array(ELECTRON_GRID)
    p_dif, e_dif = orbit_flux(lib, 550, 95, 3, ep, 1), orbit_flux(lib, 550, 95, 2, ee, 1)
    kp, ke = p_dif > 0, e_dif > 0
    depths = (0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 20.0)
    prot, _, _, tot = shieldose2(lib, ep[kp], p_dif[kp], ee[ke], e_dif[ke], depths)
    for mm, t, p in zip(depths, tot, prot, strict=True):
        print(f"{mm:5g} mm  total {t / ref.at(mm):.3f}  protons {p / ref.proton_at(mm):.3f}")
    return 0


def main() -> int:
    if "--check" in sys.argv:
        return check()
    lib = _lib()
    rows = []
    for orbit, (alt, inc) in ORBITS.items():
        p_int = orbit_flux(lib, alt, inc, 3, np.array(PROTON_MEV, float), 3)
        ep, ee = np.array(PROTON_GRID), np.array(ELECTRON_GRID)
        p_dif = orbit_flux(lib, alt, inc, 3, ep, 1)
        e_dif = orbit_flux(lib, alt, inc, 2, ee, 1)
        keep_p, keep_e = p_dif > 0, e_dif > 0  # SHIELDOSE-2 interpolates ln(flux)
        prot, elec, brem, tot = shieldose2(
            lib, ep[keep_p], p_dif[keep_p], ee[keep_e], e_dif[keep_e], DEPTHS_MM
        )
        for mm, a, b, c, t in zip(DEPTHS_MM, prot, elec, brem, tot, strict=True):
            rows.append((orbit, "dose", mm, t, a, b + c))
        for mev, f in zip(PROTON_MEV, p_int, strict=True):
            rows.append((orbit, "proton", mev, f, "", ""))
        print(
            orbit,
            "dose rad/y:",
            ", ".join(f"{m:g} mm {v:.4g}" for m, v in zip(DEPTHS_MM, tot, strict=False)),
        )
    OUT.parent.mkdir(exist_ok=True)
    with OUT.open("w") as fh:
        fh.write(
            "# Trapped-particle environment of the orbit presets, derived by "
            "tools/derive_environment.py\n"
            "# (SpacePy 0.7.0 IRBEM: AP-8 MIN and AE-8 MAX with the ESA low-altitude "
            "interpolation,\n"
            "# orbit-averaged over 3 days at 20 s; SHIELDOSE-2 v2.10, Si detector, "
            "INUC 3, centre of solid Al spheres).\n"
            "# kind dose: x = Al depth mm, value = total rad(Si)/y, proton = trapped "
            "protons, electron = electrons + bremsstrahlung\n"
            "# check (--check): against SPENVIS 4.6.11 at 550 km 95 deg, total dose "
            "0.88-1.02x, trapped protons 0.85-1.03x, 0.5-20 mm\n"
            "# kind proton: x = energy MeV, value = omnidirectional integral flux above "
            "x, /cm^2/s (AP-8 MIN, unshielded)\n"
            "orbit,kind,x,value,proton,electron\n"
        )
        for r in rows:
            fh.write(",".join(f"{v:.6g}" if isinstance(v, float) else str(v) for v in r) + "\n")
    print("wrote", OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
