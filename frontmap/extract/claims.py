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

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from frontmap.extract.dates import resolve_claim_date
from frontmap.extract.direction import find_directions
from frontmap.extract.distance import find_distances
from frontmap.extract.gate import gated
from frontmap.extract.lexicon import COMMON_WORDS
from frontmap.extract.places import LIST_GAP as _LIST_GAP
from frontmap.extract.places import Relation, find_relations
from frontmap.records import Article, Claim, Distance, Mention, Sentence

# --------------------------------------------------------------------------------------------
# Lexicons: ordered, first match in a clause wins among overlapping triggers.

_ACTION_PATTERNS: tuple[tuple[str, str], ...] = (
    ("repel", r"repel\w*|repuls\w*|fended off|fend off|beat(?:en)? back|beating back|thwart\w*|"
              r"(?:(?<=been )|(?<=was )|(?<=were ))(?:driven|beaten) back|"
              r"foil\w*|halted|stopped (?:an?|the|two|three|\d+|several|multiple)?\s*(?:\w+\s+)?"
              r"(?:attack|assault|offensive|advance)\w*|prevented \d+ attacks|prevented (?:an?|the) \w*\s*attack\w*|"
              r"defeated (?:an?|the|two|three|\d+)?\s*(?:\w+\s+)?(?:attack|assault)\w*"),
    ("capture", r"recaptur\w*|captur\w*|seiz\w*+(?!\s+(?:power|the initiative)\b)|liberat\w*|"
                r"retook|retake\w*|retaken|took (?:full )?control|"
                r"(?:had|have|has|having)\s+taken(?!\s+(?:part|place|steps|measures|losses|casualties|up)\b)|"
                r"took(?=\s+(?-i:[A-Z])|\s+the\s+(?:village|town|city|settlement)\b)|"
                r"take (?:full )?control|taken (?:full )?control|taking (?:full )?control|took back|"
                r"taken back|regain\w*|occup(?:ied|y|ying|ation of)\b|cleared|raised (?:the|a) \w*\s*flag|"
                r"established (?:full )?control"),
    ("withdraw", r"withdr[ae]w\w*|withdrawing|withdrawal|retreat\w*|pull(?:ed|ing)? back|pulled out|"
                 r"mov\w* to more advantageous (?:positions|lines)|"
                 r"fell back|fall(?:ing)? back|"
                 r"abandon\w*(?!\s+(?:the\s+)?(?:plans?|attempts?|efforts?|hopes?|idea|intention))|"
                 r"left the (?:city|town|village|settlement)"),
    ("advance", r"advanc\w*|gains?\b|gained ground|made (?:\w+\s+)?progress|making progress|"
                r"partial success|(?<!without )(?<!no )success(?:es)?\b|"
                r"pushed (?:forward|back)|pushing (?:forward|back)|"
                r"push(?:ed|ing)? (?:[\w.,]+\s+){0,4}?(?:toward|towards|into|through|back|forward)\b|"
                # the ministries' idioms for a gain: "improved the tactical situation", "took more
                # advantageous lines", "expanded the bridgehead", "breached the defences"
                r"improv\w* (?:its |their |the )?(?:tactical )?(?:position|situation)\w*|"
                r"took (?:up )?more advantageous (?:lines|positions)|"
                r"expand\w* (?:its |their |the )?(?:bridgehead|foothold|zone of control|positions)|breach\w*|"
                r"penetrat\w*|br(?:oke|oken|eaking) through|entered|moved (?:forward|closer)|inching|"
                r"secured positions|securing positions|reached|"
                # what footage shows: "footage shows Ukrainian troops in X"
                r"(?:(?<=show )|(?<=shows ))(?:[\w-]+\s+){0,2}?(?:forces|troops|soldiers|servicemen|infantry)\s+"
                r"(?:in|inside|entering)\b|"
                # where the line stands: "Russian forces were about 20 kilometres from X"
                r"(?:(?<=forces )|(?<=troops )|(?<=units ))(?:were|are|now|had been|have been)\s+"
                r"(?:now\s+|just\s+|only\s+)?"
                r"(?:about|some|roughly|around|approximately|within|less than|fewer than|under|nearly)?\s*"
                r"[\w.,]+?\s*(?:km|kilometers|kilometres|miles)\b(?=(?:\s*\([^()]{0,30}\))?\s+"
                r"(?:away\s+)?(?:from|of)\b)"),
    ("strike", r"struck|strikes?\b|striking|shell(?:ed|ing|s)\b|bombard\w*|hit\b|hitting|"
               r"target(?:ed|ing|s)\b|destroy(?:ed|ing)?\b|blew up|missile attack|drone attack|"
               r"air ?strikes?|airstrikes?|artillery fire|fired (?:on|at)|shot down|"
               r"fir(?:e|es|ing) (?:\w+\s+){1,2}?(?:at|on)\b|"
               r"dropp\w* (?:\w+\s+){0,4}?bombs?|bomb(?:ed|ing|s)\b"),
    ("attack", r"attack\w*|assault\w*|ambush\w*|push(?:es|ed|ing)? on(?=\s+(?-i:[A-Z]))|"
               r"efforts? to (?:advance|cross|capture|seize|take|enter|break|push|encircle|storm|reach)\b|"
               r"offensive operations?|offensive\b|storm\w*|counterattack\w*|"
               r"counteroffensive|tried to advance|trying to advance|attempt\w* to (?:advance|seize|capture|"
               r"take|storm|encircle|cross|break)|fighting\b|fought|clash\w*|encircl\w*|"
               r"ground attacks?|conduct(?:ed|ing)? (?:\w+\s+)?operations"),
    ("hold", r"hold(?:s|ing)?\b|held\b|retain\w*|maintain\w* (?:\w+\s+){0,3}?(?:positions?|control|defen[cs]es?)|"
             r"defend\w*|went over to the defensive|on the defensive|remain\w* in|dug in|"
             r"still control\w*|consolidat\w*|stabiliz\w* (?:\w+\s+)?(?:control|positions?|the (?:front|line))|"
             r"operat(?:e|es|ing) (?:in|on|near|around)\b|present in|presence in"),
    # Logistics and posture: crossings, ferries, rotations, fortifications. Mapped as "other".
    ("other", r"construct\w*|build(?:s|ing)? (?:a |the )?(?:pontoon|bridge|crossing|fortification|trench)\w*|"
              r"pontoon (?:crossing|bridge|ferr\w+)\w*|(?:operating|using) (?:\w+ )?(?:pontoon )?ferr(?:y|ies)|"
              r"rotat(?:e|es|ed|ing) (?:its |their )?(?:\w+ )?units|fortif(?:y|ies|ied|ying)|"
              r"dug (?:a |new )?(?:\w+ )?(?:lines? of )?trenches|mov(?:e|es|ed|ing) (?:some )?equipment"),
)
_ACTIONS = [(action, gated(rf"\b(?:{pattern})", re.I)) for action, pattern in _ACTION_PATTERNS]

