"""The disambiguation's per-article tables give the answers of the direct computation.

``resolve_mentions`` keeps an article's choices in arrays and its distances in tables
(``_Resolution``, ``_Distances``) instead of walking every chosen mention and measuring every
pair for every question; these tests hold the tables to :func:`_theatre`, the direct form.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from frontmap.extract.places import _MAX_TABLE, _Distances, _theatre
from frontmap.records import Place

# Few distinct points, so that places repeat, share coordinates and tie.
_POINTS = [(47.0, 37.0), (47.1, 37.2), (48.5, 38.0), (47.0, 37.0000001), (50.45, 30.52), (46.6, 32.6),
           (47.1, 37.2), (-0.0, 0.0), (0.0, 0.0), (48.0, 37.8)]


def _place(k: int) -> Place:
    lat, lon = _POINTS[k]
    return Place(id=f"t:{k}", name=f"P{k}", lat=lat, lon=lon, feature_class="P", feature_code="PPL")


@settings(max_examples=300, deadline=None)
@given(
    candidates=st.lists(st.integers(0, len(_POINTS) - 1), min_size=0, max_size=6),
    context=st.lists(st.tuples(st.integers(0, len(_POINTS) - 1), st.integers(0, 3)), max_size=12),
    sentence=st.integers(0, 3),
)
def test_the_tables_measure_what_theatre_measures(
    candidates: list[int], context: list[tuple[int, int]], sentence: int
) -> None:
    places = [_place(k) for k in candidates]
    chosen = [_place(k) for k, _ in context]
    distances = _Distances(places + chosen)
    assert distances.tabled
    rows = np.array([distances.coordinate(p) for p in places], dtype=np.intp).reshape(-1, 1)
    columns = np.array([distances.coordinate(p) for p in chosen], dtype=np.intp)
    here = np.array([s == sentence for _, s in context], dtype=bool)
    expected = _theatre(places, [(p.lat, p.lon, s) for p, (_, s) in zip(chosen, context, strict=True)], sentence)
    # Twice: the second answer comes from what the first one measured.
    assert distances.theatre(places, rows, columns, here) == expected
    assert distances.theatre(places, rows, columns, here) == expected


def test_past_the_table_limit_the_direct_computation_answers() -> None:
    places = [Place(id=f"t:{k}", name="", lat=45.0 + k * 1e-3, lon=30.0, feature_class="P", feature_code="PPL")
              for k in range(_MAX_TABLE + 1)]
    distances = _Distances(places)
    assert not distances.tabled
    rows = np.array([distances.coordinate(p) for p in places[:3]], dtype=np.intp).reshape(-1, 1)
    columns = np.array([distances.coordinate(p) for p in places[-4:]], dtype=np.intp)
    here = np.array([True, False, False, True])
    context = [(p.lat, p.lon, 0 if h else 1) for p, h in zip(places[-4:], here.tolist(), strict=True)]
    assert distances.theatre(places[:3], rows, columns, here) == _theatre(places[:3], context, 0)
