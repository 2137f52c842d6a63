"""What other features hear of units and visits: one place where a unit going down or
up, a silent fault, and a planned stop of the cluster are passed on.

Restoration, maintenance and the loop call these; each feature that cares about such
a change is called from here (today: the training job). A new feature that reacts to
units going down adds its call here, not in every module that takes units down.
"""

from __future__ import annotations

from reliability.engine import _job as job
from reliability.engine._access import iparam
from reliability.engine._jit import kernel
from reliability.engine.spec import IParam, WorkloadKind


@kernel(inline="always", error_model="numpy")
def unit_down(pi, pf, si, sf, su, unit, m, t, row):
    """``unit`` went down by mode ``m``."""
    if iparam(pi, IParam.WL_KIND) == WorkloadKind.TRAINING:
        job.on_unit_down(pi, pf, si, sf, unit, m, t, row)


@kernel(inline="always", error_model="numpy")
def unit_up(pi, pf, si, sf, su, unit, t, row):
    """``unit`` came back up (restored, swapped or replaced)."""
    if iparam(pi, IParam.WL_KIND) == WorkloadKind.TRAINING:
        job.on_unit_up(pi, pf, si, sf, t)


@kernel(inline="always", error_model="numpy")
def silent_fault(pi, pf, si, sf, su, unit, m, t, row):
    """A silent fault of mode ``m`` struck ``unit``, which runs on."""
    if iparam(pi, IParam.WL_KIND) == WorkloadKind.TRAINING:
        job.on_silent(pi, pf, si, sf, su, unit, m, t)


@kernel(inline="always", error_model="numpy")
def planned_stop(pi, pf, si, sf, su, unit, t, row):
    """A planned stop at ``t``: of the whole cluster (``unit`` < 0, a servicing visit
    that holds the system down) or of one unit (its maintenance turn). Work in
    progress can be saved first."""
    if iparam(pi, IParam.WL_KIND) == WorkloadKind.TRAINING:
        job.on_planned(pi, pf, si, sf, unit, t, row)


@kernel(inline="always", error_model="numpy")
def visit_end(pi, pf, si, sf, su, t, row):
    """A servicing visit ended: the units are back."""
    if iparam(pi, IParam.WL_KIND) == WorkloadKind.TRAINING:
        job.restart_after_visit(pi, pf, si, sf, t)