_REPORTING_VERB = gated(
    r"\b(?:said|says|say|stated|states|reported|reports|claimed|claims|claiming|announced|confirmed|"
    r"noted|indicated|indicates|acknowledged|added|told|wrote|posted|published|amplified|showed|shows|"
    r"show|denied|denies|insisted|asserted|alleged|suggested|suggests|assessed|cited|quoted|"
    r"informed|specified|discussed|described|mentioned|highlighted|documented)\b",
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
        r"luhansk people's|occupation|occupiers?|milblogger\w*|kadyrovites|rosgvardia|africa corps)", re.I)),
    # Other wars the gazetteer covers (Sudan, Palestine, Myanmar) and the Sahel: the parties by
    # the names the press gives them. Acronyms are matched in capitals only.
    ("SAF", re.compile(r"\b(?:(?-i:SAF)\b|sudanese (?:armed forces|army|military|troops|soldiers)|burhan\b)", re.I)),
    ("RSF", re.compile(r"\b(?:(?-i:RSF)\b|rapid support forces|paramilitary rapid support|dagalo\b|hemedti\b)",
                       re.I)),
    ("Israel", re.compile(r"\b(?:israel\w*|(?-i:IDF)\b|netanyahu\w*)", re.I)),
    ("Hamas", re.compile(r"\b(?:hamas\w*|qassam|al-qassam)\b", re.I)),
    ("Hezbollah", re.compile(r"\bhezbollah\w*", re.I)),
    ("Myanmar military", re.compile(r"\b(?:tatmadaw|myanmar(?:'s|’s)? (?:military|army|junta|armed forces)|"
                                    r"state administration council)\b", re.I)),
    ("Arakan Army", re.compile(r"\barakan army\b", re.I)),
    ("MNDAA", re.compile(r"\b(?:(?-i:MNDAA)|myanmar national democratic alliance army)\b", re.I)),
    ("TNLA", re.compile(r"\b(?:(?-i:TNLA)|ta['’]ang national liberation army)\b", re.I)),
    ("KIA", re.compile(r"\b(?:(?-i:KIA)|kachin independence army)\b", re.I)),
    ("PDF", re.compile(r"\b(?:(?-i:PDFs?)|people['’]s defen[cs]e forces?)\b", re.I)),
    ("JNIM", re.compile(r"\b(?:(?-i:JNIM)\b|jama['’]?at nusrat al-islam\w*)", re.I)),
    ("Mali", re.compile(r"\b(?:malian (?:army|armed forces|troops|soldiers|military|junta|government)|"
                        r"(?-i:FAMa)\b)", re.I)),
)
_SIDES = frozenset(name for name, _ in _SIDE_TERMS)
_OPPONENT = {"Ukraine": "Russia", "Russia": "Ukraine", "SAF": "RSF", "RSF": "SAF", "Israel": "Hamas",
             "Hamas": "Israel", "Hezbollah": "Israel", "Myanmar military": "Arakan Army",
             "Arakan Army": "Myanmar military", "MNDAA": "Myanmar military", "TNLA": "Myanmar military",
             "KIA": "Myanmar military", "PDF": "Myanmar military", "JNIM": "Mali", "Mali": "JNIM"}
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
    r"(?:[\w-]+\s+){0,3}?(?:forces|troops|units|army|military|soldiers|fighters|brigades?|battalions?|"
    r"paratroopers|marines|infantry|artillery|aviation|defenders|servicemen|sabotage\w*|mercenar(?:y|ies)|"
    r"(?:cruise |ballistic |guided )?(?:missiles?|rockets?|shells?|bombs?|projectiles?)|"
    r"missile units|drones?|jets?|counterattacks?|attacks?|assaults?|offensive|strikes?|"
    r"battlegroup|group|grouping|aircraft|navy|air force|claims?)\b|\b(?:russians|ukrainians)\b|"
    r"\bdefen[cs]e forces\b",
    re.I,
)

_DENIAL = gated(
    r"\b(?:denied|denies|deny|denying|dismissed|rejected|refuted)\b", re.I)
