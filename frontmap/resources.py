"""Where the shipped data lives: inside the wheel (``frontmap/_data``) or, in a checkout or an
editable install, at the top of the repository."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_PACKAGED = _PACKAGE_DIR / "_data"
_CHECKOUT = _PACKAGE_DIR.parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[0]


def gazetteer_dir() -> Path:
    """Folder of the shipped gazetteer (``data/gazetteer`` in a checkout)."""
    return _first_existing(_PACKAGED / "gazetteer", _CHECKOUT / "data" / "gazetteer")


def examples_dir() -> Path:
    """Folder of the embedded default articles (``examples/articles`` in a checkout)."""
    return _first_existing(_PACKAGED / "examples" / "articles", _CHECKOUT / "examples" / "articles")


def data_dir() -> Path:
    """Folder of other shipped data (boundaries, rivers)."""
    return _first_existing(_PACKAGED, _CHECKOUT / "data")
