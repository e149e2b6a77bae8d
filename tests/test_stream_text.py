"""The stream's fast coordinate text is the export's rounding, number for number."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from frontmap.export import COORD_DECIMALS
from frontmap.stream import _ring_text


def _direct(xy: list[tuple[float, float]]) -> str:
    return ",".join(f"[{round(x, COORD_DECIMALS)!r},{round(y, COORD_DECIMALS)!r}]" for x, y in xy)


_COORDINATE = st.one_of(
    st.floats(-180.0, 180.0, allow_nan=False),
    st.floats(-0.01, 0.01, allow_nan=False),  # around 0: repr's exponents, -0.0
    st.integers(-180_000_000, 180_000_000).map(lambda n: n / 1e6),  # exactly six decimals
    st.integers(-180, 180).map(float),
    st.sampled_from([0.0, -0.0, 1e-3, -1e-3, 0.0009999999, 0.0010000001, 5e-7, -5e-7, 37.5, 1e15, 1e16]),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(_COORDINATE, _COORDINATE), min_size=1, max_size=8))
def test_ring_text_is_the_exports_rounding(xy: list[tuple[float, float]]) -> None:
    assert _ring_text(np.array(xy, dtype=np.float64)) == _direct(xy)


def test_ring_text_of_odd_values() -> None:
    xy = [(float("nan"), 1.0), (float("inf"), -float("inf"))]
    assert _ring_text(np.array(xy)) == _direct(xy)


def test_area_texts_shared_by_threads_give_each_shape_its_own_text() -> None:
    import random
    from concurrent.futures import ThreadPoolExecutor

    from frontmap.geometry import Disc, Sector
    from frontmap.stream import _AreaTexts, _geometry_texts

    rng = random.Random(7)
    shapes: list[Disc | Sector] = [Disc(47.0 + rng.random(), 37.0 + rng.random(), rng.choice([0.7, 5.0]))
                                   for _ in range(12)]
    shapes += [Sector(48.0, 38.0, rng.uniform(0, 360), 22.5, 0.0, 5.0) for _ in range(4)]
    expected = dict(zip(range(len(shapes)), _geometry_texts(shapes), strict=True))
    cache = _AreaTexts(size=5)  # small: entries are evicted while other threads read

    def work(seed: int) -> bool:
        picks = random.Random(seed).choices(range(len(shapes)), k=8)
        return cache.geometries([shapes[k] for k in picks]) == [expected[k] for k in picks]

    with ThreadPoolExecutor(4) as pool:
        assert all(pool.map(work, range(200)))
