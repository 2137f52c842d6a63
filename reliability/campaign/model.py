"""What a campaign file says, as frozen dataclasses: the designs and the question.

A :class:`Design` is one design option, everything the plan compiler needs: the
mission and its time grid, the environment, unit types, the redundancy tree,
maintenance, workload and costs. A :class:`Campaign` is the design question: the
baseline design, its :class:`Scenario` variants (a sweep or one-at-a-time swings),
how many trials with which seed, the method, the requirement and, for validation
campaigns, the exact values expected. Command-line overrides change the campaign,
never a design.

Semantics that reliability tools disagree on are explicit here (see the README):

* units keep ageing while the system is down (``campaign.age_while_down = true``);
  set it to ``false`` for BlockSim's convention (surviving units stop ageing);
* pending failure clocks survive servicing visits and rate-profile changes; only
  units that are replaced or renewed draw new lives;
* a unit's clocks pause while that unit is itself failed;
* a time-varying rate profile scales the unit's ageing rate (accelerated-life
  model); for exponential modes this is exactly a rate multiplier.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

from reliability.campaign.canonical import canonical, sha256_of
from reliability.campaign.errors import MAX_TRIALS, check_count, check_seed
from reliability.campaign.space import Optimize
from reliability.environment import Environment
from reliability.laws import Law
from reliability.links import Links
from reliability.power import PowerSystem
from reliability.thermal import Thermal

__all__ = [
    "FAULT_METRICS",
    "METRICS",
    "PRECISION_METRICS",
    "SPLIT_METRICS",
    "TARGET_METRICS",
    "Campaign",
    "Derating",
    "Design",
    "Expectation",
    "FailureMode",
    "GroupSpares",
    "Level",
    "Memory",
    "Precision",
    "Profile",
    "RadiationEntry",
    "RareEvent",
    "Resupply",
    "Scenario",
    "Servicing",
    "Spares",
    "Sweep",
    "Target",
    "UnitMaintenance",
    "UnitType",
    "Workload",
]

#: Metrics a validation campaign may state an exact value for.
METRICS = (
    "availability",
    "mean_capacity",
    "point_availability",
    "reliability",
    "mttf",
    "spares_used",
    "group_spares_used",
    "group_spare_stockouts",
    "launches",
    "launch_failures",
    "spare_stock",
    "group_spare_stock",
    "outages",
    "downtime_h",
    "fault_count",
    "saa_fault_count",
    "spe_fault_count",
    "throughput",
    "slo_attainment",
    "job_completion_h",
    "job_restarts",
    "power_limited",
    "link_limited",
    "failure_probability",
    "unavailability",
)
#: what a splitting run estimates (and nothing else)
SPLIT_METRICS = ("failure_probability", "unavailability")
#: metrics that count faults of one class (``fault_class`` names it)
FAULT_METRICS = ("fault_count", "saa_fault_count", "spe_fault_count")


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """Multiplier of the ageing rate over mission time.

    ``kind="steps"``: piecewise-constant ``points`` ((time_h, multiplier), ...),
    starting at 0 h, the last value holding to the end. ``kind="sine"``:
    ``mean * (1 + amplitude * sin(2 pi t / period_h + phase))``.
    """

    name: str
    kind: str
    points: tuple[tuple[float, float], ...] = ()
    mean: float = 1.0
    amplitude: float = 0.0
    period_h: float = 1.0
    phase_rad: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class FailureMode:
    """One failure mode of a unit type and how the unit is restored after it.

    ``restore="repair"``: restored in place after ``repair``; ``crew`` says whether
    a repair crew is needed; ``renew`` whether the repair makes the unit as good
    as new (otherwise its ageing clocks resume). ``restore="replace"``: the unit
    must be swapped for a spare, or waits for the next servicing visit.

    On a platform (see :class:`Level`) an ordinary mode takes the whole group down
    while the platform is down; ``restore="replace"`` then replaces the group
    (platform, units and on-board spares new) after the level's ``replace`` time. A
    shock (``shock`` set) leaves the platform up and fails each unit of its group that
    is up with probability ``shock`` (a common-cause shock: the beta-factor model at
    1); the units hit are restored by the shock mode's own ``restore``, ``repair``,
    ``crew`` and ``renew``.
    """

    name: str
    life: Law
    profile: str | None = None
    # planned retirement at a design life (``design_life`` of a platform type): not a
    # hardware fault, but restored as one (the group is replaced)
    planned: bool | None = None  # None: not planned (absent settings keep the config hash)
    restore: str = "replace"
    repair: Law | None = None
    crew: bool = True
    renew: bool = True
    # a platform's shock (``effect = "shock"``): the probability that it fails each
    # unit of its group that is up; None: an ordinary failure (``effect = "down"``)
    shock: float | None = None
    activation_ev: float | None = None  # Arrhenius: [thermal] sets its rate profile


@dataclass(frozen=True, slots=True, kw_only=True)
class RadiationEntry:
    """A radiation fault process of a unit type.

    ``source`` says how the rate is given: ``per_rad`` (events per rad(Si), a beam-test
    dose proxy, times the environment's dose rate), ``per_device_day``,
    ``per_bit_day`` (times ``bits``), ``weibull`` (heavy-ion fit ``params`` =
    (sigma_sat cm^2/bit, L0, W, s), rate by Petersen's figure of merit and the orbit's
    coefficients), ``bendel`` (proton fit ``params`` = (A,) or (A, B)), or
    ``threshold_rad`` (total-dose wear-out: ``threshold`` = (law, p1, p2) in rad).
    Given rates are long-run means (solar cycle and events included); fitted ones are
    the quiet rate, events coming on top. The environment lays them out in time
    (``saa_share``, ``spe_share`` override its split).
    """

    name: str
    fault_class: str
    effect: str
    source: str
    value: float = 0.0
    bits: float = 1.0
    params: tuple[float, ...] = ()
    threshold: tuple[str, float, float] | None = None
    # total dose: the spread of ln threshold shared by the units of one lot (a group of
    # level ``lot``; None: the level above the units), on top of ``threshold``'s
    lot_sigma: float | None = None
    lot: str | None = None
    saa_share: float | None = None
    spe_share: float | None = None
    recover: Law | None = None
    destructive: float = 0.0
    device: str = ""  # the published device preset it came from, if any
    tested_at_c: float | None = None  # a latch-up fit's test temperature: hotter, it shifts


@dataclass(frozen=True, slots=True, kw_only=True)
class Memory:
    """An ECC-protected memory of a unit (HBM, DRAM, SRAM): upsets are counted, and the
    uncorrectable ones (two flips in a word between scrubs, multi-bit upsets) are
    detected uncorrectable errors (class ``due``) that restart the unit. ``chipkill``
    corrects any error inside one ``symbol_bits`` symbol; ``miscorrect`` is the share
    of 3+ bit errors SEC-DED turns into silent corruption."""

    bits: float
    upset: RadiationEntry
    word_bits: int = 72
    ecc: str = "secded"  # "chipkill" (symbol code), "none": every upset silent
    symbol_bits: int | None = None  # chipkill's symbol (4: a x4 DRAM device)
    miscorrect: float | None = None  # SEC-DED: 3+ bit errors miscorrected (None: 0)
    scrub_h: float | None = None
    scrub_kind: str = "periodic"  # or "random" (exponential intervals, same mean)
    recover: Law
    mbu_fraction: float = 0.0
    mbu_span: int = 2
    interleave: int = 1
    device: str = ""  # the published memory preset it came from, if any


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitMaintenance:
    """Preventive maintenance of every unit of a type on a calendar: at ``first_h``,
    ``first_h + every_h``, ... a unit that is up is taken down for ``duration``; a
    unit that is down when its turn comes skips it. ``renew``: True, the unit comes
    back as good as new (block replacement); False, every failure mode resumes
    ageing; a tuple of failure-mode names, those modes start afresh and the others
    resume (rejuvenation: a scheduled power cycle clears ageing software state, not
    hardware wear). ``stagger`` spreads the units of each leaf group evenly over the
    interval, so that they take turns; ``crew``: the work needs a repair crew of the
    unit's pool."""

    every_h: float
    first_h: float
    duration: Law
    renew: bool | tuple[str, ...] = True
    crew: bool = False
    stagger: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitType:
    """A kind of replaceable unit (accelerator, node, power unit): its hardware failure
    modes, radiation fault processes, protected memory and preventive maintenance."""

    name: str
    failures: tuple[FailureMode, ...]
    radiation: tuple[RadiationEntry, ...] = ()
    memory: Memory | None = None
    maintenance: UnitMaintenance | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Spares:
    """On-board spares held by each group of a level, consumed by swaps.

    Repairable spares (``repair`` set): a unit that fails for good leaves its slot
    for repair at once (the slot waits for a spare) and, repaired after ``repair``,
    joins the pool's stock; ``repairers`` repair at once (None: each unit on its
    own, autonomously; at most one per unit and spare of the pool), the others wait
    in turn (BlockSim's spare-part pools)."""

    kind: str  # "cold" | "warm"
    count: int
    swap: Law
    dormant_mttf_h: float = math.inf  # warm spares fail in storage at 1/dormant_mttf_h
    repair: Law | None = None
    repairers: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupSpares:
    """Spare groups (satellites) of a platform level, shared by the groups of the
    level's parent: cold or warm (a parking orbit; warm ones fail at 1 /
    ``dormant_mttf_h``), moved into the place of a group whose platform failed for
    good in ``relocate``. With ``reorder`` set, launches of ``batch`` spares are
    ordered whenever the stock position (free spares + on order - groups waiting)
    falls to ``reorder``; each arrives after the level's ``replace`` lead time and
    fails with its ``launch_failure`` probability (the batch is lost, another order
    follows). With ``launch_every_h`` set, ``batch`` spares fly every ``launch_every_h``
    from ``launch_first_h``, ``launch_count`` times (None: to the mission end),
    whatever the stock; a cadence launch that fails loses its batch."""

    kind: str  # "cold" | "warm"
    count: int
    relocate: Law
    dormant_mttf_h: float = math.inf
    reorder: int | None = None
    batch: int = 1
    launch_every_h: float | None = None  # None: no cadence
    launch_first_h: float | None = None
    launch_count: int | None = None  # launches of the cadence (None: to the mission end)


@dataclass(frozen=True, slots=True, kw_only=True)
class Level:
    """One level of the redundancy tree: each group at this depth holds ``n``
    members (sub-groups, or units at the last level) and needs ``k`` of them up.

    ``platform`` (not on the last level) names the unit type whose failure modes act
    on each member of this level as a whole (a satellite's bus): while it is down,
    the member group is down and its units are unusable (they keep their own clocks
    and restorations). ``replace`` is the time to replace a member group whose
    platform failed for good (a launch's lead time); without it the group waits for
    the next servicing visit. ``launch_failure`` is the probability that the launch
    of a replacement fails (a new one is ordered at once, with a new lead time).
    ``group_spares``: spare groups that take a failed group's place first.
    ``retire_below_k``: a member group whose units fall below its k is retired and
    replaced the same way, although its platform works (a satellite whose payload
    failed is deorbited)."""

    name: str
    n: int
    k: int
    unit: str | None = None
    crews: int | None = None
    spares: Spares | None = None
    platform: str | None = None
    replace: Law | None = None
    launch_failure: float | None = None  # a replacement's launch fails (None: never)
    group_spares: GroupSpares | None = None
    retire_below_k: bool | None = None  # None: no


@dataclass(frozen=True, slots=True, kw_only=True)
class Servicing:
    """Scheduled servicing visits: start every ``every_h`` (start to start), last
    ``duration_h``; at the end of a visit failed (or all) units are replaced."""

    every_h: float
    first_h: float
    duration_h: float = 0.0
    system_down: bool = True
    policy: str = "replace-failed"
    restock: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Resupply:
    """Spares resupply: every pool is topped up to its capacity at each arrival."""

    every_h: float
    first_h: float
    cadence: str = "deterministic"  # or "poisson" (exponential inter-arrivals, same mean)


#: metrics a design target may name (per-trial values; higher is better)
TARGET_METRICS = ("availability", "mean_capacity", "throughput", "slo_attainment")


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """The design requirement: P(metric >= at_least) >= confidence."""

    metric: str
    at_least: float
    confidence: float


@dataclass(frozen=True, slots=True, kw_only=True)
class RareEvent:
    """Settings of the rare-event methods. Importance sampling: regenerative cycles
    per scenario (in blocks of ``block_size``), the failure-biasing probability, and
    the share of cycles run crudely for the cycle length. Splitting: trajectories per
    stage (``effort``) and independent runs per scenario (``replicates``, a block each).
    """

    cycles: int = 200_000
    bias: float = 0.5
    crude_share: float = 0.1
    effort: int = 1000
    replicates: int = 20


@dataclass(frozen=True, slots=True, kw_only=True)
class Workload:
    """What the cluster is for: serving a demand, or one synchronous training job.

    Serving: ``demand_units`` of the unit slots are wanted (default all); throughput is
    min(usable, demand) / demand and the SLO is met while it is at least ``slo``.
    Training: the job spans ``accelerators`` units, computes ``checkpoint_h`` between
    checkpoints costing ``checkpoint_cost_h``, restarts in ``restart_h`` after an
    interrupt of one of its units, and finds silent corruption after
    ``sdc_detection_h`` (on average; ``sdc_detection_law``: its law, when not
    fixed), keeping the newest ``checkpoint_keep`` checkpoints (None: every one).
    ``checkpoint``: how the interval is chosen (``fixed``, ``young`` or ``daly`` from
    ``mtbf_h``, the job's MTBF, or by the design; ``saa``: ahead of every SAA pass,
    Daly's inside and outside the passes).
    """

    kind: str
    demand_units: float = 0.0
    demand_profile: str | None = None  # a steps profile scaling the demand over time
    slo: float = 1.0
    accelerators: int = 0
    checkpoint: str = "fixed"
    checkpoint_h: float = 1.0
    checkpoint_cost_h: float = 0.0
    restart_h: float = 0.0
    work_h: float = math.inf
    sdc_detection_h: float = 1.0
    sdc_detection_law: Law | None = None  # a random latency (None: sdc_detection_h, fixed)
    checkpoint_keep: int | None = None  # newest checkpoints kept (None: every one)
    # the share of silent corruption that derails the job (found, rolled back); the
    # rest is benign, counted only (None: all of it)
    sdc_harmful: float | None = None
    elastic: bool = False
    mtbf_h: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Derating:
    """The share of usable unit slots that can run at once (``profile``: steps of
    multipliers in [0, 1]); it scales capacity and throughput, not availability."""

    profile: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Expectation:
    """An exact value a validation campaign must reproduce (or, for published figures,
    a range ``[low, high]`` its estimate must fall in)."""

    metric: str
    exact: float
    at_h: float | None = None
    scale: float = 1.0
    note: str = ""
    fault_class: str = ""
    low: float | None = None
    high: float | None = None


#: per-trial metrics a precision target may name
PRECISION_METRICS = (
    "unavailability",
    "availability",
    "mean_capacity",
    "outages",
    "downtime_h",
    "spares_used",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Precision:
    """Run until the 95% CI half-width of ``metric`` is at most ``relative`` times its
    mean in every scenario, between ``min_trials`` and ``max_trials`` trials."""

    metric: str = "unavailability"
    relative: float
    min_trials: int
    max_trials: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Sweep:
    """A design grid: each key path takes each of its values (Cartesian product)."""

    paths: tuple[str, ...]
    values: tuple[tuple[Any, ...], ...]

    @property
    def size(self) -> int:  # scenarios in the grid
        return math.prod(len(v) for v in self.values)


@dataclass(frozen=True, slots=True, kw_only=True)
class Design:
    """One design option (what the plan compiler needs); ``mission_h`` and
    ``time_step_h`` are common to every design of a campaign, the rest may be swept."""

    mission_h: float
    time_step_h: float
    warmup_h: float = 0.0
    age_while_down: bool = True
    environment: Environment | None = None
    units: tuple[UnitType, ...]
    profiles: tuple[Profile, ...] = ()
    levels: tuple[Level, ...]
    servicing: Servicing | None = None
    resupply: Resupply | None = None
    workload: Workload | None = None
    derating: Derating | None = None
    power: PowerSystem | None = None  # each group of power.level: an array and a battery
    thermal: Thermal | None = None  # each group of power.level: a radiator
    links: Links | None = None  # each group of links.level: a downlink and a store
    costs: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = ()  # unit -> (measure, value)

    @property
    def n_units(self) -> int:  # unit slots in the cluster (product of the level sizes)
        return math.prod(level.n for level in self.levels)

    def unit_type(self, name: str) -> UnitType:  # the unit type called `name`
        return next(u for u in self.units if u.name == name)

    @property
    def leaf_unit(self) -> UnitType:  # the unit type of the innermost level
        return self.unit_type(self.levels[-1].unit or self.levels[-1].name)

    @property
    def platforms(self) -> tuple[tuple[int, UnitType, int], ...]:
        """(level index, unit type, groups carried) of every level with a platform:
        level ``d``'s platforms carry the groups at depth ``d + 1``, one each."""
        out = []
        for d, lv in enumerate(self.levels):
            if lv.platform is not None:
                out.append(
                    (d, self.unit_type(lv.platform), math.prod(x.n for x in self.levels[: d + 1]))
                )
        return tuple(out)

    @property
    def n_platforms(self) -> int:
        """Platform slots of the cluster (one per group they carry)."""
        return sum(n for _, _, n in self.platforms)


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """One design option of a campaign: its label, the swept settings and the design."""

    name: str
    settings: tuple[tuple[str, Any], ...]
    design: Design


@dataclass(frozen=True, slots=True, kw_only=True)
class Campaign:
    """A validated campaign: one design question over one or more designs.

    ``base`` is the baseline design; ``scenarios`` are the designs run (the baseline
    alone, or the variants of a sweep or of one-at-a-time swings).
    """

    name: str
    description: str = ""
    trials: int
    seed: int
    block_size: int
    common_random_numbers: bool = True
    precision: Precision | None = None
    target: Target | None = None
    method: str = "crude"  # "crude" | "importance" | "splitting" | "auto"
    engine: str = "auto"  # "auto" | "units" | "counts" (see reliability.runner.resolve_engine)
    rare_event: RareEvent | None = None
    case: str = ""
    expectations: tuple[Expectation, ...] = ()
    sweep: Sweep | None = None
    swings: Sweep | None = None  # one-at-a-time settings around the baseline (tornado)
    optimize: Optimize | None = None  # the design space `reliability optimize` searches
    base: Design
    scenarios: tuple[Scenario, ...] = field(default=(), compare=False, repr=False)
    optimize_scenarios: tuple[Scenario, ...] = field(default=(), compare=False, repr=False)
    swing_scenarios: tuple[Scenario, ...] = field(default=(), compare=False, repr=False)
    source: str = field(default="<campaign>", compare=False)
    toml_text: str = field(default="", compare=False, repr=False)
    files: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)  # data

    @property
    def mission_h(self) -> float:  # common to every design, as is time_step_h
        return self.base.mission_h

    @property
    def time_step_h(self) -> float:
        return self.base.time_step_h

    @property
    def designs(self) -> tuple[Design, ...]:  # the design of each scenario, in order
        return tuple(sc.design for sc in self.scenarios)

    def to_dict(self) -> dict[str, Any]:
        """Canonical, JSON-ready form of the resolved configuration: the campaign's
        settings and the baseline design's, in one flat table (settings left out,
        None, are omitted)."""
        d = {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.compare and f.name != "base"  # the rest are not settings
        }
        if self.sweep is not None:  # a sweep's run does not run its swings
            d["swings"] = None
        d.update({f.name: getattr(self.base, f.name) for f in dataclasses.fields(self.base)})
        if self.files:  # what any scenario read from the data files it names
            d["data_files_sha256"] = {n: sha256_of(t) for n, t in self.files}
        return canonical(d)

    @property
    def config_sha256(self) -> str:  # SHA-256 of the resolved configuration's canonical JSON
        return sha256_of(self.to_dict())

    def with_overrides(
        self, *, trials: int | None = None, seed: int | None = None, block_size: int | None = None
    ) -> Campaign:
        """Copy with command-line overrides applied and validated."""
        changes: dict[str, Any] = {}
        if trials is not None:
            check_count(trials, "campaign.trials", self.source, maximum=MAX_TRIALS)
            changes["trials"] = trials
            changes["precision"] = None  # a trial count replaces a precision target
        if seed is not None:
            check_seed(seed, "campaign.seed", self.source)
            changes["seed"] = seed
        if block_size is not None:
            check_count(block_size, "campaign.block_size", self.source, maximum=MAX_TRIALS)
            changes["block_size"] = block_size
        out = dataclasses.replace(self, **changes)
        if block_size is None and trials is not None and out.block_size > trials:
            out = dataclasses.replace(out, block_size=trials)
        return out
