"""Run options, passed explicitly to every stage (never a module global)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Config:
    """Options of one run."""

    gazetteer_paths: tuple[Path, ...] = ()  # extra gazetteers merged over the shipped one
    max_file_bytes: int = 20 * 1024 * 1024
    include_hidden: bool = False
    tiles: bool = False  # offer online tile layers in the map (never required)
    map_aggregate_over: int = 5_000  # over this many claims the map counts them by area (render.cells)
    quiet: bool = False
    formats: tuple[str, ...] = field(default_factory=tuple)  # extra export formats: "gpkg", "parquet"
    csv: bool = False
    # JSON/JSONL field names: (kind, name) pairs tried before the common names; kinds text, title,
    # date, source, url; a dotted name is a path into nested objects ("meta.published").
    json_fields: tuple[tuple[str, str], ...] = ()
    # Where articles are extracted (frontmap.parallel): worker processes, or a Dask cluster.
    jobs: int = 1
    scheduler: str | None = None  # address of a running Dask scheduler, "tcp://HOST:PORT"
    dask_local: int = 0  # start a local Dask cluster with this many worker processes
    # Incremental runs (frontmap.cache): reuse each unchanged file's results from the last run.
    cache: bool = True
    cache_dir: Path | None = None  # default: OUTPUT/.frontmap-cache
