"""Failure modes and the time structure of their rates, as plan fields.

Every failure mode of the leaf unit type (hardware modes from ``[units.*] failures``
and the fault processes of its radiation entries and memory) becomes an engine mode;
its life is kept in the operational time of a rate-profile *domain*: the identity
clock, a ``[profiles]`` profile, a solar-cycle envelope over the SAA passes of the
orbit, or this trial's solar particle events. Identical domains are shared, so fault
classes with the same time structure cost one heap between them.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from reliability.campaign import Design, Law, Profile
from reliability.engine.spec import CLOCKED_EFFECTS, LAW_CODES, Effect, ProfileKind, Renew
from reliability.environment import (
    Environment,
    RateShape,
    pattern_time,
    saa_pattern,
    saa_period,
    spe_process,
)
from reliability.radiation import FaultProcess, fault_processes
from reliability.system.heat import arrhenius_steps, unit_heat

__all__ = ["Modes", "build_modes"]

_NO_REPAIR = (LAW_CODES["fixed"], 0.0, 0.0)


def _law(law: Law) -> tuple[int, float, float]:
    return LAW_CODES[law.law], float(law.p1), float(law.p2)


def _cumulative(times: list[float], mults: list[float]) -> list[float]:
    """Integral of a steps function at each of its piece starts."""
    cum = [0.0]
    for i in range(1, len(times)):
        cum.append(cum[-1] + mults[i - 1] * (times[i] - times[i - 1]))
    return cum


def _rate_steps(life: Law, profile: Profile | None) -> list[tuple[float, float]]:
    """Failure rate of a hardware mode over mission time: its mean rate (the renewal
    rate of an ageing law) scaled by its rate profile."""
    rate = 1.0 / life.mean_h
    if profile is None:
        return [(0.0, rate)]
    if profile.kind == "sine":
        return [(0.0, rate * profile.mean)]
    return [(t, rate * m) for t, m in profile.points]


class Modes:
    """Failure modes and rate-profile domains of a design, built up one at a time.

    Domain 0 is the identity clock. ``rate_steps[m]`` is mode ``m``'s rate per
    unit-hour over mission time (SAA passes averaged over the orbit), which the
    training job's checkpoint interval follows.
    """

    def __init__(self, design: Design) -> None:
        self.design = design
        self.env: Environment | None = design.environment
        self.profiles = {p.name: p for p in design.profiles}
        self.labels: list[str] = []
        self.classes: list[str] = []
        self.sources: list[str] = []
        self.life: list[tuple[int, float, float]] = []
        self.domain: list[int] = []
        self.effect: list[int] = []
        self.replace: list[int] = []
        self.repair: list[tuple[int, float, float]] = []
        self.crew: list[int] = []
        self.renew: list[int] = []
        self.local: list[int] = []
        self.shock: list[float] = []
        self.lot_sigma: list[float] = []
        self.saa_side: list[int] = []  # 1: outside SAA passes only, 2: inside only, 0: both
        # (modes, unit slots that have them): the last level's units, then platforms
        self.segments: list[tuple[list[int], int]] = []
        self.rate_steps: list[list[tuple[float, float]]] = []
        self.dom_kind, self.dom_off = [ProfileKind.CONSTANT], [0, 1]
        self.dom_calendar = [0]  # 1: time in orbit, running while units are down (dose)
        self.dom_t, self.dom_m, self.dom_c = [0.0], [1.0], [0.0]
        self.dom_mean, self.dom_amp, self.dom_period, self.dom_phase = [1.0], [0.0], [1.0], [0.0]
        self.dom_poff, self.pat_t, self.pat_m, self.pat_c = [0, 1], [0.0], [1.0], [0.0]
        self._keys: dict[object, int] = {("constant",): 0}
        self.spe_dom = -1
        self.pm_mode = -1  # the mode of preventive maintenance, if any

    def _domain(self, key: object, kind: int, steps, pattern=None, extra=(1.0, 0.0, 1.0, 0.0)):
        if key in self._keys:
            return self._keys[key]
        self.dom_kind.append(kind)
        self.dom_calendar.append(int(key == ("calendar",)))
        times, mults, cums = steps
        self.dom_t += times
        self.dom_m += mults
        self.dom_c += cums
        self.dom_off.append(len(self.dom_t))
        mean, amp, period, phase = extra
        self.dom_mean.append(mean)
        self.dom_amp.append(amp)
        self.dom_period.append(period)
        self.dom_phase.append(phase)
        pt, pm, pc = pattern or ([0.0], [1.0], [0.0])
        self.pat_t += pt
        self.pat_m += pm
        self.pat_c += pc
        self.dom_poff.append(len(self.pat_t))
        self._keys[key] = len(self.dom_kind) - 1
        return self._keys[key]

    def profile_domain(self, name: str) -> int:
        """The domain of ``[profiles]`` profile ``name``."""
        p: Profile = self.profiles[name]
        if p.kind == "sine":
            kind, t, mult, cum = ProfileKind.SINE, [0.0], [1.0], [0.0]
        else:
            t = [x for x, _ in p.points]
            mult = [m for _, m in p.points]
            kind, cum = ProfileKind.STEPS, _cumulative(t, mult)
        return self._domain(
            ("profile", name),
            kind,
            (t, mult, cum),
            extra=(p.mean, p.amplitude, p.period_h, p.phase_rad),
        )

    def steps_domain(self, key: object, steps: list[tuple[float, float]]) -> int:
        """A domain of the steps profile ``steps`` ((start h, multiplier) pairs)."""
        t = [x for x, _ in steps]
        mult = [m for _, m in steps]
        return self._domain(key, ProfileKind.STEPS, (t, mult, _cumulative(t, mult)))

    def add(self, rate_steps: list[tuple[float, float]], **kw) -> None:
        """Add one engine mode (keyword arguments: one per attribute list)."""
        self.rate_steps.append(list(rate_steps))
        self.labels.append(kw["label"])
        self.classes.append(kw["fault_class"])
        self.sources.append(kw["source"])
        self.life.append(kw["life"])
        self.domain.append(kw["domain"])
        self.effect.append(kw["effect"])
        self.replace.append(int(kw["replace"]))
        self.repair.append(kw["repair"])
        self.crew.append(int(kw["crew"]))
        self.renew.append(int(kw["renew"]))
        self.local.append(kw["local"])
        self.shock.append(float(kw.get("shock", 0.0)))
        self.lot_sigma.append(float(kw.get("lot_sigma", 0.0)))
        self.saa_side.append(int(kw.get("saa_side", 0)))

    def add_process(self, unit: str, fp: FaultProcess, *, local: int) -> None:
        """Add a radiation fault process: one mode with its own life, or up to three
        Poisson modes (quiet outside the SAA, in SAA passes, in solar events)."""
        effect = {"none": Effect.COUNTED, "silent": Effect.SILENT}.get(fp.effect, Effect.DOWN)
        common = {
            "fault_class": f"{unit}.{fp.fault_class}",
            "effect": effect,
            "replace": fp.effect == "permanent",
            "repair": _law(fp.recover) if fp.recover is not None else _NO_REPAIR,
            "crew": False,
            "renew": Renew.CLOCK if fp.renew_clock else Renew.RESUME,
        }
        if fp.life is not None:  # total dose (a life in time in orbit) or a memory's clock
            calendar = (
                self._domain(("calendar",), ProfileKind.CONSTANT, ([0.0], [1.0], [0.0]))
                if fp.fault_class == "tid"
                else 0
            )
            self.add(
                label=f"{unit}.{fp.name}",
                source="quiet",
                life=_law(fp.life),
                lot_sigma=fp.lot_sigma,
                domain=calendar,
                local=local,
                rate_steps=[(0.0, 1.0 / fp.life.mean_h)],
                **common,
            )
            return
        shape = fp.shape
        assert shape is not None
        for comp, (suffix, steps) in enumerate(
            (("", shape.outside), ("@saa", shape.inside), ("@spe", None))
        ):
            if steps is None:
                rate = shape.spe_per_intensity_h
                if rate <= 0:
                    continue
                self.spe_dom = self._domain(("spe",), ProfileKind.SPE, ([0.0], [0.0], [0.0]))
                domain = self.spe_dom
                steps = [(0.0, shape.mean_per_h * shape.spe_share)]  # its long-run rate
            else:
                rate = max(r for _, r in steps)
                if rate <= 0:
                    continue
                domain = self._quiet_domain(steps, rate, inside=comp == 1)
            self.add(
                label=f"{unit}.{fp.name}{suffix}",
                source=("quiet", "saa", "spe")[comp],
                life=(LAW_CODES["exponential"], 1.0 / rate, 0.0),
                domain=domain,
                local=local + comp,
                rate_steps=steps,
                saa_side=(int(self.env is not None and self.env.saa_fraction > 0), 2, 0)[comp],
                **common,
            )

    def _quiet_domain(self, steps, peak: float, *, inside: bool) -> int:
        """Steps of the solar cycle over the SAA's daily run of passes."""
        env = self.env
        mults = [r / peak for _, r in steps]
        times = [t for t, _ in steps]
        f = env.saa_fraction if env is not None else 0.0
        if f <= 0.0:
            if len(set(mults)) == 1 and mults[0] == 1.0:
                return 0
            cum = _cumulative(times, mults)
            return self._domain(
                ("steps", tuple(times), tuple(mults)), ProfileKind.STEPS, (times, mults, cum)
            )
        assert env is not None
        passes = int(env.saa_passes_per_day)
        period = saa_period(env.orbit_period_h, passes)
        pattern = saa_pattern(f, env.orbit_period_h, inside=inside, passes=passes)
        # the envelope's breakpoints in the pattern's own cumulative time
        xs = [pattern_time(pattern, period, t) for t in times]
        cum = _cumulative(xs, mults)
        key = ("modulated", inside, f, env.orbit_period_h, passes, tuple(times), tuple(mults))
        return self._domain(
            key,
            ProfileKind.MODULATED,
            (xs, mults, cum),
            pattern=pattern,
            extra=(period, 0.0, period, 0.0),
        )

    def fields(self, n_units: int) -> dict[str, object]:
        """Plan fields of the modes, their domains, the failure clocks of ``n_units``
        units and the solar-event process."""
        i32 = np.int32
        # one clock per (unit slot, mode with a clock), grouped by slot; each domain's
        # heap holds its modes' clocks of every slot
        nmodes, cunit, cmode = [], [], []
        slot = 0
        for modes, count in self.segments:
            clocked = [m for m in modes if self.effect[m] in CLOCKED_EFFECTS]
            nmodes.append(np.full(count, len(clocked), i32))
            cunit.append(np.repeat(np.arange(slot, slot + count), len(clocked)))
            cmode.append(np.tile(np.array(clocked, dtype=i32), count))
            slot += count
        unit_nmodes = np.concatenate(nmodes).astype(i32)
        clock_mode = np.concatenate(cmode).astype(i32)
        per_dom = np.bincount(
            np.array(self.domain, dtype=np.int64)[clock_mode], minlength=len(self.dom_kind)
        )
        out: dict[str, object] = {
            "unit_clock0": np.concatenate([[0], np.cumsum(unit_nmodes)[:-1]]).astype(i32),
            "unit_nmodes": unit_nmodes,
            "clock_unit": np.concatenate(cunit).astype(i32),
            "clock_mode": clock_mode,
            "dom_hoff": np.concatenate([[0], np.cumsum(per_dom)]).astype(i32),
            "mode_shock": np.array(self.shock, dtype=float),
            "mode_lot_sigma": np.array(self.lot_sigma, dtype=float),
            "mode_law": np.array([x[0] for x in self.life], i32),
            "mode_p1": np.array([x[1] for x in self.life], dtype=float),
            "mode_p2": np.array([x[2] for x in self.life], dtype=float),
            "mode_dom": np.array(self.domain, i32),
            "mode_replace": np.array(self.replace, i32),
            "mode_rlaw": np.array([x[0] for x in self.repair], i32),
            "mode_rp1": np.array([x[1] for x in self.repair], dtype=float),
            "mode_rp2": np.array([x[2] for x in self.repair], dtype=float),
            "mode_crew": np.array(self.crew, i32),
            "mode_renew": np.array(self.renew, i32),
            "mode_local": np.array(self.local, i32),
            "mode_effect": np.array(self.effect, i32),
            # a design-life retirement: the only scheduled mode that takes a unit down
            "mode_planned": np.array(
                [
                    src == "scheduled" and eff == Effect.DOWN
                    for src, eff in zip(self.sources, self.effect, strict=True)
                ],
                i32,
            ),
            "dom_kind": np.array(self.dom_kind, i32),
            "dom_calendar": np.array(self.dom_calendar, i32),
            "dom_off": np.array(self.dom_off, i32),
            "dom_t": np.array(self.dom_t, dtype=float),
            "dom_m": np.array(self.dom_m, dtype=float),
            "dom_c": np.array(self.dom_c, dtype=float),
            "dom_mean": np.array(self.dom_mean, dtype=float),
            "dom_amp": np.array(self.dom_amp, dtype=float),
            "dom_period": np.array(self.dom_period, dtype=float),
            "dom_phase": np.array(self.dom_phase, dtype=float),
            "dom_poff": np.array(self.dom_poff, i32),
            "pat_t": np.array(self.pat_t, dtype=float),
            "pat_m": np.array(self.pat_m, dtype=float),
            "pat_c": np.array(self.pat_c, dtype=float),
        }
        if self.pm_mode >= 0:
            out.update(self._pm_fields(n_units))
        if self.spe_dom >= 0 and self.env is not None:
            spe = spe_process(self.env, self.design.mission_h)
            times = [t for t, _ in spe.occurrence]
            rates = [r for _, r in spe.occurrence]
            expected = spe.expected
            out.update(
                spe_dom=self.spe_dom,
                # P(Poisson(mean) > mean + 10 sqrt(mean) + 20) < 1e-20
                spe_cap=math.ceil(expected + 10.0 * math.sqrt(expected) + 20.0),
                occ_t=np.array(times),
                occ_m=np.array(rates),
                occ_c=np.array(_cumulative(times, rates)),
                spe_dur_mu=spe.duration_mu,
                spe_dur_sigma=spe.duration_sigma,
                spe_int_mu=spe.intensity_mu,
                spe_int_sigma=spe.intensity_sigma,
            )
        return out

    def _pm_fields(self, n_units: int) -> dict[str, object]:
        """Each unit's first turn of preventive maintenance: staggered, the units of a
        leaf group take their turns evenly spread over the interval."""
        pm = self.design.leaf_unit.maintenance
        assert pm is not None
        per_group = self.design.levels[-1].n
        turn = np.arange(n_units) % per_group if pm.stagger else np.zeros(n_units)
        platforms = np.full(self.design.n_platforms, np.inf)  # no turns for platforms
        renews = pm.renew if isinstance(pm.renew, tuple) else ()
        unit = self.design.leaf_unit.name
        return {
            "pm_mode": self.pm_mode,
            "pm_every": pm.every_h,
            "unit_pm_first": np.concatenate(
                [pm.first_h + turn * (pm.every_h / per_group), platforms]
            ),
            "mode_pm_renew": np.array(
                [label in {f"{unit}.{name}" for name in renews} for label in self.labels],
                np.int32,
            ),
        }


