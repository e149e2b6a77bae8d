"""Sentence splitting with exact character offsets.

A claim is quoted verbatim and located by its sentence, so the splitter must never lose or move a
character: every :class:`~frontmap.records.Sentence` satisfies ``text[s.start:s.end] == s.text``, and
the sentences cover every non-space character of the input in order.

The splitter is a single regular-expression pass over candidate boundaries (terminal punctuation
followed by white space, and line breaks) plus a few cheap look-ups around each candidate. It knows
the habits of war reporting:

* titles and ranks before names ("Gen.", "Lt. Col.", "Sgt.", "St. Petersburg") never end a sentence;
* "approx.", "vs.", "e.g.", "i.e." never end a sentence; "No." and month abbreviations do not when
  a number follows ("No. 3", "Oct. 3");
* initials and dotted acronyms ("O. Syrskyi", "U.S.", "p.m.") end a sentence only when the next word
  is one that commonly opens a sentence ("... in the U.S. The ..."), not before a name ("U.S. forces");
* analysts' footnote markers after the stop ("... Kherson City.[40] Ukrainian ...") stay with the
  sentence they annotate, as do closing quotes and brackets ('...," he said.' / '(... Kakhovka.)');
* a line break ends a sentence (paragraphs, titles and datelines without a final stop), except in
  hard-wrapped text where the next line plainly continues the sentence (it starts in lower case, or
  the line ends with a comma);
* a stop followed by a lower-case word ("... 5 km. from ...", "... etc. and ...") does not split.
"""

from __future__ import annotations

import re
from typing import Final

from frontmap.records import Sentence

__all__ = ["split_sentences"]

# Candidate boundaries are found with a one-character class (the fastest scan the re module does),
# then the full shape of a sentence end is matched at each candidate.
_CANDIDATE: Final = re.compile(r"[.!?…\n]")
# Terminal punctuation, then what still belongs to the sentence (closing quotes and brackets,
# footnote markers such as "[38]" or "[12, 13]"), then white space or the end of the text.
_STOP: Final = re.compile(
    r"""
    (?P<term>[.!?…]+)
    (?P<close>["'”’»)\]]*)
    (?P<notes>(?:[ \t]?\[\d+(?:\s?[,–-]\s?\d+)*\])*)
    (?P<close2>["'”’)]*)
    (?=\s|\Z)
    """,
    re.VERBOSE,
)
_NEXT_NONSPACE: Final = re.compile(r"\S")
# The next word after a boundary, past any opening quotes or brackets.
_NEXT_WORD: Final = re.compile(r"[\"'“‘«(\[]*([^\W\d_][\w’'-]*)?")
_ACRONYM: Final = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]|[A-Z]")
_STRIP_OPEN: Final = "(\"'“‘[«"
_MAX_TOKEN: Final = 40

# Words after which a full stop never ends a sentence: a name or a number always follows.
_NEVER_END: Final = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "rev", "hon", "st", "mt", "ft",
        "gen", "lt", "col", "maj", "sgt", "capt", "cpt", "cmdr", "adm", "brig", "cpl", "pvt", "pte",
        "gov", "sen", "rep", "pres", "amb", "insp", "supt", "msgr",
        "approx", "vs", "v", "e.g", "i.e", "cf", "incl", "esp", "ca", "viz", "resp",
    }
)  # fmt: skip

# Words after which a full stop does not end a sentence when a number follows ("No. 3", "Oct. 3").
_BEFORE_NUMBER: Final = frozenset(
    {
        "no", "nos", "nr", "p", "pp", "art", "para", "vol", "ch", "sec", "fig", "tel", "ed",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    }
)  # fmt: skip

# Abbreviations that may close a sentence but usually do not; treated like initials and acronyms.
_MAYBE_END: Final = frozenset({"jr", "sr", "inc", "ltd", "co", "corp", "bros", "plc", "llc"})

# Words that commonly open a sentence. After an initial or a dotted acronym ("U.S.", "p.m.") a
# capitalised word is usually a name ("U.S. Army", "O. Syrskyi"); one of these is not.
_STARTERS: Final = frozenset(
    {
        "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we",
        "i", "you", "his", "her", "their", "our", "my", "in", "on", "at", "by", "for", "from", "with",
        "after", "before", "during", "but", "and", "or", "so", "yet", "however", "meanwhile",
        "still", "also", "there", "here", "when", "while", "as", "if", "although", "though", "since",
        "according", "earlier", "later", "some", "many", "both", "each", "such", "other", "another",
        "most", "all", "no", "not", "what", "who", "where", "why", "how", "one", "two", "three",
        "officials", "separately", "elsewhere", "moreover", "further", "furthermore", "then",
        "now", "today", "yesterday", "last", "despite", "because", "until",
    }
)  # fmt: skip

