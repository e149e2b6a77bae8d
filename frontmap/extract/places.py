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
from typing import Protocol

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


@dataclass(frozen=True, slots=True)
class _Token:
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
                # "Kyiv Oblast" looked up whole: the oblast, not Kyiv City (a city with an oblast's rank)
                places = tuple(p for p in places if not p.name.endswith(" City")) or places
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
            narrowed = tuple(p for p in narrowed if not p.name.endswith(" City")) or narrowed  # as above
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


def _theatre(
    candidates: Sequence[Place], context: Sequence[tuple[float, float, int]], sentence: int
) -> list[tuple[list[float], float | None]]:
    """For each candidate, its distances to the context's places elsewhere: the three nearest,
    sorted, and the nearest in ``sentence`` (None when there is none).

    The same numbers as measuring every pair with :func:`haversine_km` and sorting, at a fraction
    of the cost: numpy's haversine term ranks all pairs at once (each candidate against every
    context place), and only the few pairs that can be among the nearest are measured with
    :func:`haversine_km` itself. (numpy's arcsin may differ from the C library's in the last bit,
    so its distances only choose the pairs: the distances used are the scalar function's.)
    """
    if not context or not candidates:
        return [([], None)] * len(candidates)
    clat = np.array([c[0] for c in context])
    clon = np.array([c[1] for c in context])
    plat = np.array([p.lat for p in candidates])[:, None]
    plon = np.array([p.lon for p in candidates])[:, None]
    p1, p2 = np.radians(plat), np.radians(clat)
    # The haversine formula's a: distance grows with it, so it ranks pairs as the distance does.
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(clon - plon) / 2) ** 2
    elsewhere = (plat != clat) | (plon != clon)  # a place is no context for itself
    a = np.where(elsewhere, a, np.inf)
    k = min(3, a.shape[1])
    kth = np.partition(a, k - 1, axis=1)[:, k - 1 : k]
    # A margin far above rounding error: a few extra pairs measured, none missed.
    pick = elsewhere & (a <= kth * (1.0 + 1e-9) + 1e-13)
    here = np.array([c[2] == sentence for c in context])
    if here.any():
        a_here = np.where(here, a, np.inf)
        best_here = a_here.min(axis=1, keepdims=True)
        pick_here = elsewhere & here & (a_here <= best_here * (1.0 + 1e-9) + 1e-13)
    else:
        pick_here = np.zeros_like(pick)
    near: list[list[float]] = [[] for _ in candidates]
    local: list[list[float]] = [[] for _ in candidates]
    for found, picked in ((near, pick), (local, pick_here)):
        rows, cols = np.nonzero(picked)
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            place = candidates[i]
            found[i].append(haversine_km(place.lat, place.lon, context[j][0], context[j][1]))
    return [(sorted(d)[:3], min(h) if h else None) for d, h in zip(near, local, strict=True)]


#: Distinct candidate coordinates of one article up to which :class:`_Distances` keeps its
#: tables (two float64 squares: 8 MB each at the limit).
_MAX_TABLE = 1024
_FINITE = np.finfo(np.float64).max
#: A mention's text that names water ("Inhulets River"): a stream may then be meant.
_WATER_WORD = re.compile(r"\b(?:river|reservoir|lake|creek|stream|canal|estuary|bay|sea)\b", re.I)


def prior(place: Place) -> float:
    """Score of a candidate before context: feature importance and population."""
    base = _FEATURE_PRIOR.get(place.feature_code, -0.3 if place.feature_class in {"H", "T", "L"} else -1.0)
    return base + 0.35 * math.log10(place.population + 10)


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
    state = _Resolution(mentions)
    # Pass 1: names with one candidate, or one that dominates on priors alone.
    for i, mention in enumerate(mentions):
        if len(mention.candidates) == 1:
            state.choose(i, (mention.candidates[0], "only candidate"))
    ambiguous = [i for i, mention in enumerate(mentions) if len(mention.candidates) != 1]
    priors: dict[int, float] = {}  # by id(): the candidates outlive the resolution
    static = {i: _static_scores(mentions[i], admin_hints, priors) for i in ambiguous}
    # Passes 2-3: context from what is already chosen.
    for _ in range(2):
        for i in ambiguous:
            mention = mentions[i]
            anchors = [(rel, state.chosen.get(rel.anchor)) for rel in by_subject.get(i, [])]
            state.choose(i, _choose(mention, anchors, static[i], state.theatre(i), state.aliases(i)))
        # One sense per discourse: the first free mention of a sense decides for all of them.
        decided_by_key: dict[int, tuple[Place, str]] = {}
        for i in ambiguous:
            if i not in by_subject:
                decided_by_key.setdefault(state.sense[i], state.chosen[i])
        for i in ambiguous:
            if i not in by_subject:
                state.choose(i, decided_by_key[state.sense[i]])
    return [replace(m, place=state.chosen[i][0], reason=state.chosen[i][1]) for i, m in enumerate(mentions)]


