"""Where batch jobs run: a Dask ``LocalCluster`` sized to the machine by default, or a cluster by address.

``local`` / ``processes``: one single-threaded worker process per core — the forensic
battery is CPU-bound NumPy and pandas code that holds the GIL for long stretches, so
processes, not threads, keep every core busy. ``threads``: one worker process with a
thread per core (for jobs that release the GIL, or a machine where forking is costly).
``tcp://HOST:PORT`` (or ``tls://``): an existing ``distributed`` scheduler; its workers
need electcheck installed and the datasets under their own ``ELECTCHECK_DATA_DIR``.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

from ..errors import InputError

SCHEDULERS = ("local", "processes", "threads")


@dataclass
class Cluster:
    client: Any
    cluster: Any  # None for a remote scheduler (we do not own it)
    workers: int
    dashboard: str | None

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def start(scheduler: str = "local", workers: int | None = None) -> Cluster:
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - a dependency of the package
        raise InputError("Dask's 'distributed' package is not installed", hint="pip install 'dask[distributed]'")
    # distributed logs start-up chatter and a warning when bokeh (the dashboard) is absent
    for name in ("distributed", "distributed.scheduler", "distributed.nanny", "distributed.worker",
                 "distributed.http.proxy", "bokeh"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if scheduler.startswith(("tcp://", "tls://", "inproc://")):
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as e:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler} ({type(e).__name__})",
                             hint="Check the address and that the scheduler is running") from None
        n = len(client.scheduler_info().get("workers", {}))
        return Cluster(client, None, n, client.dashboard_link)
    if scheduler not in SCHEDULERS:
        raise InputError(f"--scheduler must be local, processes, threads or tcp://HOST:PORT (got {scheduler!r})")
    cores = workers or os.cpu_count() or 1
    if scheduler == "threads":
        cluster = LocalCluster(n_workers=1, threads_per_worker=cores, processes=False, dashboard_address=None)
    else:
        # one core per worker process: electcheck's own thread pools, Arrow's and BLAS's would otherwise
        # each start a thread per core in every worker and fight over the same cores
        single = {"ELECTCHECK_THREADS": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                  "MKL_NUM_THREADS": "1"}
        cluster = LocalCluster(n_workers=cores, threads_per_worker=1, processes=True, dashboard_address=_dashboard(),
                               env=single)
    client = Client(cluster)
    return Cluster(client, cluster, cores, _link(client))


def _dashboard() -> str | None:
    """Serve the dashboard only when bokeh is installed (without it distributed just warns)."""
    try:
        import bokeh  # noqa: F401
    except ImportError:
        return None
    return ":0"


def _link(client: Any) -> str | None:
    try:
        return client.dashboard_link if client.cluster and client.cluster.scheduler_info.get("services") else None
    except Exception:  # no dashboard service: nothing to print
        return None
