"""The offline gazetteer: GeoNames-format data, name normalisation and romanisation, ranked lookup.

>>> from frontmap.gazetteer import Gazetteer, normalize
>>> gaz = Gazetteer.load()
>>> gaz.lookup(normalize("Kleshcheevka"))[0].name
'Klishchiivka'
>>> gaz.candidates("Bakhmut Raion")[0].place.feature_code
'ADM2'

The geopy adapter lives in :mod:`frontmap.gazetteer.geocoder` (``LocalGeocoder``), the importer of
other countries in :mod:`frontmap.gazetteer.importer`, the click commands in
:mod:`frontmap.gazetteer.cli`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontmap.gazetteer.names import normalize, romanize, skeleton
from frontmap.gazetteer.query import Query, parse_query
from frontmap.gazetteer.store import Candidate, Gazetteer, clear_cache, user_gazetteer_dir

if TYPE_CHECKING:
    from frontmap.gazetteer.geocoder import LocalGeocoder
    from frontmap.gazetteer.importer import ImportSummary, import_sources

__all__ = [
    "Candidate",
    "Gazetteer",
    "ImportSummary",
    "LocalGeocoder",
    "Query",
    "clear_cache",
    "import_sources",
    "normalize",
    "parse_query",
    "romanize",
    "skeleton",
    "user_gazetteer_dir",
]


def __getattr__(name: str) -> object:
    # geopy pulls in an HTTP stack: import it only for those who ask for the geocoder.
    if name == "LocalGeocoder":
        from frontmap.gazetteer.geocoder import LocalGeocoder

        return LocalGeocoder
    if name in ("ImportSummary", "import_sources"):
        from frontmap.gazetteer import importer

        return getattr(importer, name)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
