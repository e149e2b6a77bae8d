"""Sentences with resolved places -> claims.

A claim is read clause by clause:

* **action**: the first trigger of the clause from an ordered lexicon (capture before advance,
  repel before attack, …), since "repelled an attack" is a repulse and "recaptured" a capture;
* **claimant**: who asserts the sentence: the subject of a reporting verb ("the General Staff
  said", "according to the ministry", "X cited Y as saying"); with none, the article's own voice
  (an analyst or a newsroom: "third party");
* **actor**: whose forces acted: the side named nearest before the trigger ("Russian forces
  repelled"), "our"/"the enemy" read against the claimant, else the claimant's own side;
* **places**: the clause's resolved places that are targets, one claim each; a place that only
  anchors a relation ("58km northeast of Nova Kakhovka") is the claim's anchor, not its target;
* **distance and direction** of the claim ("advanced 2 km southwest of X", "within 19km north of X");
* **polarity and caveats**: denials ("denied", "did not capture"), "could not verify",
  "geolocated footage".

A sentence with an action but no place refers back to the last place named before it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from frontmap.extract.dates import resolve_claim_date
from frontmap.extract.direction import find_directions
from frontmap.extract.distance import find_distances
from frontmap.extract.places import Relation, find_relations
from frontmap.records import Article, Claim, Distance, Mention, Sentence

# --------------------------------------------------------------------------------------------
# Lexicons: ordered, first match in a clause wins among overlapping triggers.

_ACTION_PATTERNS: tuple[tuple[str, str], ...] = (
    ("repel", r"repel\w*|repuls\w*|fended off|fend off|beat(?:en)? back|beating back|thwart\w*|"
              r"foil\w*|halted|stopped (?:an?|the|two|three|\d+|several|multiple)?\s*(?:\w+\s+)?"
              r"(?:attack|assault|offensive|advance)\w*|prevented \d+ attacks|prevented (?:an?|the) \w*\s*attack\w*|"
              r"(?:attacks?|assaults?|attempts?) (?:\w+\s+){0,3}(?:failed|were unsuccessful)|"
              r"defeated (?:an?|the|two|three|\d+)?\s*(?:\w+\s+)?(?:attack|assault)\w*"),
    ("capture", r"recaptur\w*|captur\w*|seiz\w*|liberat\w*|retook|retake\w*|retaken|took (?:full )?control|"
                r"take (?:full )?control|taken (?:full )?control|taking (?:full )?control|took back|"
                r"taken back|regain\w*|occup(?:ied|y|ying|ation of)|cleared|raised (?:the|a) \w*\s*flag|"
                r"established (?:full )?control"),
    ("withdraw", r"withdr[ae]w\w*|withdrawing|withdrawal|retreat\w*|pull(?:ed|ing)? back|pulled out|"
                 r"fell back|fall(?:ing)? back|abandon\w*|left the (?:city|town|village|settlement)"),
    ("advance", r"advanc\w*|gains?\b|gained ground|made (?:\w+\s+)?progress|making progress|"
                r"partial success|success(?:es)?\b|pushed (?:forward|back)|pushing (?:forward|back)|"
                r"push(?:ed|ing)? (?:\w+\s+)?(?:toward|towards|into|through)|"
                r"penetrat\w*|broke through|entered|moved (?:forward|closer)|inching|"
                r"secured positions|securing positions|reached"),
    ("strike", r"struck|strikes?\b|striking|shell(?:ed|ing|s)\b|bombard\w*|hit\b|hitting|"
               r"target(?:ed|ing|s)\b|destroy(?:ed|ing)?\b|blew up|missile attack|drone attack|"
               r"air ?strikes?|airstrikes?|artillery fire|fired (?:on|at)|shot down"),
    ("attack", r"attack\w*|assault\w*|offensive operations?|offensive\b|storm\w*|counterattack\w*|"
               r"counteroffensive|tried to advance|trying to advance|attempt\w* to (?:advance|seize|capture|"
               r"take|storm|encircle|cross|break)|fighting\b|fought|clash\w*|encircl\w*|"
               r"ground attacks?|conduct(?:ed|ing)? (?:\w+\s+)?operations"),
    ("hold", r"hold(?:s|ing)?\b|held\b|retain\w*|maintain\w* (?:\w+\s+)?(?:positions?|control|defen[cs]e)|"
             r"defend\w*|went over to the defensive|on the defensive|remain\w* in|dug in|"
             r"still control\w*|consolidat\w*"),
)
_ACTIONS = [(action, re.compile(rf"\b(?:{pattern})", re.I)) for action, pattern in _ACTION_PATTERNS]

_REPORTING_VERB = re.compile(
    r"\b(?:said|says|say|stated|states|reported|reports|claimed|claims|claiming|announced|confirmed|"
    r"noted|indicated|indicates|acknowledged|added|told|wrote|posted|published|amplified|showed|shows|"
    r"show|denied|denies|insisted|asserted|alleged|suggested|suggests|assessed|cited|quoted|"
    r"informed|specified)\b",
    re.I,
)
_ACCORDING_TO = re.compile(r"\baccording to\b|\bciting\b|\bas saying\b|,\s*the\b[^,.]{0,60}\bsaid\b", re.I)

_SIDE_TERMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Ukraine", re.compile(
        r"\b(?:ukrain\w*|kyiv\w*|kiev\w*|zelensk\w*|syrsk\w*|zaluzhn\w*|afu|zsu|"
        r"defen[cs]e forces|azov|ukraine's)", re.I)),
    ("Russia", re.compile(
        r"\b(?:russia\w*|moscow\w*|kremlin|putin\w*|shoigu|peskov|gerasimov|belousov|wagner|"
        r"chechen\w*|kadyrov\w*|tass|ria\b|ria novosti|interfax|dnr|lnr|donetsk people's|"
        r"luhansk people's|occupation|occupiers?|milblogger\w*|kadyrovites|rosgvardia)", re.I)),
)
_THIRD_PARTY = re.compile(
    r"\b(?:isw|institute for the study of war|analysts?|think tank|reuters|associated press|afp|"
    r"cnn|bbc|journalists?|reporters?|satellite imagery|geolocated|footage|social media|"
    r"deepstate|observers?|residents?|witness\w*|monitors?|the agency|the newspaper|media)\b",
    re.I,
)
_ENEMY = re.compile(r"\b(?:the enemy|enemy|the adversary|the occupiers|occupiers)\b", re.I)
_OUR = re.compile(r"\b(?:our|we|us)\b", re.I)
_FORCES = re.compile(
    r"\b(?:ukrainian|russian|moscow's|kyiv's|russia's|ukraine's|our|enemy|pro-russian)\s+"
    r"(?:\w+\s+){0,3}?(?:forces|troops|units|army|military|soldiers|fighters|brigades?|battalions?|"
    r"paratroopers|marines|infantry|artillery|aviation|defenders|servicemen|sabotage\w*|"
    r"missile units|drones?|jets?|counterattacks?|attacks?|assaults?|offensive|strikes?|"
    r"battlegroup|group|grouping|aircraft|navy|air force)\b|\b(?:russians|ukrainians)\b",
    re.I,
)

_DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying|dismissed|rejected|refuted)\b", re.I)
_NEGATED_ACTION = re.compile(
    r"\b(?:did not|didn't|has not|have not|had not|hasn't|haven't|failed to|no|not|never|without)\s+"
    r"(?:\w+\s+){0,2}?(?:advance|capture|seize|take|penetrat|breakthrough|break through|gain|enter|"
    r"occupy|occupation|withdraw|retreat|liberat)",
    re.I,
)
_UNVERIFIED = re.compile(
    r"\b(?:could not|cannot|can't|couldn't|can not|unable to|has not been able to|did not|"
    r"have not|has not|was not able to)\s+(?:be\s+)?(?:independently\s+)?"
    r"(?:verif\w*|confirm\w*)|\bunverified\b|\bnot (?:been )?(?:independently )?verified\b",
    re.I,
)
_GEOLOCATED = re.compile(r"\bgeolocat\w*", re.I)
_NEAR = re.compile(r"\b(?:near|around|in the (?:vicinity|area|direction) of|towards?|outskirts|"
                   r"direction|approaches|close to|not far from|on the road to)\b", re.I)
_CLAUSE_SPLIT = re.compile(
    r";|,?\s+but\s+|,?\s+while\s+|,?\s+whereas\s+|,\s+and\s+(?=(?:\w+\s+){0,3}(?:forces|troops|units|"
    r"the\s|they|russian|ukrainian|it|he|she|geolocated|social))|\s+and\s+(?=(?:launched|conducted|"
    r"repelled|captured|struck|attacked|advanced|seized|withdrew|are|were|have|has)\b)",
    re.I,
)
_BACKGROUND = re.compile(
    r"\b(?:in february 2022|full-scale invasion|since the start of the war|began its|launched its)\b", re.I)


@dataclass(frozen=True, slots=True)
class _Clause:
    start: int  # offsets in the sentence text
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who asserts a sentence."""

    side: str
    name: str | None
    end: int  # where the attribution phrase ends in the sentence (-1: none found)


