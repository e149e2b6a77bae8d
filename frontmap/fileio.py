"""Atomic file writes: a reader never sees a half-written output that looks complete."""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from frontmap.errors import OutputError


@contextlib.contextmanager
def atomic_writer(path: Path, *, buffering: int = -1) -> Iterator[IO[bytes]]:
    """A binary file beside ``path`` that replaces ``path`` only once fully written and synced.

    Raises
    ------
    OutputError
        When the file cannot be written (the temporary file is removed).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb", buffering=buffering) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); outputs are ordinary files, readable as the
        # user's umask allows, like any file the user would save.
        Path(tmp_name).chmod(0o666 & ~_umask())
        Path(tmp_name).replace(path)
        _sync_folder(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            Path(tmp_name).unlink()
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    except BaseException:
        # Ctrl-C or a bug mid-write: no stray temporary file is left beside the outputs.
        with contextlib.suppress(OSError):
            Path(tmp_name).unlink()
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``."""
    with atomic_writer(path) as handle:
        handle.write(data)


def atomic_write_json(path: Path, value: Any, *, indent: int | None = 2) -> None:
    """Write ``value`` as UTF-8 JSON (and a final newline) atomically, encoded piece by piece.

    ``json.dumps`` with an indent builds the whole text from a list of every small piece first:
    for a report of 100,000 files (~45 MB) that list costs ~230 MB at once. Streamed, the bytes
    are the same and the memory is the buffer's.
    """
    with atomic_writer(path, buffering=1 << 20) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="\n", write_through=False)
        json.dump(value, text, ensure_ascii=False, indent=indent)
        text.write("\n")
        text.flush()
        text.detach()  # the binary handle is closed by atomic_writer, after its fsync


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX: fsync the directory); harmless where unsupported."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"))
