"""A small pool of SPARQL worker processes with a killable per-query time limit.

Each query takes an idle worker, runs there, and is answered when the worker replies. If
the reply has not come when the operator's limit passes, the worker is killed (SIGKILL: a
Rust query loop cannot be interrupted politely) and a fresh one is spawned in its place,
so one runaway query costs one worker for at most the limit while the event loop, the JSON
API and the other workers keep answering.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import time
from dataclasses import dataclass

from kehoach.api.execute import Outcome, QueryRequest

log = logging.getLogger("kehoach.api")
CONTEXT = multiprocessing.get_context("spawn")  # never fork a process that runs threads
READY_WAIT = 60.0  # seconds a new worker may take to import and open the store


class _Worker:
    def __init__(self, store_path: str) -> None:
        self.connection, child = CONTEXT.Pipe()
        from kehoach.api.worker import worker_main

        self.process = CONTEXT.Process(target=worker_main, args=(child, store_path), daemon=True, name="kehoach-sparql")
        self.process.start()
        child.close()
        self.ready = False

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()


async def _readable(connection, timeout: float) -> bool:
    """Wait, without a thread, until the pipe has data or `timeout` passes."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    descriptor = connection.fileno()
    loop.add_reader(descriptor, lambda: ready.done() or ready.set_result(True))
    try:
        return await asyncio.wait_for(ready, timeout)
    except asyncio.TimeoutError:
        return False
    finally:
        loop.remove_reader(descriptor)


@dataclass
class PoolStats:
    queries: int = 0
    timeouts: int = 0
    respawns: int = 0
    busy_refusals: int = 0


class QueryPool:
    def __init__(self, store_path: str, size: int, timeout: float, queue_wait: float) -> None:
        self.store_path = str(store_path)
        self.size = max(1, size)
        self.timeout = timeout
        self.queue_wait = queue_wait
        self.stats = PoolStats()
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        for _ in range(self.size):
            self._add_worker()

    def _add_worker(self) -> None:
        worker = _Worker(self.store_path)
        self._all.add(worker)
        assert self._idle is not None
        self._idle.put_nowait(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._all.discard(worker)
        self.stats.respawns += 1
        self._add_worker()

    async def stop(self) -> None:
        for worker in list(self._all):
            try:
                worker.connection.send(None)
            except OSError:
                pass
            worker.kill()
        self._all.clear()

    async def _ensure_ready(self, worker: _Worker) -> str | None:
        if worker.ready:
            return None
        if not await _readable(worker.connection, READY_WAIT):
            raise RuntimeError("a SPARQL worker did not start in time")
        _tag, problem = worker.connection.recv()
        worker.ready = True
        return problem

    async def run(self, request: QueryRequest) -> Outcome:
        assert self._idle is not None, "QueryPool.start() was not called"
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.queue_wait)
        except asyncio.TimeoutError:
            self.stats.busy_refusals += 1
            outcome = Outcome.error(503, f"All {self.size} query workers stayed busy for {self.queue_wait:g} s; try again shortly.")
            outcome.headers["Retry-After"] = str(max(1, int(self.timeout)))
            return outcome
        self.stats.queries += 1
        started = time.monotonic()
        try:
            await self._ensure_ready(worker)
            worker.connection.send(request)
            if not await _readable(worker.connection, self.timeout):
                self.stats.timeouts += 1
                log.warning("SPARQL query killed after %.1f s", time.monotonic() - started)
                self._replace(worker)
                return Outcome.error(
                    503,
                    f"Query stopped: it ran longer than {self.timeout:g} s, the endpoint's time limit. "
                    "Narrow it (more specific patterns, LIMIT) and try again.",
                )
            outcome = await asyncio.to_thread(worker.connection.recv)
        except (EOFError, OSError, RuntimeError) as error:
            self._replace(worker)
            return Outcome.error(500, f"The query worker failed ({type(error).__name__}: {error}); it has been restarted.")
        except BaseException:
            # A cancelled request (client gone): the worker may still be running, so replace it.
            self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        return outcome
