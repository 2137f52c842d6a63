"""Figures of the orbit's time structure, known before any trial: what the power
system and the links let run, and the running units' temperature, per grid cell."""

from __future__ import annotations

import seaborn as sns
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = ["cell_series", "link_wait", "power_ceiling"]


def _axes(ax: Axes | None) -> Axes:
    return ax if ax is not None else Figure(figsize=(6.4, 4.0), layout="constrained").add_subplot()


def power_ceiling(ds: xr.Dataset, *, ax=None, variable: str = "power_ceiling") -> Axes:
    """The share of slots the arrays and batteries (``power_ceiling``) or the links
    (``link_ceiling``) can carry with every unit up (a line per scenario) over the
    median capacity, per grid cell."""
    ax = _axes(ax)
    t = ds["time"].values / 8760.0
    colours = sns.color_palette(n_colors=ds.sizes["scenario"])
    what = variable.split("_")[0]
    for colour, s in zip(colours, ds["scenario"].values, strict=True):
        ax.step(
            t,
            ds[variable].sel(scenario=s).values,
            where="pre",
            color=colour,
            label=f"{s}: {what} ceiling",
        )
        ax.plot(
            t,
            ds["capacity"].sel(scenario=s).median("trial").values,
            color=colour,
            linestyle=":",
            label=f"{s}: median capacity",
        )
    ax.set_xlabel("mission time (years)")
    ax.set_ylabel("share of unit slots")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=7)
    ax.set_title(
        "what the power system can run (cell mean) and what ran"
        if what == "power"
        else "what the links carry (cell mean) and what ran"
    )
    return ax


def cell_series(ds: xr.Dataset, variable: str, *, ax=None) -> Axes:
    """A per-cell series known before any trial (e.g. ``unit_temperature_c``), a line
    per scenario, labelled from its attributes."""
    ax = _axes(ax)
    t = ds["time"].values / 8760.0
    colours = sns.color_palette(n_colors=ds.sizes["scenario"])
    for colour, s in zip(colours, ds["scenario"].values, strict=True):
        ax.step(t, ds[variable].sel(scenario=s).values, where="pre", color=colour, label=str(s))
    attrs = ds[variable].attrs
    ax.set_xlabel("mission time (years)")
    ax.set_ylabel(f"{attrs.get('long_name', variable)} ({attrs.get('units', '')})", fontsize=8)
    ax.legend(fontsize=7)
    ax.set_title(attrs.get("long_name", variable))
    return ax


def link_wait(ds: xr.Dataset, *, ax=None) -> Axes:
    """Mean time a result waits on board per grid cell (Little's law, at the most
    units the links carry in full), and the longest stretch without a station, per
    scenario."""
    ax = _axes(ax)
    t = ds["time"].values / 8760.0
    colours = sns.color_palette(n_colors=ds.sizes["scenario"])
    for colour, s in zip(colours, ds["scenario"].values, strict=True):
        sel = ds.sel(scenario=s)
        ax.step(t, sel["link_wait_min"].values, where="pre", color=colour, label=f"{s}: mean wait")
        ax.step(
            t,
            sel["contact_gap_max_min"].values,
            where="pre",
            color=colour,
            linestyle=":",
            label=f"{s}: longest gap",
        )
    ax.set_xlabel("mission time (years)")
    ax.set_ylabel("minutes")
    ax.set_yscale("symlog", linthresh=10.0)
    ax.legend(fontsize=7)
    ax.set_title("how long results wait for the ground (cell mean; dotted: longest gap)")
    return ax
