"""Second look at resolved places, with the words around each mention.

Resolution (:mod:`frontmap.extract.places`) weighs candidates by name, context and priors. A few
readings depend on the words around a name rather than on the gazetteer, and are settled here:

* names taken from places: "his call sign, Dnipro", "operation Kherson" are no places;
* water: "the east bank of the Dnipro", "across the Dnipro" mean the river, not the city;
* seas: "the Sea of Azov" is no village called Azov;
* countries: "Mali", "Niger", "Togo" are the countries far more often than villages of the name;
* offsets: a place whose stated offset ("X (4km west of Y)") no candidate fits is placed there;
* outliers: a small place thousands of km from the article's other places, or a hamlet hundreds
  of km from them, named without a locative ("Independence Day", "Strelkov"), is a word or a
  name that happens to be a place elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from statistics import median

from frontmap.extract.places import find_relations, haversine_km
from frontmap.geometry import offset
from frontmap.records import Article, Mention, Place

_WATER_BEFORE = re.compile(
    r"(?:\b(?:banks?|shores?|coast|side|mouth|estuary)\s+of\s+(?:the\s+)?|"
    r"\b(?:across|crossing|cross|crossed|over|along|up|down|upstream|downstream)\s+(?:of\s+)?the\s+)$",
    re.I,
)
_NAME_BEFORE = re.compile(
    r"\b(?:call\s*sign|callsign|nickname|nicknamed|code\s*name|codenamed|nom\s+de\s+guerre|alias|"
    r"named|called|brigade|battalion|regiment|unit|group|operation)[,:]?\s+(?:the\s+)?[\"“']?$", re.I)
_SEA_BEFORE = re.compile(r"\b(?:sea|gulf|bay|strait|lake)\s+of\s+(?:the\s+)?$", re.I)
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|near|at|to|toward|towards|from|outside|around|into|over|across|of|on)\s+(?:the\s+)?$", re.I)
_COUNTRY_CODES = frozenset({"PCLI", "PCLD", "PCLIX", "PCLS", "PCLF", "PCL"})

#: How far (km) from the article's other places a small place may lie before its name is
#: taken for an ordinary word.
OUTLIER_KM = 1500.0
#: Places at least this large are named for themselves even far from the article's theatre.
MAJOR_POPULATION = 1_000_000
#: A hamlet (below ``HAMLET_POPULATION``) this far from the article's other places, named
#: without a locative, is taken for a word or a person's name ("Strelkov" is no hamlet in Lviv
#: Oblast in a report from Donbas).
HAMLET_OUTLIER_KM = 500.0
HAMLET_POPULATION = 10_000
#: Only when the article's places are this many: a short text has no theatre to stray from.
HAMLET_MIN_PLACES = 5


def refine_mentions(article: Article, mentions: Sequence[Mention]) -> list[Mention]:
    """Settle the readings that depend on the surrounding words; drop mentions that are none."""
    text = article.text
    out: list[Mention] = []
    for mention in mentions:
        before = text[max(0, mention.start - 40) : mention.start]
        if _NAME_BEFORE.search(before):
            continue  # "his call sign, Dnipro", "the Azov brigade": a name taken from a place
        water = [p for p in mention.candidates if p.feature_class == "H"]
        if _SEA_BEFORE.search(before) and not water:
            continue  # "the Sea of Azov": a sea the gazetteer lacks, not the village of Azov
        if water and mention.place is not None and mention.place.feature_class != "H" and \
                _WATER_BEFORE.search(before):
            out.append(replace(mention, place=_largest(water), reason="a river or water body by its wording ("
                               f"'{before.strip()[-24:]} {mention.text}')"))
            continue
        countries = [p for p in mention.candidates if p.feature_code in _COUNTRY_CODES]
        if countries and mention.place is not None and mention.place.feature_code not in _COUNTRY_CODES \
                and mention.place.population < 10_000:
            out.append(replace(mention, place=_largest(countries),
                               reason=f"the country, not a village of the name (of {len(mention.candidates)})"))
            continue
        out.append(mention)
    return _drop_outliers(text, _place_by_offset(article, out))


#: A stated offset that no candidate comes within this far of (km, or this many times the
#: offset) means the gazetteer lacks the place: "Dvorichchia (4km west of Soledar)" when the only
#: Dvorichchia on file is 900 km away. Writers' offsets are rough (tens of km off is common), so
#: only a gross miss overrules the gazetteer.
OFFSET_MISS_KM = 75.0
OFFSET_MISS_SHARE = 3.0


def _place_by_offset(article: Article, mentions: list[Mention]) -> list[Mention]:
    """Put a place the gazetteer lacks where the text says it is, from its stated offset."""
    out = list(mentions)
    for relation in find_relations(article, out):
        mention, anchor = out[relation.subject], out[relation.anchor].place
        if anchor is None or relation.distance_km is None or relation.bearing_deg is None:
            continue
        lat, lon = offset(anchor.lat, anchor.lon, relation.bearing_deg, relation.distance_km)
        chosen = mention.place
        miss = max(OFFSET_MISS_KM, OFFSET_MISS_SHARE * relation.distance_km)
        if chosen is not None and haversine_km(lat, lon, chosen.lat, chosen.lon) <= miss:
            continue
        if any(haversine_km(lat, lon, p.lat, p.lon) <= miss for p in mention.candidates):
            continue  # a candidate fits: choosing among them is resolution's job
        place = Place(
            id=f"offset:{anchor.id}:{relation.bearing_deg:.1f}:{relation.distance_km:g}",
            name=mention.text, lat=round(lat, 6), lon=round(lon, 6), feature_class="P", feature_code="PPL",
            country=anchor.country, admin1=anchor.admin1, admin2=anchor.admin2,
            admin1_code=anchor.admin1_code, admin2_code=anchor.admin2_code)
        out[relation.subject] = replace(mention, place=place, reason=(
            f"no '{mention.text}' on file near where the text puts it: placed {relation.distance_km:g} km "
            f"{relation.point or f'{relation.bearing_deg:.0f}°'} of {anchor.name}, as written"))
    return out


def _largest(places: Sequence[Place]) -> Place:
    return max(places, key=lambda p: (p.population, p.id))


def _drop_outliers(text: str, mentions: list[Mention]) -> list[Mention]:
    points = [(m.place.lat, m.place.lon) for m in mentions if m.place is not None]
    if len(points) < 3:
        return mentions
    centre = (median(p[0] for p in points), median(p[1] for p in points))
    kept = []
    for mention in mentions:
        place = mention.place
        if place is not None and place.feature_code not in _COUNTRY_CODES and place.feature_code != "PPLC" \
                and not _LOCATIVE_BEFORE.search(text[max(0, mention.start - 20) : mention.start]):
            far = haversine_km(centre[0], centre[1], place.lat, place.lon)
            if place.population < MAJOR_POPULATION and far > OUTLIER_KM:
                continue
            if place.feature_class == "P" and place.population < HAMLET_POPULATION and far > HAMLET_OUTLIER_KM \
                    and len(points) >= HAMLET_MIN_PLACES:
                continue
        kept.append(mention)
    return kept