_NEGATED_ACTION = gated(
    r"\b(?:did not|didn't|has not|have not|had not|hasn't|haven't|failed to|no|not|never|without)\s+"
    r"(?:\w+\s+){0,2}?(?:advance|capture|seize|take|penetrat|breakthrough|break through|gain|enter|"
    r"occupy|occupation|withdraw|retreat|liberat)",
    re.I,
)
_UNVERIFIED = gated(
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
    """A stable id: a hash of the article path and sentence, then the claim's place in reading
    order, so that sorting by id keeps a sentence's claims in the order the text gives them."""
    digest = hashlib.sha1(f"{article}\x00{sentence}".encode()).hexdigest()
    return f"{digest[:12]}{index:04x}"


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
    return _OPPONENT.get(side or "")


def _clean_name(phrase: str) -> str:
    phrase = re.sub(r"\[\d+\]", "", phrase)
    phrase = re.sub(r"^\W*(?:(?:but|and|while|whereas|yet)\s+)?(?:(?:the|a|an)\s+)?", "", phrase.strip(), flags=re.I)
    phrase = re.sub(r"\s+(?:on|in|this|last)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
                    r"today|week|\w+ \d+)\b.*$", "", phrase, flags=re.I)
    phrase = re.sub(r"\s+(?:said|says|reported|stated|claimed|added)$", "", phrase.strip(" ,“”\"'"), flags=re.I)
    return phrase[:120] or phrase


def _force_side(phrase: str, claimant_side: str | None) -> str | None:
    if _ENEMY.search(phrase):
        return _other_side(claimant_side)
    if _OUR.search(phrase):
        return claimant_side if claimant_side in _SIDES else None
    return side_of(phrase)


@dataclass(frozen=True, slots=True)
class ArticleContext:
    """What claim extraction needs to know about the whole article."""

    default: Attribution
    unverified: bool  # the article says it could not verify the battlefield situation


_MODAL = gated(
    r"\b(?:(?<!at\s)(?-i:will|would|could|may|might|shall)(?:\s+(?:\w+\s+){0,2}?\w+)?|plans?\s+to|planning\s+to|plans\s+\w+\s+to|goal\s+is\s+to|"
    r"aims?\s+to|aiming\s+to|hopes?\s+to|hoping\s+to|intends?\s+to|intention\s+to|in\s+order\s+to|"
    r"seek(?:s|ing)?\s+to|stepping\s+stone\s+(?:to|towards?)|preparation\s+for|prepar\w+\s+(?:to|for)|"
    r"regroup\w*\s+to|threat(?:en\w*)?\s+(?:to|of)|ability\s+to|able\s+to|unable\s+to|efforts?\s+to|"
    r"order(?:ed)?\s+(?:a|an|the)?\s*(?:controlled\s+)?|help\s+(?:\w+\s+)?|"
    r"expect\w*\s+(?:\w+\s+){0,3}to|enough\s+(?:\w+\s+){0,2}to|(?:about|going|set|poised|ready|likely)\s+to|"
    r"in\s+an\s+attempt\s+to|yet\s+to)\W*(?:\w+\W+){0,2}$",
    re.I,
)
_ROLE_UKRAINE = re.compile(
    r"\b(?:general staff|operational command|defen[cs]e forces|armed forces|air force|"
    r"(?:regional|oblast|city|district)\s+(?:\w+\s+)?administration|administration head|local officials|"
    r"regional (?:\w+ )?(?:chief|head|officials?)|city council|"
    r"\bova\b|\brma\b|governor|mayor|group of forces|border guards?|navy|spokes(?:man|person|woman)\s+for\s+the\s+"
    r"(?:eastern|southern|northern)|khortytsia|tavria)\b",
    re.I,
)
_OFFICIAL_BODY = re.compile(
    r"\b(?:ministry|general staff|armed forces|operational command|defen[cs]e forces|administration|"
    r"governor|president|presidential|office of|military|army|navy|air force|national guard|border guard|"
    r"security service|intelligence directorate|\bgur\b|\bsbu\b|\bmod\b|kremlin|government)\b", re.I)
_ROLE_RUSSIA = re.compile(r"\b(?:occupation|russian-installed|russian-appointed|kremlin-installed|"
                          r"self-proclaimed|puppet)\b", re.I)
_PRONOUN_SUBJECT = re.compile(
    r"^\W*(?:he|she|they|it|the ministry|the department|the spokes\w+|the general staff|officials?|"
    r"the military|the command|the statement|the agency|the source|the official)\W*$", re.I)
_SIDE_SUBJECT = re.compile(r"\b(?:russia|ukraine|moscow|kyiv|kiev|russians|ukrainians|israel|hamas|hezbollah|"
                           r"(?-i:JNIM|RSF|SAF|IDF|FAMa|MNDAA|TNLA|KIA)|tatmadaw|arakan army)\b(?!['’]s)", re.I)
_IT = re.compile(r"\bit\b(?!\s+(?:is|was|has been|had been|said|says|added|remains|seems|appears)\b)", re.I)
_THEY = re.compile(r"\b(?:they|their|them)\b", re.I)
_ANCHOR_BEFORE = re.compile(
    r"(?:(?:north|south|east|west)\w*(?:-\w+)?|outskirts|km|kilometers|kilometres|miles|metres|meters)\s+"
    r"(?:away\s+)?(?:of|from)\s+(?:the\s+)?(?:(?:city|town|village|settlement)\s+of\s+)?$|"
    r"\bfrom\s+(?:the\s+)?(?:direction\s+of\s+)?$",
    re.I,
)
# "the 11th Brigade (based in Ulan-Ude)": where a unit comes from, not where it fought.
_GARRISON_BEFORE = re.compile(r"\b(?:based|stationed|garrisoned|headquartered|permanently deployed)\s+(?:in|at|near)\s+"
                              r"(?:the\s+)?$|\bhome\s+base\s+(?:in|at)\s+$", re.I)
_ALIAS_BEFORE = re.compile(r"\b(?:known\s+as|also\s+called|formerly|renamed(?:\s+to)?|called)\s+$", re.I)
_CONTEXT_AFTER = re.compile(
    r"^[’'”\"]?s?\s+(?:direction|axis|sector|front|area|region|oblast|raion|district|"
    r"group|garrison|grouping|operational)\b", re.I)
# A place in someone's title ("Luhansk Oblast Administration Head", "the Kherson governor") is
# where they hold office, never what the claim is about.
_TITLE_AFTER = re.compile(
    r"^[’'”\"]?s?\s+(?:(?:regional|oblast|city|military|district|occupation|civil|civilian)\s+)*"
    r"(?:governor|mayor|administration|"
    r"authorities|officials?|council|police|prosecutors?|head|chief)\b", re.I)
_ANAPHOR = re.compile(
    r"\b(?:the|this|that)\s+(?:town|city|village|settlement|area|locality|city[’']s|town[’']s|village[’']s)\b|"
    r"\bthere\b|\b(?:it|them)\b(?=[\s,.])|\bin\s+the\s+area\b", re.I)
_METONYM_AFTER = re.compile(
    r"^(?:['’]s\s+(?:counter-?offensive|forces|troops|army|military|government|officials?|claim\w*|"
    r"statement|plans?|allies|partners|response|comments?|remarks)|\s+(?:said|says|say|claimed|claims|"
    r"denied|lost|has|have|had|is|was|will|would|sees|saw|launched|began|reported|stated|announced|"
    r"did|does|nor|signall\w*|hopes?|wants?|cited|accused|regime|authorities|government|leadership))\b",
    re.I,
)
# Future and conditional scope over the rest of the clause: "will continue to ... and liberate".
_FUTURE = re.compile(r"\b(?<!at\s)(?-i:will|would)\b(?!\s+not\b)", re.I)  # not "at will"
_OWN_SUCCESS = frozenset({"advance", "capture", "repel", "hold", "strike"})
_PRIORITY = ("capture", "withdraw", "advance", "repel", "strike", "attack", "hold", "other")


# "ordered a controlled withdrawal": reported as done, unlike an ordered assault.
_ORDERED = re.compile(r"\border(?:ed|s)?\s+(?:a|an|the)?\s*(?:controlled\s+|full\s+|partial\s+)?$", re.I)
_STATE_ADJECTIVE = re.compile(r"\b(?:in|of|the|from|across|to|into|temporarily|newly|now|still|russian-)\s*$", re.I)
_SCENE_OF = re.compile(r"\b(?:scene|site|centre|center|epicent(?:re|er)|focus|theatre)\s+of\s+(?:\w+\s+){0,2}$",
                       re.I)
_INTERPRETING = re.compile(r"[^.;]*,\s+(?:indicating|suggesting|which\s+(?:indicates|suggests))\b[^.;,]*$", re.I)
# Section labels of daily assessments: "Main Effort—Kyiv Axis:", "Supporting effort 3—Kherson and
# advances westward." (to the colon, or the whole line when it is only a label).
_HEADING_LABEL = re.compile(r"\W*(?:subordinate\s+)?(?:main|supporting)\s+efforts?\b[^:]*(?::|$)", re.I)
_OBJECTIVE = re.compile(r"\b(?:objectives?|aims?|goals?)\s*:", re.I)
_FORCES_FIRST = re.compile(r"(?:[\w-]+\s+){0,2}?(?:forces|troops|soldiers|servicemen|infantry)\b", re.I)
_RELATIVE_START = re.compile(r",\s+(?:which|who|where)\b", re.I)
_RELATIVE_BEFORE = re.compile(r",\s+which\s+(?:[\w’'-]+\s+){0,3}$", re.I)
_OCCUPIED_NOUN = re.compile(r"\s+(?:lines?|territor\w+|areas?|positions?|parts?|regions?|settlements?|"
                            r"cities|towns|villages|lands?|oblasts?|crimea|donbas\w*|south|east)\b", re.I)
_PROGRESSIVE_RELATIVE = re.compile(r"\b(?:that|which|who)\s+(?:was|were|had\s+been|has\s+been|have\s+been)\s+$",
                                   re.I)
# A noun trigger whose own verb is a modal: "Ukrainian counterattacks may additionally force ...".
_MODAL_AFTER_NOUN = re.compile(
    r"^(?:s|es)?(?:\s+(?:from|on|in|at|near|around|of|to|toward|towards)\s+[^,;.()]{0,35}?|"
    r"\s+(?-i:[A-Z])[\w’'-]+(?:\s+(?-i:[A-Z])[\w’'-]+)?)?\s+"
    r"(?-i:may|might|could|would|will)\s+(?!not\b|have\b|be\s+\w+ed\b)(?:\w+ly\s+)?\w+", re.I)


@dataclass(frozen=True, slots=True)
class _Trigger:
    start: int  # offsets in the clause text
    end: int
    action: str


def article_context(article: Article, sentences: Sequence[Sentence]) -> ArticleContext:
    """The article's own voice and its article-wide caveats."""
    source = (article.source or "").strip()
    # An official statement speaks for its side: "General Staff of the Armed Forces of Ukraine",
    # "Russian Ministry of Defence". A newsroom or an analyst speaks as a third party.
    side = None
    if source and _OFFICIAL_BODY.search(source):
        side = side_of(source) or _role_side(source)  # newsrooms, even state ones, stay third parties
    default = Attribution(side or "third party", source or None, -1)
    unverified = any(_UNVERIFIED.search(s.text) and not re.search(r"\bthis\b|\bthese\b", s.text, re.I)
                     and len(s.text) < 120 for s in sentences)
    return ArticleContext(default=default, unverified=unverified)


def _triggers(clause: str) -> list[_Trigger]:
    """All action triggers of a clause, left to right, without overlaps and modal uses."""
    found: list[tuple[int, int, int, str]] = []
    for rank, (action, pattern) in enumerate(_ACTIONS):
        for match in pattern.finditer(clause):
            found.append((match.start(), -(match.end() - match.start()), rank, action))
    found.sort()
    triggers: list[_Trigger] = []
    last_end = -1
    for start, neg_len, _rank, action in found:
        end = start - neg_len
        if start < last_end:
            continue
        last_end = end
        ordered_pullback = action == "withdraw" and _ORDERED.search(clause[max(0, start - 40) : start])
        # A relative clause ("Bakhmut, which was captured in May") is outside the modal or future
        # scope of the main clause ("would help Ukraine take back Bakhmut, which ...").
        scope = max((m.end() for m in _RELATIVE_START.finditer(clause, 0, start)), default=0)
        if (_MODAL.search(clause[max(scope, start - 60) : start]) and not ordered_pullback) or _FUTURE.search(
                clause[scope:start]):
            continue
        if action == "capture" and clause[start:end].lower().startswith("occupied") and (
                _STATE_ADJECTIVE.search(clause[max(0, start - 25) : start]) or _OCCUPIED_NOUN.match(clause, end)):
            continue  # "in occupied Melitopol", "maintain occupied lines": a standing state, no capture
        if _PROGRESSIVE_RELATIVE.search(clause[max(0, start - 40) : start]) and clause[start:end].endswith("ing"):
            continue  # "the detachment that was holding the line withdrew": describes the subject
        if action == "attack" and _SCENE_OF.search(clause[max(0, start - 40) : start]):
            continue  # "the scene of bitter fighting for months": a description of the place
        if _MODAL_AFTER_NOUN.match(clause[end : end + 60]):
            continue  # "counterattacks may force ...", "the withdrawal will allow ...": conjecture
        triggers.append(_Trigger(start, end, action))
    return triggers


def _merge_triggers(clause: str, triggers: list[_Trigger], mention_starts: list[int]) -> list[_Trigger]:
    """Fold a trigger into the one before it when it is its object ("repelled two attacks")."""
    merged: list[_Trigger] = []
    for trigger in triggers:
        if merged:
            prev = merged[-1]
            gap = clause[prev.end : trigger.start]
            place_between = any(prev.end <= m < trigger.start for m in mention_starts)
            if _INTERPRETING.match(gap) and prev.action == "hold" and trigger.action in {"advance", "capture"}:
                # "shows forces operating in X, indicating a marginal advance": the analyst's
                # reading of what the footage shows is the claim.
                merged[-1] = _Trigger(prev.start, trigger.end, trigger.action)
                continue
            if (len(gap) <= 45 and not place_between and not re.search(r",|;|\band\b|\bbut\b|\bwhile\b", gap)):
                # The stronger reading wins: "counterattacks ... recaptured" is a capture.
                keep = prev if _PRIORITY.index(prev.action) <= _PRIORITY.index(trigger.action) else trigger
                if prev.action == "repel" or keep is prev:
                    merged[-1] = _Trigger(prev.start, trigger.end, prev.action)
                else:
                    merged[-1] = _Trigger(prev.start, trigger.end, trigger.action)
                continue
        merged.append(trigger)
    return merged


def _role_side(phrase: str) -> str | None:
    if _ROLE_RUSSIA.search(phrase):
        return "Russia"
    if _ROLE_UKRAINE.search(phrase):
        return "Ukraine"
    return None


_HARD_BOUNDARY = re.compile(r"[.;:]\s|[“”\"]|\bthat\b|\s[—–-]\s|\b(?:despite|although|though|while|whereas)\b",
                            re.I)
_ADVERBIAL = re.compile(r"(?:in|on|at|after|during|earlier|later|meanwhile|separately|also|however|overnight|"
                        r"last|this|yesterday|today)\b", re.I)
_FOREIGN_GOVERNMENT = re.compile(
    r"\b(?:(?-i:UK|US|U\.S\.|EU)|british|american|pentagon|white house|state department|nato|"
    r"united (?:kingdom|states|nations)|un\b|western|french|german|polish|turkish|chinese|iaea)", re.I)
_QUOTED_NAME = re.compile(r"[“\"]([A-Z][\w’'-]*(?:\s[A-Z][\w’'-]*){0,2})[”\"]")
_DETERMINER_BEFORE = re.compile(r"\b(?:any|no|the|a|an|some|several|its|their|his|her|un)\s*$", re.I)
_TAIL = re.compile(r"^[^,;:]{0,60}$")


def _phrase_side(
    phrase: str, previous: Attribution | None, end: int, speakers: Mapping[str, Attribution] | None = None
) -> Attribution | None:
    """Read who a subject phrase is: a side, a role of one, a third party, a pronoun, or a person
    the article has already named with a side ("Cherevatyi said")."""
    name = _clean_name(phrase)
    if speakers:
        for word in re.findall(r"\b[A-Z][\w’'-]{3,}\b", phrase):
            known = speakers.get(word.lower())
            if known is not None and side_of(phrase) is None:
                return Attribution(known.side, name, end)
    if _FOREIGN_GOVERNMENT.search(phrase) and side_of(phrase) is None:
        return Attribution("third party", name, end)  # "the UK Ministry of Defence", "the Pentagon"
    evidence = re.search(r"\b(?:isw|analysts?|footage|imagery|geolocat\w*|posts?|videos?|photos?|"
                         r"satellite|deepstate|think tank|institute)\b", phrase, re.I)
    side = side_of(phrase)
    if evidence and not (side and re.search(r"\b(?:russian|ukrainian)\s+(?:milblogger|source|official|"
                                              r"ministry|mod|general staff)", phrase, re.I)):
        return Attribution("third party", name, end)
    if side is not None:
        return Attribution(side, name, end)
    role = _role_side(phrase)
    if role is not None:
        return Attribution(role, name, end)
    if _THIRD_PARTY.search(phrase):
        return Attribution("third party", name, end)
    if _PRONOUN_SUBJECT.match(phrase) or re.search(r"\b(?:ministry|mod|spokes\w+)\b", phrase, re.I):
        if previous is not None and previous.side in _SIDES:
            return Attribution(previous.side, previous.name, end)
        return Attribution("unknown", name, end)
    if re.search(r"\b(?:officials?|commander|chief|head|officer|source|sources|soldiers?|general|colonel|"
                 r"spokes\w+|military|army|command|staff)\b", phrase, re.I):
        return Attribution("unknown", name, end)  # someone speaking for a side the text leaves unsaid
    return None


def attributions(
    sentence: str, previous: Attribution | None = None, speakers: Mapping[str, Attribution] | None = None
) -> list[tuple[int, Attribution]]:
    """Every attribution in a sentence, with where its reporting verb stands.

    The subject of a reporting verb is read back to the last hard boundary (a quote, "that",
    a full stop): "X, who commands Y, said" gives X (the first comma segment); a sentence-final
    "..., the ministry said." gives the last one; "..., reports the ISW" reads after the verb.
    """
    # A short name in quotes ("the “Khortytsia” group") is a name, not a quotation: no boundary.
    # (Same length, so every offset below still holds.)
    sentence = _QUOTED_NAME.sub(lambda m: f" {m.group(1)} ", sentence)
    found: list[tuple[int, Attribution]] = []
    for verb in _REPORTING_VERB.finditer(sentence):
        before = sentence[: verb.start()]
        if _DETERMINER_BEFORE.search(before):
            continue  # "any confirmed advances": an adjective, not a report
        bounds = list(_HARD_BOUNDARY.finditer(before))
        start = bounds[-1].end() if bounds else 0
        region = before[start:].strip(" ,")
        segments = [seg.strip() for seg in region.split(",") if seg.strip()]
        # "In a statement, the ministry reported": an opening adverbial phrase is not the subject.
        while len(segments) > 1 and _ADVERBIAL.match(segments[0]):
            segments.pop(0)
        tail = sentence[verb.end() :].strip(" .”\"[]0123456789")
        # "..., the ministry said on Tuesday." ends the sentence; "... claims that X" does not.
        final = bool(_TAIL.match(tail)) and not re.match(r"(?:that|to)\b", tail, re.I) and (
            "," in before or any(q in before for q in "”\""))
        subject = ""
        if before.rstrip().endswith(","):
            # inverted: "..., reports the Institute for the Study of War", "..., said the ministry"
            subject = re.split(r"[,.;]", sentence[verb.end() : verb.end() + 90])[0].strip()
            segments = []
        if segments:
            subject = segments[-1] if final or len(segments) == 1 else segments[0]
            if re.fullmatch(r"(?i:also|and|but|which|who)(?:\s+[a-z]\w*)?", subject):
                subject = segments[0]
        if verb.group().lower() in {"cited", "quoted"}:
            subject = (subject + " " + sentence[verb.end() : verb.end() + 80].split(" as ")[0]).strip()
        if not subject or len(subject) > 140:
            continue
        who = _phrase_side(subject, previous, verb.end(), speakers)
        if who is not None:
            # A report that ends the sentence covers what came before it; any other only what follows.
            found.append((verb.start() if not final else -verb.start() - 1, who))
    for match in _ACCORDING_TO.finditer(sentence):
        word = match.group().lower()
        if word.startswith(("according", "citing")):
            phrase = re.split(r"[,.;]", sentence[match.end() : match.end() + 90])[0]
        else:
            phrase = match.group()
        who = _phrase_side(phrase, previous, match.end(), speakers)
        if who is not None:
            tail = sentence[match.end() + len(phrase) :].strip(" .”\"[]0123456789")
            final = bool(_TAIL.match(tail)) and match.start() > len(sentence) // 2
            found.append((match.start() if not final else -match.start() - 1, who))
    found.sort(key=lambda item: abs(item[0]) if item[0] >= 0 else -item[0] - 1)
    return found


def attribution(sentence: str, default: Attribution, previous: Attribution | None = None) -> Attribution:
    """Who asserts the sentence as a whole: its first attribution, else ``default``."""
    found = attributions(sentence, previous)
    return found[0][1] if found else default


def attribution_at(found: list[tuple[int, Attribution]], position: int, default: Attribution) -> Attribution:
    """Who asserts what stands at ``position``: the nearest attribution before it ("X said that
    ... despite Y's claims that ..."), else a sentence-final one ("..., the ministry said"), else
    default. Positions of sentence-final reports are stored negated (``-start - 1``)."""
    before = [who for at, who in found if 0 <= at < position or (at < 0 and -at - 1 < position)]
    if before:
        return before[-1]
    final = [who for at, who in found if at < 0]
    return final[0] if final else default


_OBJECT_BEFORE = re.compile(r"\b(?:on|against|at|to|from|of|with|by|upon|toward|towards|inflicting)\s+$", re.I)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+ly\s+)?$", re.I)