def claim_id(article: str, sentence: int, index: int) -> str:
    """A stable id: a hash of the article path and the claim's position in it."""
    digest = hashlib.sha1(f"{article}\x00{sentence}\x00{index}".encode()).hexdigest()
    return digest[:16]


def _split_clauses(text: str) -> list[_Clause]:
    clauses: list[_Clause] = []
    start = 0
    for match in _CLAUSE_SPLIT.finditer(text):
        if match.start() > start:
            clauses.append(_Clause(start, match.start(), text[start : match.start()]))
        start = match.end()
    if start < len(text):
        clauses.append(_Clause(start, len(text), text[start:]))
    return clauses


def side_of(phrase: str) -> str | None:
    """The side a phrase names ("Ukraine", "Russia"), or None."""
    best: tuple[int, str] | None = None
    for side, pattern in _SIDE_TERMS:
        match = pattern.search(phrase)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), side)
    return best[1] if best else None


def _other_side(side: str | None) -> str | None:
    return {"Ukraine": "Russia", "Russia": "Ukraine"}.get(side or "")


def attribution(sentence: str, default: Attribution) -> Attribution:
    """Find who asserts the sentence; fall back to ``default`` (the article's voice)."""
    candidates: list[tuple[int, int, str]] = []  # (start, end, phrase)
    for match in _REPORTING_VERB.finditer(sentence):
        verb = match.group().lower()
        # "X said": the subject is the phrase before the verb, back to a clause boundary.
        before = sentence[: match.start()]
        cut = max(before.rfind(". "), before.rfind("; "), before.rfind("“"), before.rfind('"'),
                  before.rfind(" that "), before.rfind("”"))
        subject = before[cut + 1 :] if cut >= 0 else before
        subject = subject.strip(" ,")
        if verb in {"cited", "quoted"}:
            after = sentence[match.end() : match.end() + 80]
            subject = (subject + " " + after.split(" as ")[0]).strip()
        if not subject or len(subject) > 140:
            continue
        candidates.append((match.start() - len(subject), match.end(), subject))
        break  # the first reporting verb carries the attribution
    for match in _ACCORDING_TO.finditer(sentence):
        tail = sentence[match.end() : match.end() + 90]
        phrase = re.split(r"[,.;]", tail)[0] if match.group().lower().startswith(("according", "citing")) \
            else match.group()
        candidates.append((match.start(), match.end(), phrase))
    for _start, end, phrase in sorted(candidates):
        side = side_of(phrase)
        if side is None and _THIRD_PARTY.search(phrase):
            return Attribution("third party", _clean_name(phrase), end)
        if side is not None:
            if _THIRD_PARTY.search(phrase) and re.search(r"\b(?:isw|analysts?|footage|imagery|geolocated)\b",
                                                          phrase, re.I):
                return Attribution("third party", _clean_name(phrase), end)
            return Attribution(side, _clean_name(phrase), end)
        if re.search(r"\b(?:he|she|they|the ministry|the spokesman|the spokesperson|the general staff|"
                     r"officials?|the military|the command)\b", phrase, re.I):
            return Attribution(default.side if default.side != "third party" else "unknown",
                               _clean_name(phrase), end)
    return default


