"""Place names in text, and which place each one means.

Recognition scans capitalised word n-grams against the gazetteer's name index (a dict hit per
n-gram), keeps decorations that say what kind of place it is ("Donetsk Oblast", "Kherson City",
"Inhulets River") and drops false friends (sentence-initial words, months, people's names).

Disambiguation scores every candidate of an ambiguous name from context, not from lists:

* an oblast named in the same sentence or article;
* a stated relation to another place ("X (about 58km northeast of Y)", "X, just southwest of Y"):
  the candidate must lie where the words put it;
* coherence: a candidate close to the article's other places beats a distant namesake;
* priors: feature importance (regional centres, cities) and population.

Each mention keeps its candidates and a short reason for the choice.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple, Protocol

import numpy as np

from frontmap.extract.direction import find_directions
from frontmap.extract.distance import find_distances
from frontmap.extract.lexicon import (
    CITY_WORDS,
    COMMON_WORDS,
    DISTRICT_WORDS,
    FACILITY_WORDS,
    GIVEN_NAMES,
    HROMADA_WORDS,
    MONTHS,
    NAME_PREFIXES,
    PERSON_TITLES,
    PLACE_PREPOSITIONS,
    PUBLIC_FIGURES,
    REGION_WORDS,
    RESERVOIR_WORDS,
    RIVER_WORDS,
    WEEKDAYS,
)
from frontmap.gazetteer.names import normalize
from frontmap.records import Article, Mention, Place, Sentence


class _Ranked(Protocol):
    @property
    def place(self) -> Place: ...

    @property
    def match(self) -> str: ...


class NameIndex(Protocol):
    """What recognition needs of a gazetteer."""

    @property
    def max_name_words(self) -> int: ...

    def lookup(self, key: str) -> tuple[Place, ...]: ...

    def candidates(self, name: str, *, limit: int | None = None) -> Sequence[_Ranked]: ...


# A word: letters (Latin or Cyrillic) with inner apostrophes or hyphens ("Luk’yanivka", "Niu-York").
_WORD = re.compile(r"[^\W\d_](?:[\w]|['’ʼ](?=[^\W\d_])|-(?=[^\W\d_]))*")
_POSSESSIVE = re.compile(r"['’ʼ]s$")
_GAP_OK = re.compile(r"^[ \t-]$")  # what may separate the words of one name
_MAX_WORDS = 5
_KIND_WORDS = (REGION_WORDS | DISTRICT_WORDS | HROMADA_WORDS | CITY_WORDS | RIVER_WORDS | RESERVOIR_WORDS)


class _Token(NamedTuple):  # (a tuple: made for every word of every sentence, ~3x cheaper than a frozen dataclass)
    start: int
    end: int
    text: str
    lower: str


@dataclass(frozen=True, slots=True)
class Relation:
    """A stated offset of one mention from another: ``subject`` lies ``bearing`` of ``anchor``."""

    subject: int  # index into the mention list
    anchor: int
    point: str | None
    bearing_deg: float | None
    distance_km: float | None
    text: str


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.start(), m.end(), m.group(), m.group().lower()) for m in _WORD.finditer(text)]


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def find_mentions(article: Article, sentences: Sequence[Sentence], index: NameIndex) -> list[Mention]:
    """Every gazetteer place named in the article, unresolved (``place`` is None).

    Parameters
    ----------
    article
        The article; offsets index ``article.text``.
    sentences
        Its sentences (from :func:`frontmap.extract.sentences.split_sentences`).
    index
        The gazetteer (its ``lookup`` and ``max_name_words``).
    """
    text = article.text
    mentions: list[Mention] = []
    max_words = max(1, min(_MAX_WORDS, index.max_name_words))
    for sentence in sentences:
        tokens = _tokens(sentence.text)
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if not _is_capitalised(token.text):
                i += 1
                continue
            found = _longest_match(sentence, tokens, i, max_words, index)
            if found is None:
                i += 1
                continue
            n, key, places = found
            span_end = tokens[i + n - 1].end
            name_text = sentence.text[token.start : span_end]
            possessive = _POSSESSIVE.search(name_text)
            if possessive:
                name_text = name_text[: possessive.start()]
                span_end = token.start + len(name_text)
            decoration = tokens[i + n].lower if i + n < len(tokens) else ""
            decoration_gap = sentence.text[span_end : tokens[i + n].start] if i + n < len(tokens) else ""
            places, kept_decoration = _apply_decoration(places, decoration if decoration_gap == " " else "")
            if n > 1 and tokens[i + n - 1].lower in REGION_WORDS:
                places = _oblasts_not_cities(places)  # "Kyiv Oblast" looked up whole
            if kept_decoration:
                span_end = tokens[i + n].end
                name_text = sentence.text[token.start : span_end]
                trailing = _POSSESSIVE.search(name_text)
                if trailing:
                    name_text = name_text[: trailing.start()]
                    span_end = token.start + len(name_text)
                n += 1
            if places and not _false_friend(sentence, tokens, i, n, places, kept_decoration):
                start = sentence.start + token.start
                mentions.append(Mention(
                    article=article.path, text=name_text, start=start, end=start + len(name_text),
                    sentence=sentence.index, key=key, candidates=places,
                ))
                i += n
            else:
                i += 1
        mentions.extend(_fallback_mentions(article, sentence, tokens, mentions, index))
    mentions = _plural_regions(text, mentions, index)
    mentions.sort(key=lambda m: m.start)
    # A mention inside the text is only trusted where the article text really holds it.
    return [m for m in mentions if text[m.start : m.end] == m.text]


_TOPONYM_ENDING = re.compile(
    r"(?:[iy]?[vw]k[ae]|ovk[ae]|evk[ae]|ivk[ae]|[nvk]e|ske|sk|[iy]no|ovo|ev[oe]|[oe]ye|[iy]ye|y[ia]|"
    r"yi|iy|oy|ets|yar|ka|ove|ne|ivske|pil|pol|hrad|grad|horod|gorod|ovy|ovoy|ovoe|ino|in)$",
    re.I,
)
_STRONG_BEFORE = re.compile(
    r"(?:\b(?:in|near|of|to|toward|towards|around|outside|from|at|into|village|settlement|town|city|"
    r"directions?)\s+(?:the\s+)?(?:(?:village|settlement|town|city)\s+of\s+)?|,\s*|\band\s+)$",
    re.I,
)
_DEMONYM = re.compile(r"(?:ian|ean|ese|ish|ic|ians|eans)$", re.I)
_FALLBACK_MATCHES = frozenset({"skeleton", "fuzzy", "transliteration"})



_PLURAL_REGION = re.compile(r"\s+(?:oblasts|regions|provinces)\b", re.I)
#: What separates the names of a list: ", ", " and ", ", and ", " or ".
LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s(?:and|or)\s+)")


def _plural_regions(text: str, mentions: list[Mention], index: NameIndex) -> list[Mention]:
    """"Kharkiv and Luhansk Oblasts", "Donetsk, Luhansk and Zaporizhzhia regions": a plural
    region word after a list makes every name of the list an oblast, not its capital city."""
    ordered = sorted(mentions, key=lambda m: m.start)
    out = {id(m): m for m in ordered}
    for k, mention in enumerate(ordered):
        if not _PLURAL_REGION.match(text, mention.end):
            continue
        chain = [mention]
        while k - len(chain) >= 0:
            previous = ordered[k - len(chain)]
            if not LIST_GAP.fullmatch(text, previous.end, chain[0].start):
                break
            chain.insert(0, previous)
        for member in chain:
            regions = tuple(p for p in index.lookup(member.key) if p.feature_code == "ADM1")
            if regions:
                out[id(member)] = replace(member, candidates=regions)
    return [out[id(m)] for m in mentions]


def _fallback_mentions(
    article: Article, sentence: Sentence, tokens: list[_Token], found: list[Mention], index: NameIndex
) -> list[Mention]:
    """Names the exact index missed but a reader would take for places: a capitalised word that
    looks like a toponym, in a place position ("near Kleshceevka", "in the direction of Rabotin"),
    matched by the gazetteer's looser tiers (skeleton, fuzzy). Hyphenated lines of places
    ("the Lyubomyrivka-Bilaivka line") are split into their parts. Each such mention says so in
    its reason."""
    taken = [(m.start - sentence.start, m.end - sentence.start) for m in found if m.sentence == sentence.index]
    out: list[Mention] = []
    for k, token in enumerate(tokens):
        if any(a <= token.start < b for a, b in taken):
            continue
        parts = [(token.start, token.text)]
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if token.lower in NAME_PREFIXES and nxt is not None and _is_capitalised(nxt.text) \
                and sentence.text[token.end : nxt.start] == " " \
                and not any(a <= nxt.start < b for a, b in taken):
            # "Nova Khakovka", "Velyka Novosilky": a misspelt two-word name, matched loosely whole.
            pair = sentence.text[token.start : nxt.end]
            ranked = [c for c in index.candidates(pair, limit=100) if c.match in _FALLBACK_MATCHES]
            places = tuple(c.place for c in ranked if c.place.feature_class == "P")
            if places and normalize(pair).split()[0] == normalize(places[0].name).split()[0]:
                begin = sentence.start + token.start
                out.append(Mention(article=article.path, text=pair, start=begin, end=begin + len(pair),
                                   sentence=sentence.index, key=normalize(pair), candidates=places,
                                   reason=f"spelling matched loosely ({ranked[0].match})"))
                taken.append((token.start, nxt.end))
                continue
        if "-" in token.text:
            offset = token.start
            parts = []
            for piece in token.text.split("-"):
                parts.append((offset, piece))
                offset += len(piece) + 1
        for start, word in parts:
            if not _is_capitalised(word) or len(word) < 5 or word.lower() in COMMON_WORDS:
                continue
            if k == 0 and len(parts) == 1:
                continue  # a sentence's first word is capitalised anyway
            if len(parts) == 1 and index.lookup(normalize(word)):
                continue  # the exact pass saw this name and judged it: not a miss to rescue
            if _DEMONYM.search(word) or word.lower() in PERSON_TITLES:
                continue  # "Malian", "Ukrainian", "Major": adjectives and titles, not misspelt towns
            if k > 0 and len(parts) == 1 and sentence.text[tokens[k - 1].end : token.start] == " " \
                    and _is_capitalised(tokens[k - 1].text) and tokens[k - 1].lower not in COMMON_WORDS \
                    and tokens[k - 1].lower not in PLACE_PREPOSITIONS:
                continue  # a surname after a first name ("Taras Shevchenko")
            before = sentence.text[max(0, start - 40) : start]
            hyphen_part = len(parts) > 1
            if not hyphen_part and not (_STRONG_BEFORE.search(before) and _TOPONYM_ENDING.search(word)):
                continue
            key = normalize(word)
            places = index.lookup(key)
            how = "exact"
            if not places:
                # The gazetteer's fuzzy tier already stops at a strict similarity (a typo, not
                # another name); the place position and toponym shape above guard the rest.
                ranked = [c for c in index.candidates(word, limit=100) if c.match in _FALLBACK_MATCHES]
                places = tuple(c.place for c in ranked)
                how = ranked[0].match if ranked else ""
            region_follows = bool(re.match(r"\s+(?:oblast|region|province)s?\b", sentence.text[token.end:], re.I))
            kinds = {"A"} if region_follows else {"P", "A"}
            places = tuple(p for p in places if p.feature_class in kinds
                           and (not region_follows or p.feature_code == "ADM1"))
            if not region_follows:
                places = tuple(p for p in places if p.feature_class == "P") or places
            if not places:
                continue
            begin = sentence.start + start
            out.append(Mention(article=article.path, text=word, start=begin, end=begin + len(word),
                               sentence=sentence.index, key=key, candidates=places,
                               reason="" if how == "exact" else f"spelling matched loosely ({how})"))
    return out


def _longest_match(
    sentence: Sentence, tokens: list[_Token], i: int, max_words: int, index: NameIndex
) -> tuple[int, str, tuple[Place, ...]] | None:
    for n in range(min(max_words, len(tokens) - i), 0, -1):
        last = tokens[i + n - 1]
        if n > 1:
            gaps_ok = all(
                _GAP_OK.match(sentence.text[tokens[j].end : tokens[j + 1].start])
                for j in range(i, i + n - 1)
            )
            if not gaps_ok or not _is_capitalised(last.text):
                continue
        span = sentence.text[tokens[i].start : last.end]
        span = _POSSESSIVE.sub("", span)
        key = normalize(span)
        if not key:
            continue
        places = index.lookup(key)
        if places:
            return n, key, places
    return None


def _oblasts_not_cities(places: tuple[Place, ...]) -> tuple[Place, ...]:
    """"Kyiv Oblast" is the oblast, not Kyiv City (a city with an oblast's rank)."""
    return tuple(p for p in places if not p.name.endswith(" City")) or places


def _apply_decoration(places: tuple[Place, ...], word: str) -> tuple[tuple[Place, ...], bool]:
    """Narrow candidates by a following kind-word; report whether the word belongs to the name."""
    if not word or word not in _KIND_WORDS:
        # A bare name means the town, not the oblast or raion named after it ("Donetsk Oblast"
        # and "Bakhmut Raion" say so when they mean the unit).
        towns = tuple(p for p in places if p.feature_class != "A" or p.feature_code.startswith("PCL"))
        return (towns or places), False
    kinds: tuple[str, ...] = ()
    if word in REGION_WORDS:
        kinds = ("ADM1",)
    elif word in DISTRICT_WORDS:
        kinds = ("ADM2",)
    elif word in HROMADA_WORDS:
        kinds = ("ADM3",)
    if kinds:
        narrowed = tuple(p for p in places if p.feature_code in kinds)
        if word in REGION_WORDS:
            narrowed = _oblasts_not_cities(narrowed)
        return (narrowed or places), True
    if word in CITY_WORDS:
        towns = tuple(p for p in places if p.feature_class == "P")
        return (towns or places), True
    if word in RIVER_WORDS:
        rivers = tuple(p for p in places if p.feature_class == "H" and p.feature_code.startswith("STM"))
        return (rivers or places), bool(rivers)
    if word in RESERVOIR_WORDS:
        waters = tuple(p for p in places if p.feature_class == "H")
        return (waters or places), bool(waters)
    return places, False


def _false_friend(
    sentence: Sentence, tokens: list[_Token], i: int, n: int, places: tuple[Place, ...], decorated: bool
) -> bool:
    """True when a match is probably not a place: a common word, a month, a person's name."""
    if decorated:
        return False
    first = tokens[i]
    following = tokens[i + n].lower if i + n < len(tokens) else ""
    if following in FACILITY_WORDS and sentence.text[tokens[i + n - 1].end : tokens[i + n].start] == " ":
        return True  # "Sokil Plant", "Antonivsky Bridge": a facility named after a place elsewhere
    after = sentence.text[tokens[i + n - 1].end : tokens[i + n - 1].end + 20]
    if re.match(r"\s+people[’']s\b", after, re.I):
        return True  # "Donetsk People's Republic" names a polity, not the city
    words = [_POSSESSIVE.sub("", t.lower) for t in tokens[i : i + n]]
    single = n == 1
    if single and (first.lower in MONTHS or first.lower in WEEKDAYS):
        return True
    if all(w in COMMON_WORDS or w in PERSON_TITLES for w in words):
        return True
    if single and words[0] in PUBLIC_FIGURES and not any(p.population >= 100_000 for p in places):
        return True  # "Putin", "Gerasimov": the person, not the village that shares the Russian form
    if single and i + n < len(tokens) and sentence.text[tokens[i + n - 1].end : tokens[i + n].start] == " " \
            and _is_capitalised(tokens[i + n].text) and tokens[i + n].lower not in COMMON_WORDS:
        if _POSSESSIVE.sub("", tokens[i + n].lower) in PUBLIC_FIGURES or words[0] in GIVEN_NAMES:
            return True  # "Vladimir Putin", "Vladimir Rogov": a first name, even where a city shares it
        if words[0] in NAME_PREFIXES:
            return True  # "Nova Khakovka": the first word of a misspelt name (see _fallback_mentions)
    if first.text.isupper() and len(first.text) <= 4 and single:
        return True  # acronyms: "UN", "ISW", "RIA"
    prev = tokens[i - 1].lower if i > 0 else ""
    prev_gap = sentence.text[tokens[i - 1].end : first.start] if i > 0 else ""
    if prev.rstrip(".") in PERSON_TITLES and prev_gap.strip() in {"", "."}:
        return True
    major = any(p.population >= 50_000 or p.feature_code in {"PPLC", "PPLA", "PPLA2", "ADM1", "ADM2"}
                for p in places)
    nxt = tokens[i + n] if i + n < len(tokens) else None
    next_gap = sentence.text[tokens[i + n - 1].end : nxt.start] if nxt is not None else ""
    if (
        single and nxt is not None and next_gap == " " and _is_capitalised(nxt.text)
        and nxt.lower not in COMMON_WORDS and prev not in PLACE_PREPOSITIONS and not major
    ):
        return True  # "Roman Vlasenko", "Serhiy Cherevatyi": a first name before a surname
    # a surname after a first name
    return (
        single and i > 0 and prev_gap == " " and _is_capitalised(tokens[i - 1].text)
        and tokens[i - 1].lower not in COMMON_WORDS and tokens[i - 1].lower not in PLACE_PREPOSITIONS
        and not major
    )


# --------------------------------------------------------------------------------------------
# Relations between mentions: "X (about 58km northeast of Y)", "X, just southwest of Y"

_BETWEEN_RELATION = re.compile(
    r"^[\s,(\[–—-]*(?:which\s+(?:lies|is|sits)\s+|that\s+lies\s+|located\s+|lying\s+|some\s+)?"
    r"(?:(?:a|the)\s+)?(?:village|town|city|settlement|suburb)?[\s,]*"
    r"(?P<body>[^()\[\].;]{0,80}?)\s+of\s+(?:the\s+(?:city|town|village|settlement)\s+of\s+)?$",
    re.I,
)


def find_relations(article: Article, mentions: Sequence[Mention]) -> list[Relation]:
    """Stated offsets between consecutive mentions of one sentence.

    A list ("in A and B (both northwest of C)") gives every listed place the relation.
    """
    relations: list[Relation] = []
    for k in range(1, len(mentions)):
        anchor = mentions[k]
        prev = mentions[k - 1]
        if prev.sentence != anchor.sentence:
            continue
        between = article.text[prev.end : anchor.start]
        match = _BETWEEN_RELATION.match(between)
        if not match:
            continue
        body = match.group("body")
        directions = find_directions(body + " of")
        if not directions:
            continue
        direction = directions[-1]
        distances = find_distances(body)
        distance_km = distances[0].distance.km if distances else None
        subjects = [k - 1]
        if re.search(r"\bboth\b|\ball\b", body, re.I):
            j = k - 2
            while j >= 0 and mentions[j].sentence == anchor.sentence:
                gap = article.text[mentions[j].end : mentions[j + 1].start]
                if not re.fullmatch(r"\s*(?:,|,?\s*and|,?\s*or)\s*", gap):
                    break
                subjects.append(j)
                j -= 1
        for subject in subjects:
            relations.append(Relation(subject=subject, anchor=k, point=direction.point,
                                      bearing_deg=direction.bearing_deg, distance_km=distance_km,
                                      text=body.strip()))
    return relations


# --------------------------------------------------------------------------------------------
# Disambiguation


_FEATURE_PRIOR = {
    "PPLC": 3.0, "PPLA": 2.0, "PPLA2": 1.2, "PPLA3": 0.5, "PPLA4": 0.2, "PPL": 0.0, "PPLX": -0.5,
    "PPLL": -0.5, "PPLF": -1.0, "PPLQ": -2.0, "PPLH": -2.0, "PPLW": -2.0,
    "ADM1": 2.0, "ADM2": 1.0, "ADM3": 0.2,
}
#: Distance (km) beyond which another place of the article says nothing about a candidate.
_COHERENCE_HORIZON_KM = 400.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (good to 0.5 %: enough to rank candidates)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


def bearing_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial great-circle bearing from point 1 to point 2, degrees clockwise from north."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360.0) % 360.0


class _Theatre:
    """The places chosen so far in one article, as arrays, for measuring candidates against them.

    One row per mention (the place chosen for it, when there is one). Distances are computed by
    numpy's haversine for all pairs at once: they rank candidates; a last-bit difference from
    :func:`haversine_km` cannot change a choice except at an exact tie.
    """

    def __init__(self, mentions: Sequence[Mention]) -> None:
        n = len(mentions)
        self.lat = np.zeros(n)
        self.lon = np.zeros(n)
        self.known = np.zeros(n, dtype=bool)
        self.populated = np.zeros(n, dtype=bool)
        self.capital = np.zeros(n, dtype=bool)
        self.sentence = np.array([m.sentence for m in mentions])
        self._candidates: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def choose(self, i: int, place: Place) -> None:
        self.lat[i], self.lon[i] = place.lat, place.lon
        self.known[i] = True
        self.populated[i] = place.feature_class == "P"
        self.capital[i] = place.feature_code == "PPLC"

    def coherence(
        self, i: int, candidates: Sequence[Place], usable: np.ndarray, sentence: int
    ) -> list[tuple[float, float | None, float | None]]:
        """For each candidate of mention ``i``, how well it sits among the ``usable`` chosen places:
        the bonus for the nearest of them in ``sentence``, the closeness to the three nearest (None
        when there are none), and the distance to the nearest (km)."""
        if not usable.any():
            return [(0.0, None, None)] * len(candidates)
        if i not in self._candidates:
            self._candidates[i] = (np.array([p.lat for p in candidates])[:, None],
                                   np.array([p.lon for p in candidates])[:, None])
        plat, plon = self._candidates[i]
        clat, clon = self.lat[usable], self.lon[usable]
        p1, p2 = np.radians(plat), np.radians(clat)
        a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(clon - plon) / 2) ** 2
        d = 2 * 6371.0088 * np.arcsin(np.sqrt(np.minimum(1.0, a)))
        d = np.where((plat != clat) | (plon != clon), d, np.inf)  # a place is no context for itself
        nearest = np.sort(np.partition(d, 2, axis=1)[:, :3] if d.shape[1] > 3 else d, axis=1)
        horizon = _COHERENCE_HORIZON_KM
        # Closeness on a log scale (5 km vs 50 km matters as much as 50 km vs 500 km), averaged
        # over the nearest few; nothing beyond the horizon counts.
        with np.errstate(divide="ignore"):
            terms = np.where(nearest < horizon, np.log10(horizon / np.maximum(nearest, 2.0)), 0.0)
        counted = (nearest < np.inf).sum(axis=1)
        closeness = terms.sum(axis=1) / np.maximum(counted, 1)
        here = self.sentence[usable] == sentence
        if here.any():
            near = np.where(here, d, np.inf).min(axis=1)
            with np.errstate(divide="ignore"):
                bonus = 2.0 * np.maximum(0.0, np.log10(horizon / np.maximum(near, 2.0)))
        else:
            bonus = np.zeros(len(candidates))
        return [(b, c if n else None, f if n else None) for b, c, n, f in zip(
            bonus.tolist(), closeness.tolist(), counted.tolist(), nearest[:, 0].tolist(), strict=True)]


