"""Where articles are extracted: in this process, in worker processes, or on a Dask cluster.

Every back-end runs the same function, :func:`digest_chunk`, on chunks of articles and hands the
results back *in input order*, so the outputs are byte-identical whatever the back-end and the
number of workers. Only a bounded number of chunks is in flight at a time, so a million articles
never sit in memory waiting for a worker.

Each worker loads the gazetteer once (:meth:`Gazetteer.load` is cached per process) and returns
:class:`~frontmap.stream.Digest` objects: plain data, cheap to send back.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, Protocol, TypeVar

from frontmap.errors import ConfigError
from frontmap.records import Article
from frontmap.stream import Digest, digest_article

__all__ = ["Backend", "ProcessBackend", "SerialBackend", "chunked", "digest_chunk", "open_backend", "ordered_map"]

logger = logging.getLogger("frontmap")

#: A chunk's result per article: its digest, or why its extraction failed.
Outcome = Digest | str

T = TypeVar("T")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)


class _Future(Protocol[R_co]):  # concurrent.futures.Future and distributed.Future alike
    def result(self) -> R_co: ...


def digest_chunk(articles: Sequence[Article], gazetteer_paths: tuple[Path, ...] = ()) -> list[Outcome]:
    """Extract and digest each article; a failing article gives its error message instead.

    Runs in workers: one article's bug must not lose the others (the pipeline's rule).
    """
    from frontmap.gazetteer import Gazetteer
    from frontmap.pipeline import process_article  # the pipeline imports this module

    gazetteer = Gazetteer.load(gazetteer_paths)
    out: list[Outcome] = []
    for article in articles:
        try:
            t0 = time.process_time()  # CPU seconds: what a busy machine distorts least
            result = process_article(article, gazetteer)
            out.append(digest_article(result, extract_seconds=time.process_time() - t0))
        except Exception as exc:  # reported as the file's failure, as in a serial run
            # The main process logs the error line when it settles the file; the traceback
            # only at debug level, as the serial loop always did.
            logger.debug("%s: extraction failed", article.path, exc_info=True)
            out.append(f"extraction failed: {type(exc).__name__}: {exc}")
    return out


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ordered_map(submit: Callable[[T], _Future[R]], tasks: Iterable[T], *, window: int) -> Iterator[R]:
    """Submit tasks as results are taken, at most ``window`` in flight; yield results in order.

    ``Executor.map`` would submit every task at once, and so read the whole input folder into
    memory before the first result comes back.
    """
    pending: deque[_Future[R]] = deque()
    for task in tasks:
        pending.append(submit(task))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class Backend(Protocol):
    """Runs :func:`digest_chunk` over chunks of articles, results in input order."""

    name: str
    workers: int

    def map(self, chunks: Iterable[list[Article]]) -> Iterator[list[Outcome]]: ...


class SerialBackend:
    """In this process (the default, ``--jobs 1``)."""

    name = "serial"
    workers = 1

    def __init__(self, gazetteer_paths: tuple[Path, ...]) -> None:
        self._paths = gazetteer_paths

    def map(self, chunks: Iterable[list[Article]]) -> Iterator[list[Outcome]]:
        for chunk in chunks:
            yield digest_chunk(chunk, self._paths)


def _init_worker(gazetteer_paths: tuple[Path, ...]) -> None:
    from frontmap.gazetteer import Gazetteer

    Gazetteer.load(gazetteer_paths)  # once per worker, before the first chunk arrives


class ProcessBackend:
    """Worker processes on this machine (``--jobs N``).

    Workers are started with *forkserver*, not fork: the CLI's progress bar runs a thread, and a
    process forked while another thread holds a lock can hang.
    """

    name = "processes"

    def __init__(self, jobs: int, gazetteer_paths: tuple[Path, ...]) -> None:
        self.workers = jobs
        self._paths = gazetteer_paths
        self._pool = ProcessPoolExecutor(
            max_workers=jobs, mp_context=multiprocessing.get_context("forkserver"),
            initializer=_init_worker, initargs=(gazetteer_paths,),
        )

    def map(self, chunks: Iterable[list[Article]]) -> Iterator[list[Outcome]]:
        def submit(chunk: list[Article]) -> Future[list[Outcome]]:
            return self._pool.submit(digest_chunk, chunk, self._paths)

        return ordered_map(submit, chunks, window=3 * self.workers)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskBackend:
    """A Dask cluster: an existing one (``--scheduler tcp://HOST:PORT``) or a local one
    (``--dask-local N``: N worker processes, one thread each, since extraction holds the GIL).

    The workers must be able to import this version of frontmap (same environment).
    """

    name = "dask"

    def __init__(self, *, scheduler: str | None, local_workers: int, gazetteer_paths: tuple[Path, ...]) -> None:
        try:
            # Typed as Any: an optional dependency, and an untyped one.
            distributed: Any = importlib.import_module("distributed")
        except ImportError:  # pragma: no cover - depends on the environment
            raise ConfigError("the Dask back-end needs dask[distributed]: pip install 'frontmap[dask]'") from None
        self._paths = gazetteer_paths
        self._cluster: Any = None
        if scheduler:
            try:
                self._client: Any = distributed.Client(scheduler, timeout="20s")
            except OSError as exc:
                raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        else:
            self._cluster = distributed.LocalCluster(n_workers=local_workers, threads_per_worker=1, processes=True,
                                         dashboard_address=None)
            self._client = distributed.Client(self._cluster)
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))

    def map(self, chunks: Iterable[list[Article]]) -> Iterator[list[Outcome]]:
        def submit(chunk: list[Article]) -> Any:
            return self._client.submit(digest_chunk, chunk, self._paths, pure=False)

        return ordered_map(submit, chunks, window=3 * self.workers)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


@contextlib.contextmanager
def open_backend(
    *, jobs: int = 1, scheduler: str | None = None, dask_local: int = 0, gazetteer_paths: tuple[Path, ...] = ()
) -> Iterator[Backend]:
    """The back-end the options ask for, closed on exit.

    Parameters
    ----------
    jobs
        Worker processes on this machine; 1 extracts in this process.
    scheduler
        Address of a running Dask scheduler ("tcp://HOST:PORT"); wins over ``jobs``.
    dask_local
        Start a local Dask cluster with this many worker processes (0: none).
    gazetteer_paths
        Extra gazetteers, loaded by every worker as by the main process.
    """
    if jobs < 1:
        raise ConfigError(f"--jobs must be at least 1, not {jobs}")
    if dask_local < 0:
        raise ConfigError(f"--dask-local must be at least 1, not {dask_local}")
    backend: SerialBackend | ProcessBackend | DaskBackend
    if scheduler or dask_local:
        backend = DaskBackend(scheduler=scheduler, local_workers=dask_local, gazetteer_paths=gazetteer_paths)
    elif jobs > 1:
        backend = ProcessBackend(jobs, gazetteer_paths)
    else:
        backend = SerialBackend(gazetteer_paths)
    try:
        yield backend
    finally:
        if not isinstance(backend, SerialBackend):
            backend.close()
