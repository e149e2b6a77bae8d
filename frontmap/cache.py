"""Incremental runs: each file's extraction results, kept between runs.

A re-run over a folder where one article changed re-extracts only that article: every other
file is found in the cache by the hash of its bytes and handed to the rest of the run as the
:class:`~frontmap.stream.Digest` objects it gave last time.

Key of a file: SHA-256 of its bytes, its path relative to the input folder (claim ids and the
``article`` property depend on it), and the *identity* of the run: frontmap's version, a
fingerprint of frontmap's own source files (so an edited extractor never serves stale results,
even in an editable install whose version did not change), the gazetteer files (name, size,
modification time) and the options that change what a file gives (size limit, hidden files).

Storage: one SQLite file (Python's standard library), values are JSON, never pickle: a cache
folder is data, and loading it must not run code. Default location ``OUT/.frontmap-cache/``
beside the outputs (hidden, so that it is never read back as input; removed with the outputs);
``--cache-dir`` shares one between output folders, ``--no-cache`` turns it off. Entries are never
evicted: delete the folder to reclaim the space.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frontmap import __version__
from frontmap.config import Config
from frontmap.records import FileOutcome
from frontmap.resources import gazetteer_dir
from frontmap.stream import Digest

__all__ = ["CACHE_DIR_NAME", "CachedFile", "ExtractCache", "run_identity"]

logger = logging.getLogger("frontmap")

CACHE_DIR_NAME = ".frontmap-cache"
_FILE_NAME = "extract-v1.sqlite"
_COMMIT_EVERY = 500
_PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True, slots=True)
class CachedFile:
    """What one file gave: its outcome and the digests of its articles."""

    outcome: FileOutcome
    digests: tuple[Digest, ...]


def _source_fingerprint() -> str:
    """Hash of frontmap's Python sources (a few hundred KB: about a millisecond)."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _files_fingerprint(paths: Sequence[Path]) -> list[list[Any]]:
    entries: list[list[Any]] = []
    for root in paths:
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            try:
                st = path.stat()
            except OSError:
                continue
            entries.append([str(path), st.st_size, st.st_mtime_ns])
    return entries


def run_identity(config: Config) -> str:
    """What, besides a file's bytes and path, decides what the file gives (see the module doc)."""
    from frontmap.gazetteer.store import user_gazetteer_dir

    gazetteers = [gazetteer_dir(), user_gazetteer_dir(), *(Path(p).expanduser().resolve()
                                                         for p in config.gazetteer_paths)]
    identity = {
        "version": __version__,
        "source": _source_fingerprint(),
        "gazetteers": _files_fingerprint([p for p in gazetteers if p.exists()]),
        "max_file_bytes": config.max_file_bytes,
        "include_hidden": config.include_hidden,
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


class ExtractCache:
    """File key -> :class:`CachedFile`, in a SQLite file under ``folder``.

    Parameters
    ----------
    folder
        The cache folder (created if missing).
    identity
        :func:`run_identity` of the run.
    """

    def __init__(self, folder: Path, identity: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / _FILE_NAME
        self._identity = identity.encode()
        self._db = sqlite3.connect(self.path)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS files (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._pending = 0
        self.hits = 0
        self.misses = 0

    def key(self, rel: str, data: bytes) -> str:
        """The key of the file ``rel`` with content ``data``."""
        digest = hashlib.sha256(self._identity)
        digest.update(b"\0")
        digest.update(rel.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(hashlib.sha256(data).digest())
        return digest.hexdigest()

    def get(self, key: str) -> CachedFile | None:
        """The cached results, or None (a damaged entry counts as a miss)."""
        row = self._db.execute("SELECT value FROM files WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.misses += 1
            return None
        try:
            value = json.loads(row[0])
            status, reason, encoding, articles = value["outcome"]
            found = CachedFile(FileOutcome(str(value["path"]), status, reason, encoding, int(articles)),
                               tuple(Digest.from_json(d) for d in value["digests"]))
        except (ValueError, KeyError, TypeError) as exc:
            logger.warning("cache entry %s is damaged (%s): extracting again", key[:12], exc)
            self.misses += 1
            return None
        self.hits += 1
        return found

    def put(self, key: str, outcome: FileOutcome, digests: Sequence[Digest]) -> None:
        """Remember what a file gave."""
        value = {
            "path": outcome.path,
            "outcome": [outcome.status, outcome.reason, outcome.encoding, outcome.articles],
            "digests": [d.to_json() for d in digests],
        }
        self._db.execute("INSERT OR REPLACE INTO files (key, value) VALUES (?, ?)",
                         (key, json.dumps(value, ensure_ascii=False, separators=(",", ":"))))
        self._pending += 1
        if self._pending >= _COMMIT_EVERY:
            self._db.commit()
            self._pending = 0

    def close(self) -> None:
        """Commit and close."""
        self._db.commit()
        self._db.close()