def _nearest_actor(text: str, claimant_side: str | None) -> str | None:
    """The side of the last force phrase (or bare side subject) in ``text``.

    Phrases after a preposition are objects ("pressure on the enemy"), not the actor.
    """
    best: tuple[int, str | None] | None = None

    def subject(match: re.Match[str]) -> bool:
        return not _OBJECT_BEFORE.search(text[max(0, match.start() - 15) : match.start()])

    for match in _FORCES.finditer(text):
        if subject(match):
            best = (match.start(), _force_side(match.group(), claimant_side))
    for match in re.finditer(r"\b(?:we|our|the enemy|enemy)\b", text, re.I):
        if subject(match) and (best is None or match.start() > best[0]):
            best = (match.start(), _force_side(match.group(), claimant_side))
    for match in _SIDE_SUBJECT.finditer(text):
        if subject(match) and (best is None or match.start() > best[0] + 25):
            best = (match.start(), side_of(match.group()))
    return best[1] if best else None


def _is_passive(clause: str, trigger: _Trigger) -> bool:
    """A be-verb before a past participle: "was captured", "were repelled" (not "were pushing")."""
    word = clause[trigger.start : trigger.end].split()[0].lower()
    participle = word.endswith(("ed", "en", "wn")) or word in {"held", "hit", "struck", "shot", "fought", "left"}
    return participle and bool(_PASSIVE.search(clause[max(0, trigger.start - 30) : trigger.start]))


