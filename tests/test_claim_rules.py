"""Readings of single sentences that the claim reader must get right, one rule each
(frontmap.extract.claims): what is a claim, and which place it is about."""

from __future__ import annotations

import datetime as dt

from frontmap.gazetteer import Gazetteer
from frontmap.pipeline import process_article
from frontmap.records import Article, Claim


def claims(text: str) -> list[Claim]:
    article = Article(path="t.txt", text=text, published=dt.date(2024, 3, 4), source="Test Desk")
    return list(process_article(article, Gazetteer.load()).claims)


def summary(found: list[Claim]) -> list[tuple[str, str]]:
    return [(c.place.text if c.place else "", c.action) for c in found]


def test_seizing_power_is_no_capture() -> None:
    found = claims("Colonels seized power in Bamako in 2021 and later invited Russian instructors.")
    assert all(c.action != "capture" for c in found), summary(found)
    found = claims("Russian units seized the initiative near Pokrovsk in the spring, the analysts said.")
    assert all(c.action != "capture" for c in found), summary(found)


def test_seizing_a_town_is_a_capture() -> None:
    found = claims("Russian forces seized Krynky on Sunday, the ministry said.")
    assert ("Krynky", "capture") in summary(found)


def test_a_progressive_relative_clause_describes_the_subject() -> None:
    found = claims("Russian bloggers said the unit that was holding the line at Robotyne withdrew to Tokmak.")
    assert ("Robotyne", "hold") not in summary(found)
    assert ("Tokmak", "withdraw") in summary(found)


def test_a_noun_trigger_with_a_modal_verb_is_conjecture() -> None:
    found = claims("Ukrainian counterattacks near Kupiansk could eventually force Russian commanders to move reserves.")
    assert found == [], summary(found)
    found = claims("A pullback from Vuhledar would let Ukrainian brigades shorten the line, an analyst said.")
    assert found == [], summary(found)


def test_a_failed_attack_with_a_negated_modal_is_still_a_claim() -> None:
    found = claims("Russian assaults near Chasiv Yar could not break through on Monday, the General Staff said.")
    assert any(c.place is not None and c.place.text == "Chasiv Yar" for c in found), summary(found)


def test_a_quoted_place_name_is_the_name_of_a_group() -> None:
    found = claims("A spokesman for the “Khortytsia” group said the “Kherson” battalion repelled an assault "
                   "near Orikhiv.")
    places = {c.place.text for c in found if c.place}
    assert "Kherson" not in places
    assert "Orikhiv" in places


def test_the_object_of_a_relative_clause_is_the_place_just_before_it() -> None:
    found = claims("The mayor spoke from Selydove, some 15 kilometres from the village of Ocheretyne that "
                   "Russia claimed to have captured.")
    assert summary(found) == [("Ocheretyne", "capture")]


def test_a_place_inside_a_closed_parenthesis_is_not_the_subject() -> None:
    found = claims("Kupiansk (about 40 kilometres from the Russian border, south of Vovchansk) was shelled again.")
    assert {c.place.text for c in found if c.place} <= {"Kupiansk"}


def test_places_listed_before_the_verb_are_all_targets() -> None:
    found = claims("Near Robotyne and Verbove, Russian units attacked Ukrainian positions, the General Staff said.")
    assert {("Robotyne", "attack"), ("Verbove", "attack")} <= set(summary(found))


def test_where_the_line_stands_is_an_advance_relative_to_the_town() -> None:
    found = claims("Russian forces were about 12 kilometres (7 miles) from Kostiantynivka on Friday, "
                   "according to the analysts.")
    assert len(found) == 1
    claim = found[0]
    assert (claim.place.text if claim.place else "", claim.action, claim.actor) == (
        "Kostiantynivka", "advance", "Russia")
    assert claim.distance is not None and claim.distance.km == 12.0


def test_a_town_standing_somewhere_is_no_claim() -> None:
    assert claims("Kramatorsk lies only about 20 kilometres from the front line.") == []


def test_an_ordered_withdrawal_is_a_withdrawal() -> None:
    found = claims("Ukrainian commanders ordered a controlled withdrawal of troops from Marinka on Monday.")
    assert ("Marinka", "withdraw") in summary(found)


def test_occupied_as_an_adjective_is_no_capture() -> None:
    found = claims("Russia's defence ministry posted footage of a general inspecting troops in occupied Tokmak.")
    assert all(c.action != "capture" for c in found), summary(found)


def test_a_place_in_a_title_is_not_the_claims_place() -> None:
    found = claims("Zaporizhzhia Oblast Military Administration Head Ivan Fedorov said Russian forces shelled "
                   "Huliaipole overnight.")
    assert summary(found) == [("Huliaipole", "strike")]


def test_a_whole_country_is_no_place_but_a_part_of_one_is() -> None:
    assert claims("JNIM said its fighters attacked police posts in Togo last year.") == []
    found = claims("JNIM said its fighters attacked police posts in northern Togo last year.")
    assert [c.place.text for c in found if c.place] == ["Togo"]


