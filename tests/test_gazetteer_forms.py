"""Every name form of tests/data/name_forms.tsv resolves to its GeoNames id, ranked first.

The table was assembled by hand from knowledge of the names (current, Russian-style, Soviet,
decorated, misspelt); the ids were looked up in the GeoNames Ukraine dump, and for places abroad
in GeoNames' cities500 and country table (ids with a prefix, such as ``frontmap:adm1:RU.41``, are
the world layer's own rows).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from frontmap.gazetteer import Gazetteer

TABLE = Path(__file__).resolve().parent / "data" / "name_forms.tsv"


Row = tuple[str, str, str | None, tuple[float, float] | None, str]


def _rows() -> list[Row]:
    with TABLE.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows: list[Row] = []
        for row in reader:
            near: tuple[float, float] | None = None
            if row["near"]:
                lat, lon = row["near"].split(",")
                near = (float(lat), float(lon))
            rows.append((row["form"], row["geonames_id"], row["admin1"] or None, near, row["note"]))
    return rows


ROWS = _rows()


def test_table_is_big_enough() -> None:
    assert len(ROWS) >= 150
    assert len({r[0] for r in ROWS}) >= 150


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load(include_user=False)


@pytest.mark.parametrize(
    ("form", "geonames_id", "admin1", "near", "note"),
    ROWS,
    ids=[f"{r[0]}|{r[2] or ''}|{r[3] or ''}" for r in ROWS],
)
def test_form_resolves_first(
    gazetteer: Gazetteer,
    form: str,
    geonames_id: str,
    admin1: str | None,
    near: tuple[float, float] | None,
    note: str,
) -> None:
    found = gazetteer.candidates(form, admin1=admin1, near=near, limit=3)
    assert found, f"{form!r} ({note}) found nothing"
    top = found[0].place
    expected = geonames_id if ":" in geonames_id else f"geonames:{geonames_id}"  # frontmap:adm1:…, ne:…
    assert top.id == expected, (
        f"{form!r} ({note}): got {top.id} {top.name} ({top.admin1}), "
        f"then {[(c.place.id, c.place.name, c.match, c.score) for c in found[1:]]}"
    )