def _adjective_side(clause: str, trigger: _Trigger) -> str | None:
    """"Russian assaults", "Ukrainian counterattacks": a side adjective on a noun trigger."""
    word = re.search(r"\b(russian|ukrainian|enemy)\s+(?:\w+\s+)?$", clause[max(0, trigger.start - 30) : trigger.start],
                     re.I)
    if word is None or word.group(1).lower() == "enemy":
        return None
    return side_of(word.group(1))


def _passive_agent(clause: str, trigger: _Trigger) -> str | None:
    """"was captured by Russian forces": the agent of a passive trigger."""
    if not _is_passive(clause, trigger):
        return None
    # After the participle itself: a merged trigger ("captured ... after months of fighting") runs on.
    verb_end = trigger.start + len(clause[trigger.start : trigger.end].split()[0])
    by = re.match(r"\s+(?:\w+\s+){0,2}?by\s+(?:the\s+)?([\w’']+(?:\s+[\w’']+)?)", clause[verb_end:], re.I)
    return side_of(by.group(1)) if by else None


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
    state = _ReadingState()
    for sentence in sentences:
        indices = by_sentence.get(sentence.index, [])
        made = _sentence_claims(article, sentence, mentions, indices, anchor_of, anchors, context, state)
        claims.extend(made)
        # What a later "the town" or "there" refers to: the last place a claim was about, else
        # the last town named (anchors of a relation and capitals standing for governments aside).
        targets = [c.place for c in made if c.place is not None and c.place.sentence == sentence.index]
        resolved = [mentions[i] for i in indices if mentions[i].place is not None
                    and mentions[i].place.feature_class in {"P", "S"}  # type: ignore[union-attr]
                    and i not in anchors and not _metonym(article.text, mentions[i])]
        resolved = [m for m in resolved if not _ANCHOR_BEFORE.search(article.text[max(0, m.start - 40) : m.start])]
        if targets:
            state.last_place = (targets[-1], sentence.index)
        elif resolved:
            state.last_place = (resolved[0], sentence.index)
    return [replace(c, id=claim_id(c.article, c.sentence, n)) for n, c in enumerate(claims)]


