"""Campaign files: TOML → validated, frozen dataclasses, and the canonical config hash.

A campaign file is data. It is read with :mod:`tomllib` and never evaluated. Every
problem is reported as one :class:`CampaignError` naming the file, the key path and
the offending value, e.g. ``demo.toml: cluster.satellite.k = 9: exceeds n = 8``.

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

import copy
import dataclasses
import hashlib
import itertools
import json
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scipy import special

from reliability.devices import DEVICES, MEMORIES
from reliability.environment import ORBITS, OVERRIDABLE, Environment, preset
from reliability.units import parse_duration_h

__all__ = [
    "LAWS",
    "METRICS",
    "Campaign",
    "CampaignError",
    "Expectation",
    "FailureMode",
    "Law",
    "Level",
    "Memory",
    "Precision",
    "Profile",
    "RadiationEntry",
    "Resupply",
    "Scenario",
    "Servicing",
    "Spares",
    "Sweep",
    "Target",
    "UnitType",
    "Workload",
    "load_campaign",
    "parse_campaign",
]

#: Distribution laws for lives and restoration durations.
LAWS = ("exponential", "weibull", "lognormal", "fixed")
#: Metrics a validation campaign may state an exact value for.
METRICS = (
    "availability",
    "mean_capacity",
    "point_availability",
    "reliability",
    "mttf",
    "spares_used",
    "outages",
    "downtime_h",
    "fault_count",
    "saa_fault_count",
    "spe_fault_count",
    "throughput",
    "slo_attainment",
    "job_completion_h",
    "failure_probability",
    "unavailability",
)
#: what a splitting run estimates (and nothing else)
SPLIT_METRICS = ("failure_probability", "unavailability")
#: metrics that count faults of one class (``fault_class`` names it)
FAULT_METRICS = ("fault_count", "saa_fault_count", "spe_fault_count")
#: fault classes of radiation entries and their default effect on the unit
FAULT_CLASSES: dict[str, str] = {
    "corrected": "none",  # flip corrected by ECC: counted, never replayed one by one
    "sdc": "silent",  # silent data corruption
    "due": "transient",  # detected uncorrectable error: restart
    "sefi": "transient",  # functional interrupt: reset or power cycle
    "sel": "transient",  # latch-up: power cycle (a share may destroy the part)
    "tid": "permanent",  # total-dose wear-out
    "seb": "permanent",  # burnout of a power device
}
#: effects a fault can have on the unit it hits
EFFECTS = ("none", "silent", "transient", "permanent")
#: default recovery of transient classes [U: the reference gives only ranges]
DEFAULT_RECOVER_H = {"due": 10 / 60, "sefi": 5 / 60, "sel": 2 / 60}
_RATE_SOURCES = ("per_rad", "per_device_day", "per_bit_day", "weibull", "bendel", "proton_sigma")
_BARE_KEY_RE = re.compile(r"^[A-Za-z0-9_-]+$")
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
_PATH_RE = re.compile(r"^[A-Za-z][\w-]*(\[\d+\])?(\.[A-Za-z][\w-]*(\[\d+\])?)*$")
_MAX_SCENARIOS = 10_000
#: campaign-level keys a sweep may vary (the rest must be common to all scenarios)
_SWEEPABLE_CAMPAIGN_KEYS = ("campaign.age_while_down", "campaign.warmup")
_MAX_UNITS = 5_000_000
_MAX_TRIALS = 100_000_000
_MISSING = object()


class CampaignError(ValueError):
    """A campaign file is malformed; the message names file, key path and value."""

    def __init__(
        self, message: str, *, source: str = "<campaign>", path: str = "", value: Any = _MISSING
    ) -> None:
        self.source, self.path, self.value, self.problem = source, path, value, message
        where = f"{source}: " if source else ""
        if path and value is not _MISSING:
            text = f"{where}{path} = {_show(value)}: {message}"
        elif path:
            text = f"{where}{path}: {message}"
        else:
            text = f"{where}{message}"
        super().__init__(text)


def _show(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")  # TOML spelling
    text = repr(value) if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True, slots=True, kw_only=True)
class Law:
    """A probability law for a life or a duration, in hours.

    ``p1``/``p2`` are the engine's parameters: exponential (mean, –), Weibull
    (scale, shape), lognormal (mu of ln h, sigma), fixed (value, –).
    """

    law: str
    p1: float
    p2: float = 0.0

    @property
    def mean_h(self) -> float:
        """Mean of the law in hours."""
        if self.law == "weibull":
            return self.p1 * math.gamma(1.0 + 1.0 / self.p2)
        if self.law == "lognormal":
            return math.exp(self.p1 + 0.5 * self.p2**2)
        return self.p1

    def describe(self) -> str:
        """Short human-readable form, e.g. ``weibull(shape=1.5, mean=1000 h)``."""
        if self.law == "weibull":
            return f"weibull(shape={self.p2:g}, mean={self.mean_h:.6g} h)"
        if self.law == "lognormal":
            return f"lognormal(median={math.exp(self.p1):.6g} h, sigma={self.p2:g})"
        return f"{self.law}({self.p1:.6g} h)"


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
    """

    name: str
    life: Law
    profile: str | None = None
    restore: str = "replace"
    repair: Law | None = None
    crew: bool = True
    renew: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class RadiationEntry:
    """A radiation fault process of a unit type.

    ``source`` says how the rate is given: ``per_rad`` (events per rad(Si), a beam-test
    dose proxy, times the environment's dose rate), ``per_device_day``,
    ``per_bit_day`` (times ``bits``), ``weibull`` (heavy-ion fit ``params`` =
    (sigma_sat cm^2/bit, L0, W, s), rate by Petersen's figure of merit and the orbit's
    coefficients), ``bendel`` (proton fit ``params`` = (A,) or (A, B)), or
    ``threshold_rad`` (total-dose wear-out: ``threshold`` = (law, p1, p2) in rad).
    Rates are long-run means (solar cycle and solar events included); the
    environment lays them out in time (``saa_share``, ``spe_share`` override its split).
    """

    name: str
    fault_class: str
    effect: str
    source: str
    value: float = 0.0
    bits: float = 1.0
    params: tuple[float, ...] = ()
    threshold: tuple[str, float, float] | None = None
    saa_share: float | None = None
    spe_share: float | None = None
    recover: Law | None = None
    destructive: float = 0.0
    device: str = ""  # the published device preset it came from, if any


