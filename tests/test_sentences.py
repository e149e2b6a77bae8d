"""Sentence splitting: tables of text -> expected sentences, and offset properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontmap.extract.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


CASES: list[tuple[str, list[str]]] = [
    # plain stops, questions, exclamations
    ("Troops held the ridge. Shelling went on.", ["Troops held the ridge.", "Shelling went on."]),
    ("Who fired first? Nobody would say.", ["Who fired first?", "Nobody would say."]),
    ("The bridge is gone! Engineers are at work.", ["The bridge is gone!", "Engineers are at work."]),
    ("Did they cross?! Reports differ.", ["Did they cross?!", "Reports differ."]),
    ("One sentence without a stop", ["One sentence without a stop"]),
    ("", []),
    ("   \n\n  ", []),
    # titles and ranks
    (
        "Gen. Petro Marchenko visited the front. He met soldiers.",
        ["Gen. Petro Marchenko visited the front.", "He met soldiers."],
    ),
    (
        "Lt. Col. Andrii Bondar and Maj. Ivan Hrytsenko spoke. Both were brief.",
        ["Lt. Col. Andrii Bondar and Maj. Ivan Hrytsenko spoke.", "Both were brief."],
    ),
    (
        "Sgt. Oleh Kravets was wounded near the depot. He survived.",
        ["Sgt. Oleh Kravets was wounded near the depot.", "He survived."],
    ),
    (
        "Mr. Kovalenko and Dr. Shevchuk left Kyiv. They flew west.",
        ["Mr. Kovalenko and Dr. Shevchuk left Kyiv.", "They flew west."],
    ),
    (
        "A drone hit a warehouse in St. Petersburg overnight. Officials denied it.",
        ["A drone hit a warehouse in St. Petersburg overnight.", "Officials denied it."],
    ),
    # other abbreviations
    ("The unit moved approx. 4 km east. It dug in.", ["The unit moved approx. 4 km east.", "It dug in."]),
    (
        "Heavy arms, e.g. tanks, were seen. Few remained.",
        ["Heavy arms, e.g. tanks, were seen.", "Few remained."],
    ),
    (
        "The town, i.e. what is left of it, changed hands. Fighting eased.",
        ["The town, i.e. what is left of it, changed hands.", "Fighting eased."],
    ),
    (
        "Ukraine vs. Russia was the match. It was cancelled.",
        ["Ukraine vs. Russia was the match.", "It was cancelled."],
    ),
    (
        "They lost trucks, guns, radios etc. in the retreat. Later they regrouped.",
        ["They lost trucks, guns, radios etc. in the retreat.", "Later they regrouped."],
    ),
    (
        "They lost trucks, guns, radios etc. The retreat was chaotic.",
        ["They lost trucks, guns, radios etc.", "The retreat was chaotic."],
    ),
    (
        "Brigade No. 3 rotated out. A fresh one arrived.",
        ["Brigade No. 3 rotated out.", "A fresh one arrived."],
    ),
    (
        "The raid began on Oct. 14 before dawn. It lasted hours.",
        ["The raid began on Oct. 14 before dawn.", "It lasted hours."],
    ),
    (
        "They advanced 3 km. from the river bank. Then they halted.",
        ["They advanced 3 km. from the river bank.", "Then they halted."],
    ),
    (
        "The column advanced 3 km. Russian units fell back.",
        ["The column advanced 3 km.", "Russian units fell back."],
    ),
    # initials and acronyms
    (
        "Commander O. Hnatov said the line held. Nobody disputed it.",
        ["Commander O. Hnatov said the line held.", "Nobody disputed it."],
    ),
    (
        "The U.S. Army sent shells. The U.K. sent missiles.",
        ["The U.S. Army sent shells.", "The U.K. sent missiles."],
    ),
    (
        "The shells came from the U.S. The missiles came later.",
        ["The shells came from the U.S.", "The missiles came later."],
    ),
    (
        "Sirens sounded at 4 a.m. Kyiv time. The strike came at 4:20 p.m. The mayor confirmed it.",
        ["Sirens sounded at 4 a.m. Kyiv time.", "The strike came at 4:20 p.m.", "The mayor confirmed it."],
    ),
    ("Troops reached Sector B. The enemy was gone.", ["Troops reached Sector B.", "The enemy was gone."]),
    # decimals and numbers
    (
        "Forces pushed 1.5 km and took 2.3 square km. Losses were light.",
        ["Forces pushed 1.5 km and took 2.3 square km.", "Losses were light."],
    ),
    ("Aid worth $2.5 bn arrived. More is due.", ["Aid worth $2.5 bn arrived.", "More is due."]),
    # quotes
    (
        '"We pushed them back." The spokesman did not elaborate.',
        ['"We pushed them back."', "The spokesman did not elaborate."],
    ),
    (
        'He said: "The line holds." "We will not retreat," he added.',
        ['He said: "The line holds."', '"We will not retreat," he added.'],
    ),
    (
        "“Our units advanced.” “The enemy fled,” the officer said.",
        ["“Our units advanced.”", "“The enemy fled,” the officer said."],
    ),
    (
        '"Where are the reserves?" he asked on television.',
        ['"Where are the reserves?" he asked on television.'],
    ),
    # footnote markers after the stop belong to the sentence
    (
        "Russian forces shelled Orikhiv.[21] Ukrainian forces held.",
        ["Russian forces shelled Orikhiv.[21]", "Ukrainian forces held."],
    ),
    (
        "Geolocated footage shows the strike.[7][8] No losses were reported.[9]",
        ["Geolocated footage shows the strike.[7][8]", "No losses were reported.[9]"],
    ),
    (
        "Shelling continued near Vuhledar. [15] Assaults paused.",
        ["Shelling continued near Vuhledar. [15]", "Assaults paused."],
    ),
    # parentheses
    (
        "Units struck a depot in Pokrovka (some 20km south of Marivka.)[5] Russian sources were silent.",
        ["Units struck a depot in Pokrovka (some 20km south of Marivka.)[5]", "Russian sources were silent."],
    ),
    (
        "Units struck a depot (see the map). Russian sources were silent.",
        ["Units struck a depot (see the map).", "Russian sources were silent."],
    ),
    # line breaks and paragraphs
    (
        "Frontline update for the week\nRussian forces attacked near Marinka. Ukraine repelled them.",
        ["Frontline update for the week", "Russian forces attacked near Marinka.", "Ukraine repelled them."],
    ),
    (
        "First paragraph ends here.\n\nSecond paragraph starts here.",
        ["First paragraph ends here.", "Second paragraph starts here."],
    ),
    ("A paragraph without a final stop\n\nAnother one", ["A paragraph without a final stop", "Another one"]),
    (
        "The battalion was ordered\nto hold the bridge. It did.",
        ["The battalion was ordered\nto hold the bridge.", "It did."],
    ),
    (
        "Strikes hit Kherson, Beryslav,\nKakhovka and Oleshky. Damage was heavy.",
        ["Strikes hit Kherson, Beryslav,\nKakhovka and Oleshky.", "Damage was heavy."],
    ),
    (
        "KHARKIV, May 3 (Newswire) - Shelling resumed.\nBy Jane Doe",
        ["KHARKIV, May 3 (Newswire) - Shelling resumed.", "By Jane Doe"],
    ),
    (
        "ODESA, June 2. /Agency/. Air defence downed drones.",
        ["ODESA, June 2. /Agency/.", "Air defence downed drones."],
    ),
    # ellipses
    (
        "The assault stalled … then resumed at dusk. Nobody knows why.",
        ["The assault stalled … then resumed at dusk.", "Nobody knows why."],
    ),
    ("They waited... Nothing happened.", ["They waited...", "Nothing happened."]),
    ("They waited... and then they moved.", ["They waited... and then they moved."]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_offsets_and_indices() -> None:
    text = "  Troops held.[1]  Fighting went on.\n\nA new paragraph  "
    sentences = split_sentences(text)
    assert [s.index for s in sentences] == [0, 1, 2]
    assert [(s.start, s.end) for s in sentences] == [(2, 17), (19, 36), (38, 53)]
    for s in sentences:
        assert text[s.start : s.end] == s.text


ALPHABET = st.sampled_from(
    [
        *"abcXYZ ",
        ". ",
        "? ",
        "! ",
        "\n",
        "\n\n",
        '"',
        "”",
        "(",
        ")",
        "[3]",
        "Gen.",
        "U.S.",
        "1.5",
        "…",
        " e.g. ",
    ]
)


@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_offsets_slice_back(text: str) -> None:
    previous_end = 0
    for i, s in enumerate(split_sentences(text)):
        assert s.index == i
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert s.start >= previous_end
        previous_end = s.end


@given(st.text(max_size=300))
def test_no_non_space_character_is_lost(text: str) -> None:
    joined = "".join(s.text for s in split_sentences(text))
    assert "".join(joined.split()) == "".join(text.split())