@dataclass
class _ReadingState:
    """What the reader remembers from earlier sentences of the article."""

    last_place: tuple[Mention, int] | None = None
    last_attribution: Attribution | None = None
    last_actor: str | None = None
    last_party: str | None = None  # the last side named as the subject of a report ("JNIM claimed")
    speakers: dict[str, Attribution] = field(default_factory=dict)  # surname -> who they speak for


def _metonym(text: str, mention: Mention) -> bool:
    """A capital or a country standing for its government: "Kyiv said", "Moscow's forces",
    "neither Kyiv nor"; a country is a claim's place only after a locative ("in northern Togo")."""
    if text[max(0, mention.start - 1) : mention.start] in {"“", '"', "«"} and re.match(
            r"^[,.]?[”\"»]", text[mention.end : mention.end + 2]):
        return True  # a name in quotes names a group, an operation or a unit ("Kharkiv" group of forces)
    if mention.place is not None and mention.place.feature_code.startswith("PCL"):
        # A whole country is no place to map a claim at; a part of one is ("in northern Togo").
        return not re.search(r"\b(?:in|into|inside|across|throughout|near|to|of)\s+(?:the\s+)?"
                             r"(?:north|south|east|west|central)\w*\s+$",
                             text[max(0, mention.start - 30) : mention.start], re.I)
    if mention.place is None or mention.place.population < 500_000:
        return False
    if re.search(r"\b(?:pressure|sanctions|demands?|calls?|influence)\s+(?:on|against|over)\s+$",
                 text[max(0, mention.start - 30) : mention.start], re.I):
        return True  # "pressure on Moscow": the government
    if mention.place.feature_code == "PPLC" and not re.search(
            r"\b(?:in|near|to|toward|towards|outside|around|at|over|into|on|of|across|above)\s+(?:the\s+)?$",
            text[max(0, mention.start - 20) : mention.start], re.I):
        return True  # a capital not used as a location ("as Moscow continues", "Kyiv's plans") is its government
    return bool(_METONYM_AFTER.match(text[mention.end : mention.end + 40])) or bool(
        re.search(r"\b(?:neither|both|by)\s+$", text[max(0, mention.start - 10) : mention.start], re.I))


