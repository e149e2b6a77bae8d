"""Choosing among namesakes from the article's context (frontmap.extract.places.resolve_mentions)."""

from __future__ import annotations

import datetime as dt

from frontmap.gazetteer import Gazetteer
from frontmap.pipeline import process_article
from frontmap.records import Article, Mention


def mentions(text: str) -> list[Mention]:
    article = Article(path="t.txt", text=text, published=dt.date(2024, 2, 20), source="Test Desk")
    return list(process_article(article, Gazetteer.load()).mentions)


def by_text(found: list[Mention]) -> dict[str, Mention]:
    return {m.text: m for m in found}


def test_capitals_named_as_governments_do_not_set_the_theatre() -> None:
    # Eight villages are called Makarivka; the front here is in Donetsk Oblast, not near Kyiv.
    found = by_text(mentions(
        "Officials in Kyiv said on Monday that troops had repelled assaults near Toretsk, while the "
        "defence ministry in Moscow claimed its forces had advanced near Makarivka."))
    makarivka = found["Makarivka"].place
    assert makarivka is not None and makarivka.admin1 == "Donetsk Oblast"


def test_a_capital_still_sets_the_theatre_when_nothing_else_does() -> None:
    found = by_text(mentions("Air defence units near Kyiv shot down drones over Makariv on Sunday night."))
    makariv = found["Makariv"].place
    assert makariv is not None and makariv.admin1 == "Kyiv Oblast"


def test_the_old_name_of_a_town_and_its_new_name_are_one_place() -> None:
    # "Bakhmut" is also a secondary name of a hamlet next to the city: the other name settles it.
    found = by_text(mentions("The commander in Artemivsk said nothing. Drones hit a depot in Bakhmut."))
    old, new = found["Artemivsk"].place, found["Bakhmut"].place
    assert old is not None and new is not None
    assert old.id == new.id == "geonames:713174"
    assert "also named" in found["Bakhmut"].reason


def test_two_spellings_of_one_name_resolve_together() -> None:
    found = mentions(
        "Russian troops took Pishchane, east of Kupiansk, the analysts said. Ukrainian sources said "
        "fighting went on inside Pischane. A shell later hit a school in Kharkiv.")
    places = {m.text: m.place for m in found}
    assert places["Pishchane"] is not None and places["Pischane"] is not None
    assert places["Pishchane"].id == places["Pischane"].id