def _clean_name(phrase: str) -> str:
    phrase = re.sub(r"\[\d+\]", "", phrase)
    phrase = re.sub(r"^\W*(?:the|a|an)\s+", "", phrase.strip(), flags=re.I)
    phrase = re.sub(r"\s+(?:on|in|this|last)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
                    r"today|week|\w+ \d+)\b.*$", "", phrase, flags=re.I)
    return phrase.strip(" ,“”\"'")[:120] or phrase


def _actor(clause: str, trigger_at: int, claimant_side: str | None, action: str) -> str | None:
    """Whose forces acted: the side named nearest before the trigger, else after it ("by ...")."""
    before = clause[:trigger_at]
    best: str | None = None
    for match in _FORCES.finditer(before):
        best = _force_side(match.group(), claimant_side)
    if best is None:
        for match in re.finditer(r"\b(?:we|our|the enemy|enemy)\b", before, re.I):
            best = _force_side(match.group(), claimant_side)
    if best is None:
        by = re.search(r"\bby\s+(?:the\s+)?(\w+(?:'s)?)", clause[trigger_at:], re.I)
        if by:
            best = side_of(by.group(1))
    if best is None and action in {"repel", "hold"} and claimant_side in {"Ukraine", "Russia"}:
        best = claimant_side
    return best


