"""Where chunks run: in this process (``--jobs 1``), in a pool of worker processes that survives
a dead worker, or on a Dask distributed cluster (``--scheduler``)."""

from __future__ import annotations

import multiprocessing as mp
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext

from .records import Config, DocRecord, Task
from .worker import convert_one, failed_record, init_worker, on_alarm, run_chunk

Consume = Callable[[list[DocRecord]], None]
"""What the parent does with the records of a chunk (report, catalogue, manifest)."""


def run_serial(chunks: Iterator[list[Task]], cfg: Config, consume: Consume) -> None:
    """``--jobs 1``: in this process (timeouts still apply; a crash ends the run)."""
    old = None
    main = threading.current_thread() is threading.main_thread()
    if main:
        old = signal.signal(signal.SIGALRM, on_alarm)
    try:
        for chunk in chunks:
            done: list[DocRecord] = []
            try:
                for task in chunk:
                    done.append(convert_one(task, cfg))
            finally:  # interrupted (^C, SIGTERM): what was finished is still reported
                if done:
                    consume(done)
    finally:
        if main:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old if old is not None else signal.SIG_DFL)


def _context() -> BaseContext:

    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def _new_pool(workers: int) -> ProcessPoolExecutor:

    return ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=init_worker)


def _exit_reason(pool: ProcessPoolExecutor) -> str:
    codes = []
    for p in list(getattr(pool, "_processes", {}).values() or []):
        try:
            p.join(0.2)
        except Exception:
            pass
        code = getattr(p, "exitcode", None)
        if code is not None and code < 0:
            try:
                codes.append(signal.Signals(-code).name)
            except ValueError:
                codes.append(str(code))
    if "SIGVTALRM" in codes:
        return "the worker was stopped by the hard timeout (stuck in native code)"
    if codes:
        return f"the worker process died ({', '.join(sorted(set(codes)))}: killed, or out of memory)"
    return "the worker process died (killed, or out of memory)"


def run_pool(jobs: int, chunks: Iterator[list[Task]], cfg: Config, consume: Consume) -> None:
    """A process pool fed chunk by chunk (at most ``2 * jobs + 1`` in flight: memory stays flat)."""

    pool = _new_pool(jobs)
    inflight: dict = {}
    it = iter(chunks)
    exhausted = False
    try:
        while True:
            while not exhausted and len(inflight) < 2 * jobs + 1:
                try:
                    chunk = next(it)
                except StopIteration:
                    exhausted = True
                    break
                try:
                    inflight[pool.submit(run_chunk, chunk, cfg)] = chunk
                except BrokenProcessPool:
                    inflight[_broken_future()] = chunk
                    break
            if not inflight:
                break
            done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                chunk = inflight[fut]
                try:
                    records = fut.result()
                except BrokenProcessPool:
                    broken = True
                    continue
                del inflight[fut]
                consume(records)
            if broken:
                reason = _exit_reason(pool)
                lost = [doc for fut, chunk in inflight.items() for doc in chunk]
                inflight.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                _isolate(lost, cfg, consume, reason)
                pool = _new_pool(jobs)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _broken_future() -> Future[list[DocRecord]]:

    f: Future[list[DocRecord]] = Future()
    f.set_exception(BrokenProcessPool("pool broken at submit"))
    return f


def _isolate(docs: list[Task], cfg: Config, consume: Consume, reason: str) -> None:
    """Run the documents of the lost chunks one at a time in a one-worker pool: the one that kills
    its worker is recorded as failed, the others convert."""

    pool = _new_pool(1)
    try:
        for task in docs:
            try:
                consume(pool.submit(run_chunk, [task], cfg).result())
            except BrokenProcessPool:
                why = _exit_reason(pool) or reason
                pool.shutdown(wait=True)
                pool = _new_pool(1)
                consume([failed_record(task.item, "batch.worker-died", why, cfg)])
    finally:
        pool.shutdown(wait=True)


def run_dask(address: str, jobs: int, chunks: Iterator[list[Task]], cfg: Config, consume: Consume) -> None:
    """The same chunks on a Dask distributed cluster (``local``: a LocalCluster of ``jobs`` worker
    processes).  Workers need the package installed and the inputs and DIR on a shared file system.
    A chunk whose worker dies (``KilledWorker``) is run again one document per task; a document that
    kills a worker again is recorded as failed.  (Per-document timeouts need a main thread, which Dask
    tasks do not have: on Dask only the converter's own limits apply.)"""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise SystemExit("akn-pipeline: --scheduler needs Dask: pip install 'akn-pipeline[dask]'") from None
    cluster = None
    if address == "local":
        cluster = LocalCluster(
            n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
        )
        client = Client(cluster)
    else:
        client = Client(address)
    try:
        nworkers = jobs if cluster is not None else max(1, sum(client.nthreads().values()))
    except Exception:
        nworkers = jobs
    limit = 2 * nworkers + 1
    try:
        ac = as_completed()
        chunk_of: dict = {}
        it = iter(chunks)
        exhausted = False

        def feed() -> None:
            nonlocal exhausted
            while not exhausted and len(chunk_of) < limit:
                try:
                    chunk = next(it)
                except StopIteration:
                    exhausted = True
                    return
                fut = client.submit(run_chunk, chunk, cfg, pure=False)
                chunk_of[fut.key] = chunk
                ac.add(fut)

        feed()
        for fut in ac:
            chunk = chunk_of.pop(fut.key)
            try:
                consume(fut.result())
            except Exception as exc:  # KilledWorker, or a worker lost with the task
                if len(chunk) > 1:
                    for doc in chunk:
                        f = client.submit(run_chunk, [doc], cfg, pure=False)
                        chunk_of[f.key] = [doc]
                        ac.add(f)
                else:
                    why = f"the Dask worker died ({type(exc).__name__}: {exc})"
                    consume([failed_record(chunk[0].item, "batch.worker-died", why, cfg)])
            fut.release()
            feed()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
