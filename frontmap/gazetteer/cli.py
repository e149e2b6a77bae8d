"""Click commands of the gazetteer: ``frontmap geocode`` and ``frontmap gazetteer import|info``.

The main ``frontmap`` group registers :data:`geocode_command` and :data:`gazetteer_group`.
Library errors (:class:`~frontmap.errors.GazetteerError`) become one clear line and exit 1.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from frontmap.errors import GazetteerError
from frontmap.gazetteer.store import Candidate, Gazetteer

__all__ = ["gazetteer_group", "geocode_command"]

_COLUMNS = ("id", "name", "lat", "lon", "admin1", "admin2", "feature_code", "population", "match")


class LatLon(click.ParamType):  # type: ignore[type-arg]
    """A ``LAT,LON`` pair of decimal degrees."""

    name = "LAT,LON"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[float, float]:
        """Parse ``"48.59,38.0"`` into ``(48.59, 38.0)``; anything else is a usage error."""
        if isinstance(value, tuple):
            return (float(value[0]), float(value[1]))
        parts = str(value).replace(" ", "").split(",")
        try:
            lat, lon = (float(p) for p in parts)
        except ValueError:
            self.fail(f"expected LAT,LON in decimal degrees (e.g. 48.59,38.0), got {value!r}", param, ctx)
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            self.fail(f"{value!r} is out of range (latitude -90..90, longitude -180..180)", param, ctx)
        return (lat, lon)


def _row(candidate: Candidate) -> dict[str, object]:
    place = candidate.place
    return {
        "id": place.id,
        "name": place.name,
        "lat": place.lat,
        "lon": place.lon,
        "admin1": place.admin1,
        "admin2": place.admin2,
        "feature_code": place.feature_code,
        "population": place.population,
        "match": candidate.match,
        "score": candidate.score,
    }


def _table(rows: Sequence[dict[str, object]]) -> str:
    cells = [[("" if r[c] is None else str(r[c])) for c in _COLUMNS] for r in rows]
    header = list(_COLUMNS)
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join(lines)


@click.command("geocode")
@click.argument("name", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.option("--admin1", metavar="OBLAST", help='Oblast/region the place is in, e.g. "Donetsk Oblast".')
@click.option("--near", type=LatLon(), help="Rank places near this point higher.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Candidates shown (default: 10 in the table, all with --json).")
def geocode_command(
    name: tuple[str, ...], as_json: bool, admin1: str | None, near: tuple[float, float] | None, limit: int | None
) -> None:
    """Look NAME up in the offline gazetteer and print the ranked candidates.

    NAME may carry decorations ("Bakhmut Raion", "the Kupiansk direction") and any common
    spelling (Kleshcheevka, Artyomovsk, Zaporozhye). Exits 1 when nothing matches.
    """
    query = " ".join(name).strip()
    if not query:
        raise click.UsageError("NAME is empty")
    try:
        if limit is None and not as_json:
            limit = 10  # a terminal table stays readable; --json is for programs, which get all
        candidates = Gazetteer.load().candidates(query, admin1=admin1, near=near, limit=limit)
    except GazetteerError as exc:
        raise click.ClickException(str(exc)) from exc
    if not candidates:
        where = f" in {admin1}" if admin1 else ""
        raise click.ClickException(f"no place in the gazetteer matches {query!r}{where}")
    rows = [_row(c) for c in candidates]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        click.echo(_table(rows))


@click.group("gazetteer")
def gazetteer_group() -> None:
    """Inspect the gazetteer or import other countries into it."""


@gazetteer_group.command("import")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--dest",
    type=click.Path(file_okay=False, path_type=Path),
    help="Gazetteer folder to write (default: the user gazetteer, $FRONTMAP_HOME/gazetteer).",
)
def import_command(paths: tuple[Path, ...], dest: Path | None) -> None:
    """Import GeoNames dumps (XX.zip, XX.txt, cities500.zip) or Who's On First extracts
    (wof-admin-xx-places.tsv.gz) into the user gazetteer."""
    from frontmap.gazetteer.importer import import_sources

    try:
        summary = import_sources(list(paths), dest=dest)
    except GazetteerError as exc:
        raise click.ClickException(str(exc)) from exc
    counts = ", ".join(f"{code} {count}" for code, count in summary.places.items()) or "none"
    click.echo(f"imported into {summary.dest}: {counts}")
    if summary.wof_names_merged:
        click.echo(f"Who's On First names merged into {summary.wof_names_merged} GeoNames places")
    click.echo(f"{summary.total_places} places in that gazetteer now")


@gazetteer_group.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def info_command(as_json: bool) -> None:
    """Show the gazetteer's sources, counts and countries."""
    try:
        info = Gazetteer.load().info()
    except GazetteerError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    click.echo(f"places: {info['places']}")
    click.echo(f"name keys: {info['keys']}")
    by_class = info["by_class"]
    assert isinstance(by_class, dict)
    click.echo("by feature class: " + ", ".join(f"{k} {v}" for k, v in by_class.items()))
    countries = info["countries"]
    home = info["home_countries"]
    assert isinstance(countries, list) and isinstance(home, list)
    if len(countries) > 20:
        click.echo(f"countries: {len(countries)}, in detail: " + ", ".join(str(c) for c in home))
    else:
        click.echo("countries: " + ", ".join(str(c) for c in countries))
    sources = info["sources"]
    assert isinstance(sources, list)
    for source in sources:
        assert isinstance(source, dict)
        files = source.get("files")
        extra = f" ({', '.join(str(f) for f in files)})" if isinstance(files, list) and files else ""
        click.echo(f"source: {source.get('path')}{extra}: {source.get('places')} places")