def _force_side(phrase: str, claimant_side: str | None) -> str | None:
    if _ENEMY.search(phrase):
        return _other_side(claimant_side)
    if _OUR.search(phrase):
        return claimant_side if claimant_side in {"Ukraine", "Russia"} else None
    return side_of(phrase)


def _find_action(clause: str) -> tuple[str, int, int] | None:
    """The clause's action: the earliest trigger; ties go to the lexicon order."""
    best: tuple[int, int, str, int] | None = None
    for rank, (action, pattern) in enumerate(_ACTIONS):
        match = pattern.search(clause)
        if match is None:
            continue
        key = (match.start(), rank)
        if best is None or key < (best[0], best[1]):
            best = (match.start(), rank, action, match.end())
    if best is None:
        return None
    start, _rank, action, end = best
    # "repelled an attack", "attacks failed": the repel trigger wins over an earlier attack word.
    repel = _ACTIONS[0][1].search(clause)
    if action == "attack" and repel is not None:
        return "repel", repel.start(), repel.end()
    return action, start, end


@dataclass(frozen=True, slots=True)
class ArticleContext:
    """What claim extraction needs to know about the whole article."""

    default: Attribution
    unverified: bool  # the article says it could not verify the battlefield situation


def article_context(article: Article, sentences: Sequence[Sentence]) -> ArticleContext:
    """The article's own voice and its article-wide caveats."""
    source = (article.source or "").strip()
    name = source or None
    default = Attribution("third party", name, -1)
    unverified = any(_UNVERIFIED.search(s.text) and not re.search(r"\bthis\b|\bthese\b", s.text, re.I)
                     and len(s.text) < 120 for s in sentences)
    return ArticleContext(default=default, unverified=unverified)