class _Resolution:
    """What the disambiguation of one article knows so far, kept in the form its questions need.

    Each ambiguous mention asks, pass after pass, for the places already chosen for the article's
    *other* names (the theatre: capitals only when nothing else is chosen) and for another name
    of one of its candidates (an alias). Asked directly, every question walks every chosen mention
    and measures every candidate against every context place: most of the cost of a run. Here the
    choices live in arrays over the mentions (the context is a mask), the candidates' coordinates
    are numbered once per article, and the distances between them are ranked in blocks and
    measured once each (:class:`_Distances`). The answers are the ones :func:`_theatre` and the
    chosen-order walk give: the tests compare them.
    """

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.mentions = mentions
        n = len(mentions)
        # Spellings of one name ("Pishchane", "Pischane") share their candidates: one sense.
        senses: dict[tuple[str, ...], int] = {}
        self.sense = [senses.setdefault(tuple(sorted(p.id for p in m.candidates)) or (m.key,), len(senses))
                      for m in mentions]
        self.distances = _Distances([p for m in mentions for p in m.candidates])
        # Each mention's candidates by coordinate number, as a column (to index table rows).
        self.rows = [np.array([self.distances.coordinate(p) for p in m.candidates], dtype=np.intp).reshape(-1, 1)
                     for m in mentions]
        self.chosen: dict[int, tuple[Place, str]] = {}
        self._sense = np.array(self.sense, dtype=np.intp)
        self._sentence = np.array([m.sentence for m in mentions], dtype=np.intp)
        self._coordinate = np.full(n, -1, dtype=np.intp)
        self._town = np.zeros(n, dtype=bool)  # chosen, and a populated place (class P)
        self._town_not_capital = np.zeros(n, dtype=bool)
        # Who chose which place id: aliases are looked up for a mention's candidates only.
        self._by_place: dict[str, set[int]] = {}

    def choose(self, i: int, choice: tuple[Place, str]) -> None:
        """Record mention ``i``'s choice."""
        previous = self.chosen.get(i)
        if previous is not None:
            self._by_place[previous[0].id].discard(i)
        place = choice[0]
        self.chosen[i] = choice
        self._by_place.setdefault(place.id, set()).add(i)
        self._coordinate[i] = self.distances.coordinate(place)
        self._town[i] = place.feature_class == "P"
        self._town_not_capital[i] = self._town[i] and place.feature_code != "PPLC"

    def theatre(self, i: int) -> list[tuple[list[float], float | None]]:
        """:func:`_theatre` of mention ``i``'s candidates against the other names' chosen towns."""
        others = self._town & (self._sense != self.sense[i])
        # Capitals are named as governments ("Kyiv said", "Moscow denied") far more often than
        # as places on the front, so they set the theatre only when nothing else does.
        local = self._town_not_capital & (self._sense != self.sense[i])
        context = np.flatnonzero(local if local.any() else others)
        here = self._sentence[context] == self.mentions[i].sentence
        return self.distances.theatre(self.mentions[i].candidates, self.rows[i], self._coordinate[context], here)

    def aliases(self, i: int) -> dict[str, tuple[str, bool]]:
        """Mention ``i``'s candidates that another name of the article was resolved to, with that
        name (the last in the order the names were first chosen: names with one candidate, then
        the others, each in text order) and whether any such name was unambiguous (a sure hint)."""
        found: dict[str, tuple[str, bool]] = {}
        for place in self.mentions[i].candidates:
            holders = [j for j in self._by_place.get(place.id, ()) if self.sense[j] != self.sense[i]]
            if holders:
                last = max(holders, key=lambda j: (len(self.mentions[j].candidates) != 1, j))
                sure = any(len(self.mentions[j].candidates) == 1 for j in holders)
                found[place.id] = (self.mentions[last].text, sure)
        return found