def _sentence_claims(
    article: Article,
    sentence: Sentence,
    mentions: Sequence[Mention],
    indices: list[int],
    anchor_of: dict[int, Relation],
    anchors: set[int],
    context: ArticleContext,
    state: _ReadingState,
) -> list[Claim]:
    text = sentence.text
    found_attributions = attributions(text, state.last_attribution, state.speakers)
    for _at, named in found_attributions:
        if named.side in _SIDES and named.name:
            for word in re.findall(r"\b[A-Z][\w’'-]{3,}\b", named.name):
                if word.lower() not in COMMON_WORDS:
                    state.speakers.setdefault(word.lower(), named)
    if not found_attributions and text.lstrip()[:1] in {'"', "“"} and state.last_attribution is not None:
        # A quotation with no speaker of its own goes on with the last one.
        found_attributions = [(0, state.last_attribution)]
    for _at, named in found_attributions:
        if named.side in _SIDES:
            state.last_party = named.side
    who = found_attributions[0][1] if found_attributions else context.default
    if who.side in _SIDES:
        state.last_attribution = who
    denial = bool(_DENIAL.search(text))
    verification: str | None = None
    if _UNVERIFIED.search(text) or context.unverified:
        verification = "unverified"
    elif _GEOLOCATED.search(text):
        verification = "geolocated"
    claimant_side = who.side if who.side in _SIDES else None
    live = [i for i in indices if mentions[i].place is not None and not _metonym(article.text, mentions[i])]
    heading = _HEADING_LABEL.match(text)
    if heading:
        # "Supporting Effort #2—Mariupol: Russian forces ...": the label names a sector, not a claim's place.
        live = [i for i in live if mentions[i].start - sentence.start >= heading.end()]
    # "(Russian objective: Encircle Kyiv; defend ...)": a side's aims, stated as headings, are no claims.
    aims = [(m.start(), (text.find(")", m.end()) + 1) or len(text)) for m in _OBJECTIVE.finditer(text)]
    claims: list[Claim] = []
    sentence_actor: str | None = None
    last_target: int | None = None
    # With no place in the sentence no clause can make a claim (a sentence that only refers
    # back is read by _coreference_claim below): skip the clause reading.
    for clause in _split_clauses(text) if live else ():
        clause_mentions = [i for i in live if clause.start <= mentions[i].start - sentence.start < clause.end]
        starts = [mentions[i].start - sentence.start - clause.start for i in clause_mentions]
        triggers = _merge_triggers(clause.text, _triggers(clause.text), starts)
        for k, trigger in enumerate(triggers):
            if any(a <= clause.start + trigger.start < b for a, b in aims):
                continue
            seg_end = triggers[k + 1].start if k + 1 < len(triggers) else len(clause.text)
            in_segment = [i for i, at in zip(clause_mentions, starts, strict=True) if trigger.start <= at < seg_end]
            passive = _is_passive(clause.text, trigger)
            if k == 0 and (not in_segment or passive):
                # "Near X the enemy attacked", "X ... was captured": the place stands before the verb.
                before = [i for i, at in zip(clause_mentions, starts, strict=True) if at < trigger.start]
                in_segment = before[-1:] if passive else _last_list(
                    article.text, mentions, before, sentence.start + clause.start + trigger.start)
                antecedent = not passive
            else:
                antecedent = False
            others = any(i not in in_segment for i in clause_mentions)
            if not in_segment and _ANAPHOR.search(clause.text[trigger.start : seg_end]):
                # "... claims that Russian forces captured the settlement": the settlement named before.
                earlier = [i for i in live if mentions[i].start - sentence.start < clause.start + trigger.start]
                in_segment = earlier[-1:]
            if not in_segment and passive and k == 0:
                # "X has gained prominence ..., but was captured by ...": the subject of a passive
                # verb may stand in the sentence's previous clause.
                earlier = [i for i in live if mentions[i].start - sentence.start < clause.start]
                in_segment = earlier[:1]
            if not in_segment and _RELATIVE_BEFORE.search(clause.text[:trigger.start]):
                # "..., Avdiivka, which Russia seized in February": the place the clause hangs on.
                before = [i for i, at in zip(clause_mentions, starts, strict=True) if at < trigger.start]
                if before and not _RELATIVE_START.search(
                        article.text[mentions[before[-1]].end : sentence.start + clause.start + trigger.start][3:]):
                    in_segment, antecedent = before[-1:], True
            if not in_segment and last_target is not None and trigger.action in {"withdraw", "hold", "repel"}:
                # "X penetrated defences near A, and Russian troops withdrew to prepared positions":
                # a move with no place of its own happened where the sentence's last claim did.
                in_segment = [last_target]
            targets, relative = _segment_targets(article.text, mentions, in_segment, anchors, anchor_of,
                                                 others_in_clause=others, action=trigger.action,
                                                 antecedent=antecedent)
            if targets:
                last_target = targets[-1]
            who = attribution_at(found_attributions, clause.start + trigger.start, context.default)
            aside = max((m.end() for m in _RELATIVE_START.finditer(clause.text, 0, trigger.start)), default=-1)
            if aside >= 0 and not _REPORTING_VERB.search(clause.text, aside, trigger.start):
                # "..., which Russia seized in February": the writer's own background, not the report's
                who = context.default
            claimant_side = who.side if who.side in _SIDES else None
            actor = (_passive_agent(clause.text, trigger) or _adjective_side(clause.text, trigger)
                     or _nearest_actor(clause.text[: trigger.start], claimant_side))
            if actor is None:
                by = re.search(r"\bby\s+(?:the\s+)?([\w’']+)", clause.text[trigger.end : seg_end + 30], re.I)
                actor = side_of(by.group(1)) if by else None
            if actor is None and _THEY.search(clause.text[: trigger.start]):
                actor = state.last_actor
            if actor is None and passive and trigger.action == "repel":
                # "attacked ... but had been driven back": the defenders, the other side, acted
                actor = _other_side(sentence_actor) or claimant_side
            if actor is None and _ORDERED.search(clause.text[max(0, trigger.start - 40) : trigger.start]):
                actor = side_of(clause.text[: trigger.start])  # "Ukrainian commanders ordered a withdrawal"
            if actor is None and _FORCES_FIRST.match(clause.text, trigger.start, trigger.end):
                actor = side_of(clause.text[trigger.start : trigger.end])  # "shows Ukrainian troops in X"
            if actor is None and _IT.search(clause.text[: trigger.start]):
                actor = state.last_party  # "it carried out an attack": the party last heard from
            if actor is None:
                actor = sentence_actor
            if actor is None and trigger.action in {"repel", "hold"} and claimant_side:
                actor = claimant_side
            if actor is None and claimant_side and trigger.action != "strike":
                actor = claimant_side
            if actor is None and not _THEY.search(clause.text[: trigger.start]):
                actor = state.last_actor  # the narrative goes on about the side it was describing
            window = clause.text[max(0, trigger.start - 45) : trigger.end + 5]
            negated = bool(_NEGATED_ACTION.search(window))
            if negated and not claimant_side:
                continue  # an analyst's "did not make confirmed gains" is no claim of its own
            if not targets:
                continue
            if actor is None and not claimant_side:
                continue  # no side acts and no side asserts: background, not a claim
            sentence_actor = actor
            state.last_actor = actor
            speaker = who
            if who.side == "unknown" and actor in _SIDES and trigger.action in _OWN_SUCCESS:
                # "a military spokesman said troops advanced": a side's spokesman reports its own
                # side's successes; an unnamed one is read as speaking for the side that acted.
                speaker = Attribution(actor, who.name, who.end)
                for word in re.findall(r"\b[A-Z][\w’'-]{3,}\b", who.name or ""):
                    if word.lower() not in COMMON_WORDS:
                        state.speakers.setdefault(word.lower(), speaker)
            claims.extend(_make_claims(
                article, sentence, clause, trigger, targets, relative, mentions, anchor_of, speaker, actor,
                verification, negated or (denial and claimant_side is not None), context,
            ))
    if not claims and not indices:
        claims.extend(_coreference_claim(article, sentence, who, claimant_side, verification, state))
    unique: dict[tuple[str, str, str | None], Claim] = {}
    for claim in claims:
        place_id = claim.place.place.id if claim.place is not None and claim.place.place is not None else ""
        unique.setdefault((place_id, claim.action, claim.actor), claim)
    claims = list(unique.values())
    if denial and claims and re.search(r"\b(?:ukrainian|russian|kyiv's|moscow's)\s+claims?\b", text, re.I):
        # "Russia denied a Ukrainian claim to have recaptured X": the denied claim is itself an
        # assertion by the other side, worth its own record.
        other = _other_side(who.side)
        if other:
            claims.extend(replace(c, claimant=other, claimant_name=None, denied=False) for c in list(claims))
    return claims


def _last_list(text: str, mentions: Sequence[Mention], before: list[int], verb: int) -> list[int]:
    """The last place before a verb, with the places listed with it ("Near X and Y, the enemy
    attacked"), but not places further back in other phrases ("X, 20 km from Y that Russia took")
    nor places inside a parenthesis closed before the verb ("X (50 km from Y) is ...")."""
    outside = [i for i in before if ")" not in text[mentions[i].end : verb].split("(")[0]]
    if not outside:
        return []
    before = outside
    chosen = [before[-1]]
    for i in reversed(before[:-1]):
        gap = text[mentions[i].end : mentions[chosen[0]].start]
        if not re.fullmatch(r"\s*(?:\([^()]{0,80}\))?\s*(?:,|,?\s*(?:and|or))?\s*(?:the\s+)?", gap, re.I):
            break
        chosen.insert(0, i)
    return chosen


