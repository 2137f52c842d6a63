"""Shared helpers: small campaign texts built from a template."""

from __future__ import annotations

import pytest

from reliability.campaign import parse_campaign

FIRST = "test_runner.py::test_a_fresh_machine_compiles_the_kernel_once"


def pytest_collection_modifyitems(config, items):
    """Run the compile-once test first: it compiles the kernel from an empty cache
    anyway and then warms the suite's cache with it (see that test), so a clean
    checkout compiles the kernel once in the whole run."""
    first = [item for item in items if item.nodeid.endswith(FIRST)]
    items[:] = first + [item for item in items if item not in first]


BASE = """
[campaign]
name = "{name}"
mission = "{mission}"
trials = {trials}
seed = {seed}
time_step = "{time_step}"
{campaign_extra}

{environment}
[units.node]
failures = [{failures}]
{unit_extra}

[cluster]
{cluster}
{rest}
"""


def campaign_text(
    *,
    name="t",
    mission="1000 h",
    trials=100,
    seed=1,
    time_step="100 h",
    campaign_extra="",
    failures='{ law = "exponential", mean = "1000 h", repair = "24 h" }',
    cluster="node = { n = 12, k = 10 }",
    rest="",
    environment="",
    unit_extra="",
):
    return BASE.format(
        name=name,
        mission=mission,
        trials=trials,
        seed=seed,
        time_step=time_step,
        campaign_extra=campaign_extra,
        failures=failures,
        cluster=cluster,
        rest=rest,
        environment=environment,
        unit_extra=unit_extra,
    )


@pytest.fixture
def make_campaign():
    def make(**kw):
        return parse_campaign(campaign_text(**kw), source="test.toml")

    return make


def capped_survivors(
    cap: int, *, n: int = 16, k: int = 8, mean_h: float = 3 * 8760.0, mission_h: float = 8760.0
) -> tuple[float, float]:
    """A satellite of ``n`` exponential units (mean ``mean_h``, never repaired) that
    counts while ``k`` are usable and runs at most ``cap`` of them: the mission's
    mean share of its slots that run, E min(U, cap) 1{U >= k} / n, and of those
    usable but not run, E (U - cap)+ 1{U >= k} / n, with U(t) ~ Binomial(n,
    exp(-t / mean_h)) (scipy quadrature of the binomial sums). The closed form of the
    verify cases link_relay (cap 9) and heat_throttle (cap 10)."""
    import math

    import numpy as np
    from scipy import integrate, stats

    j = np.arange(n + 1)

    def expect(t, f):
        w = stats.binom.pmf(j, n, math.exp(-t / mean_h))
        return float((w * f(j) * (j >= k)).sum())

    ran = integrate.quad(lambda t: expect(t, lambda u: np.minimum(u, cap)), 0, mission_h)[0]
    lost = integrate.quad(lambda t: expect(t, lambda u: np.maximum(u - cap, 0)), 0, mission_h)[0]
    return ran / mission_h / n, lost / mission_h / n