def test_parties_of_other_wars_are_sides() -> None:
    found = claims("The Tatmadaw said it recaptured Lashio, but the MNDAA said its fighters still held the town.")
    by_action = {c.action: c for c in found}
    assert (by_action["capture"].claimant, by_action["capture"].actor) == ("Myanmar military", "Myanmar military")
    assert (by_action["hold"].claimant, by_action["hold"].actor, by_action["hold"].claimant_name) == (
        "MNDAA", "MNDAA", "MNDAA")
    found = claims("The paramilitary Rapid Support Forces said they had seized the army base in Nyala.")
    assert [(c.claimant, c.actor, c.action) for c in found] == [("RSF", "RSF", "capture")]


def test_an_armed_group_is_not_a_town_that_shares_its_name() -> None:
    found = claims("Hamas said its fighters ambushed an Israeli tank in Khan Younis.")
    assert [(c.place.text if c.place else "", c.claimant, c.action) for c in found] == [
        ("Khan Younis", "Hamas", "attack")]


def test_it_refers_to_the_party_last_heard_from() -> None:
    found = claims("JNIM claimed responsibility for the ambush in a statement. It also carried out an attack "
                   "on a police post in northern Togo, the group said.")
    assert [(c.actor, c.action) for c in found] == [("JNIM", "attack")]


def test_an_opening_phrase_is_not_the_speaker() -> None:
    found = claims("Russia's defence ministry said on Monday that the situation was under control. In its daily "
                   "briefing, the ministry reported that Ukrainian troops had attacked near Robotyne.")
    assert [(c.claimant, c.actor, c.action) for c in found] == [("Russia", "Ukraine", "attack")]


def test_discussed_reports_a_claim() -> None:
    found = claims("Russian milbloggers discussed Ukrainian attacks near Krynky on Tuesday.")
    assert [(c.claimant, c.actor, c.action) for c in found] == [("Russia", "Ukraine", "attack")]


def test_the_ministries_idioms_for_gains_and_losses() -> None:
    cases = {
        "Russia's defence ministry said its troops had improved the tactical situation near Robotyne.": "advance",
        "Russia's defence ministry said units took more advantageous lines near Synkivka.": "advance",
        "Ukraine's general staff said its troops near Marinka had moved to more advantageous positions.": "withdraw",
        "Ukraine's navy said marines had expanded their bridgehead around Krynky.": "advance",
        "Russian units had attacked Urozhaine in waves but had been driven back, Ukraine's general staff said.":
            "repel",
        "Russian aircraft dropped two guided bombs on Beryslav, the regional administration said.": "strike",
        "Russian forces have pushed more than three miles into Ukrainian territory around Vovchansk, an official "
        "in Kyiv said.": "advance",
    }
    for sentence, action in cases.items():
        assert action in {c.action for c in claims(sentence)}, sentence


def test_a_which_clause_about_a_town_is_the_writers_background() -> None:
    found = claims("Russia's defence ministry said its forces had taken Prohres, about 15 kilometres northwest of "
                   "Avdiivka, which Russia seized in February.")
    by_place = {c.place.text: c for c in found if c.place}
    assert (by_place["Prohres"].claimant, by_place["Prohres"].action) == ("Russia", "capture")
    avdiivka = by_place["Avdiivka"]
    assert (avdiivka.claimant, avdiivka.actor, avdiivka.action) == ("third party", "Russia", "capture")


def test_a_which_clause_escapes_the_conditional_of_its_main_clause() -> None:
    found = claims("Analysts say holding Klishchiivka would help Ukraine take back Bakhmut, which was captured by "
                   "Russian forces in May after months of fighting.")
    assert [(c.place.text if c.place else "", c.actor, c.action) for c in found] == [("Bakhmut", "Russia", "capture")]


def test_a_move_without_a_place_happened_where_the_sentence_put_the_last_one() -> None:
    found = claims("Russia's defence ministry acknowledged that Ukrainian forces had broken through near Robotyne, "
                   "and Russian troops withdrew to prepared positions.")
    assert {("Robotyne", "advance"), ("Robotyne", "withdraw")} <= set(summary(found))
    withdrawal = next(c for c in found if c.action == "withdraw")
    assert withdrawal.actor == "Russia"


def test_more_ways_of_saying_attack_hold_strike_and_advance() -> None:
    cases = {
        "Russian forces continued to push on Siversk from Verkhnokamianske on Monday, the analysts said.": "attack",
        "Russian sources claimed that Ukrainian troops are continuing efforts to cross the river and enter Krynky.":
            "attack",
        "The analysts said Russian forces are prioritising stabilizing their control of Marinka.": "hold",
        "Russia's defence ministry said its artillery continued to fire shells at Ukrainian units in Robotyne.":
            "strike",
        "Geolocated footage published on Sunday shows Ukrainian troops in Krynky, the analysts said.": "advance",
    }
    for sentence, action in cases.items():
        assert action in {c.action for c in claims(sentence)}, sentence
    found = claims("Geolocated footage published on Sunday shows Ukrainian troops in Krynky, the analysts said.")
    assert [(c.claimant, c.actor) for c in found] == [("third party", "Ukraine")]


