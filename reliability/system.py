"""From a validated campaign to the numeric plan of the engine.

Owns the redundancy tree (k-of-n groups in breadth-first order), the assignment of
units to crew and spare pools, the rate-profile domains and the maintenance calendar.
It knows no TOML and no Dask.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from reliability.campaign import Campaign, Law, Profile
from reliability.engine import PlanArrays
from reliability.engine.spec import LAW_CODES as CODES
from reliability.engine.spec import Effect, ProfileKind, Renew, WorkloadKind
from reliability.environment import HOURS_PER_YEAR, Environment, solar_steps, steps_integral
from reliability.radiation import FaultProcess, fault_processes
from reliability.workload import checkpoint_interval

__all__ = ["SystemPlan", "compile_plan", "job_mtbf_h", "time_edges"]


@dataclass(frozen=True, slots=True)
class SystemPlan:
    """A compiled scenario: the engine's arrays plus the labels results need."""

    arrays: PlanArrays
    mode_labels: tuple[str, ...]
    n_units: int
    n_groups: int
    mode_classes: tuple[str, ...] = ()
    mode_sources: tuple[str, ...] = ()

    @property
    def fault_classes(self) -> tuple[str, ...]:
        """Fault classes in first-seen order (hardware modes are their own class)."""
        return tuple(dict.fromkeys(self.mode_classes))

    @property
    def edges(self) -> np.ndarray:
        """Capacity-grid cell edges in hours."""
        return self.arrays.edges


def time_edges(mission_h: float, step_h: float) -> np.ndarray:
    """Cell edges 0, step, 2 step, ..., mission (the last cell may be shorter)."""
    n = max(1, math.ceil(mission_h / step_h - 1e-9))
    edges = np.arange(n + 1, dtype=float) * step_h
    edges[-1] = mission_h
    return edges


def _law(law: Law) -> tuple[int, float, float]:
    return CODES[law.law], float(law.p1), float(law.p2)


def _cumulative(times: list[float], mults: list[float]) -> list[float]:
    """Integral of a steps function at each of its piece starts."""
    cum = [0.0]
    for i in range(1, len(times)):
        cum.append(cum[-1] + mults[i - 1] * (times[i] - times[i - 1]))
    return cum


def _profile_arrays(p: Profile) -> tuple[int, list[float], list[float], list[float]]:
    if p.kind == "sine":
        return ProfileKind.SINE, [0.0], [1.0], [0.0]
    times = [t for t, _ in p.points]
    mults = [m for _, m in p.points]
    return ProfileKind.STEPS, times, mults, _cumulative(times, mults)


