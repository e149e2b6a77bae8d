"""Atomic file writes: a reader never sees a half-written output that looks complete."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from frontmap.errors import OutputError


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
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
