"""The decoder's shortcuts answer as the character-by-character rules they replace."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from frontmap.ingest import _CONTROLS, _utf16_codec


def test_controls_are_the_c0_but_whitespace_and_the_c1() -> None:
    text = "".join(chr(c) for c in range(0x3000))
    direct = sum(1 for ch in text if (ch < " " and ch not in "\t\n\r\x0c") or "\x7f" <= ch <= "\x9f")
    assert len(_CONTROLS.findall(text)) == direct


def _byte_order_by_counting(sample: bytes) -> str | None:
    """_utf16_codec without its shortcut: the three commonest high bytes decide."""
    n = len(sample) - len(sample) % 2
    if n < 4:
        return None
    for codec, offset in (("utf-16-le", 1), ("utf-16-be", 0)):
        top3 = Counter(sample[offset:n:2]).most_common(3)
        if any(high > 0x06 and high != 0x20 for high, _ in top3) or sum(c for _, c in top3) < 0.9 * (n // 2):
            continue
        text = sample[:n].decode(codec, errors="replace")
        if sum(1 for ch in text if ch.isprintable() or ch in "\t\n\r") >= 0.95 * len(text) and "\x00" not in text:
            return codec
    return None


_TEXTS = st.text(alphabet=st.sampled_from("ab Zz09,.—„“ПрівітЄї\n\t中"), max_size=80)


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.tuples(_TEXTS, st.sampled_from(["utf-8", "utf-16-le", "utf-16-be"])).map(lambda t: t[0].encode(t[1])),
    st.binary(max_size=64),
    st.lists(st.sampled_from([0, 1, 4, 6, 7, 0x20, 0x41]), max_size=64).map(bytes),
))
def test_utf16_shortcut_changes_no_answer(sample: bytes) -> None:
    assert _utf16_codec(sample) == _byte_order_by_counting(sample)