@dataclass(frozen=True, slots=True, kw_only=True)
class Memory:
    """An ECC-protected memory of a unit (HBM, DRAM, SRAM): upsets are counted, and the
    uncorrectable ones (two flips in a word between scrubs, multi-bit upsets) are
    detected uncorrectable errors (class ``due``) that restart the unit."""

    bits: float
    upset: RadiationEntry
    word_bits: int = 72
    ecc: str = "secded"  # or "none": every upset is silent corruption
    scrub_h: float | None = None
    scrub_kind: str = "periodic"  # or "random" (exponential intervals, same mean)
    recover: Law
    mbu_fraction: float = 0.0
    mbu_span: int = 2
    interleave: int = 1
    device: str = ""  # the published memory preset it came from, if any


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitType:
    """A kind of replaceable unit (accelerator, node, power unit): its hardware failure
    modes, radiation fault processes and protected memory."""

    name: str
    failures: tuple[FailureMode, ...]
    radiation: tuple[RadiationEntry, ...] = ()
    memory: Memory | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Spares:
    """On-board spares held by each group of a level, consumed by swaps."""

    kind: str  # "cold" | "warm"
    count: int
    swap: Law
    dormant_mttf_h: float = math.inf  # warm spares fail in storage at 1/dormant_mttf_h


