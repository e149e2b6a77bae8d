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
    quiet: bool = False
    formats: tuple[str, ...] = field(default_factory=tuple)  # extra export formats: "gpkg", "parquet"
    csv: bool = False
