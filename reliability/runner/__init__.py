"""Running a campaign: blocks of work, their seeds, where they run, and the result.

``executor`` decides where blocks run (in this process or on Dask), ``blocks`` their
sizes, seeds and the loop over stored and missing blocks, ``store`` the run
directory (part files, manifest, resume), and ``run`` the methods and
:func:`run_campaign`. The runner knows no physics.
"""

from reliability.runner.blocks import block_seed, block_sizes, default_run_dir
from reliability.runner.executor import ClusterLost, Executor, local_client
from reliability.runner.run import resolve_engine, resolve_method, run_campaign, simulate_block
from reliability.runner.store import RunStore, resume_campaign

__all__ = [
    "ClusterLost",
    "Executor",
    "RunStore",
    "block_seed",
    "block_sizes",
    "default_run_dir",
    "local_client",
    "resolve_engine",
    "resolve_method",
    "resume_campaign",
    "run_campaign",
    "simulate_block",
]