def test_a_place_described_as_the_scene_of_fighting_is_no_claim() -> None:
    assert claims("Vuhledar has been the scene of heavy fighting for two years, the analysts said.") == []


def test_pressure_on_a_capital_is_pressure_on_a_government() -> None:
    found = claims("Ukraine's president said the Russian shelling showed the need for more pressure on Moscow.")
    assert all(c.place is None or c.place.text != "Moscow" for c in found), summary(found)


def test_a_which_clause_claim_keeps_its_own_month() -> None:
    found = claims("Troops repelled an assault near Chasiv Yar, east of Kostiantynivka, which Russia shelled in "
                   "January, the General Staff said on Monday.")
    dates = {c.action: (c.date.isoformat() if c.date else None, c.date_precision) for c in found}
    assert dates["repel"] == ("2024-03-04", "day")
    assert dates["strike"] == ("2024-01-01", "month")
    assert next(c for c in found if c.action == "repel").claimant_name == "General Staff"


def test_the_analysts_reading_of_footage_is_the_claim() -> None:
    found = claims("Geolocated footage published on Sunday shows Russian forces operating in the eastern part of "
                   "Marinka, indicating a marginal Russian advance.")
    assert [(c.action, c.actor) for c in found] == [("advance", "Russia")]
    found = claims("Geolocated footage published on Sunday shows Russian forces operating in Marinka.")
    assert [(c.action, c.actor) for c in found] == [("hold", "Russia")]


def test_a_sides_stated_objective_is_no_claim() -> None:
    found = claims("Main effort, Izyum axis (Russian objective: Advance southeast from Izyum; defend supply lines "
                   "near Kupiansk) Russian forces attacked near Izyum on Monday, the analysts said.")
    assert summary(found) == [("Izyum", "attack")]


def test_a_missile_carries_its_side() -> None:
    found = claims("A Russian Tochka-U missile struck a railway station in Kramatorsk, the regional governor said.")
    assert [(c.action, c.actor) for c in found] == [("strike", "Russia")]


def test_a_modal_right_before_the_verb_is_no_claim() -> None:
    assert claims("Russian forces will attack Kupiansk soon, the analysts said.") == []
    assert claims("Russian forces may capture Kupiansk within weeks, the analysts said.") == []
    assert claims("Occupation authorities may hold a referendum in Mariupol, Ukrainian officials said.") == []
    found = claims("The enemy is shelling Kupiansk at will, the General Staff said.")
    assert summary(found) == [("Kupiansk", "strike")]


def test_occupied_before_a_noun_is_an_adjective() -> None:
    found = claims("Russian forces conducted operations to maintain occupied lines near Kupiansk, the General "
                   "Staff said.")
    assert all(c.action != "capture" for c in found), summary(found)
    assert ("Kupiansk", "capture") in summary(claims("Russian forces occupied Kupiansk, the analysts said."))


def test_a_list_of_regions_gives_a_claim_each() -> None:
    found = claims("Russian forces shelled settlements in Donetsk, Luhansk, and Zaporizhzhia oblasts, the General "
                   "Staff said.")
    assert summary(found) == [("Donetsk", "strike"), ("Luhansk", "strike"), ("Zaporizhzhia", "strike")]
    found = claims("Russian forces shelled Beryslav Raion in Kherson Oblast, the governor said.")
    assert summary(found) == [("Beryslav Raion", "strike")]


def test_where_a_unit_is_based_is_not_where_it_fought() -> None:
    found = claims("Ukraine's Southern Operational Command said it destroyed a command post of the 11th Air Assault "
                   "Brigade (based in Ulan-Ude) near Beryslav.")
    assert {c.place.text for c in found if c.place} == {"Beryslav"}


def test_a_foreign_government_speaks_as_a_third_party() -> None:
    found = claims("Ukraine's General Staff said Russian troops attacked near Avdiivka. The UK Ministry of Defence "
                   "stated that Russian forces are concentrating artillery fire near Kupiansk.")
    kupiansk = [c for c in found if c.place is not None and c.place.text == "Kupiansk"]
    assert [(c.claimant, c.claimant_name) for c in kupiansk] == [("third party", "UK Ministry of Defence")]


def test_an_occupation_administration_is_a_title() -> None:
    found = claims("The Zaporizhzhia Occupation Administration said Ukrainian drones struck Enerhodar.")
    assert {c.place.text for c in found if c.place} == {"Enerhodar"}


def test_a_section_label_names_a_sector_not_a_claim() -> None:
    assert claims("Supporting effort 3—Kherson and advances westward.") == []
    found = claims("Supporting Effort #1—Kharkiv: Russian forces resumed assaults on Derhachi on Monday.")
    assert summary(found) == [("Derhachi", "attack")]