def _segment_targets(
    text: str, mentions: Sequence[Mention], in_segment: list[int], anchors: set[int],
    anchor_of: dict[int, Relation], *, others_in_clause: bool = False, action: str = "",
    antecedent: bool = False,
) -> tuple[list[int], set[int]]:
    """The places a trigger acts on, and which of them are only anchors of a direction.

    ``antecedent``: the places stand before the verb as its object ("the village of X that Russia
    claimed to have captured"), so a place that anchors another's offset is still the target.
    """
    subjects = [i for i in in_segment if (antecedent or i not in anchors or i in anchor_of)
                and not _ALIAS_BEFORE.search(text[max(0, mentions[i].start - 20) : mentions[i].start])
                and not _GARRISON_BEFORE.search(text[max(0, mentions[i].start - 40) : mentions[i].start])
                and not _TITLE_AFTER.match(text[mentions[i].end : mentions[i].end + 40])]
    def is_relative(i: int) -> bool:
        before = text[max(0, mentions[i].start - 40) : mentions[i].start]
        if action == "withdraw" and re.search(r"\bfrom\s+(?:the\s+)?$", before, re.I):
            return False  # "withdrew from X": X is what was left, the claim's own place
        return bool(_ANCHOR_BEFORE.search(before))

    relative = {i for i in subjects if is_relative(i)}
    framing = {i for i in subjects if _CONTEXT_AFTER.match(text[mentions[i].end : mentions[i].end + 20])}
    plain = [i for i in subjects if i not in relative and i not in framing]
    if not plain and not others_in_clause:
        plain = [i for i in subjects if i in framing]
    towns = [i for i in plain if mentions[i].place.feature_class in {"P", "S"}]  # type: ignore[union-attr]
    if towns:
        return towns, set()
    if plain:
        # One region, or a list of them ("in Donetsk, Luhansk and Zaporizhzhia regions"): not
        # a region and the district inside it.
        listed = plain[:1]
        for i in plain[1:]:
            if not _LIST_GAP.fullmatch(text, mentions[listed[-1]].end, mentions[i].start):
                break
            listed.append(i)
        return listed, set()
    rel_towns = [i for i in subjects if i in relative]
    return rel_towns[:1], set(rel_towns[:1])


def _make_claims(
    article: Article,
    sentence: Sentence,
    clause: _Clause,
    trigger: _Trigger,
    targets: list[int],
    relative: set[int],
    mentions: Sequence[Mention],
    anchor_of: dict[int, Relation],
    who: Attribution,
    actor: str | None,
    verification: str | None,
    denied: bool,
    context: ArticleContext,
) -> list[Claim]:
    claim_direction = _claim_direction(clause.text)
    distance = _claim_distance(clause.text, relations_text=[anchor_of[i].text for i in targets if i in anchor_of])
    focus = clause.start + trigger.start
    date, precision = resolve_claim_date(sentence.text, article.published, focus=focus)
    out = []
    for target in targets:
        place = mentions[target]
        relation = anchor_of.get(target)
        is_relative = target in relative
        anchor_mention = mentions[relation.anchor] if relation is not None else (place if is_relative else None)
        direction: tuple[str | None, float | None] | None = None
        if claim_direction is not None:
            direction = claim_direction
        elif relation is not None:
            direction = (relation.point, relation.bearing_deg)
        out.append(Claim(
            id="",
            article=article.path,
            sentence=sentence.index,
            quote=sentence.text,
            claimant=who.side,
            claimant_name=who.name,
            actor=actor,
            action=trigger.action,
            place=place,
            anchor=anchor_mention,
            direction=direction[0] if direction else None,
            bearing_deg=direction[1] if direction else None,
            distance=distance,
            date=date,
            date_precision=precision,
            verification=verification,
            denied=denied,
            place_is_offset=is_relative and direction is not None and distance is not None,
            near=bool(_NEAR.search(clause.text[max(0, place.start - sentence.start - clause.start - 30) :
                                               place.start - sentence.start - clause.start])),
        ))
    return out


def _coreference_claim(
    article: Article, sentence: Sentence, who: Attribution, claimant_side: str | None,
    verification: str | None, state: _ReadingState,
) -> list[Claim]:
    """A sentence with an action and no place refers back to the last place named."""
    if state.last_place is None or sentence.index - state.last_place[1] > 4:
        return []
    quoted = sentence.text.lstrip()[:1] in {'"', "“", "‘", "'"}
    if not quoted and not _ANAPHOR.search(sentence.text):
        return []  # nothing in the sentence points back at a place
    triggers = _triggers(sentence.text)
    if not triggers:
        return []
    trigger = min(triggers, key=lambda t: _PRIORITY.index(t.action))
    before = sentence.text[: trigger.start]
    actor = _nearest_actor(before, claimant_side)
    if actor is None and _THEY.search(before):
        actor = state.last_actor
    if actor is None:
        return []
    if _NEGATED_ACTION.search(sentence.text[max(0, trigger.start - 45) : trigger.end + 5]) and not claimant_side:
        return []
    place = state.last_place[0]
    date, precision = resolve_claim_date(sentence.text, article.published, focus=trigger.start)
    distance = _claim_distance(sentence.text, relations_text=[])
    direction = _claim_direction(sentence.text)
    return [Claim(
        id="", article=article.path, sentence=sentence.index, quote=sentence.text, claimant=who.side,
        claimant_name=who.name, actor=actor, action=trigger.action, place=place, anchor=None,
        direction=direction[0] if direction else None, bearing_deg=direction[1] if direction else None,
        distance=distance, date=date, date_precision=precision, verification=verification,
        denied=False,
    )]


def _claim_direction(clause: str) -> tuple[str | None, float | None] | None:
    """The claim's own direction: "advanced 2 km southwest of X", "attacks north of X"."""
    for match in find_directions(clause):
        if match.point is None:
            continue
        if re.search(r"\b(?:city|town|village|settlement|Ukraine|Russia)\b", clause[match.start : match.end + 12]):
            continue  # "the eastern city of X", "eastern Ukraine": describes the place, not the claim
        if match.relation in {"of", "toward", "outskirts", "flank", "part", "from"}:
            return match.point, match.bearing_deg
    return None


def _claim_distance(clause: str, *, relations_text: list[str]) -> Distance | None:
    """A distance the claim itself states (advanced by, within), not a place's offset."""
    for match in find_distances(clause):
        if any(match.distance.text in rel for rel in relations_text):
            continue
        before = clause[max(0, match.start - 30) : match.start]
        if "(" in before and ")" not in before:
            continue  # "Kreminna (about 25km east of Lyman)": a place's offset, read as a relation
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
    two_sides = x.claimant in _SIDES and y.claimant in _SIDES and x.claimant != y.claimant
    denial_pair = x.denied != y.denied and x.claimant != y.claimant and x.action == y.action
    if not two_sides and not denial_pair:
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