@dataclass(frozen=True, slots=True, kw_only=True)
class Level:
    """One level of the redundancy tree: each group at this depth holds ``n``
    members (sub-groups, or units at the last level) and needs ``k`` of them up."""

    name: str
    n: int
    k: int
    unit: str | None = None
    crews: int | None = None
    spares: Spares | None = None


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
    """Settings of the rare-event methods.

    Importance sampling: regenerative cycles per scenario (in blocks of
    ``block_size``), the failure-biasing probability, and the share of cycles run
    crudely for the cycle length. Splitting: trajectories per stage (``effort``) and
    independent splitting runs per scenario (``replicates``, one block each).
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
    ``sdc_detection_h``. ``checkpoint`` records how the interval was chosen
    (``fixed``, ``young`` or ``daly``, the latter two from ``mtbf_h``, the job's mean
    time between interrupts, computed from the design when not given).
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
    elastic: bool = False
    mtbf_h: float | None = None


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
    def size(self) -> int:
        """Number of scenarios in the grid."""
        return math.prod(len(v) for v in self.values)


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """One design option of a campaign: its label, the swept settings and the design."""

    name: str
    settings: tuple[tuple[str, Any], ...]
    campaign: Campaign


@dataclass(frozen=True, slots=True, kw_only=True)
class Campaign:
    """A validated campaign: one design question, ready to compile into a plan."""

    name: str
    description: str = ""
    mission_h: float
    trials: int
    seed: int
    block_size: int
    time_step_h: float
    warmup_h: float = 0.0
    environment: Environment | None = None
    age_while_down: bool = True
    common_random_numbers: bool = True
    precision: Precision | None = None
    units: tuple[UnitType, ...]
    profiles: tuple[Profile, ...] = ()
    levels: tuple[Level, ...]
    servicing: Servicing | None = None
    resupply: Resupply | None = None
    workload: Workload | None = None
    target: Target | None = None
    method: str = "crude"  # "crude" | "importance" | "splitting" | "auto"
    engine: str = "auto"  # "auto" | "units" | "counts" (see reliability.runner.resolve_engine)
    rare_event: RareEvent | None = None
    costs: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = ()  # unit -> (measure, value)
    case: str = ""
    expectations: tuple[Expectation, ...] = ()
    sweep: Sweep | None = None
    swings: Sweep | None = None  # one-at-a-time settings around the baseline (tornado)
    scenarios: tuple[Scenario, ...] = field(default=(), compare=False, repr=False)
    source: str = field(default="<campaign>", compare=False)
    toml_text: str = field(default="", compare=False, repr=False)

    @property
    def n_units(self) -> int:
        """Number of unit slots in the cluster (product of the level sizes)."""
        return math.prod(level.n for level in self.levels)

    def unit_type(self, name: str) -> UnitType:
        """The unit type called ``name``."""
        return next(u for u in self.units if u.name == name)

    def to_dict(self) -> dict[str, Any]:
        """Canonical, JSON-ready form of the resolved configuration."""
        d = {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.name not in ("source", "toml_text", "scenarios")
        }
        return _jsonable(dataclasses.asdict(_Plain(d)))["d"]

    @property
    def config_sha256(self) -> str:
        """SHA-256 of the canonical JSON of the resolved configuration."""
        text = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def with_overrides(
        self, *, trials: int | None = None, seed: int | None = None, block_size: int | None = None
    ) -> Campaign:
        """Copy with command-line overrides applied and validated."""
        changes: dict[str, Any] = {}
        if trials is not None:
            _check_count(trials, "campaign.trials", self.source, maximum=_MAX_TRIALS)
            changes["trials"] = trials
            changes["precision"] = None  # a trial count replaces a precision target
        if seed is not None:
            _check_seed(seed, "campaign.seed", self.source)
            changes["seed"] = seed
        if block_size is not None:
            _check_count(block_size, "campaign.block_size", self.source, maximum=_MAX_TRIALS)
            changes["block_size"] = block_size
        out = dataclasses.replace(self, **changes)
        if block_size is None and trials is not None and out.block_size > trials:
            out = dataclasses.replace(out, block_size=trials)
        common = {"trials": out.trials, "seed": out.seed, "block_size": out.block_size}
        scenarios = tuple(
            dataclasses.replace(sc, campaign=dataclasses.replace(sc.campaign, **common))
            for sc in out.scenarios
        )
        return dataclasses.replace(out, scenarios=scenarios)


@dataclass
class _Plain:
    d: dict[str, Any]


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return str(obj)
    return obj


# --------------------------------------------------------------------------- reading


class _Table:
    """A TOML table being read: tracks which keys were used so that unknown keys fail."""

    def __init__(self, data: Any, path: str, source: str) -> None:
        if not isinstance(data, dict):
            raise CampaignError("expected a table", source=source, path=path or "<top>", value=data)
        self.data, self.path, self.source = data, path, source
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        # a key that is not a bare TOML key is shown quoted, so a message stays one line
        shown = name if _BARE_KEY_RE.match(name) else json.dumps(name)
        return f"{self.path}.{shown}" if self.path else shown

    def error(self, name: str, message: str, value: Any = _MISSING) -> CampaignError:
        return CampaignError(message, source=self.source, path=self.key(name), value=value)

    def has(self, name: str) -> bool:
        self.used.add(name)  # a key the reader asks about is one it understands
        return name in self.data

    def raw(self, name: str, default: Any = _MISSING) -> Any:
        self.used.add(name)
        if name not in self.data:
            if default is _MISSING:
                raise self.error(name, "is required")
            return default
        return self.data[name]

    def table(self, name: str, *, required: bool = False) -> _Table | None:
        value = self.raw(name, _MISSING if required else None)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.error(name, "expected a table", value)
        return _Table(value, self.key(name), self.source)

    def string(self, name: str, default: Any = _MISSING, choices: tuple[str, ...] = ()) -> Any:
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, str):
            raise self.error(name, "expected a string", value)
        if choices and value not in choices:
            raise self.error(name, f"must be one of {', '.join(choices)}", value)
        return value

    def boolean(self, name: str, default: Any = _MISSING) -> bool:
        value = self.raw(name, default)
        if not isinstance(value, bool):
            raise self.error(name, "expected true or false", value)
        return value

    def integer(
        self, name: str, default: Any = _MISSING, *, minimum: int = 0, maximum: int | None = None
    ) -> int:
        value = self.raw(name, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(name, "expected an integer", value)
        if value < minimum:
            raise self.error(name, f"must be at least {minimum}", value)
        if maximum is not None and value > maximum:
            raise self.error(name, f"must be at most {maximum}", value)
        return value

    def number(
        self,
        name: str,
        default: Any = _MISSING,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        positive: bool = False,
    ) -> float:
        value = self.raw(name, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(name, "expected a number", value)
        return self._range(name, float(value), value, minimum, maximum, positive)

    def duration(
        self,
        name: str,
        default: Any = _MISSING,
        *,
        positive: bool = False,
        maximum: float | None = None,
    ) -> float:
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        try:
            hours = parse_duration_h(value)
        except (ValueError, TypeError) as exc:
            raise self.error(name, str(exc), value) from None
        return self._range(name, hours, value, 0.0, maximum, positive)

    def _range(
        self,
        name: str,
        x: float,
        shown: Any,
        minimum: float | None,
        maximum: float | None,
        positive: bool,
    ) -> float:
        if not math.isfinite(x):
            raise self.error(name, "must be finite", shown)
        if positive and x <= 0:
            raise self.error(name, "must be positive", shown)
        if minimum is not None and x < minimum:
            raise self.error(name, f"must be at least {minimum:g}", shown)
        if maximum is not None and x > maximum:
            raise self.error(name, f"must be at most {maximum:g}", shown)
        return x

    def finish(self) -> None:
        unknown = [k for k in self.data if k not in self.used]
        if unknown:
            allowed = ", ".join(sorted(self.used)) or "none"
            raise self.error(
                unknown[0], f"unknown key (allowed here: {allowed})", self.data[unknown[0]]
            )


def _check_count(value: Any, path: str, source: str, *, maximum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise CampaignError(
            f"must be an integer from 1 to {maximum}", source=source, path=path, value=value
        )


def _check_seed(value: Any, path: str, source: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**128:
        raise CampaignError(
            "must be an integer from 0 to 2**128 - 1", source=source, path=path, value=value
        )


def _name(t: _Table, key: str, value: Any) -> str:
    if not isinstance(value, str) or not _NAME_RE.match(value):
        raise t.error(
            key, "names use letters, digits, '_', '-', '.', starting with a letter", value
        )
    return value


def _validate_law(t: _Table, *, life: bool) -> Law:
    """Read a law table ({law = ..., mean = ..., ...}) into a :class:`Law`."""
    law = t.string("law", choices=LAWS)
    positive = life  # lives must be positive; restoration durations may be zero
    if law == "exponential":
        if t.has("rate"):
            rate = t.number("rate", positive=True)
            return Law(law=law, p1=1.0 / rate)
        mean = t.duration("mean", positive=positive)
        return Law(law=law, p1=mean)
    if law == "fixed":
        key = "at" if t.has("at") else "mean"
        return Law(law=law, p1=t.duration(key, positive=positive))
    if law == "weibull":
        shape = t.number("shape", positive=True, minimum=0.05, maximum=50.0)
        if t.has("scale"):
            scale = t.duration("scale", positive=True)
        else:
            scale = t.duration("mean", positive=True) / special.gamma(1.0 + 1.0 / shape)
        return Law(law=law, p1=scale, p2=shape)
    # lognormal: median or mean, and sigma of ln(time)
    sigma = t.number("sigma", positive=True, maximum=10.0)
    if t.has("median"):
        mu = math.log(t.duration("median", positive=True))
    else:
        mu = math.log(t.duration("mean", positive=True)) - 0.5 * sigma**2
    return Law(law=law, p1=mu, p2=sigma)


def _validate_duration_law(parent: _Table, name: str, default: Any = _MISSING) -> Law:
    """A restoration duration: ``"24 h"`` (fixed) or a law table."""
    value = parent.raw(name, default)
    if value is default and default is not _MISSING:
        return value
    if isinstance(value, dict):
        t = _Table(value, parent.key(name), parent.source)
        out = _validate_law(t, life=False)
        t.finish()
        return out
    try:
        hours = parse_duration_h(value)
    except (ValueError, TypeError) as exc:
        raise parent.error(name, str(exc), value) from None
    if not math.isfinite(hours) or hours < 0:
        raise parent.error(name, "must be a finite duration of at least 0 h", value)
    return Law(law="fixed", p1=hours)


def _validate_profile(name: str, t: _Table, mission_h: float) -> Profile:
    kind = t.string("kind", choices=("steps", "sine"))
    if kind == "sine":
        mean = t.number("mean", 1.0, positive=True)
        amplitude = t.number("amplitude", minimum=0.0, maximum=1.0)
        period = t.duration("period", positive=True)
        phase = t.number("phase_deg", 0.0)
        return Profile(
            name=name,
            kind=kind,
            mean=mean,
            amplitude=amplitude,
            period_h=period,
            phase_rad=math.radians(phase),
        )
    raw = t.raw("points")
    if not isinstance(raw, list) or not raw:
        raise t.error("points", "expected a list of [time, multiplier] pairs", raw)
    points: list[tuple[float, float]] = []
    for i, pair in enumerate(raw):
        key = f"points[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise t.error(key, "expected a [time, multiplier] pair", pair)
        try:
            when = parse_duration_h(pair[0])
        except (ValueError, TypeError) as exc:
            raise t.error(key, str(exc), pair) from None
        mult = pair[1]
        if (
            isinstance(mult, bool)
            or not isinstance(mult, int | float)
            or not (math.isfinite(mult) and mult >= 0)
        ):
            raise t.error(key, "multiplier must be a finite number >= 0", pair)
        if not math.isfinite(when) or when < 0:
            raise t.error(key, "time must be finite and >= 0", pair)
        if i == 0 and when != 0:
            raise t.error(key, "the first point must be at time 0", pair)
        if points and when <= points[-1][0]:
            raise t.error(key, "times must increase", pair)
        points.append((when, float(mult)))
    if points[-1][1] <= 0:
        raise t.error(f"points[{len(points) - 1}]", "the last multiplier must be positive", raw[-1])
    return Profile(name=name, kind=kind, points=tuple(points))


def _validate_unit(
    name: str, t: _Table, profiles: dict[str, Profile], env: Environment | None
) -> UnitType:
    has_radiation = t.has("radiation") or t.has("memory")
    raw = t.raw("failures", [] if has_radiation else _MISSING)
    if not isinstance(raw, list) or (not raw and not has_radiation):
        raise t.error("failures", "expected a non-empty list of failure-mode tables", raw)
    if len(raw) > 64:
        raise t.error("failures", "at most 64 failure modes per unit type", len(raw))
    modes: list[FailureMode] = []
    for i, item in enumerate(raw):
        mt = _Table(item, f"{t.path}.failures[{i}]", t.source)
        mode_name = _name(mt, "name", mt.raw("name", f"mode{i}"))
        if any(m.name == mode_name for m in modes):
            raise mt.error("name", "duplicate failure-mode name", mode_name)
        life = _validate_law(mt, life=True)
        profile = mt.string("profile", None)
        if profile is not None and profile not in profiles:
            known = ", ".join(profiles) or "none defined"
            raise mt.error("profile", f"no such profile in [profiles] ({known})", profile)
        repair = _validate_duration_law(mt, "repair", None)
        crew = mt.boolean("crew", True)
        renew = mt.boolean("renew", True)
        if repair is not None and not renew and life.law == "fixed":
            raise mt.error(
                "renew", "a fixed life cannot be resumed after repair; use renew = true", False
            )
        mt.finish()
        modes.append(
            FailureMode(
                name=mode_name,
                life=life,
                profile=profile,
                restore="replace" if repair is None else "repair",
                repair=repair,
                crew=crew,
                renew=renew,
            )
        )
    radiation = _validate_radiation(t, env, {m.name for m in modes})
    mt = t.table("memory")
    memory = _validate_memory(mt, env) if mt is not None else None
    return UnitType(name=name, failures=tuple(modes), radiation=radiation, memory=memory)


def _fraction(t: _Table, key: str, *, below_one: bool = False) -> float | None:
    if not t.has(key):
        return None
    x = t.number(key, minimum=0.0, maximum=1.0)
    if below_one and x >= 1.0:
        raise t.error(key, "must be below 1", t.data[key])
    return x


def _validate_rate_source(
    t: _Table, env: Environment | None, *, with_bits: bool, allow_threshold: bool
) -> dict[str, Any]:
    """The rate source of a radiation entry or memory upset table (exactly one given)."""
    given = [k for k in (*_RATE_SOURCES, "threshold_rad") if t.has(k)]
    if len(given) != 1:
        choices = ", ".join((*_RATE_SOURCES, "threshold_rad") if allow_threshold else _RATE_SOURCES)
        raise CampaignError(
            f"give exactly one rate: {choices}",
            source=t.source,
            path=t.path,
            value=given or t.data,
        )
    src = given[0]
    out: dict[str, Any] = {"source": src}
    if src == "threshold_rad":
        if not allow_threshold:
            raise t.error(src, "a dose threshold only applies to class tid", t.data[src])
        raw = t.raw(src)
        if isinstance(raw, dict):
            tt = _Table(raw, t.key(src), t.source)
            median = tt.number("median", positive=True)
            sigma = tt.number("sigma", positive=True, maximum=10.0)
            tt.finish()
            out["threshold"] = ("lognormal", math.log(median), sigma)
        else:
            out["threshold"] = ("fixed", t.number(src, positive=True), 0.0)
        if env is None:
            raise t.error(src, "needs an [environment] to give the dose rate", raw)
        return out
    if src in ("weibull", "bendel"):
        sub = t.table(src)
        assert sub is not None
        if src == "weibull":
            out["params"] = (
                sub.number("sigma_sat", positive=True, maximum=1.0),
                sub.number("l0", minimum=0.0, maximum=1e3),
                sub.number("w", positive=True, maximum=1e3),
                sub.number("s", positive=True, minimum=0.05, maximum=50.0),
            )
        else:
            a = sub.number("a", positive=True, maximum=1e4)
            out["params"] = (a,) if not sub.has("b") else (a, sub.number("b", positive=True))
        sub.finish()
        if env is None:
            raise t.error(src, "needs an [environment] (orbit coefficients)", t.data[src])
    elif src == "proton_sigma":
        out["value"] = t.number(src, positive=True, maximum=1.0)
        if env is None:
            raise t.error(src, "needs an [environment] (orbit coefficients)", t.data[src])
    else:
        out["value"] = t.number(src, minimum=0.0, maximum=1e12)
        if src == "per_rad" and env is None:
            raise t.error(src, "needs an [environment] to give the dose rate", t.data[src])
    if with_bits and src in ("per_bit_day", "weibull", "bendel"):
        out["bits"] = t.number("bits", positive=True, maximum=1e18)
    elif with_bits and src == "proton_sigma" and t.has("bits"):
        out["bits"] = t.number("bits", positive=True, maximum=1e18)  # sigma per bit
    out["saa_share"] = _fraction(t, "saa_share")
    out["spe_share"] = _fraction(t, "spe_share", below_one=True)
    share = out["saa_share"]
    if env is not None and share is not None and share < env.saa_fraction:
        raise t.error(
            "saa_share", f"is below the SAA time fraction {env.saa_fraction:g} of the orbit", share
        )
    return out


def _validate_radiation(
    t: _Table, env: Environment | None, taken: set[str]
) -> tuple[RadiationEntry, ...]:
    raw = t.raw("radiation", [])
    if not isinstance(raw, list):
        raise t.error("radiation", "expected a list of radiation fault tables", raw)
    if len(raw) > 24:
        raise t.error("radiation", "at most 24 radiation entries per unit type", len(raw))
    out: list[RadiationEntry] = []
    items: list[tuple[str, Any]] = []
    for i, item in enumerate(raw):
        path = f"{t.path}.radiation[{i}]"
        if isinstance(item, dict) and "device" in item:
            dt = _Table(item, path, t.source)
            device = dt.string("device", choices=tuple(DEVICES))
            dt.finish()
            items += [(f"{path}(device {device})", dict(e), device) for e in DEVICES[device][0]]
        else:
            items.append((path, item, ""))
    for path, item, device in items:
        rt = _Table(item, path, t.source)
        cls = rt.string("class", choices=tuple(FAULT_CLASSES))
        entry_name = _name(rt, "name", rt.raw("name", cls))
        if entry_name in taken:
            raise rt.error("name", "duplicate fault name in this unit type", entry_name)
        taken.add(entry_name)
        effect = rt.string("effect", FAULT_CLASSES[cls], choices=EFFECTS)
        rate = _validate_rate_source(rt, env, with_bits=True, allow_threshold=cls == "tid")
        if rate["source"] == "threshold_rad" and effect != "permanent":
            raise rt.error("effect", "total-dose wear-out is permanent", effect)
        recover = None
        if effect == "transient":
            recover = _validate_duration_law(
                rt, "recover", Law(law="fixed", p1=DEFAULT_RECOVER_H.get(cls, 5 / 60))
            )
        elif rt.has("recover"):
            raise rt.error("recover", f"only transient faults recover (effect = {effect})")
        destructive = 0.0
        if rt.has("destructive"):
            if effect != "transient":
                raise rt.error("destructive", "only a transient fault can destroy a share")
            destructive = rt.number("destructive", minimum=0.0, maximum=1.0)
        rt.finish()
        out.append(
            RadiationEntry(
                name=entry_name,
                fault_class=cls,
                effect=effect,
                recover=recover,
                destructive=destructive,
                device=device,
                **rate,
            )
        )
    return tuple(out)


def _validate_memory(t: _Table, env: Environment | None) -> Memory:
    bits = t.number("bits", positive=True, maximum=1e18)
    word_bits = t.integer("word_bits", 72, minimum=3, maximum=4096)
    ecc = t.string("ecc", "secded", choices=("secded", "none"))
    defaults: dict[str, Any] = {}
    device = ""
    if t.has("device"):
        device = t.string("device", choices=tuple(MEMORIES))
        if t.has("upset"):
            raise t.error("upset", f"the device {device!r} gives the upset response already")
        response, defaults, _, _ = MEMORIES[device]
        ut = _Table(dict(response), f"{t.path}(device {device}).upset", t.source)
    else:
        ut = t.table("upset", required=True)
    assert ut is not None
    rate = _validate_rate_source(ut, env, with_bits=False, allow_threshold=False)
    ut.finish()
    upset = RadiationEntry(name="memory", fault_class="corrected", effect="none", **rate)
    scrub = t.duration("scrub", None, positive=True) if t.has("scrub") else None
    kind = t.string("scrub_kind", "periodic", choices=("periodic", "random"))
    if scrub is None and t.has("scrub_kind"):
        raise t.error("scrub_kind", "needs a scrub period (scrub = ...)", kind)
    if ecc == "none" and scrub is not None:
        raise t.error("scrub", "scrubbing needs ECC (ecc = 'secded')", t.data["scrub"])
    memory = Memory(
        bits=bits,
        upset=upset,
        word_bits=word_bits,
        ecc=ecc,
        scrub_h=scrub,
        scrub_kind=kind,
        recover=_validate_duration_law(t, "recover", Law(law="fixed", p1=DEFAULT_RECOVER_H["due"])),
        mbu_fraction=t.number(
            "mbu_fraction", defaults.get("mbu_fraction", 0.0), minimum=0.0, maximum=1.0
        ),
        mbu_span=t.integer("mbu_span", defaults.get("mbu_span", 2), minimum=1, maximum=64),
        interleave=t.integer("interleave", 1, minimum=1, maximum=1024),
        device=device,
    )
    t.finish()
    return memory


def _spectrum(t: _Table, key: str) -> tuple[tuple[float, float], ...]:
    """An integral spectrum [[x, Phi(>x)], ...]: x increasing, Phi positive, non-increasing."""
    raw = t.raw(key)
    ok = isinstance(raw, list) and len(raw) >= 2
    points: list[tuple[float, float]] = []
    for pair in raw if ok else []:
        if not (
            isinstance(pair, list)
            and len(pair) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair)
            and all(math.isfinite(v) and v > 0 for v in pair)
        ):
            ok = False
            break
        points.append((float(pair[0]), float(pair[1])))
    if ok:
        ok = all(b[0] > a[0] and b[1] <= a[1] for a, b in itertools.pairwise(points))
    if not ok:
        raise t.error(
            key,
            "expected at least two [x, flux above x] pairs, x increasing, flux positive "
            "and non-increasing",
            raw,
        )
    return tuple(points)


def _validate_environment(t: _Table | None) -> Environment | None:
    if t is None:
        return None
    orbit = t.string("orbit", choices=ORBITS)
    solar = t.string("solar", "cycle", choices=("min", "max", "cycle"))
    overrides: dict[str, float] = {}
    fractions = ("saa_fraction", "saa_share", "spe_share")
    for key in OVERRIDABLE:
        if not t.has(key):
            continue
        if key in fractions:
            overrides[key] = t.number(key, minimum=0.0, maximum=1.0)
            if key == "spe_share" and overrides[key] >= 1.0:
                raise t.error(key, "must be below 1", t.data[key])
        elif (
            key in ("orbit_period_h", "spe_duration_median_h", "gcr_solar_ratio")
            or key == "trapped_solar_ratio"
        ):
            overrides[key] = t.number(key, positive=True, maximum=1e6)
        elif key == "inclination_deg":
            overrides[key] = t.number(key, minimum=0.0, maximum=180.0)
        else:
            overrides[key] = t.number(key, minimum=0.0, maximum=1e9)
    for key in ("let_spectrum", "proton_spectrum"):
        if t.has(key):
            overrides[key] = _spectrum(t, key)
    t.finish()
    env = preset(orbit, solar, **overrides)
    if env.saa_fraction >= 1.0:
        raise t.error("saa_fraction", "must be below 1", env.saa_fraction)
    if env.saa_fraction > 0 and env.saa_share < env.saa_fraction:
        raise t.error(
            "saa_share",
            f"is below the SAA time fraction {env.saa_fraction:g}: the SAA never lowers a rate",
            env.saa_share,
        )
    return env


def _validate_spares(t: _Table) -> Spares:
    kinds = [k for k in ("cold", "warm") if t.has(k)]
    if len(kinds) != 1:
        raise CampaignError(
            "give exactly one of cold = N or warm = N", source=t.source, path=t.path, value=t.data
        )
    kind = kinds[0]
    count = t.integer(kind, minimum=0, maximum=1_000_000)
    swap = _validate_duration_law(t, "swap", Law(law="fixed", p1=0.0))
    dormant = math.inf
    if kind == "warm":
        dormant = t.duration("dormant_mttf", positive=True)
    t.finish()
    return Spares(kind=kind, count=count, swap=swap, dormant_mttf_h=dormant)


def _validate_levels(t: _Table, units: dict[str, UnitType]) -> tuple[Level, ...]:
    if not t.data:
        raise CampaignError(
            "needs at least one level, e.g. node = { n = 12, k = 10 }",
            source=t.source,
            path="cluster",
        )
    levels: list[Level] = []
    names = list(t.data)
    for depth, lname in enumerate(names):
        lt = t.table(lname)
        assert lt is not None
        _name(t, lname, lname)
        n = lt.integer("n", minimum=1, maximum=_MAX_UNITS)
        k = lt.integer("k", n, minimum=1)
        if k > n:
            raise lt.error("k", f"exceeds n = {n}", k)
        last = depth == len(names) - 1
        unit = None
        if last:
            unit = lt.string("unit", lname)
            if unit not in units:
                known = ", ".join(units) or "none defined"
                raise lt.error("unit", f"no such unit type in [units] ({known})", unit)
        elif lt.has("unit"):
            raise lt.error("unit", "only the last (innermost) level holds units", lt.data["unit"])
        crews = lt.integer("crews", None, minimum=1) if lt.has("crews") else None
        st = lt.table("spares")
        spares = _validate_spares(st) if st is not None else None
        lt.finish()
        levels.append(Level(name=lname, n=n, k=k, unit=unit, crews=crews, spares=spares))
    t.finish()
    total = math.prod(lv.n for lv in levels)
    if total > _MAX_UNITS:
        raise CampaignError(
            f"the tree holds {total} units; at most {_MAX_UNITS} are supported",
            source=t.source,
            path="cluster",
        )
    return tuple(levels)


def _validate_maintenance(
    t: _Table | None, mission_h: float
) -> tuple[Servicing | None, Resupply | None]:
    if t is None:
        return None, None
    servicing = resupply = None
    st = t.table("servicing")
    if st is not None:
        every = st.duration("every", positive=True)
        first = st.duration("first", every)
        duration = st.duration("duration", 0.0)
        if duration >= every:
            raise st.error(
                "duration", f"must be shorter than every = {every:g} h", st.data["duration"]
            )
        servicing = Servicing(
            every_h=every,
            first_h=first,
            duration_h=duration,
            system_down=st.boolean("system_down", True),
            policy=st.string("policy", "replace-failed", choices=("replace-failed", "replace-all")),
            restock=st.boolean("restock", True),
        )
        st.finish()
    rt = t.table("resupply")
    if rt is not None:
        every = rt.duration("every", positive=True)
        resupply = Resupply(
            every_h=every,
            first_h=rt.duration("first", every),
            cadence=rt.string("cadence", "deterministic", choices=("deterministic", "poisson")),
        )
        rt.finish()
    t.finish()
    return servicing, resupply


def _validate_rare_event(t: _Table | None) -> RareEvent | None:
    if t is None:
        return None
    out = RareEvent(
        cycles=t.integer("cycles", 200_000, minimum=100, maximum=_MAX_TRIALS),
        bias=t.number("bias", 0.5, positive=True, maximum=0.95),
        crude_share=t.number("crude_share", 0.1, positive=True, maximum=1.0),
        effort=t.integer("effort", 1000, minimum=10, maximum=1_000_000),
        replicates=t.integer("replicates", 20, minimum=2, maximum=100_000),
    )
    t.finish()
    return out


def _validate_target(ct: _Table) -> Target | None:
    tt = ct.table("target")
    if tt is None:
        return None
    out = Target(
        metric=tt.string("metric", "availability", choices=TARGET_METRICS),
        at_least=tt.number("at_least", minimum=0.0, maximum=1.0),
        confidence=tt.number("confidence", 0.95, positive=True, maximum=1.0),
    )
    tt.finish()
    return out


def _validate_costs(
    t: _Table | None, units: dict[str, UnitType]
) -> tuple[tuple[str, tuple[tuple[str, float], ...]], ...]:
    """Per-unit costs: ``[cost] gpu = { mass_kg = 2.5, power_w = 700, usd = 30000 }``."""
    if t is None:
        return ()
    out = []
    for uname in t.data:
        if uname not in units:
            raise t.error(
                uname, f"no such unit type in [units] ({', '.join(units)})", t.data[uname]
            )
        ut = t.table(uname)
        assert ut is not None
        measures = []
        for measure in ut.data:
            _name(ut, measure, measure)
            measures.append((measure, ut.number(measure, minimum=0.0, maximum=1e15)))
        if not measures:
            raise t.error(uname, "give at least one cost, e.g. mass_kg = 2.5", ut.data)
        ut.finish()
        out.append((uname, tuple(measures)))
    t.finish()
    return tuple(out)


def _validate_workload(
    t: _Table | None, n_units: int, profiles: dict[str, Profile]
) -> Workload | None:
    if t is None:
        return None
    kind = t.string("kind", choices=("serving", "training"))
    if kind == "serving":
        demand = float(n_units)
        if t.has("demand_units") and t.has("demand_fraction"):
            raise t.error("demand_fraction", "give demand_units or demand_fraction, not both")
        if t.has("demand_units"):
            demand = t.number("demand_units", positive=True, maximum=float(n_units))
        elif t.has("demand_fraction"):
            demand = n_units * t.number("demand_fraction", positive=True, maximum=1.0)
        slo = t.number("slo", 1.0, positive=True, maximum=1.0)
        profile = t.string("demand_profile", None)
        if profile is not None:
            if profile not in profiles:
                known = ", ".join(profiles) or "none defined"
                raise t.error("demand_profile", f"no such profile in [profiles] ({known})", profile)
            if profiles[profile].kind != "steps":
                raise t.error("demand_profile", "a demand profile must be of kind steps", profile)
        t.finish()
        return Workload(kind=kind, demand_units=demand, demand_profile=profile, slo=slo)
    m = t.integer("accelerators", n_units, minimum=1)
    if m > n_units:
        raise t.error("accelerators", f"exceeds the {n_units} unit slots of the cluster", m)
    raw = t.raw("checkpoint")
    if raw in ("daly", "young"):
        how, every = raw, 1.0
    else:
        how, every = "fixed", t.duration("checkpoint", positive=True)
    work = t.duration("work", positive=True) if t.has("work") else math.inf
    mtbf = t.duration("mtbf", positive=True) if t.has("mtbf") else None
    if mtbf is not None and how == "fixed":
        raise t.error("mtbf", "only used to choose a Young or Daly checkpoint interval", mtbf)
    out = Workload(
        kind=kind,
        accelerators=m,
        checkpoint=how,
        checkpoint_h=every,
        checkpoint_cost_h=t.duration("checkpoint_cost", 0.0),
        restart_h=t.duration("restart", 0.0),
        work_h=work,
        sdc_detection_h=t.duration("sdc_detection", 1.0, positive=True),
        elastic=t.boolean("elastic", False),
        mtbf_h=mtbf,
    )
    if how != "fixed" and out.checkpoint_cost_h <= 0:
        raise t.error("checkpoint_cost", f"a {how} interval needs a positive checkpoint cost", 0.0)
    t.finish()
    return out


def _validate_verify(t: _Table | None, mission_h: float) -> tuple[str, tuple[Expectation, ...]]:
    if t is None:
        return "", ()
    case = t.string("case")
    raw = t.raw("expect")
    if not isinstance(raw, list) or not raw:
        raise t.error("expect", "expected a non-empty list of expectation tables", raw)
    out = []
    for i, item in enumerate(raw):
        et = _Table(item, f"{t.path}.expect[{i}]", t.source)
        metric = et.string("metric", choices=METRICS)
        low = high = None
        if et.has("range"):
            rng = et.raw("range")
            if (
                not isinstance(rng, list)
                or len(rng) != 2
                or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in rng)
                or not all(math.isfinite(x) for x in rng)
                or rng[0] > rng[1]
            ):
                raise et.error("range", "expected [low, high] with low <= high", rng)
            low, high = float(rng[0]), float(rng[1])
            exact = et.number("exact", 0.5 * (low + high))
        else:
            exact = et.number("exact")
        fault_class = ""
        if metric in FAULT_METRICS:
            fault_class = et.string("fault_class")
        at = None
        if metric in ("point_availability", "reliability"):
            at = et.duration("at")
            if at > mission_h:
                raise et.error("at", f"is after the mission end ({mission_h:g} h)", at)
        scale = et.number("scale", 1.0, positive=True)
        note = et.string("note", "")
        et.finish()
        out.append(
            Expectation(
                metric=metric,
                exact=exact,
                at_h=at,
                scale=scale,
                note=note,
                fault_class=fault_class,
                low=low,
                high=high,
            )
        )
    t.string("source", "")  # documentation only
    t.finish()
    return case, tuple(out)


def _validate_design(doc: dict[str, Any], source: str, text: str) -> Campaign:
    top = _Table(doc, "", source)
    ct = top.table("campaign", required=True)
    assert ct is not None
    name = _name(ct, "name", ct.raw("name"))
    mission = ct.duration("mission", positive=True, maximum=1e7)
    precision = None
    if ct.has("precision"):
        pt_ = ct.table("precision")
        assert pt_ is not None
        precision = _validate_precision(pt_)
        if ct.has("trials"):
            raise ct.error("trials", "give trials or precision, not both", ct.data["trials"])
        trials = precision.min_trials
    else:
        trials = ct.integer("trials", minimum=1, maximum=_MAX_TRIALS)
    seed = ct.raw("seed")
    _check_seed(seed, "campaign.seed", source)
    block_size = ct.integer("block_size", min(trials, 1000), minimum=1, maximum=_MAX_TRIALS)
    time_step = ct.duration("time_step", mission / 100, positive=True)
    if mission / time_step > 100_000:
        raise ct.error(
            "time_step",
            f"gives {math.ceil(mission / time_step)} grid cells; at most 100000 are allowed",
            ct.data["time_step"],
        )
    warmup = ct.duration("warmup", 0.0)
    if warmup >= mission:
        raise ct.error(
            "warmup", f"must be shorter than the mission ({mission:g} h)", ct.data["warmup"]
        )
    campaign = {
        "name": name,
        "description": ct.string("description", ""),
        "mission_h": mission,
        "trials": trials,
        "seed": seed,
        "block_size": block_size,
        "time_step_h": time_step,
        "warmup_h": warmup,
        "age_while_down": ct.boolean("age_while_down", True),
        "common_random_numbers": ct.boolean("common_random_numbers", True),
        "precision": precision,
        "target": _validate_target(ct),
        "method": ct.string(
            "method", "crude", choices=("crude", "importance", "splitting", "auto")
        ),
        "engine": ct.string("engine", "auto", choices=("auto", "units", "counts")),
    }
    if precision is not None and campaign["method"] != "crude":
        raise ct.error(
            "precision",
            "a precision target sizes crude runs; rare-event methods size their runs in "
            "[rare_event] (cycles, or effort and replicates)",
            ct.data["precision"],
        )
    ct.finish()

    profiles: dict[str, Profile] = {}
    pt = top.table("profiles")
    if pt is not None:
        for pname in pt.data:
            sub = pt.table(pname)
            assert sub is not None
            profiles[_name(pt, pname, pname)] = _validate_profile(pname, sub, mission)
            sub.finish()
        pt.finish()

    environment = _validate_environment(top.table("environment"))
    campaign["environment"] = environment
    units: dict[str, UnitType] = {}
    ut = top.table("units", required=True)
    assert ut is not None
    if not ut.data:
        raise CampaignError(
            "define at least one unit type, e.g. [units.node]", source=source, path="units"
        )
    for uname in ut.data:
        sub = ut.table(uname)
        assert sub is not None
        units[_name(ut, uname, uname)] = _validate_unit(uname, sub, profiles, environment)
        sub.finish()
    ut.finish()

    lt = top.table("cluster", required=True)
    assert lt is not None
    levels = _validate_levels(lt, units)
    servicing, resupply = _validate_maintenance(top.table("maintenance"), mission)
    if resupply is not None and not any(lv.spares for lv in levels):
        raise CampaignError(
            "resupply needs spares on some [cluster] level",
            source=source,
            path="maintenance.resupply",
        )
    workload = _validate_workload(top.table("workload"), math.prod(lv.n for lv in levels), profiles)
    costs = _validate_costs(top.table("cost"), units)
    rare_event = _validate_rare_event(top.table("rare_event"))
    case, expectations = _validate_verify(top.table("verify"), mission)
    for i, e in enumerate(expectations):
        if (e.metric in SPLIT_METRICS) != (campaign["method"] == "splitting"):
            raise CampaignError(
                "failure_probability and unavailability are what a splitting run "
                "estimates, and all it estimates"
                f" (method = {campaign['method']!r})",
                source=source,
                path=f"verify.expect[{i}].metric",
                value=e.metric,
            )
    top.raw("sweep", None)  # validated by _validate_sweep
    top.finish()
    return Campaign(
        **campaign,
        units=tuple(units.values()),
        profiles=tuple(profiles.values()),
        levels=levels,
        servicing=servicing,
        resupply=resupply,
        workload=workload,
        rare_event=rare_event,
        costs=costs,
        case=case,
        expectations=expectations,
        source=source,
        toml_text=text,
    )


def _validate_precision(t: _Table) -> Precision:
    metric = t.string("metric", "unavailability", choices=PRECISION_METRICS)
    relative = t.number("relative", positive=True, maximum=1.0)
    min_trials = t.integer("min_trials", 1000, minimum=2, maximum=_MAX_TRIALS)
    max_trials = t.integer("max_trials", 100 * min_trials, minimum=2, maximum=_MAX_TRIALS)
    if max_trials < min_trials:
        raise t.error("max_trials", f"is below min_trials = {min_trials}", max_trials)
    t.finish()
    return Precision(metric=metric, relative=relative, min_trials=min_trials, max_trials=max_trials)


def _validate_sweep(raw: Any, source: str, table: str = "sweep") -> Sweep:
    t = _Table(raw, table, source)
    if not t.data:
        raise CampaignError(
            "needs at least one key path with a list of values", source=source, path=table
        )
    paths, values = [], []
    for path, vals in t.data.items():
        t.used.add(path)
        key = f"{table}.{path!r}" if not _PATH_RE.match(path) else f"{table}.{path}"
        if not _PATH_RE.match(path):
            raise CampaignError(
                "not a key path such as cluster.node.spares.cold",
                source=source,
                path=key,
                value=vals,
            )
        root = path.split(".", 1)[0].split("[", 1)[0]
        if root in ("sweep", "swings", "verify") or (
            root == "campaign" and path not in _SWEEPABLE_CAMPAIGN_KEYS
        ):
            raise CampaignError(
                "cannot be swept: it must be common to all scenarios",
                source=source,
                path=key,
                value=vals,
            )
        if not isinstance(vals, list) or not vals:
            raise CampaignError(
                "expected a non-empty list of values", source=source, path=key, value=vals
            )
        kinds = {
            "number" if isinstance(v, int | float) and not isinstance(v, bool) else type(v).__name__
            for v in vals
        }
        if len(kinds) != 1 or not kinds <= {"number", "str", "bool"}:
            raise CampaignError(
                "values must be numbers, strings or booleans, all of one kind",
                source=source,
                path=key,
                value=vals,
            )
        if len({json.dumps(v) for v in vals}) != len(vals):
            raise CampaignError("values must be distinct", source=source, path=key, value=vals)
        paths.append(path)
        values.append(tuple(vals))
    sweep = Sweep(paths=tuple(paths), values=tuple(values))
    if sweep.size > _MAX_SCENARIOS:
        raise CampaignError(
            f"the grid has {sweep.size} scenarios; at most {_MAX_SCENARIOS}",
            source=source,
            path="sweep",
        )
    return sweep


def _set_path(doc: dict[str, Any], path: str, value: Any, source: str) -> None:
    """Set ``value`` at key path ``path`` (tables are created as needed)."""
    node: Any = doc
    parts = path.split(".")
    for i, part in enumerate(parts):
        name, _, index = part.partition("[")
        last = i == len(parts) - 1
        if not isinstance(node, dict):
            raise CampaignError("does not lead to a table", source=source, path=f"sweep.{path}")
        if index:
            seq = node.get(name)
            j = int(index.rstrip("]"))
            if not isinstance(seq, list) or j >= len(seq):
                raise CampaignError(
                    f"{name}[{j}] does not exist in the campaign",
                    source=source,
                    path=f"sweep.{path}",
                )
            if last:
                seq[j] = value
            else:
                node = seq[j]
        elif last:
            node[name] = value
        else:
            node = node.setdefault(name, {})


def _label(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else f"{value}"


def _validate_campaign(doc: dict[str, Any], source: str, text: str) -> Campaign:
    base_doc = {k: v for k, v in doc.items() if k not in ("sweep", "swings")}
    base = _validate_design(base_doc, source, text)
    if "sweep" in doc and "swings" in doc:
        raise CampaignError(
            "give a [sweep] grid or one-at-a-time [swings], not both",
            source=source,
            path="swings",
        )
    if "sweep" not in doc and "swings" not in doc:
        only = Scenario(name="baseline", settings=(), campaign=base)
        return dataclasses.replace(base, scenarios=(only,))
    swings = "swings" in doc
    sweep = _validate_sweep(
        doc["swings" if swings else "sweep"], source, "swings" if swings else "sweep"
    )
    leaves = [p.rsplit(".", 1)[-1] for p in sweep.paths]
    short = len(set(leaves)) == len(leaves)
    scenarios = []
    if swings:
        # the baseline, then each setting moved on its own (a tornado's bars)
        combos = [()] + [
            ((p, v),) for p, vals in zip(sweep.paths, sweep.values, strict=True) for v in vals
        ]
    else:
        combos = [tuple(zip(sweep.paths, c, strict=True)) for c in itertools.product(*sweep.values)]
    for settings in combos:
        name = (
            ", ".join(f"{p.rsplit('.', 1)[-1] if short else p}={_label(v)}" for p, v in settings)
            or "baseline"
        )
        variant = copy.deepcopy(base_doc)
        for p, v in settings:
            _set_path(variant, p, v, source)
        try:
            design = _validate_design(variant, source, text)
        except CampaignError as exc:
            raise CampaignError(
                f"in scenario [{name}]: {exc.problem}",
                source=source,
                path=exc.path,
                value=exc.value,
            ) from None
        scenarios.append(Scenario(name=name, settings=settings, campaign=design))
    if swings:
        return dataclasses.replace(base, swings=sweep, scenarios=tuple(scenarios))
    return dataclasses.replace(base, sweep=sweep, scenarios=tuple(scenarios))


def parse_campaign(text: str, *, source: str = "<campaign>") -> Campaign:
    """Parse and validate campaign TOML text.

    Parameters
    ----------
    text : str
        The TOML document.
    source : str, optional
        Name used in error messages (normally the file path).

    Returns
    -------
    Campaign

    Raises
    ------
    CampaignError
        On a TOML syntax error or any invalid value; the message names the key path.

    Examples
    --------
    >>> c = parse_campaign('''
    ... [campaign]
    ... name = "single"
    ... mission = "720 h"
    ... trials = 10
    ... seed = 1
    ... [units.node]
    ... failures = [{ law = "exponential", mean = "1000 h", repair = "24 h" }]
    ... [cluster]
    ... node = { n = 1, k = 1 }
    ... ''')
    >>> c.n_units, c.units[0].failures[0].repair.describe()
    (1, 'fixed(24 h)')
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CampaignError(f"TOML syntax error: {exc}", source=source) from None
    return _validate_campaign(doc, source, text)


def load_campaign(path: str | Path) -> Campaign:
    """Read and validate a campaign file; see :func:`parse_campaign`."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise CampaignError("no such file", source=str(p)) from None
    except IsADirectoryError:
        raise CampaignError("is a directory, not a campaign file", source=str(p)) from None
    except OSError as exc:
        raise CampaignError(f"cannot read: {exc.strerror}", source=str(p)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CampaignError(f"not UTF-8 text (byte {exc.start})", source=str(p)) from None
    return parse_campaign(text, source=str(p))