def extract_claims(
    article: Article, sentences: Sequence[Sentence], mentions: Sequence[Mention]
) -> list[Claim]:
    """All claims of one article, in reading order.

    Parameters
    ----------
    article
        The article (its path, date and source).
    sentences
        Its sentences.
    mentions
        Its place mentions, resolved, in text order.
    """
    context = article_context(article, sentences)
    relations = find_relations(article, mentions)
    anchor_of: dict[int, Relation] = {r.subject: r for r in relations}
    anchors = {r.anchor for r in relations}
    by_sentence: dict[int, list[int]] = {}
    for i, mention in enumerate(mentions):
        by_sentence.setdefault(mention.sentence, []).append(i)
    claims: list[Claim] = []
    last_place: Mention | None = None
    for sentence in sentences:
        indices = by_sentence.get(sentence.index, [])
        if _BACKGROUND.search(sentence.text) and not indices:
            continue
        made = _sentence_claims(article, sentence, mentions, indices, anchor_of, anchors, context, last_place)
        claims.extend(made)
        resolved = [mentions[i] for i in indices if mentions[i].place is not None
                    and mentions[i].place.feature_class == "P"]  # type: ignore[union-attr]
        if resolved:
            last_place = resolved[0]
    return claims


def _sentence_claims(
    article: Article,
    sentence: Sentence,
    mentions: Sequence[Mention],
    indices: list[int],
    anchor_of: dict[int, Relation],
    anchors: set[int],
    context: ArticleContext,
    last_place: Mention | None,
) -> list[Claim]:
    text = sentence.text
    who = attribution(text, context.default)
    denial_by = who if _DENIAL.search(text) else None
    verification: str | None = None
    if _UNVERIFIED.search(text) or context.unverified:
        verification = "unverified"
    elif _GEOLOCATED.search(text):
        verification = "geolocated"
    claims: list[Claim] = []
    clauses = _split_clauses(text)
    for clause in clauses:
        found = _find_action(clause.text)
        if found is None:
            continue
        action, t_start, t_end = found
        clause_mentions = [i for i in indices
                           if clause.start <= mentions[i].start - sentence.start < clause.end]
        targets = _targets(mentions, clause_mentions, anchors, anchor_of)
        if not targets and not clause_mentions and last_place is not None and len(clauses) == 1 \
                and _refers_back(clause.text):
            targets = [-1]
        if not targets:
            continue
        claimant = who
        actor = _actor(clause.text, t_start, claimant.side if claimant.side in {"Ukraine", "Russia"} else None,
                       action)
        if actor is None and claimant.side in {"Ukraine", "Russia"}:
            actor = claimant.side
        negated = bool(_NEGATED_ACTION.search(clause.text[max(0, t_start - 40) : t_end + 5]))
        claim_direction = _claim_direction(clause.text)
        distance = _claim_distance(clause.text, relations_text=[anchor_of[i].text for i in targets
                                                                  if i in anchor_of])
        date, precision = resolve_claim_date(text, article.published)
        for target in targets:
            place = last_place if target == -1 else mentions[target]
            relation = anchor_of.get(target)
            anchor_mention = mentions[relation.anchor] if relation is not None else None
            direction = claim_direction or ((relation.point, relation.bearing_deg) if relation else None)
            near = bool(_NEAR.search(clause.text))
            claims.append(Claim(
                id="",
                article=article.path,
                sentence=sentence.index,
                quote=text,
                claimant=claimant.side,
                claimant_name=claimant.name,
                actor=actor,
                action=action,
                place=place,
                anchor=anchor_mention,
                direction=direction[0] if direction else None,
                bearing_deg=direction[1] if direction else None,
                distance=distance if distance is not None else None,
                date=date,
                date_precision=precision,
                verification=verification,
                denied=negated or (denial_by is not None and denial_by.side == claimant.side),
                contested=False,
                place_is_offset=False,
            ))
            if near and claims[-1].place is not None:
                claims[-1] = replace(claims[-1], place_is_offset=False)
        if denial_by is not None and re.search(r"\b(?:ukrainian|russian)\s+claims?\b", text, re.I):
            # "Russia denied a Ukrainian claim to have recaptured X": the denied claim is an
            # assertion of the other side, worth its own record.
            other = _other_side(denial_by.side)
            if other:
                for target in targets:
                    place = last_place if target == -1 else mentions[target]
                    claims.append(replace(claims[-len(targets)], claimant=other, claimant_name=None,
                                          denied=False, place=place))
    return [replace(c, id=claim_id(c.article, c.sentence, n)) for n, c in enumerate(claims)]