_TERMINAL_CHARS: Final = frozenset(".!?…")
_CONTINUE_AFTER: Final = frozenset(",;")


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with exact offsets.

    Parameters
    ----------
    text
        An article body.

    Returns
    -------
    list[Sentence]
        Sentences in order, numbered from 0. Each ``Sentence.text`` equals
        ``text[start:end]`` and has no surrounding white space; empty stretches are skipped.

    Examples
    --------
    >>> [s.text for s in split_sentences("Gen. O. Petrenko spoke. Troops moved 1.5 km.[3] Next.")]
    ['Gen. O. Petrenko spoke.', 'Troops moved 1.5 km.[3]', 'Next.']
    """
    cuts: list[int] = []
    pos = 0
    search = _CANDIDATE.search
    while (hit := search(text, pos)) is not None:
        at = hit.start()
        if text[at] == "\n":
            if _line_break_ends_sentence(text, at):
                cuts.append(at)
            pos = at + 1
            continue
        m = _STOP.match(text, at)
        if m is None:  # a decimal point, "U.S.-made", a stop inside a word
            pos = at + 1
            while pos < len(text) and text[pos] in _TERMINAL_CHARS:
                pos += 1  # skip the rest of a run such as "..." glued to a word
            continue
        if _stop_ends_sentence(text, m):
            cuts.append(m.end())
        pos = m.end()
    sentences: list[Sentence] = []
    begin = 0
    for cut in (*cuts, len(text)):
        _append(text, begin, cut, sentences)
        begin = cut
    return sentences


def _append(text: str, begin: int, end: int, out: list[Sentence]) -> None:
    """Add ``text[begin:end]`` stripped of white space to ``out`` unless it is empty."""
    piece = text[begin:end]
    stripped = piece.strip()
    if not stripped:
        return
    start = begin + (len(piece) - len(piece.lstrip()))
    out.append(Sentence(index=len(out), start=start, end=start + len(stripped), text=stripped))


def _line_break_ends_sentence(text: str, pos: int) -> bool:
    """Whether the line break at ``pos`` ends a sentence (it does unless the text is hard-wrapped)."""
    nxt = _NEXT_NONSPACE.search(text, pos + 1)
    if nxt is None:
        return True
    if "\n" in text[pos + 1 : nxt.start()]:
        return True  # a blank line: a paragraph break
    i = pos  # walk back over trailing spaces (no slicing: that would copy the text per line)
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i == 0:
        return True
    last = text[i - 1]
    if last in _TERMINAL_CHARS:
        return True
    # A wrapped line: the next line continues in lower case, or this one ends with a comma.
    return not (nxt.group().islower() or last in _CONTINUE_AFTER)


def _stop_ends_sentence(text: str, m: re.Match[str]) -> bool:
    """Whether the terminal punctuation matched by ``m`` (a ``_STOP`` match) ends a sentence."""
    nxt = _NEXT_NONSPACE.search(text, m.end())
    if nxt is None:
        return True
    if "\n" in text[m.end() : nxt.start()]:
        return True  # the line break ends it anyway; cutting here keeps the line's tail out
    first = nxt.group()
    if first.islower() or first in ",;:/":
        return False  # "5 km. from", "etc. and", '"Why?" he asked', "October 1. /TASS/."
    term = m.group("term")
    if term != "." or m.group("close") or m.group("notes"):
        return True  # "?", "!", "...", or a stop already followed by a quote or a footnote marker
    token = _token_before(text, m.start())
    if not token:
        return True
    low = token.lower()
    if low in _NEVER_END:
        return False
    if first.isdigit() and low in _BEFORE_NUMBER:
        return False
    if low in _MAYBE_END or _ACRONYM.fullmatch(token):
        word = _NEXT_WORD.match(text, nxt.start())
        nxt_word = word.group(1) if word is not None else None
        return nxt_word is None or nxt_word.lower() in _STARTERS
    return True


def _token_before(text: str, pos: int) -> str:
    """The word that ends at ``pos`` (right before a full stop), without opening punctuation."""
    # Walk back to the previous white space; words are short, so this is a handful of steps.
    lo = max(0, pos - _MAX_TOKEN)
    i = pos
    while i > lo and not text[i - 1].isspace():
        i -= 1
    return text[i:pos].lstrip(_STRIP_OPEN)
