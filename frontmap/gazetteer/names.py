"""Name normalisation, romanisation of Cyrillic names and the loose "skeleton" key.

Reports spell the same village many ways: Klishchiivka (Ukraine's national system), Kleshcheevka
or Kleshcheyevka (from the Russian name), Artemivsk / Artyomovsk (Soviet names), Luk’yanivka with a
typographic apostrophe. Three functions make these meet:

- :func:`normalize` folds case, diacritics, apostrophes, hyphens and spacing; it is what both the
  index and the queries go through.
- :func:`romanize` turns a Cyrillic name into the Latin spellings the press uses: the Ukrainian
  national system (KMU 2010), the older "y-style" Ukrainian romanisation, BGN/PCGN for Russian and
  the usual simplifications of both (ye/e, iy/y, ya/ia, kh/h, shch/sch, …).
- :func:`skeleton` maps a Latin key to a coarser phonetic key (y/i/j, e/ye/yo, g/h/kh, doubled
  letters …). It over-merges on purpose, so the index ranks its hits below the exact tiers.
- :func:`russian_style` gives the Russian-style endings of a Ukrainian name (Verbove -> Verbovoye,
  Verbovoe, Verbovoy; Makarivka -> Makarovka), for places whose Russian name the sources lack and
  for the gender slips of wire copy.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

__all__ = [
    "MAX_VARIANTS",
    "has_cyrillic",
    "is_russian",
    "is_ukrainian",
    "normalize",
    "romanize",
    "russian_style",
    "skeleton",
]

#: Upper bound on the spellings :func:`romanize` returns for one name (keeps the index compact).
MAX_VARIANTS = 48

_APOSTROPHES = "'’‘ʼʹ`´ʻ′\u02bd\u0384"
# A possessive "'s" at the end of a word ("Avdiivka's") is no part of the name. Transliterations
# put an apostrophe *inside* words (Artemivs'k), never before a final s, so this is safe.
_POSSESSIVE = re.compile(rf"[{_APOSTROPHES}]s\b")
_DROP = re.compile(rf"[{_APOSTROPHES}]")
_NON_WORD = re.compile(r"[\W_]+")

_SPECIAL_LATIN = {
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ı": "i",
    "ħ": "h",
    "ŀ": "l",
    "ŧ": "t",
    "ƶ": "z",
}


def _latin_fold_table() -> dict[int, str]:
    """Map every accented Latin letter to its base letters; Cyrillic is left alone.

    Stripping combining marks blindly would turn й into и and ї into і, which are different
    letters (and different romanisations), so the table only covers Latin code points.
    """
    table: dict[int, str] = {}
    ranges = [(0x00C0, 0x0250), (0x1E00, 0x1F00)]
    for start, stop in ranges:
        for code in range(start, stop):
            char = chr(code)
            low = char.lower()
            if low in _SPECIAL_LATIN:
                table[code] = _SPECIAL_LATIN[low]
                continue
            base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            if base and base.isascii() and base != char:
                table[code] = base.lower()
    # Russian writes ё as е more often than not: fold it so both spellings meet exactly.
    table[ord("ё")] = "е"
    table[ord("Ё")] = "е"
    return table


_FOLD = _latin_fold_table()


@functools.lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """Return the lookup key of a name.

    Case is folded, Latin diacritics are stripped (Cyrillic letters are kept as they are, apart
    from ё -> е), apostrophes of every kind are dropped along with a possessive "'s", and every run
    of hyphens, punctuation and spaces becomes one space.

    Parameters
    ----------
    name
        A place name as written, in any script.

    Returns
    -------
    str
        The normalised key, e.g. ``"lukyanivka"`` for ``"Luk’yanivka"``.

    Examples
    --------
    >>> normalize("Luk’yanivka")
    'lukyanivka'
    >>> normalize("Avdiivka's")
    'avdiivka'
    >>> normalize("Chasiv  Yar—Bakhmut")
    'chasiv yar bakhmut'
    """
    text = name.casefold().translate(_FOLD)
    text = _POSSESSIVE.sub("", text)
    text = _DROP.sub("", text)
    return _NON_WORD.sub(" ", text).strip()


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_UKRAINIAN_ONLY = set("іїєґ")
_RUSSIAN_ONLY = set("ыэъё")


def has_cyrillic(text: str) -> bool:
    """Whether ``text`` contains at least one Cyrillic letter."""
    return _CYRILLIC.search(text) is not None


def is_ukrainian(text: str) -> bool:
    """Whether a (lower-case) Cyrillic name is certainly Ukrainian (has і, ї, є or ґ)."""
    return any(c in _UKRAINIAN_ONLY for c in text)


def is_russian(text: str) -> bool:
    """Whether a (lower-case) Cyrillic name is certainly Russian (has ы, э, ъ or ё)."""
    return any(c in _RUSSIAN_ONLY for c in text)


_VOWELS = set("аеєиіїоуюяыэё")
_SOFT = set("ьъ")

# Letters whose romanisation never varies between the systems the press uses.
_FIXED = {
    "а": "a",
    "б": "b",
    "д": "d",
    "ж": "zh",
    "з": "z",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "ч": "ch",
    "ш": "sh",
    "ъ": "",
    "ы": "y",
    "э": "e",
    "ґ": "g",
    "в": "v",
}


def _options(text: str, i: int, lang: str) -> tuple[str, ...]:
    """Romanisations of ``text[i]`` in its context; the first one is the official system's.

    ``lang`` is "uk" (KMU 2010 first, then y-style and press variants) or "ru" (BGN/PCGN first,
    then the simplifications that news agencies use).
    """
    c = text[i]
    prev = text[i - 1] if i else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    initial = prev == " "
    after_vowel = prev in _VOWELS or prev in _SOFT
    fixed = _FIXED.get(c)
    if fixed is not None:
        return (fixed,)
    if lang == "uk":
        if c == "г":
            # KMU writes "zgh" for зг so that it cannot be read as ж.
            return ("gh", "g") if prev == "з" else ("h", "g")
        if c == "е":
            return ("e",)
        if c == "є":
            return ("ye", "e") if initial else ("ie", "ye", "e")
        if c == "и":
            return ("y", "i")
        if c == "і":
            return ("i",)
        if c == "ї":
            # "ii" too: Dariivka, Mariinka for Дар'ївка, Мар'їнка (KMU: Darivka, Marinka).
            return ("yi", "i") if initial else ("i", "yi", "ii")
        if c == "й":
            if initial:
                return ("y",)
            return ("i", "y", "j", "") if nxt == " " else ("i", "y", "j")
        if c == "х":
            return ("kh", "h")
        if c == "ц":
            return ("ts",)
        if c == "щ":
            return ("shch", "sch")
        if c == "ь":
            return ("", "y") if nxt in _VOWELS else ("",)
        if c == "ю":
            return ("yu",) if initial else ("iu", "yu")
        if c == "я":
            return ("ya",) if initial else ("ia", "ya")
    else:
        if c == "г":
            return ("g",)
        if c == "е":
            return ("ye", "e") if initial or after_vowel else ("e",)
        if c == "ё":  # pragma: no cover - normalize() folds ё, kept for direct callers
            return ("yo", "e", "io")
        if c == "и":
            return ("i", "yi") if prev == "ь" else ("i",)
        if c == "й":
            if initial:
                return ("y",)
            # "-ий", "-ый" endings: Krasnoarmeyskiy / Krasnoarmeysky / Krasnoarmeiskii.
            return ("y", "i", "j", "") if nxt == " " else ("y", "i", "j")
        if c == "х":
            return ("kh", "h")
        if c == "ц":
            return ("ts",)
        if c == "щ":
            return ("shch", "sch")
        if c == "ь":
            return ("", "y") if nxt in _VOWELS and nxt != "и" else ("",)
        if c == "ю":
            return ("yu",) if initial or after_vowel else ("yu", "iu")
        if c == "я":
            return ("ya",) if initial or after_vowel else ("ya", "ia")
        if c in "іїє":  # Ukrainian letters in a name taken for Russian: read them the Ukrainian way
            return _options(text, i, "uk")
    return (c,)


def _expand(text: str, lang: str, limit: int) -> Iterator[str]:
    """Spellings of ``text`` in ``lang``, official system first, at most ``limit``.

    The product of the per-letter options is walked in order, so the first spellings are the
    systematic ones and the cap only cuts the rarest mixtures.
    """
    options = [_options(text, i, lang) for i in range(len(text))]
    count = 0
    # The systematic spellings first: every letter takes its n-th option (or its last one).
    for depth in range(max(len(o) for o in options) if options else 1):
        yield "".join(o[min(depth, len(o) - 1)] for o in options)
        count += 1
    stack: list[tuple[int, str]] = [(0, "")]
    while stack and count < limit * 4:
        pos, acc = stack.pop()
        if pos == len(options):
            yield acc
            count += 1
            continue
        for choice in reversed(options[pos]):
            stack.append((pos + 1, acc + choice))


@functools.lru_cache(maxsize=16384)
def romanize(name: str, lang: str | None = None, *, limit: int = MAX_VARIANTS) -> tuple[str, ...]:
    """Latin spellings of a Cyrillic name, most official first.

    Parameters
    ----------
    name
        A name in Cyrillic (anything else passes through unchanged letters).
    lang
        ``"uk"`` or ``"ru"``; by default guessed from the letters (і ї є ґ -> Ukrainian,
        ы э ъ ё -> Russian) and, when the letters do not tell, both systems are used.
    limit
        Maximum number of spellings returned.

    Returns
    -------
    tuple of str
        Normalised keys, e.g. for ``"Клещеевка"``: ``("kleshcheyevka", "kleshcheevka", …)``.
    """
    key = normalize(name)
    if not has_cyrillic(key):
        return (key,) if key else ()
    if lang is None:
        if is_ukrainian(key):
            langs = ["uk"]
        elif is_russian(key):
            langs = ["ru"]
        else:
            langs = ["uk", "ru"]
    else:
        langs = [lang]
    out: dict[str, None] = {}
    per_lang = max(1, limit // len(langs))
    for one in langs:
        added = 0
        for spelling in _expand(key, one, per_lang):
            spelling = " ".join(spelling.split())
            if spelling and spelling not in out:
                out[spelling] = None
                added += 1
                if added >= per_lang:
                    break
    return tuple(out)[:limit]


_SKELETON_STEPS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"w", "v"),
        (r"j", "y"),
        # "shc" is shch with its h dropped (Kleshceevka): no romanisation writes s-h-c otherwise.
        (r"shch|shtch|sch|shh|shc", "Q"),
        (r"zh", "Z"),
        (r"tch|ch", "C"),
        (r"sh", "S"),
        (r"kh|gh|h|g", "H"),
        (r"tz", "ts"),
        (r"[yi]e", "e"),  # є / е after vowels: ye, ie
        (r"[yi]o", "e"),  # ё: yo, io, and its frequent spelling e
        (r"[yi]a", "a"),  # я: ya, ia
        (r"[yi]u", "u"),  # ю: yu, iu
        (r"[yi]+", "i"),  # и, і, ї, й, ы and their pairs: y, i, yi, iy, ii, yy
        (r"(.)\1+", r"\1"),  # doubled letters: Zaporizhzhia, Kleshcheevka
    )
)


@functools.lru_cache(maxsize=65536)
def skeleton(key: str) -> str:
    """Coarse phonetic key of a normalised Latin key.

    Collapses what the transliteration systems disagree about: y/i/j/ii/iy/yi, e/ye/ie/yo,
    ya/ia, yu/iu, g/h/kh, shch/sch, w/v and doubled letters. Two different names can share a
    skeleton, so hits on it are ranked below the exact tiers.

    Parameters
    ----------
    key
        A key made by :func:`normalize`.

    Returns
    -------
    str
        The skeleton; Cyrillic and other scripts pass through unchanged.

    Examples
    --------
    >>> skeleton("artyomovsk") == skeleton("artemovsk")
    True
    >>> skeleton("kupyansk") == skeleton("kupiansk")
    True
    """
    out = key
    for pattern, replacement in _SKELETON_STEPS:
        out = pattern.sub(replacement, out)
    return out


_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxz")
# Ukrainian -ivka is Russian -ovka (Makarivka / Makarovka), or -evka after a hushing consonant
# or j (Hrushivka / Grushevka); -iivka and -aivka keep their vowel (Andriivka / Andreevka,
# Mykolaivka / Nikolaevka).
_IVKA: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("iivka", ("eevka", "eyevka")),
    ("yivka", ("eevka", "eyevka")),
    ("aivka", ("aevka", "ayevka")),
    ("oivka", ("oevka", "oyevka")),
)
_HUSHING = ("zh", "ch", "sh", "ts", "y", "j")
_MIN_STEM = 3


def _adjective_endings(word: str) -> list[str]:
    """Russian-style forms of a Ukrainian neuter name in -e (Verbove, Hirske, Kurakhove, Robotyne)."""
    if len(word) < _MIN_STEM + 2 or not word.endswith("e") or word[-2] not in _CONSONANTS:
        return []
    stem = word[:-1]
    out = [stem + "oye", stem + "oe", stem + "oy"]  # Verbovoye, Verbovoe, Verbovoy
    if word.endswith(("ove", "eve")):
        out.append(stem + "o")  # Kurakhove -> Kurakhovo, Zaitseve -> Zaitsevo (possessive nouns)
    elif word.endswith("yne"):
        out.append(word[:-3] + "ino")  # Robotyne -> Robotino (-ине; -айне, -іне are adjectives)
    return out


def _ivka_endings(word: str) -> list[str]:
    """Russian-style forms of a Ukrainian name in -ivka (Makarivka -> Makarovka)."""
    for ending, replacements in _IVKA:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM - 1:
            return [word[: -len(ending)] + r for r in replacements]
    if not word.endswith("ivka") or len(word) - 4 < _MIN_STEM:
        return []
    stem = word[:-4]
    out = [stem + "ovka"]
    if stem.endswith(_HUSHING):
        out.append(stem + "evka")
    return out


@functools.lru_cache(maxsize=65536)
def russian_style(key: str) -> tuple[str, ...]:
    """Russian-style spellings of a Ukrainian place name's ending.

    Russian sources and wire copy write Ukrainian names with Russian endings: the neuter adjective
    -e as -oye/-oe (and, by a gender slip, -oy), -ove as -ovo, -yne as -ino, -ivka as -ovka or
    -evka (-iivka as -eevka). Only the ending of the last word changes: a root's own vowel shift (Rivnopil /
    Rovnopol) is no rule, and a dropped final vowel (Rabotin for Rabotino) is a typo, not a form.

    Parameters
    ----------
    key
        A normalised Latin key (see :func:`normalize`), in the Ukrainian romanisation.

    Returns
    -------
    tuple of str
        The variant keys (the key itself excluded); empty for other endings and Cyrillic keys.

    Examples
    --------
    >>> russian_style("verbove")
    ('verbovoye', 'verbovoe', 'verbovoy', 'verbovo')
    >>> russian_style("makarivka")
    ('makarovka',)
    """
    if not key or has_cyrillic(key):
        return ()
    head, _, word = key.rpartition(" ")
    if not word.isalpha():
        return ()
    forms = _ivka_endings(word) or _adjective_endings(word)
    prefix = f"{head} " if head else ""
    return tuple(dict.fromkeys(prefix + f for f in forms if f != word))