def _refers_back(clause: str) -> bool:
    return bool(re.search(r"\b(?:the|this|that)\s+(?:town|city|village|settlement|area|position|positions)\b|"
                          r"\b(?:there|it)\b|\bover the past day\b|\bthey have\b|\bour units\b|\bhe said\b",
                          clause, re.I))


def _targets(
    mentions: Sequence[Mention], clause_mentions: list[int], anchors: set[int], anchor_of: dict[int, Relation]
) -> list[int]:
    """The clause's places that claims are about: not pure anchors, not regions beside towns."""
    resolved = [i for i in clause_mentions if mentions[i].place is not None]
    subjects = [i for i in resolved if i not in anchors or i in anchor_of]
    towns = [i for i in subjects if mentions[i].place.feature_class in {"P", "S"}]  # type: ignore[union-attr]
    if towns:
        return towns
    return subjects[:1]


def _claim_direction(clause: str) -> tuple[str, float] | None:
    """The claim's own direction: "advanced 2 km southwest of X", "attacks north of X"."""
    for match in find_directions(clause):
        if match.point is None:
            continue
        if match.relation in {"of", "toward", "outskirts", "flank", "part", "region part"}:
            return match.point, match.bearing_deg
    return None


def _claim_distance(clause: str, *, relations_text: list[str]) -> Distance | None:
    """A distance the claim itself states (advanced by, within), not a place's offset."""
    for match in find_distances(clause):
        if any(match.distance.text in rel for rel in relations_text):
            continue
        before = clause[max(0, match.start - 30) : match.start].lower()
        after = clause[match.end : match.end + 30].lower()
        # "Kreminna (about 25km east of Lyman)" is an offset of a place, already a relation.
        if after.lstrip().startswith(("east", "west", "north", "south")) and "(" in before:
            continue
        return match.distance
    return None


def mark_contested(claims: Sequence[Claim], *, window_days: int = 3) -> list[Claim]:
    """Mark claims that another side contradicts about the same place within a few days.

    Contradictions: advance/capture by one side against repel/hold by the other, or the same
    claim asserted by one side and denied by another.
    """
    out = list(claims)
    by_place: dict[str, list[int]] = {}
    for i, claim in enumerate(out):
        place = claim.place.place if claim.place is not None else None
        if place is not None:
            by_place.setdefault(place.id, []).append(i)
    contested: set[int] = set()
    for group in by_place.values():
        for a in group:
            for b in group:
                if a >= b:
                    continue
                if _contradict(out[a], out[b], window_days):
                    contested.update((a, b))
    return [replace(c, contested=True) if i in contested else c for i, c in enumerate(out)]


_GAIN = {"advance", "capture"}
_RESIST = {"repel", "hold"}


def _contradict(x: Claim, y: Claim, window_days: int) -> bool:
    sides = {"Ukraine", "Russia"}
    if x.claimant not in sides or y.claimant not in sides or x.claimant == y.claimant:
        if not (x.denied != y.denied and x.claimant != y.claimant and x.action == y.action):
            return False
    if x.date is not None and y.date is not None and abs((x.date - y.date).days) > window_days:
        return False
    if x.denied != y.denied and x.action == y.action:
        return True
    gain_x = x.action in _GAIN and not x.denied
    gain_y = y.action in _GAIN and not y.denied
    resist_x = x.action in _RESIST or (x.action == "attack" and x.actor != x.claimant)
    resist_y = y.action in _RESIST or (y.action == "attack" and y.actor != y.claimant)
    return (gain_x and resist_y and x.actor != y.actor) or (gain_y and resist_x and x.actor != y.actor)


def _date_or_none(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
