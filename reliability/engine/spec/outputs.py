"""The per-trial outputs of the kernel and the result variables they become."""

from __future__ import annotations

from typing import NamedTuple


class Output(NamedTuple):
    """A per-trial output of the kernel and the result variables it becomes.

    ``per``: ``"trial"`` (one value), ``"mode"`` (one per failure mode; summed into
    fault classes in the result) or ``"cell"`` (one per capacity-grid cell). The
    kernel accumulates every output in float64; ``dtype`` is how blocks and results
    store it. A per-mode output becomes the result variables ``classes`` (name,
    fault source summed, or "" for all, and long name), by default one of its own
    name over all sources.
    """

    name: str
    per: str
    dtype: str
    units: str
    long_name: str
    cell_methods: str
    classes: tuple[tuple[str, str, str], ...] = ()

    def size(self, n_modes: int, n_cells: int) -> int:
        """Values per trial: 1, one per failure mode, or one per grid cell."""
        return {"trial": 1, "mode": n_modes, "cell": n_cells}[self.per]

    def result_variables(self) -> tuple[tuple[str, str, str], ...]:
        """(result name, fault source or "", long name) of what this output becomes."""
        return self.classes or ((self.name, "", self.long_name),)


OUTPUTS: tuple[Output, ...] = (
    Output(
        "availability",
        "trial",
        "f8",
        "1",
        "fraction of the measured window the system was up",
        "time: mean",
    ),
    Output("mean_capacity", "trial", "f8", "1", "mean fraction of unit slots usable", "time: mean"),
    Output(
        "capacity",
        "cell",
        "f4",
        "1",
        "mean fraction of unit slots usable in the grid cell",
        "time: mean",
    ),
    Output(
        "system_up",
        "cell",
        "i1",
        "1",
        "system up at the end of the grid cell (1) or down (0)",
        "time: point",
    ),
    Output(
        "spare_stock",
        "cell",
        "i4",
        "1",
        "free spare units in the unit-spare pools at the end of the grid cell",
        "time: point",
    ),
    Output(
        "group_spare_stock",
        "cell",
        "i4",
        "1",
        "free spare groups (satellites) in parking orbit at the end of the grid cell",
        "time: point",
    ),
    Output("outages", "trial", "i4", "1", "unplanned system failures", "time: sum"),
    Output("downtime_h", "trial", "f8", "h", "system downtime, planned and unplanned", "time: sum"),
    Output(
        "planned_downtime_h",
        "trial",
        "f8",
        "h",
        "system downtime during servicing visits",
        "time: sum",
    ),
    Output(
        "time_to_first_failure_h",
        "trial",
        "f8",
        "h",
        "mission time of the first unplanned system failure after the warm-up (NaN: none)",
        "time: point",
    ),
    Output("spares_used", "trial", "i4", "1", "spare swaps completed", "time: sum"),
    Output(
        "spare_stockouts",
        "trial",
        "i4",
        "1",
        "failed units that found no free spare in their pool and waited",
        "time: sum",
    ),
    Output(
        "group_spare_stockouts",
        "trial",
        "i4",
        "1",
        "groups (satellites) lost that found no free spare group and waited",
        "time: sum",
    ),
    Output(
        "group_spares_used",
        "trial",
        "i4",
        "1",
        "spare groups (satellites) moved into the place of a failed one",
        "time: sum",
    ),
    Output(
        "launches",
        "trial",
        "i4",
        "1",
        "launches of replacement or spare groups (satellites), failed ones included",
        "time: sum",
    ),
    Output(
        "launch_failures",
        "trial",
        "i4",
        "1",
        "of those launches, the ones that failed (another is ordered at once)",
        "time: sum",
    ),
    Output(
        "failures",
        "mode",
        "i8",
        "1",
        "faults by failure mode",
        "time: sum",
        classes=(
            ("fault_count", "", "faults by class, summed over unit slots"),
            (
                "saa_fault_count",
                "saa",
                "faults by class that arrived in South Atlantic Anomaly passes (quiet sun)",
            ),
            ("spe_fault_count", "spe", "faults by class due to solar particle events"),
        ),
    ),
    Output(
        "unit_downtime_h",
        "mode",
        "f8",
        "h",
        "unit-hours down, by the fault class that took the unit down",
        "time: sum",
    ),
    Output(
        "outage_downtime_h",
        "mode",
        "f8",
        "h",
        "unplanned system downtime, by the fault class that started the outage",
        "time: sum",
    ),
    Output(
        "throughput",
        "trial",
        "f8",
        "1",
        "serving: delivered fraction of demand; training: committed work per wall hour",
        "time: mean",
    ),
    Output(
        "slo_attainment",
        "trial",
        "f8",
        "1",
        "serving: fraction of time the delivered fraction met the SLO (NaN: training)",
        "time: mean",
    ),
    Output(
        "job_completion_h",
        "trial",
        "f8",
        "h",
        "training: time the job's work was done (NaN: not done or continuous)",
        "time: point",
    ),
    Output(
        "lost_work_h",
        "mode",
        "f8",
        "h",
        "training: job-hours of work rolled back, by the fault class that caused it",
        "time: sum",
    ),
    Output(
        "goodput",
        "cell",
        "f4",
        "1",
        "serving: delivered fraction of demand; training: committed work per hour",
        "time: mean",
    ),
    Output(
        "power_limited",
        "trial",
        "f8",
        "1",
        "mean fraction of unit slots usable but not run for lack of power or cooling",
        "time: mean",
    ),
    Output(
        "link_limited",
        "trial",
        "f8",
        "1",
        "mean fraction of unit slots powered but idle: the links could not carry their results",
        "time: mean",
    ),
    Output(
        "job_restarts",
        "trial",
        "f8",
        "1",
        "training: corruptions found after every kept checkpoint was newer than them: the "
        "job started again from its first step",
        "time: sum",
    ),
)
