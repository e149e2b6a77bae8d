"""The offline background of the map: oblast borders, rivers and reservoirs from ``data/basemap``.

The files are built by ``scripts/build_basemap.py`` (see its ATTRIBUTION); in a checkout they sit
at the top of the repository, in an installed wheel under ``frontmap/_data`` (both found through
:func:`frontmap.resources.data_dir`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from frontmap.resources import data_dir

log = logging.getLogger("frontmap")

#: File of each layer inside the basemap folder.
FILES: Mapping[str, str] = MappingProxyType(
    {"oblasts": "oblasts.geojson", "rivers": "rivers.geojson", "lakes": "lakes.geojson"}
)
#: Credit shown in the map's attribution control whenever the basemap is drawn.
ATTRIBUTION = (
    "Oblasts: geoBoundaries / © OpenStreetMap contributors (ODbL 1.0)",
    "Rivers: Natural Earth",
)


def _empty() -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": []}


@dataclass(frozen=True, slots=True)
class Basemap:
    """Background layers as GeoJSON FeatureCollections (each may be empty).

    Attributes
    ----------
    oblasts
        Polygons with ``name`` and ``iso``.
    rivers
        Lines with ``name`` (and ``name_en``, ``name_uk`` when they differ).
    lakes
        Polygons with the same names, and an optional ``note``.
    attribution
        Credits the map must show when it draws these layers.
    """

    oblasts: Mapping[str, Any] = field(default_factory=_empty)
    rivers: Mapping[str, Any] = field(default_factory=_empty)
    lakes: Mapping[str, Any] = field(default_factory=_empty)
    attribution: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to draw."""
        return not any(_features(c) for c in (self.oblasts, self.rivers, self.lakes))


def _features(collection: Mapping[str, Any]) -> list[Any]:
    features = collection.get("features")
    return features if isinstance(features, list) else []


def basemap_dir() -> Path:
    """Folder of the shipped basemap (``data/basemap`` in a checkout)."""
    return data_dir() / "basemap"


def load_basemap(folder: Path | None = None) -> Basemap:
    """Read the basemap files.

    A missing or unreadable file only costs its layer (with a warning): the map is still useful
    without a background, and a packaging slip must not stop a run.

    Parameters
    ----------
    folder
        Where the files are; the shipped basemap by default.

    Returns
    -------
    Basemap
        The layers found; ``attribution`` is set when any was.
    """
    where = folder if folder is not None else basemap_dir()
    layers: dict[str, Mapping[str, Any]] = {}
    for key, name in FILES.items():
        path = where / name
        try:
            with path.open(encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            log.warning("render: basemap layer %s not drawn: cannot read %s (%s)", key, path, exc)
            continue
        if isinstance(data, Mapping) and data.get("type") == "FeatureCollection":
            layers[key] = data
        else:
            log.warning("render: basemap layer %s not drawn: %s is not a FeatureCollection", key, path)
    return Basemap(
        oblasts=layers.get("oblasts") or _empty(),
        rivers=layers.get("rivers") or _empty(),
        lakes=layers.get("lakes") or _empty(),
        attribution=ATTRIBUTION if layers else (),
    )