class _Distances:
    """Distances between one article's candidate places: ranked with numpy, a column of
    candidates at a time, and measured with :func:`haversine_km` once per pair that is ranked
    among the nearest (the same numbers as :func:`_theatre`).

    Both tables are square in the article's distinct candidate coordinates (~150 for a 4 KB
    article); past :data:`_MAX_TABLE` coordinates (a hostile input) each question goes to
    :func:`_theatre` instead, so memory stays bounded.
    """

    def __init__(self, places: Sequence[Place]) -> None:
        self._numbers: dict[tuple[float, float], int] = {}
        self._lat: list[float] = []
        self._lon: list[float] = []
        for place in places:
            self.coordinate(place)
        n = len(self._lat)
        # A NaN coordinate is unequal to itself, which numbering by value cannot express.
        self.tabled = n <= _MAX_TABLE and not any(math.isnan(v) for v in (*self._lat, *self._lon))
        if not self.tabled:
            return
        self._rad = np.radians(np.array(self._lat))
        self._cos = np.cos(self._rad)
        self._lons = np.array(self._lon)
        self._a = np.empty((n, n))  # the haversine formula's a, by column once ranked
        self._ranked = np.zeros(n, dtype=bool)
        self._km = np.full((n, n), np.nan)  # haversine_km(row, column), NaN until measured

    def coordinate(self, place: Place) -> int:
        """The number of the place's coordinates (places at one point share it)."""
        key = (place.lat, place.lon)
        number = self._numbers.get(key)
        if number is None:
            number = self._numbers[key] = len(self._lat)
            self._lat.append(place.lat)
            self._lon.append(place.lon)
        return number

    def _rank(self, columns: np.ndarray) -> None:
        # The haversine formula's a of every coordinate against the new columns: distance grows
        # with it, so it ranks pairs as the distance does. A point is no context for itself.
        fresh = ~self._ranked[columns]
        if not fresh.any():
            return
        new = np.unique(columns[fresh])
        p1, p2 = self._rad[:, None], self._rad[new]
        dl = np.radians(self._lons[new] - self._lons[:, None])
        a = np.sin((p2 - p1) / 2) ** 2 + self._cos[:, None] * self._cos[new] * np.sin(dl / 2) ** 2
        a[new, np.arange(len(new))] = np.inf
        self._a[:, new] = a
        self._ranked[new] = True

    def theatre(
        self, candidates: Sequence[Place], rows: np.ndarray, columns: np.ndarray, here: np.ndarray
    ) -> list[tuple[list[float], float | None]]:
        """What ``_theatre(candidates, context, sentence)`` returns, for the context places
        numbered ``columns`` (``here``: those in the sentence); ``rows`` number the candidates
        (a column: one row each)."""
        if not self.tabled:
            context = [(self._lat[c], self._lon[c], 0 if h else 1)
                       for c, h in zip(columns.tolist(), here.tolist(), strict=True)]
            return _theatre(candidates, context, 0)
        if not len(columns) or not len(candidates):
            return [([], None)] * len(candidates)
        self._rank(columns)
        a = self._a[rows, columns]  # inf where a candidate is the context place itself
        k = min(3, a.shape[1])
        kth = np.partition(a, k - 1, axis=1)[:, k - 1 : k]
        # _theatre's choice of pairs to measure: the margin is far above rounding error (a few
        # extra pairs measured, none missed), so the nearest measured are the nearest. Capped
        # below inf: with fewer than k other places, every other place (finite a) is picked.
        pick = a <= np.minimum(kth * (1.0 + 1e-9) + 1e-13, _FINITE)
        wanted = pick
        pick_here = None
        if here.any():
            a_here = np.where(here, a, np.inf)
            best_here = a_here.min(axis=1, keepdims=True)
            pick_here = a_here <= np.minimum(best_here * (1.0 + 1e-9) + 1e-13, _FINITE)
            wanted = pick | pick_here
        km = self._km[rows, columns]
        unmeasured = wanted & np.isnan(km)
        if unmeasured.any():
            found_rows, found_columns = np.nonzero(unmeasured)
            pairs = list(zip(rows[found_rows, 0].tolist(), columns[found_columns].tolist(), strict=True))
            lat, lon = self._lat, self._lon
            # A pair may repeat in the block (a place named twice): measured once all the same.
            measured = {pair: haversine_km(lat[pair[0]], lon[pair[0]], lat[pair[1]], lon[pair[1]])
                        for pair in dict.fromkeys(pairs)}
            km[found_rows, found_columns] = [measured[pair] for pair in pairs]
            table_rows, table_columns = zip(*measured, strict=True)
            self._km[table_rows, table_columns] = list(measured.values())
        # sorted(...)[:3] and min(...) of the measured pairs, a row at a time, as _theatre does.
        nearest = np.sort(np.where(pick, km, np.inf), axis=1)[:, :3].tolist()
        counts = np.minimum(pick.sum(axis=1), 3).tolist()
        if pick_here is None:
            return [(d[:c], None) for d, c in zip(nearest, counts, strict=True)]
        local = np.where(pick_here, km, np.inf).min(axis=1).tolist()
        return [(d[:c], h if h != math.inf else None) for d, c, h in zip(nearest, counts, local, strict=True)]


