"""A small pool of SPARQL worker processes with a killable per-query time limit.

Each query takes an idle worker, runs there, and is answered when the worker replies. If
the reply has not come when the operator's limit passes, the worker is killed (SIGKILL: a
Rust query loop cannot be interrupted politely) and a fresh one is started in its place,
so one runaway query costs one worker for at most the limit while the event loop, the JSON
API and the other workers keep answering. Workers are plain child processes driven through
asyncio pipes, so waiting costs no thread.
"""

from __future__ import annotations

import asyncio
import logging
import pickle
import sys
import time
from dataclasses import dataclass

from kehoach.api.execute import Outcome, QueryRequest
from kehoach.api.worker import HEADER

log = logging.getLogger("kehoach.api")
READY_WAIT = 60.0  # seconds a new worker may take to import and open the store
PIPE_LIMIT = 1 << 30  # largest reply; the row limit keeps real ones far smaller


class _Worker:
    """One child process; `ready` is awaited before its first query."""

    def __init__(self, store_path: str, generation: int = 0) -> None:
        self.store_path = store_path
        self.generation = generation  # the pool's generation when this worker opened the store
        self.process: asyncio.subprocess.Process | None = None
        self.problem: str | None = None
        self.started = asyncio.ensure_future(self._start())

    async def _start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "kehoach.api.worker", self.store_path,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, limit=PIPE_LIMIT,
        )
        _tag, self.problem = await asyncio.wait_for(self.receive(), READY_WAIT)

    async def send(self, message) -> None:
        assert self.process is not None and self.process.stdin is not None
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        self.process.stdin.write(HEADER.pack(len(data)) + data)
        await self.process.stdin.drain()

    async def receive(self):
        assert self.process is not None and self.process.stdout is not None
        header = await self.process.stdout.readexactly(HEADER.size)
        (size,) = HEADER.unpack(header)
        return pickle.loads(await self.process.stdout.readexactly(size))  # noqa: S301 - our own child

    async def kill(self) -> None:
        if not self.started.done():
            self.started.cancel()
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            try:
                await asyncio.wait_for(self.process.wait(), 5)
            except asyncio.TimeoutError:
                log.error("SPARQL worker %s did not exit after SIGKILL", self.process.pid)


@dataclass
class PoolStats:
    queries: int = 0
    timeouts: int = 0
    respawns: int = 0
    busy_refusals: int = 0
    reloads: int = 0  # times the store changed and the workers were replaced


class QueryPool:
    def __init__(self, store_path: str, size: int, timeout: float, queue_wait: float) -> None:
        self.store_path = str(store_path)
        self.size = max(1, size)
        self.timeout = timeout
        self.queue_wait = queue_wait
        self.stats = PoolStats()
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self._generation = 0

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        for _ in range(self.size):
            self._add_worker()

    def recycle(self) -> None:
        """The store changed: every worker opened before now is replaced before its next
        query (a read-only store keeps showing the data of when it was opened)."""
        self._generation += 1
        self.stats.reloads += 1

    def _add_worker(self) -> None:
        worker = _Worker(self.store_path, self._generation)
        self._all.add(worker)
        assert self._idle is not None
        self._idle.put_nowait(worker)

    async def _replace(self, worker: _Worker, count: bool = True) -> None:
        self._all.discard(worker)
        if count:
            self.stats.respawns += 1
        self._add_worker()
        await worker.kill()

    async def _take_worker(self) -> _Worker:
        """An idle worker of the current generation (stale ones are replaced on the way)."""
        assert self._idle is not None
        deadline = time.monotonic() + self.queue_wait
        while True:
            worker = await asyncio.wait_for(self._idle.get(), max(0.0, deadline - time.monotonic()))
            if worker.generation == self._generation:
                return worker
            await self._replace(worker, count=False)

    async def stop(self) -> None:
        for worker in list(self._all):
            await worker.kill()
        self._all.clear()

    async def run(self, request: QueryRequest) -> Outcome:
        assert self._idle is not None, "QueryPool.start() was not called"
        try:
            worker = await self._take_worker()
        except asyncio.TimeoutError:
            self.stats.busy_refusals += 1
            outcome = Outcome.error(503, f"All {self.size} query workers stayed busy for {self.queue_wait:g} s; try again shortly.")
            outcome.headers["Retry-After"] = str(max(1, int(self.timeout)))
            return outcome
        self.stats.queries += 1
        started = time.monotonic()
        try:
            await worker.started
            await worker.send(request)
            outcome = await asyncio.wait_for(worker.receive(), self.timeout)
        except asyncio.TimeoutError:
            self.stats.timeouts += 1
            log.warning("SPARQL query killed after %.1f s", time.monotonic() - started)
            await self._replace(worker)
            return Outcome.error(
                503,
                f"Query stopped: it ran longer than {self.timeout:g} s, the endpoint's time limit. "
                "Narrow it (more specific patterns, LIMIT) and try again.",
            )
        except (EOFError, OSError, asyncio.IncompleteReadError, pickle.UnpicklingError) as error:
            await self._replace(worker)
            return Outcome.error(500, f"The query worker failed ({type(error).__name__}); it has been restarted.")
        except BaseException:
            # A cancelled request (client gone): the worker may still be running, so replace it.
            await asyncio.shield(self._replace(worker))
            raise
        self._idle.put_nowait(worker)
        return outcome