def _scaled(shape: RateShape, x: float) -> RateShape:
    """``shape`` with every rate times ``x`` (its shares unchanged)."""
    return dataclasses.replace(
        shape,
        mean_per_h=shape.mean_per_h * x,
        outside=tuple((t, r * x) for t, r in shape.outside),
        inside=tuple((t, r * x) for t, r in shape.inside),
        spe_per_intensity_h=shape.spe_per_intensity_h * x,
    )


def build_modes(design: Design) -> Modes:
    """The engine modes of ``design``: its leaf unit type's hardware modes first (local
    stream index = their position), then its radiation fault processes and its
    preventive maintenance; then the hardware modes of each platform type."""
    unit = design.leaf_unit
    modes = Modes(design)
    _add_hardware(modes, unit)
    processes = fault_processes(unit, design.environment, design.mission_h, unit_heat(design))
    benign = []
    w = design.workload
    harmful = w.sdc_harmful if w is not None and w.kind == "training" else None
    for j, fp in enumerate(processes):
        if harmful is not None and fp.effect == "silent" and fp.shape is not None:
            # only a share of silent corruption derails a job; the rest is counted
            benign.append(
                dataclasses.replace(
                    fp,
                    name=f"{fp.name}-benign",
                    effect="none",
                    shape=_scaled(fp.shape, 1 - harmful),
                )
            )
            fp = dataclasses.replace(fp, shape=_scaled(fp.shape, harmful))
        modes.add_process(unit.name, fp, local=64 + 3 * j)
    for i, fp in enumerate(benign):  # streams after every process's
        modes.add_process(unit.name, fp, local=64 + 3 * (len(processes) + i))
    pm = unit.maintenance
    if pm is not None:  # a scheduled action, restored like a repair in place
        modes.pm_mode = len(modes.labels)
        modes.add(
            label=f"{unit.name}.maintenance",
            fault_class=f"{unit.name}.maintenance",
            source="scheduled",
            life=(LAW_CODES["fixed"], pm.every_h, 0.0),
            domain=0,
            effect=Effect.SCHEDULED,
            replace=False,
            repair=_law(pm.duration),
            crew=pm.crew,
            renew=(
                Renew.SELECTED
                if isinstance(pm.renew, tuple)
                else Renew.UNIT
                if pm.renew
                else Renew.RESUME
            ),
            local=0,
            rate_steps=[(0.0, 0.0)],  # not a fault: no part of a job's failure rate
        )
    modes.segments.append((list(range(len(modes.labels))), design.n_units))
    seen: dict[str, list[int]] = {}
    for d, ptype, carried in design.platforms:
        if ptype.name not in seen:
            seen[ptype.name] = [len(modes.labels) + i for i in range(len(ptype.failures))]
            _add_hardware(modes, ptype)
        retired = f"{ptype.name}.retired"
        if design.levels[d].retire_below_k and retired not in modes.labels:
            # not a fault and no clock: the group fell below its k and is replaced
            seen[ptype.name].append(len(modes.labels))
            modes.add(
                label=retired,
                fault_class=retired,
                source="scheduled",
                life=(LAW_CODES["fixed"], math.inf, 0.0),
                domain=0,
                effect=Effect.RETIRED,
                replace=True,
                repair=_NO_REPAIR,
                crew=False,
                renew=Renew.UNIT,
                local=0,
                rate_steps=[(0.0, 0.0)],
            )
        modes.segments.append((seen[ptype.name], carried))
    return modes


