"""Criticality: what drives unplanned downtime, by fault class and level.

The downtime criticality index of a fault class is its share of the unplanned
system downtime, summed over trials (as BlockSim's downtime criticality index:
ReliaSoft, *System Analysis Reference*, "Criticality indices"). Each outage is
charged to the class of the unit failure that brought the system down
(``outage_downtime_h``); servicing visits are planned and not shared out. The
shares are ratio estimates with delta-method intervals
(:func:`reliability.stats.share_ci`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from reliability.stats import share_ci

__all__ = ["CRITICALITY", "downtime_criticality", "fault_levels"]

#: the criticality variables of a crude result: name -> (dims, kind, units, long_name)
CRITICALITY: dict[str, tuple[tuple[str, ...], str, str, str]] = {
    "downtime_share": (
        ("scenario", "fault_class"),
        "f",
        "1",
        "share of unplanned system downtime started by the fault class (all trials)",
    ),
    "downtime_share_low": (("scenario", "fault_class"), "f", "1", "lower end of the 95% CI"),
    "downtime_share_high": (("scenario", "fault_class"), "f", "1", "upper end of the 95% CI"),
}


def downtime_criticality(ds: xr.Dataset, confidence_level: float = 0.95) -> xr.Dataset:
    """The share of unplanned downtime by fault class per scenario, with intervals.

    Parameters
    ----------
    ds : xarray.Dataset
        A crude result (``outage_downtime_h`` over trial, scenario, fault_class).
    confidence_level : float
        Of the intervals.

    Returns
    -------
    xarray.Dataset
        The :data:`CRITICALITY` variables over (scenario, fault_class); NaN for a
        scenario with no unplanned downtime in any trial.
    """
    d = ds["outage_downtime_h"].transpose("scenario", "trial", "fault_class").values
    shape = (ds.sizes["scenario"], ds.sizes["fault_class"])
    share, low, high = np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan)
    for s in range(shape[0]):
        y = d[s].astype(float)
        share[s], low[s], high[s] = share_ci(y, y.sum(axis=1), confidence_level)
    out = {}
    for name, values in (
        ("downtime_share", share),
        ("downtime_share_low", low),
        ("downtime_share_high", high),
    ):
        dims, _, units, long_name = CRITICALITY[name]
        out[name] = xr.DataArray(values, dims=dims, attrs={"units": units, "long_name": long_name})
    return xr.Dataset(
        out, coords={"scenario": ds["scenario"].values, "fault_class": ds["fault_class"].values}
    )


def fault_levels(levels: Any, classes: list[str]) -> list[str]:
    """The tree level each fault class acts on: the level of its unit type (the
    platform's level, or the last level for the units), e.g. ``bus.loss`` ->
    ``satellite``; several levels joined with ``+``."""
    where: dict[str, list[str]] = {}
    for lv in levels:
        for name in (lv.platform, lv.unit):
            if name is not None:
                where.setdefault(name, []).append(lv.name)
    return ["+".join(where.get(c.split(".", 1)[0], [])) for c in classes]