_PRIOR_CACHE: dict[tuple[str, str, int], float] = {}


def prior(place: Place) -> float:
    """Score of a candidate before context: feature importance and population."""
    key = (place.feature_code, place.feature_class, place.population)
    score = _PRIOR_CACHE.get(key)
    if score is None:  # (a few thousand distinct keys: worth remembering, scored for every candidate)
        base = _FEATURE_PRIOR.get(place.feature_code, -0.3 if place.feature_class in {"H", "T", "L"} else -1.0)
        score = _PRIOR_CACHE[key] = base + 0.35 * math.log10(place.population + 10)
    return score


def resolve_mentions(article: Article, mentions: Sequence[Mention]) -> list[Mention]:
    """Choose a place for every mention from its candidates, with the reason.

    The same name in one article means the same place (one sense per discourse), unless a
    stated relation pins a mention down on its own.
    """
    if not mentions:
        return []
    relations = find_relations(article, mentions)
    by_subject: dict[int, list[Relation]] = {}
    for relation in relations:
        by_subject.setdefault(relation.subject, []).append(relation)
    admin_hints = _admin_hints(mentions)

    # Spellings of one name ("Pishchane", "Pischane") share their candidates: one sense.
    sense = [tuple(sorted(p.id for p in m.candidates)) or (m.key,) for m in mentions]
    sense_number: dict[tuple[str, ...], int] = {}
    sense_of = np.array([sense_number.setdefault(key, len(sense_number)) for key in sense])
    theatre = _Theatre(mentions)
    chosen: dict[int, tuple[Place, str]] = {}

    def choose(i: int, place: Place, reason: str) -> None:
        chosen[i] = (place, reason)
        theatre.choose(i, place)

    # Pass 1: names with one candidate, or one that dominates on priors alone.
    for i, mention in enumerate(mentions):
        if len(mention.candidates) == 1:
            choose(i, mention.candidates[0], "only candidate")
    # Passes 2-3: context from what is already chosen.
    for _ in range(2):
        decided_by_key: dict[tuple[str, ...], tuple[Place, str]] = {}
        for i, mention in enumerate(mentions):
            if len(mention.candidates) == 1:
                continue
            if i not in by_subject and sense[i] in decided_by_key:
                # One sense per discourse: a later mention of a name takes what its first one got.
                choose(i, *decided_by_key[sense[i]])
                continue
            # Other mentions of the same name are no evidence for it: they would only echo
            # whatever an earlier pass guessed.
            others = theatre.known & theatre.populated & (sense_of != sense_of[i])
            # Capitals are named as governments ("Kyiv said", "Moscow denied") far more often
            # than as places on the front, so they set the theatre only when nothing else does.
            local = others & ~theatre.capital
            coherence = theatre.coherence(i, mention.candidates, local if local.any() else others,
                                          mention.sentence)
            # Another name of the same entry ("Artyomovsk" for Bakhmut) is a strong hint, and the
            # strongest when that name is unambiguous (a guess for a variant spelling would only
            # echo back). The theatre cannot see it: a place is no context for itself.
            aliases: dict[str, tuple[str, bool]] = {}
            for j, (p, _) in chosen.items():
                if sense[j] != sense[i]:
                    sure = len(mentions[j].candidates) == 1 or aliases.get(p.id, ("", False))[1]
                    aliases[p.id] = (mentions[j].text, sure)
            anchors = [(rel, chosen.get(rel.anchor)) for rel in by_subject.get(i, [])]
            choose(i, *_choose(mention, anchors, admin_hints, coherence, aliases))
            if i not in by_subject:
                decided_by_key[sense[i]] = chosen[i]
    # A loose spelling match keeps saying so ("spelling matched loosely (fuzzy); ...").
    return [replace(m, place=chosen[i][0], reason=f"{m.reason}; {chosen[i][1]}" if m.reason else chosen[i][1])
            for i, m in enumerate(mentions)]