def _add_hardware(modes: Modes, unit) -> None:
    """The hardware failure modes of ``unit`` (local stream index = their position);
    a platform's shock modes fail units of its group."""
    for i, m in enumerate(unit.failures):
        shock = m.shock is not None
        # a mode with an activation energy ages at the Arrhenius factor of its unit's
        # temperature over the mission: a steps rate profile
        heat = arrhenius_steps(modes.design, m.activation_ev) if m.activation_ev else None
        modes.add(
            label=f"{unit.name}.{m.name}",
            fault_class=f"{unit.name}.{m.name}",
            source="scheduled" if m.planned else "hardware",
            life=_law(m.life),
            domain=(
                modes.steps_domain(("heat", m.activation_ev), heat)
                if heat
                else modes.profile_domain(m.profile)
                if m.profile
                else 0
            ),
            effect=Effect.SHOCK if shock else Effect.DOWN,
            replace=m.restore == "replace",
            repair=_law(m.repair) if m.repair is not None else _NO_REPAIR,
            crew=m.crew,
            renew=Renew.UNIT if m.renew else Renew.RESUME,
            local=i,
            rate_steps=(
                [(t, _rate_steps(m.life, None)[0][1] * f) for t, f in heat]
                if heat
                else _rate_steps(m.life, modes.profiles.get(m.profile or ""))
            ),
            shock=m.shock or 0.0,
        )