def _pools(campaign: Campaign, attribute: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Assign every unit to the pool of the deepest level declaring ``attribute``.

    Returns the pool index of each unit (-1: none) and, per pool, (level, units served).
    """
    levels = campaign.levels
    n_units = campaign.n_units
    below = [math.prod(lv.n for lv in levels[d:]) for d in range(len(levels))]
    unit_pool = np.full(n_units, -1, np.int32)
    pools: list[tuple[int, int]] = []
    for depth in range(len(levels) - 1, -1, -1):
        if getattr(levels[depth], attribute) is None:
            continue
        n_groups = n_units // below[depth]
        first = len(pools)
        pools.extend((depth, 0) for _ in range(n_groups))
        unassigned = unit_pool < 0
        idx = np.flatnonzero(unassigned)
        unit_pool[idx] = first + idx // below[depth]
    counts = np.bincount(unit_pool[unit_pool >= 0], minlength=len(pools))
    pools = [(depth, int(c)) for (depth, _), c in zip(pools, counts, strict=True)]
    return unit_pool, pools


def _group_pools(
    levels: tuple, first_of_depth: list[int], depth_sizes: list[int], n_groups: int
) -> np.ndarray:
    """The spare pool of each group that one serves exactly (-1 for the others).

    Units draw on the pools of the deepest level declaring spares (see :func:`_pools`,
    which numbers that level's pools first), so its groups and pools match one to one.
    """
    out = np.full(n_groups, -1, np.int32)
    deepest = [d for d, lv in enumerate(levels) if lv.spares is not None]
    if deepest:
        d = deepest[-1]
        out[first_of_depth[d] : first_of_depth[d] + depth_sizes[d]] = np.arange(depth_sizes[d])
    return out


def compile_plan(campaign: Campaign) -> SystemPlan:
    """Compile a campaign (one scenario) into the engine's numeric plan.

    Parameters
    ----------
    campaign : Campaign
        A validated campaign.

    Returns
    -------
    SystemPlan

    Examples
    --------
    >>> from reliability.campaign import parse_campaign
    >>> c = parse_campaign('''
    ... [campaign]
    ... name = "k10n12"
    ... mission = "8760 h"
    ... trials = 10
    ... seed = 1
    ... [units.node]
    ... failures = [{ law = "exponential", mean = "1000 h", repair = "24 h" }]
    ... [cluster]
    ... node = { n = 12, k = 10 }
    ... ''')
    >>> plan = compile_plan(c)
    >>> plan.n_units, int(plan.arrays.group_k[0])
    (12, 10)
    """
    levels = campaign.levels
    n_units = campaign.n_units
    depth_sizes = [math.prod(lv.n for lv in levels[:d]) for d in range(len(levels))]
    below = [math.prod(lv.n for lv in levels[d:]) for d in range(len(levels))]

    # groups, breadth first: depth d holds depth_sizes[d] groups
    parent, gk, gn, gunits = [], [], [], []
    first_of_depth = []
    for d, lv in enumerate(levels):
        first_of_depth.append(len(parent))
        for i in range(depth_sizes[d]):
            parent.append(-1 if d == 0 else first_of_depth[d - 1] + i // levels[d - 1].n)
            gk.append(lv.k)
            gn.append(lv.n)
            gunits.append(below[d])
    leaf_first = first_of_depth[-1]
    # groups are breadth first, so the children of a group are contiguous
    child0 = [
        first_of_depth[d + 1] + i * lv.n if d + 1 < len(levels) else -1
        for d, lv in enumerate(levels)
        for i in range(depth_sizes[d])
    ]
    unit_group = (leaf_first + np.arange(n_units) // levels[-1].n).astype(np.int32)

    unit_type = campaign.unit_type(levels[-1].unit or levels[-1].name)
    modes = _Modes(campaign)
    for i, m in enumerate(unit_type.failures):
        domain = modes.profile_domain(m.profile) if m.profile else 0
        rep_law = _law(m.repair) if m.repair is not None else (CODES["fixed"], 0.0, 0.0)
        modes.add(
            label=f"{unit_type.name}.{m.name}",
            fault_class=f"{unit_type.name}.{m.name}",
            source="hardware",
            life=_law(m.life),
            domain=domain,
            effect=Effect.DOWN,
            replace=m.restore == "replace",
            repair=rep_law,
            crew=m.crew,
            renew=Renew.UNIT if m.renew else Renew.RESUME,
            local=i,
            rate_steps=_rate_steps(m.life, modes.profiles.get(m.profile or "")),
        )
    for j, fp in enumerate(fault_processes(unit_type, campaign.environment, campaign.mission_h)):
        modes.add_process(unit_type.name, fp, local=64 + 3 * j)
    n_modes = len(modes.labels)
    clocked = [m for m in range(n_modes) if modes.effect[m] != Effect.COUNTED]
    n_clocked = len(clocked)
    mode_dom = modes.domain
    n_dom = len(modes.dom_kind)
    clocks_per_dom = np.bincount(
        np.array([mode_dom[m] for m in clocked] or [0], dtype=np.int64), minlength=n_dom
    )
    if not clocked:
        clocks_per_dom[:] = 0
    dom_hoff = np.concatenate([[0], np.cumsum(clocks_per_dom * n_units)]).astype(np.int32)

    unit_crew, crew_pools = _pools(campaign, "crews")
    unit_spare, spare_pools = _pools(campaign, "spares")
    crew_count = [levels[d].crews for d, _ in crew_pools]
    sp_levels = [levels[d].spares for d, _ in spare_pools]

    svc = campaign.servicing
    rs = campaign.resupply
    i32 = np.int32
    arrays = PlanArrays(
        mission_h=float(campaign.mission_h),
        warmup_h=float(campaign.warmup_h),
        age_while_down=int(campaign.age_while_down),
        edges=time_edges(campaign.mission_h, campaign.time_step_h),
        unit_group=unit_group,
        unit_crew=unit_crew,
        unit_spare=unit_spare,
        unit_clock0=(np.arange(n_units) * n_clocked).astype(i32),
        unit_nmodes=np.full(n_units, n_clocked, i32),
        clock_unit=np.repeat(np.arange(n_units), n_clocked).astype(i32),
        clock_mode=np.tile(np.array(clocked, dtype=i32), n_units).astype(i32),
        group_parent=np.array(parent, i32),
        group_k=np.array(gk, i32),
        group_n=np.array(gn, i32),
        group_units=np.array(gunits, np.int64),
        group_child0=np.array(child0, i32),
        group_pool=_group_pools(levels, first_of_depth, depth_sizes, len(parent)),
        mode_law=np.array([x[0] for x in modes.life], i32),
        mode_p1=np.array([x[1] for x in modes.life], dtype=float),
        mode_p2=np.array([x[2] for x in modes.life], dtype=float),
        mode_dom=np.array(mode_dom, i32),
        mode_replace=np.array(modes.replace, i32),
        mode_rlaw=np.array([x[0] for x in modes.repair], i32),
        mode_rp1=np.array([x[1] for x in modes.repair], dtype=float),
        mode_rp2=np.array([x[2] for x in modes.repair], dtype=float),
        mode_crew=np.array(modes.crew, i32),
        mode_renew=np.array(modes.renew, i32),
        mode_local=np.array(modes.local, i32),
        dom_kind=np.array(modes.dom_kind, i32),
        dom_off=np.array(modes.dom_off, i32),
        dom_t=np.array(modes.dom_t, dtype=float),
        dom_m=np.array(modes.dom_m, dtype=float),
        dom_c=np.array(modes.dom_c, dtype=float),
        dom_mean=np.array(modes.dom_mean, dtype=float),
        dom_amp=np.array(modes.dom_amp, dtype=float),
        dom_period=np.array(modes.dom_period, dtype=float),
        dom_phase=np.array(modes.dom_phase, dtype=float),
        dom_hoff=dom_hoff,
        crew_count=np.array(crew_count, i32),
        crew_qoff=np.concatenate([[0], np.cumsum([c for _, c in crew_pools])]).astype(i32),
        sp_capacity=np.array([s.count for s in sp_levels], i32),
        sp_warm=np.array([s.kind == "warm" for s in sp_levels], i32),
        sp_dormant=np.array([s.dormant_mttf_h for s in sp_levels], dtype=float),
        sp_slaw=np.array([CODES[s.swap.law] for s in sp_levels], i32),
        sp_sp1=np.array([s.swap.p1 for s in sp_levels], dtype=float),
        sp_sp2=np.array([s.swap.p2 for s in sp_levels], dtype=float),
        sp_qoff=np.concatenate([[0], np.cumsum([c for _, c in spare_pools])]).astype(i32),
        svc_every=svc.every_h if svc else math.inf,
        svc_first=svc.first_h if svc else math.inf,
        svc_dur=svc.duration_h if svc else 0.0,
        svc_down=int(svc.system_down) if svc else 0,
        svc_all=int(svc.policy == "replace-all") if svc else 0,
        svc_restock=int(svc.restock) if svc else 0,
        rs_every=rs.every_h if rs else math.inf,
        rs_first=rs.first_h if rs else math.inf,
        rs_poisson=int(rs.cadence == "poisson") if rs else 0,
        mode_effect=np.array(modes.effect, i32),
        dom_poff=np.array(modes.dom_poff, i32),
        pat_t=np.array(modes.pat_t, dtype=float),
        pat_m=np.array(modes.pat_m, dtype=float),
        pat_c=np.array(modes.pat_c, dtype=float),
        **modes.spe_fields(),
        **_workload_fields(campaign, modes),
    )
    return SystemPlan(
        arrays=arrays,
        mode_labels=tuple(modes.labels),
        n_units=n_units,
        n_groups=len(parent),
        mode_classes=tuple(modes.classes),
        mode_sources=tuple(modes.sources),
    )


class _Modes:
    """Failure modes and rate-profile domains of a scenario, built up one at a time.

    Domain 0 is the identity clock. Identical domains are shared, so fault classes
    with the same time structure cost one heap between them.
    """

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.env: Environment | None = campaign.environment
        self.profiles = {p.name: p for p in campaign.profiles}
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
        # events per unit-hour over mission time (SAA passes averaged over the orbit)
        self.rate_steps: list[list[tuple[float, float]]] = []
        self.dom_kind, self.dom_off = [ProfileKind.CONSTANT], [0, 1]
        self.dom_t, self.dom_m, self.dom_c = [0.0], [1.0], [0.0]
        self.dom_mean, self.dom_amp, self.dom_period, self.dom_phase = [1.0], [0.0], [1.0], [0.0]
        self.dom_poff, self.pat_t, self.pat_m, self.pat_c = [0, 1], [0.0], [1.0], [0.0]
        self._keys: dict[object, int] = {("constant",): 0}
        self.spe_dom = -1

    def _domain(self, key: object, kind: int, steps, pattern=None, extra=(1.0, 0.0, 1.0, 0.0)):
        if key in self._keys:
            return self._keys[key]
        self.dom_kind.append(kind)
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
        p: Profile = self.profiles[name]
        kind, t, mult, cum = _profile_arrays(p)
        return self._domain(
            ("profile", name),
            kind,
            (t, mult, cum),
            extra=(p.mean, p.amplitude, p.period_h, p.phase_rad),
        )

    def add(self, rate_steps: list[tuple[float, float]], **kw) -> None:
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

    def add_process(self, unit: str, fp: FaultProcess, *, local: int) -> None:
        effect = {"none": Effect.COUNTED, "silent": Effect.SILENT}.get(fp.effect, Effect.DOWN)
        common = {
            "fault_class": f"{unit}.{fp.fault_class}",
            "effect": effect,
            "replace": fp.effect == "permanent",
            "repair": _law(fp.recover) if fp.recover is not None else (CODES["fixed"], 0.0, 0.0),
            "crew": False,
            "renew": Renew.CLOCK if fp.renew_clock else Renew.RESUME,
        }
        if fp.life is not None:
            law, p1, p2 = fp.life
            self.add(
                label=f"{unit}.{fp.name}",
                source="quiet",
                life=(CODES[law], p1, p2),
                domain=0,
                local=local,
                rate_steps=[(0.0, 1.0 / Law(law=law, p1=p1, p2=p2).mean_h)],
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
                domain = self._spe_domain()
                steps = [(0.0, shape.mean_per_h * shape.spe_share)]  # its long-run rate
            else:
                rate = max(r for _, r in steps)
                if rate <= 0:
                    continue
                domain = self._quiet_domain(steps, rate, inside=comp == 1)
            self.add(
                label=f"{unit}.{fp.name}{suffix}",
                source=("quiet", "saa", "spe")[comp],
                life=(CODES["exponential"], 1.0 / rate, 0.0),
                domain=domain,
                local=local + comp,
                rate_steps=steps,
                **common,
            )

    def _quiet_domain(self, steps, peak: float, *, inside: bool) -> int:
        """Steps of the solar cycle over one pass through the SAA per orbit."""
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
        period = env.orbit_period_h
        # one SAA pass at the start of each orbit; multipliers average 1 over the orbit
        if inside:
            pattern = ([0.0, f * period], [1.0 / f, 0.0], [0.0, period])
        else:
            pattern = ([0.0, f * period], [0.0, 1.0 / (1.0 - f)], [0.0, 0.0])

        def p_of(t: float) -> float:
            k = math.floor(t / period)
            s = t - k * period
            pt, pm, pc = pattern
            i = 1 if s >= pt[1] else 0
            return k * period + pc[i] + pm[i] * (s - pt[i])

        xs = [p_of(t) for t in times]
        cum = _cumulative(xs, mults)
        key = ("modulated", inside, f, period, tuple(times), tuple(mults))
        return self._domain(
            key,
            ProfileKind.MODULATED,
            (xs, mults, cum),
            pattern=pattern,
            extra=(period, 0.0, period, 0.0),
        )

    def _spe_domain(self) -> int:
        self.spe_dom = self._domain(("spe",), ProfileKind.SPE, ([0.0], [0.0], [0.0]))
        return self.spe_dom

    def spe_fields(self) -> dict[str, object]:
        """Plan fields of the solar-particle-event process (inert when unused)."""
        env = self.env
        if self.spe_dom < 0 or env is None:
            return {
                "spe_dom": -1,
                "spe_cap": 0,
                "occ_t": np.zeros(1),
                "occ_m": np.zeros(1),
                "occ_c": np.zeros(1),
                "spe_dur_mu": 0.0,
                "spe_dur_sigma": 0.0,
                "spe_int_mu": 0.0,
                "spe_int_sigma": 0.0,
            }
        mission = self.campaign.mission_h
        rate = env.spe_per_active_year / HOURS_PER_YEAR
        steps = solar_steps(env, mission)
        times = [t for t, _ in steps]
        mults = [rate if active else 0.0 for _, active in steps]
        cum = _cumulative(times, mults)
        expected = steps_integral(list(zip(times, mults, strict=True)), mission)
        sigma_i = env.spe_intensity_sigma
        return {
            "spe_dom": self.spe_dom,
            # P(Poisson(mean) > mean + 10 sqrt(mean) + 20) < 1e-20
            "spe_cap": math.ceil(expected + 10.0 * math.sqrt(expected) + 20.0),
            "occ_t": np.array(times),
            "occ_m": np.array(mults),
            "occ_c": np.array(cum),
            "spe_dur_mu": math.log(env.spe_duration_median_h),
            "spe_dur_sigma": env.spe_duration_sigma,
            "spe_int_mu": -0.5 * sigma_i**2,  # mean intensity 1
            "spe_int_sigma": sigma_i,
        }


def _rate_steps(life: Law, profile: Profile | None) -> list[tuple[float, float]]:
    """Failure rate of a hardware mode over mission time: its mean rate (the renewal
    rate of an ageing law) scaled by its rate profile."""
    rate = 1.0 / life.mean_h
    if profile is None:
        return [(0.0, rate)]
    if profile.kind == "sine":
        return [(0.0, rate * profile.mean)]
    return [(t, rate * m) for t, m in profile.points]


def _interrupting(campaign: Campaign, modes: _Modes) -> list[int]:
    """Modes that interrupt a training job: a unit going down, or silent corruption
    that is found (and rolls the job back)."""
    w = campaign.workload
    assert w is not None
    found = math.isfinite(w.sdc_detection_h)
    return [
        i for i, e in enumerate(modes.effect) if e == Effect.DOWN or (e == Effect.SILENT and found)
    ]


def job_mtbf_h(campaign: Campaign, plan_modes: _Modes) -> float:
    """Mean time between interrupts of the training job: its accelerators times the
    mission-mean rate of every interrupting mode."""
    assert campaign.workload is not None
    mission = campaign.mission_h
    rate = sum(
        steps_integral(plan_modes.rate_steps[i], mission) / mission
        for i in _interrupting(campaign, plan_modes)
    )
    return math.inf if rate <= 0 else 1.0 / (campaign.workload.accelerators * rate)


def _job_mtbf_steps(campaign: Campaign, modes: _Modes) -> list[tuple[float, float]]:
    """The job's MTBF over mission time, as steps at every change of a mode's rate
    (solar phases, rate profiles); the SAA is averaged over the orbit."""
    w = campaign.workload
    assert w is not None
    use = _interrupting(campaign, modes)
    starts = sorted({t for i in use for t, _ in modes.rate_steps[i] if t < campaign.mission_h})
    out = []
    for start in starts or [0.0]:
        rate = 0.0
        for i in use:
            now = [r for t, r in modes.rate_steps[i] if t <= start]
            rate += now[-1] if now else 0.0
        mtbf = math.inf if rate <= 0 else 1.0 / (w.accelerators * rate)
        if not out or out[-1][1] != mtbf:
            out.append((start, mtbf))
    return out


def _workload_fields(campaign: Campaign, modes: _Modes) -> dict[str, object]:
    w = campaign.workload
    if w is None:  # every slot is wanted
        return {"dem_t": np.zeros(1), "dem_m": np.full(1, float(campaign.n_units))}
    if w.kind == "serving":
        out: dict[str, object] = {
            "wl_kind": WorkloadKind.SERVING,
            "wl_slo": w.slo,
            "dem_t": np.zeros(1),
            "dem_m": np.full(1, w.demand_units),
        }
        if w.demand_profile is not None:
            p = next(p for p in campaign.profiles if p.name == w.demand_profile)
            out["dem_t"] = np.array([t for t, _ in p.points])
            out["dem_m"] = np.array([w.demand_units * m for _, m in p.points])
        return out
    tau = w.checkpoint_h
    tau_t, tau_v = [0.0], [tau]
    if w.checkpoint != "fixed":
        mtbf = w.mtbf_h if w.mtbf_h is not None else job_mtbf_h(campaign, modes)
        tau = (
            campaign.mission_h
            if not math.isfinite(mtbf)
            else (checkpoint_interval(w.checkpoint, w.checkpoint_cost_h, mtbf))
        )
        tau_t, tau_v = [0.0], [tau]
        if w.mtbf_h is None:
            # from the current failure rate: Daly or Young anew at every rate change
            tau_t, tau_v = [], []
            for start, mtbf_now in _job_mtbf_steps(campaign, modes):
                tau_t.append(start)
                tau_v.append(
                    campaign.mission_h
                    if not math.isfinite(mtbf_now)
                    else checkpoint_interval(w.checkpoint, w.checkpoint_cost_h, mtbf_now)
                )
    return {
        "tau_t": np.array(tau_t),
        "tau_v": np.array(tau_v),
        "dem_t": np.zeros(1),
        "dem_m": np.full(1, float(campaign.n_units)),
        "wl_kind": WorkloadKind.TRAINING,
        "wl_m": w.accelerators,
        "wl_elastic": int(w.elastic),
        "wl_tau": tau,
        "wl_delta": w.checkpoint_cost_h,
        "wl_restart": w.restart_h,
        "wl_work": w.work_h,
        "wl_sdc_latency": w.sdc_detection_h,
    }
