"""The numeric plan the kernel runs: plain arrays, no TOML and no physics.

The kernel itself sees the plan and its state as a handful of flat arrays (an
int64 and a float64 array for the plan; int64, float64 and uint64 arrays for the
state) whose first entries are the offsets of each field: a compiled call then
passes five arrays, not ninety, which keeps per-event overhead to a few nanoseconds.

A :class:`PlanArrays` is a ``NamedTuple`` so that numba can take it as one argument
and it pickles cheaply to Dask workers. :mod:`reliability.system` builds it from a
campaign; tests may build one directly.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from reliability.engine._layout import N_WALL_EXTRA

__all__ = ["PlanArrays", "new_state", "pack_plan"]


class PlanArrays(NamedTuple):
    """Numeric description of one scenario (all times in hours).

    Units are leaf slots; groups are k-of-n holders in breadth-first order (root 0);
    modes are failure modes over all unit types; clocks are (unit, mode) pairs;
    domains are rate profiles (domain 0 is the constant profile).
    """

    mission_h: float
    warmup_h: float
    age_while_down: int
    edges: np.ndarray  # (n_cells + 1,) capacity-grid cell edges
    unit_group: np.ndarray  # (N,) leaf group of each unit
    unit_crew: np.ndarray  # (N,) crew pool or -1 (independent repair)
    unit_spare: np.ndarray  # (N,) spare pool or -1
    unit_clock0: np.ndarray  # (N,) first clock of the unit
    unit_nmodes: np.ndarray  # (N,)
    clock_unit: np.ndarray  # (K,)
    clock_mode: np.ndarray  # (K,) global mode index
    group_parent: np.ndarray  # (G,) -1 for the root
    group_k: np.ndarray  # (G,)
    group_n: np.ndarray  # (G,) members (sub-groups or units)
    group_units: np.ndarray  # (G,) units in the subtree
    group_child0: np.ndarray  # (G,) first child group (its group_n children follow); -1: leaf
    group_pool: np.ndarray  # (G,) spare pool serving exactly this group's units, else -1
    mode_law: np.ndarray  # (M,) life law code
    mode_p1: np.ndarray
    mode_p2: np.ndarray
    mode_dom: np.ndarray  # (M,) rate-profile domain
    mode_replace: np.ndarray  # (M,) 1: needs replacement; 0: repaired in place
    mode_rlaw: np.ndarray  # (M,) repair-duration law
    mode_rp1: np.ndarray
    mode_rp2: np.ndarray
    mode_crew: np.ndarray  # (M,) repair needs a crew
    mode_renew: np.ndarray  # (M,) repair renews the unit
    mode_local: np.ndarray  # (M,) index of the mode within its unit type
    dom_kind: np.ndarray  # (D,)
    dom_off: np.ndarray  # (D + 1,) offsets into dom_t/dom_m/dom_c
    dom_t: np.ndarray
    dom_m: np.ndarray
    dom_c: np.ndarray
    dom_mean: np.ndarray  # (D,) sine parameters
    dom_amp: np.ndarray
    dom_period: np.ndarray
    dom_phase: np.ndarray
    dom_hoff: np.ndarray  # (D + 1,) offsets of each domain's failure heap
    crew_count: np.ndarray  # (C,)
    crew_qoff: np.ndarray  # (C + 1,) queue offsets
    sp_capacity: np.ndarray  # (S,)
    sp_warm: np.ndarray  # (S,)
    sp_dormant: np.ndarray  # (S,) dormant MTTF of a warm spare (inf for cold)
    sp_slaw: np.ndarray  # (S,) swap-duration law
    sp_sp1: np.ndarray
    sp_sp2: np.ndarray
    sp_qoff: np.ndarray  # (S + 1,) waiting-queue offsets
    svc_every: float  # inf when there is no servicing
    svc_first: float
    svc_dur: float
    svc_down: int
    svc_all: int
    svc_restock: int
    rs_every: float  # inf when there is no resupply
    rs_first: float
    rs_poisson: int
    # --- radiation: effects, periodic (SAA) patterns and solar particle events
    mode_effect: np.ndarray  # (M,) 0 unit down, 1 silent (counted), 2 counted in aggregate
    dom_poff: np.ndarray  # (D + 1,) offsets of each domain's periodic pattern
    pat_t: np.ndarray  # pattern piece starts within the period
    pat_m: np.ndarray  # pattern multipliers
    pat_c: np.ndarray  # pattern cumulative at piece starts
    spe_dom: int  # domain driven by solar particle events (-1: none)
    spe_cap: int  # most events per trial (a Poisson tail beyond 1e-20)
    occ_t: np.ndarray  # SPE occurrence rate: steps (start h, events per h, cumulative)
    occ_m: np.ndarray
    occ_c: np.ndarray
    spe_dur_mu: float  # ln-duration of an event: normal(mu, sigma), hours
    spe_dur_sigma: float
    spe_int_mu: float  # ln-intensity of an event: normal(mu, sigma)
    spe_int_sigma: float
    # --- workload: serving demand, or a synchronous training job with checkpoints
    wl_kind: int = 0  # 0 none (every usable slot wanted), 1 training, 2 serving
    wl_demand: float = 0.0  # serving demand in units (0: every slot)
    wl_slo: float = 1.0  # serving: delivered/demand needed for the SLO
    wl_m: int = 0  # training: accelerators the job spans
    wl_elastic: int = 0  # training: run smaller (slower) when fewer than m are up
    wl_tau: float = 1.0  # training: compute time between checkpoints, h
    wl_delta: float = 0.0  # training: checkpoint cost, h
    wl_restart: float = 0.0  # training: restart cost, h
    wl_work: float = float("inf")  # training: total work, h (inf: runs all mission)
    wl_sdc_latency: float = float("inf")  # training: silent corruption found after, h
    dem_t: np.ndarray | None = None  # serving demand over time: steps (start h, units)
    dem_m: np.ndarray | None = None
    tau_t: np.ndarray | None = None  # training: checkpoint interval over time, steps
    tau_v: np.ndarray | None = None

    @property
    def n_units(self) -> int:
        """Number of unit slots."""
        return int(self.unit_group.shape[0])

    @property
    def n_modes(self) -> int:
        """Number of failure modes over all unit types."""
        return int(self.mode_law.shape[0])

    @property
    def n_cells(self) -> int:
        """Number of capacity-grid cells."""
        return int(self.edges.shape[0] - 1)


# Field order of the packed arrays; the kernel reads field F element j as a[a[F] + j].
PLAN_INT = (
    "unit_group",
    "unit_crew",
    "unit_spare",
    "unit_clock0",
    "unit_nmodes",
    "clock_unit",
    "clock_mode",
    "group_parent",
    "group_k",
    "group_n",
    "group_units",
    "mode_law",
    "mode_dom",
    "mode_replace",
    "mode_rlaw",
    "mode_crew",
    "mode_renew",
    "mode_local",
    "dom_kind",
    "dom_off",
    "dom_hoff",
    "crew_count",
    "crew_qoff",
    "sp_capacity",
    "sp_warm",
    "sp_slaw",
    "sp_qoff",
    "scalars",
    "mode_effect",
    "dom_poff",
    "group_child0",
    "group_pool",
)
PLAN_FLOAT = (
    "edges",
    "mode_p1",
    "mode_p2",
    "mode_rp1",
    "mode_rp2",
    "dom_t",
    "dom_m",
    "dom_c",
    "dom_mean",
    "dom_amp",
    "dom_period",
    "dom_phase",
    "sp_dormant",
    "sp_sp1",
    "sp_sp2",
    "scalars",
    "pat_t",
    "pat_m",
    "pat_c",
    "occ_t",
    "occ_m",
    "occ_c",
    "dem_t",
    "dem_m",
    "dem_c",
    "tau_t",
    "tau_v",
)
STATE_INT = (
    "unit_fmode",
    "unit_job",
    "unit_kind",
    "unit_crewed",
    "unit_up",
    "fh_id",
    "fh_pos",
    "fh_size",
    "wh_id",
    "wh_pos",
    "wh_size",
    "g_upc",
    "g_up",
    "g_use",
    "crew_busy",
    "cq",
    "cq_head",
    "cq_len",
    "sp_stock",
    "sp_res",
    "sq",
    "sq_head",
    "sq_len",
    "dom_dirty",
    "ints",
    "unit_member",
    "uplist",
    "uppos",
    "g_need",
    "g_sel",
)
STATE_FLOAT = (
    "clk_origin",
    "clk_deadline",
    "clk_paused",
    "fh_key",
    "wh_key",
    "dom_frozen",
    "dom_lag",
    "dom_next",
    "fs",
    "spe_t",
    "spe_m",
    "spe_c",
    "spe_ev",
    "unit_tfail",
    "job",
)
STATE_UINT = ("unit_ctr", "clk_ctr", "misc_ctr", "key")


def _pack(fields: tuple[str, ...], values: dict[str, np.ndarray], dtype: type) -> np.ndarray:
    header = len(fields)
    sizes = [int(np.asarray(values[f]).size) for f in fields]
    offsets = header + np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    out = np.zeros(header + sum(sizes), dtype=dtype)
    out[:header] = offsets
    for f, off, n in zip(fields, offsets, sizes, strict=True):
        out[off : off + n] = np.asarray(values[f], dtype=dtype).ravel()
    return out


def pack_plan(p: PlanArrays) -> tuple[np.ndarray, np.ndarray]:
    """The plan as the kernel's (int64, float64) arrays."""
    ints = {f: getattr(p, f) for f in PLAN_INT if f != "scalars"}
    ints["scalars"] = np.array(
        [
            p.age_while_down,
            p.svc_down,
            p.svc_all,
            p.svc_restock,
            p.rs_poisson,
            p.n_units,
            p.sp_capacity.shape[0],
            p.dom_kind.shape[0],
            p.group_k.shape[0],
            p.n_cells,
            p.crew_count.shape[0],
            p.spe_dom,
            p.spe_cap,
            p.mode_law.shape[0],
            p.wl_kind,
            p.wl_m,
            p.wl_elastic,
        ]
    )
    derived = ("scalars", "dem_t", "dem_m", "dem_c", "tau_t", "tau_v")
    floats = {f: getattr(p, f) for f in PLAN_FLOAT if f not in derived}
    floats["tau_t"] = np.zeros(1) if p.tau_t is None else np.asarray(p.tau_t, dtype=float)
    floats["tau_v"] = np.full(1, p.wl_tau) if p.tau_v is None else np.asarray(p.tau_v, dtype=float)
    demand = p.wl_demand if p.wl_demand > 0 else p.n_units
    dem_t = np.zeros(1) if p.dem_t is None else np.asarray(p.dem_t, dtype=float)
    dem_m = np.full(1, demand) if p.dem_m is None else np.asarray(p.dem_m, dtype=float)
    floats["dem_t"], floats["dem_m"] = dem_t, dem_m
    floats["dem_c"] = np.concatenate([[0.0], np.cumsum(dem_m[:-1] * np.diff(dem_t))])
    floats["scalars"] = np.array(
        [
            p.mission_h,
            p.warmup_h,
            p.svc_every,
            p.svc_first,
            p.svc_dur,
            p.rs_every,
            p.rs_first,
            p.spe_dur_mu,
            p.spe_dur_sigma,
            p.spe_int_mu,
            p.spe_int_sigma,
            p.wl_demand if p.wl_demand > 0 else p.n_units,
            p.wl_slo,
            p.wl_tau,
            p.wl_delta,
            p.wl_restart,
            p.wl_work,
            p.wl_sdc_latency,
        ]
    )
    return _pack(PLAN_INT, ints, np.int64), _pack(PLAN_FLOAT, floats, np.float64)


