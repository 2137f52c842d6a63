"""Blocks of work: their sizes and seeds, and the loop that reads stored blocks back,
computes the others and stores them as they finish.

Work is split into (scenario, block) tasks. Block ``b`` draws its random numbers from
``SeedSequence(entropy, spawn_key=(b,))`` in every scenario (common random numbers),
or ``(b, s)`` when they are switched off, so the result depends on the seed and the
block size only, not on how many workers ran it or in which order blocks finished.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from reliability.runner.executor import Executor, Make
from reliability.runner.store import RunStore

if TYPE_CHECKING:
    from reliability.campaign import Campaign

__all__ = ["BlockRun", "block_seed", "block_sizes", "default_run_dir", "open_store"]


def block_sizes(trials: int, block_size: int) -> list[int]:
    """Trials in each block: full blocks, then the remainder."""
    n_full, rest = divmod(trials, block_size)
    return [block_size] * n_full + ([rest] if rest else [])


def block_seed(entropy: int, block: int, scenario: int | None = None) -> np.random.SeedSequence:
    """The seed of a block: ``SeedSequence(entropy, spawn_key=(block,))``, shared by every
    scenario (common random numbers), or ``(block, scenario)`` when they are switched off."""
    key = (block,) if scenario is None else (block, scenario)
    return np.random.SeedSequence(entropy, spawn_key=key)


def default_run_dir(campaign: Campaign, root: str | Path = "outputs") -> Path:
    """``outputs/<campaign>/<YYYYmmddTHHMMSS>-<hash8>/``."""
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%S")
    return Path(root) / campaign.name / f"{stamp}-{campaign.config_sha256[:8]}"


def open_store(
    campaign: Campaign, out_dir: str | Path | None, resume: bool, kind: str = "run"
) -> RunStore | None:
    """The run directory's store (checked for this campaign when resuming), if any."""
    if out_dir is None:
        if resume:
            raise ValueError("`resume` needs `out_dir`")
        return None
    store = RunStore(out_dir, campaign, kind)
    store.prepare(resume=resume)
    return store


class BlockRun:
    """The blocks of one run of one method: read back from the run directory where
    stored, computed on the executor otherwise, and stored as they finish.

    ``load(store, s, b)`` returns a stored block or None; ``save(store, s, b, result)``
    stores one; ``make(s, b, shared)`` gives the task of a block (its seed from
    :func:`block_seed`); ``on_block(done, total)`` reports progress: once when the
    computation starts (``done``: the blocks read back) and after each finished block.
    """

    def __init__(
        self,
        campaign: Campaign,
        executor: Executor,
        store: RunStore | None,
        *,
        load: Callable[[RunStore, int, int], Any],
        save: Callable[[RunStore, int, int, Any], None],
        make: Make,
        tag: str,
        on_block: Callable[[int, int], None] | None = None,
    ) -> None:
        self.campaign = campaign
        self.executor = executor
        self.store = store
        self._load, self._save, self._make = load, save, make
        self.tag = f"{tag}-{campaign.config_sha256[:12]}"
        self.on_block = on_block
        self.results: dict[tuple[int, int], Any] = {}

    def seed(self, s: int, b: int) -> np.random.SeedSequence:
        """Block ``b``'s seed in scenario ``s``."""
        crn = self.campaign.common_random_numbers
        return block_seed(self.campaign.seed, b, None if crn else s)

    def run(self, n_scenarios: int, n_blocks: int, shared: Sequence[Any] = ()) -> list[list[Any]]:
        """Every block of ``n_scenarios`` x ``n_blocks``: ``[scenario][block]``."""
        every = [(s, b) for s in range(n_scenarios) for b in range(n_blocks)]
        self.run_tasks(every, shared)
        return [[self.results[s, b] for b in range(n_blocks)] for s in range(n_scenarios)]

    def run_tasks(
        self, every: Sequence[tuple[int, int]], shared: Sequence[Any] = (), tag: str = ""
    ) -> None:
        """Blocks ``every`` (scenario, block), into :attr:`results`; ``tag`` keeps the
        task keys of one call apart from another's."""
        if self.store is not None:
            for s, b in every:
                if (s, b) not in self.results:
                    part = self._load(self.store, s, b)
                    if part is not None:
                        self.results[s, b] = part

        def done(s: int, b: int, result: Any) -> None:
            if self.store is not None:
                self._save(self.store, s, b, result)
            self.results[s, b] = result
            if self.on_block:
                self.on_block(len(self.results), len(every))

        # block by block across the scenarios: the scenarios' different costs then mix
        # evenly over the run, and the time left follows from the rate so far
        todo = sorted((t for t in every if t not in self.results), key=lambda t: (t[1], t[0]))
        start = (lambda: self.on_block(len(self.results), len(every))) if self.on_block else None
        self.executor.run(todo, self._make, done, shared=shared, tag=self.tag + tag, on_start=start)