def _admin_hints(mentions: Sequence[Mention]) -> dict[str, set[int]]:
    """Oblast names mentioned in the article, with the sentences that mention them."""
    hints: dict[str, set[int]] = {}
    for mention in mentions:
        for place in mention.candidates:
            names_region = place.feature_code == "ADM1" or (
                place.feature_code == "ADM2" and len(mention.candidates) == 1)
            if names_region and place.admin1:
                hints.setdefault(place.admin1, set()).add(mention.sentence)
    return hints


def _choose(
    mention: Mention,
    anchors: list[tuple[Relation, tuple[Place, str] | None]],
    admin_hints: dict[str, set[int]],
    coherence: list[tuple[float, float | None, float | None]],
    aliases: dict[str, tuple[str, bool]] | None = None,
) -> tuple[Place, str]:
    scored: list[tuple[float, str, Place]] = []
    water_word = bool(re.search(r"\b(?:river|reservoir|lake|creek|stream|canal|estuary|bay|sea)\b",
                                mention.text, re.I))
    for k, place in enumerate(mention.candidates):
        score = prior(place)
        reasons: list[str] = []
        if place.feature_class == "H" and not water_word:
            score -= 1.5  # a bare name is a town more often than the stream that shares it
        if place.admin1 and place.admin1 in admin_hints and place.feature_code != "ADM1":
            same_sentence = mention.sentence in admin_hints[place.admin1]
            score += 3.0 if same_sentence else 1.0
            reasons.append(f"in {place.admin1}, named in the {'sentence' if same_sentence else 'article'}")
        for relation, anchor in anchors:
            if anchor is None:
                continue
            anchor_place = anchor[0]
            d = haversine_km(anchor_place.lat, anchor_place.lon, place.lat, place.lon)
            b = bearing_between(anchor_place.lat, anchor_place.lon, place.lat, place.lon)
            fit = 0.0
            if relation.distance_km is not None:
                fit += 6.0 * math.exp(-abs(d - relation.distance_km) / (0.25 * relation.distance_km + 4.0))
            else:
                fit += 3.0 * math.exp(-d / 40.0)
            if relation.bearing_deg is not None and d > 0.5:
                # Writers round bearings freely ("northwest" for WNW): agreement falls off smoothly.
                off = abs((b - relation.bearing_deg + 180.0) % 360.0 - 180.0)
                fit += 2.5 * math.cos(math.radians(off)) if off <= 90.0 else -1.0
            score += fit
            if fit > 2.0:
                reasons.append(f"agrees with '{relation.text} of {anchor_place.name}' ({d:.0f} km, {b:.0f}°)")
        if aliases and place.id in aliases:
            alias, sure = aliases[place.id]
            score += 4.0 if sure else 2.0
            reasons.append(f"also named '{alias}' in the article")
        # A place named in the same sentence is the strongest hint of the theatre; then the
        # article's other places (see _Theatre.coherence).
        here_bonus, closeness, nearest_km = coherence[k]
        score += here_bonus
        if closeness is not None:
            score += 2.0 * closeness
            if closeness > 0.8:
                reasons.append(f"{nearest_km:.0f} km from other places in the article")
        scored.append((score, "; ".join(reasons), place))
    scored.sort(key=lambda item: (-item[0], -item[2].population, item[2].id))
    _score, why, best = scored[0]
    n = len(mention.candidates)
    if not why:
        why = f"most prominent of {n} candidates (population {best.population})"
    else:
        why = f"{why} (of {n} candidates)"
    return best, why