def new_state(p: PlanArrays) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Allocate the kernel's (int64, float64, uint64) state arrays for plan ``p``."""
    n, k = p.n_units, p.clock_unit.shape[0]
    g, d = p.group_k.shape[0], p.dom_kind.shape[0]
    c, s = p.crew_count.shape[0], p.sp_capacity.shape[0]
    w = n + s + N_WALL_EXTRA
    size_i = {
        "unit_fmode": n,
        "unit_job": n,
        "unit_kind": n,
        "unit_crewed": n,
        "unit_up": n,
        "fh_id": k,
        "fh_pos": k,
        "fh_size": d,
        "wh_id": w,
        "wh_pos": w,
        "wh_size": 1,
        "g_upc": g,
        "g_up": g,
        "g_use": g,
        "crew_busy": c,
        "cq": int(p.crew_qoff[-1]),
        "cq_head": c,
        "cq_len": c,
        "sp_stock": s,
        "sp_res": s,
        "sq": int(p.sp_qoff[-1]),
        "sq_head": s,
        "sq_len": s,
        "dom_dirty": d,
        "ints": 17,
        "unit_member": n,
        "uplist": n,
        "uppos": n,
        "g_need": g,
        "g_sel": int(p.group_n.max()),
    }
    size_f = {
        "clk_origin": k,
        "clk_deadline": k,
        "clk_paused": k,
        "fh_key": k,
        "wh_key": w,
        "dom_frozen": d,
        "dom_lag": d,
        "dom_next": d,
        "fs": 10,
        "spe_t": 2 * p.spe_cap + 2,
        "spe_m": 2 * p.spe_cap + 2,
        "spe_c": 2 * p.spe_cap + 2,
        "spe_ev": 3 * p.spe_cap + 3,
        "unit_tfail": n,
        "job": 8,
    }
    size_u = {"unit_ctr": n, "clk_ctr": k, "misc_ctr": 4, "key": 1}
    si = _pack(STATE_INT, {f: np.zeros(size_i[f]) for f in STATE_INT}, np.int64)
    sf = _pack(STATE_FLOAT, {f: np.zeros(size_f[f]) for f in STATE_FLOAT}, np.float64)
    su_sizes = {f: np.zeros(size_u[f]) for f in STATE_UINT}
    su = _pack(STATE_UINT, su_sizes, np.uint64)
    return si, sf, su
