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
from reliability.engine._laws import CODES
from reliability.engine._profiles import CONSTANT, SINE, STEPS

__all__ = ["SystemPlan", "compile_plan", "time_edges"]


@dataclass(frozen=True, slots=True)
class SystemPlan:
    """A compiled scenario: the engine's arrays plus the labels results need."""

    arrays: PlanArrays
    mode_labels: tuple[str, ...]
    n_units: int
    n_groups: int

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


def _profile_arrays(p: Profile) -> tuple[int, list[float], list[float], list[float]]:
    if p.kind == "sine":
        return SINE, [0.0], [1.0], [0.0]
    times = [t for t, _ in p.points]
    mults = [m for _, m in p.points]
    cum = [0.0]
    for i in range(1, len(times)):
        cum.append(cum[-1] + mults[i - 1] * (times[i] - times[i - 1]))
    return STEPS, times, mults, cum


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
    unit_group = (leaf_first + np.arange(n_units) // levels[-1].n).astype(np.int32)

    unit_type = campaign.unit_type(levels[-1].unit or levels[-1].name)
    modes = unit_type.failures
    n_modes = len(modes)

    # rate-profile domains: 0 is the identity clock
    profiles = {p.name: p for p in campaign.profiles}
    dom_names: list[str | None] = [None]
    for m in modes:
        if m.profile is not None and m.profile not in dom_names:
            dom_names.append(m.profile)
    dom_kind, dom_off, dom_t, dom_m, dom_c = [CONSTANT], [0, 1], [0.0], [1.0], [0.0]
    dom_mean, dom_amp, dom_period, dom_phase = [1.0], [0.0], [1.0], [0.0]
    for name in dom_names[1:]:
        p = profiles[name]
        kind, t, mult, cum = _profile_arrays(p)
        dom_kind.append(kind)
        dom_t += t
        dom_m += mult
        dom_c += cum
        dom_off.append(len(dom_t))
        dom_mean.append(p.mean)
        dom_amp.append(p.amplitude)
        dom_period.append(p.period_h)
        dom_phase.append(p.phase_rad)
    mode_dom = [dom_names.index(m.profile) for m in modes]
    clocks_per_dom = np.bincount(np.array(mode_dom, dtype=np.int64), minlength=len(dom_names))
    dom_hoff = np.concatenate([[0], np.cumsum(clocks_per_dom * n_units)]).astype(np.int32)

    life = [_law(m.life) for m in modes]
    rep = [_law(m.repair) if m.repair is not None else (CODES["fixed"], 0.0, 0.0) for m in modes]

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
        unit_clock0=(np.arange(n_units) * n_modes).astype(i32),
        unit_nmodes=np.full(n_units, n_modes, i32),
        clock_unit=np.repeat(np.arange(n_units), n_modes).astype(i32),
        clock_mode=np.tile(np.arange(n_modes), n_units).astype(i32),
        group_parent=np.array(parent, i32),
        group_k=np.array(gk, i32),
        group_n=np.array(gn, i32),
        group_units=np.array(gunits, np.int64),
        mode_law=np.array([x[0] for x in life], i32),
        mode_p1=np.array([x[1] for x in life]),
        mode_p2=np.array([x[2] for x in life]),
        mode_dom=np.array(mode_dom, i32),
        mode_replace=np.array([m.restore == "replace" for m in modes], i32),
        mode_rlaw=np.array([x[0] for x in rep], i32),
        mode_rp1=np.array([x[1] for x in rep]),
        mode_rp2=np.array([x[2] for x in rep]),
        mode_crew=np.array([m.crew for m in modes], i32),
        mode_renew=np.array([m.renew for m in modes], i32),
        mode_local=np.arange(n_modes, dtype=i32),
        dom_kind=np.array(dom_kind, i32),
        dom_off=np.array(dom_off, i32),
        dom_t=np.array(dom_t),
        dom_m=np.array(dom_m),
        dom_c=np.array(dom_c),
        dom_mean=np.array(dom_mean),
        dom_amp=np.array(dom_amp),
        dom_period=np.array(dom_period),
        dom_phase=np.array(dom_phase),
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
    )
    labels = tuple(f"{unit_type.name}.{m.name}" for m in modes)
    return SystemPlan(arrays=arrays, mode_labels=labels, n_units=n_units, n_groups=len(parent))
