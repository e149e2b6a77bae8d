"""frontmap: turn war reporting into maps.

A folder of articles goes in; an offline HTML map with one layer per date and GeoJSON exports
come out. See ``frontmap.pipeline.run`` for the library entry point and ``frontmap.cli`` for the
command line.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