def _static_scores(
    mention: Mention, admin_hints: dict[str, set[int]], priors: dict[int, float]
) -> list[tuple[float, tuple[str, ...]]]:
    """Each candidate's score and reasons before anchors, aliases and theatre: its prior, water,
    the oblasts named (the first terms of :func:`_choose`'s sum, added in the same order)."""
    water_word = bool(_WATER_WORD.search(mention.text))
    static: list[tuple[float, tuple[str, ...]]] = []
    for place in mention.candidates:
        score = priors.get(id(place))
        if score is None:
            score = priors[id(place)] = prior(place)
        reasons: tuple[str, ...] = ()
        if place.feature_class == "H" and not water_word:
            score -= 1.5  # a bare name is a town more often than the stream that shares it
        if place.admin1 and place.admin1 in admin_hints and place.feature_code != "ADM1":
            same_sentence = mention.sentence in admin_hints[place.admin1]
            score += 3.0 if same_sentence else 1.0
            reasons = (f"in {place.admin1}, named in the {'sentence' if same_sentence else 'article'}",)
        static.append((score, reasons))
    return static


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
    static: list[tuple[float, tuple[str, ...]]],
    theatre: list[tuple[list[float], float | None]],
    aliases: dict[str, tuple[str, bool]],
) -> tuple[Place, str]:
    """The best candidate of ``mention`` and why, given what does not change from pass to pass
    (:func:`_static_scores`), its theatre (:func:`_theatre` of its candidates) and the aliases
    among its candidates."""
    # (score, reasons after the static ones, place): the reasons are joined for the winner only.
    scored: list[tuple[float, list[str], Place]] = []
    for k, place in enumerate(mention.candidates):
        score, _fixed = static[k]
        reasons: list[str] = []
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
        others, near = theatre[k]
        if near is not None:
            # A place named in the same sentence is the strongest hint of the theatre.
            score += 2.0 * max(0.0, math.log10(_COHERENCE_HORIZON_KM / max(near, 2.0)))
        if others:  # (empty when the context is)
            # The article's theatre: closeness to its other places, on a log scale (5 km vs
            # 50 km matters as much as 50 km vs 500 km), averaged over the nearest few.
            nearest = others[:3]
            total: float = 0  # summed as sum() does: from the int 0, in order
            for d in nearest:
                if d < _COHERENCE_HORIZON_KM:
                    total += math.log10(_COHERENCE_HORIZON_KM / max(d, 2.0))
            closeness = total / len(nearest)
            score += 2.0 * closeness
            if closeness > 0.8:
                reasons.append(f"{others[0]:.0f} km from other places in the article")
        scored.append((score, reasons, place))
    winner = min(range(len(scored)), key=lambda j: (-scored[j][0], -scored[j][2].population, scored[j][2].id))
    _score, reasons, best = scored[winner]
    why = "; ".join((*static[winner][1], *reasons))
    n = len(mention.candidates)
    if not why:
        why = f"most prominent of {n} candidates (population {best.population})"
    else:
        why = f"{why} (of {n} candidates)"
    return best, why
