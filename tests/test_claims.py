"""Numeric claims: what a figure counts and where, hedges, and stale figures told apart from
contradictions."""
from __future__ import annotations

from audit.align import AlignSettings, align_batch
from audit.align.claims import extract, load_claim_lexicon
from audit.align.features import build_index
from audit.align.normalize import load_lexicon
from audit.align.settings import ClaimSettings
from audit.ingest.build import make_document
from audit.types import Document, SourceMeta


def doc(doc_id: str, text: str, date: str | None = "2024-02-01") -> Document:
    return make_document(doc_id, f"{doc_id}.txt", text, SourceMeta(), date=date)


def mentions(d: Document):
    lex = load_lexicon()
    idx = build_index([d], [], lex)
    cl = load_claim_lexicon(lex)
    return [m for s in idx.sentences for m in extract(idx, s, cl, ClaimSettings())]


def claims(*docs):
    return align_batch(list(docs), [], [], AlignSettings()).claims


def test_counted_class_place_and_hedge():
    d = doc("d", "Deployment\n\nGermany has about 1,200 soldiers in Lithuania and nearly 300 in Latvia, "
                 "the defence ministry said.\n\nAt least 14 civilians were wounded in the shelling of Kharkiv.")
    got = {(m.tok.surface, m.counted, m.where, m.hedge) for m in mentions(d)}
    assert ("1,200", "troops", "Lithuania", "about") in got
    assert ("300", "troops", "Latvia", "at_most") in got
    assert ("14", "injured", "Kharkiv", "at_least") in got


def test_years_times_and_model_numbers_are_not_claims():
    d = doc("d", "Strike\n\nAt 4:15 a.m. on March 3, 2024, an F-16 fired two missiles at a depot near Odesa.")
    got = [(m.tok.surface, m.counted) for m in mentions(d)]
    assert ("two", "rockets") in got
    assert not [s for s, _ in got if s in ("4", "15", "2024", "16", "3")]


def test_head_noun_of_a_compound_and_times_verbs():
    d = doc("d", "Tally\n\nMore than 90 drone attacks have hit Ukrainian power plants since October.\n\n"
                 "Russian positions near Bakhmut were shelled at least 40 times overnight.")
    got = {(m.tok.surface, m.counted, m.scope) for m in mentions(d)}
    assert ("90", "attacks", "cumulative") in got
    assert ("40", "attacks", "event") in got


STOCK_A = ("UN extends Abyei mission\n\nThe Security Council extended the peacekeeping mission in the "
           "disputed Abyei region for another year on Tuesday.\n\nThe United Nations has about 1,000 "
           "peacekeepers in South Sudan's Abyei region, a UN spokesperson said.\n\nBoth Sudan and South "
           "Sudan claim the oil-rich border area.")


def test_stock_figure_contradiction_is_flagged():
    b = doc("b", "Abyei mandate renewed\n\nThe UN Security Council on Tuesday renewed the mandate of its "
                 "peacekeeping mission in Abyei for a year.\n\nSome 1,500 peacekeepers in Abyei patrol the "
                 "border area, the mission said.\n\nSudan and South Sudan both claim the region.")
    got = [c for c in claims(doc("a", STOCK_A), b) if c.mentions[0].counted == "troops"]
    assert len(got) == 1 and got[0].discrepancy
    assert {m.value for m in got[0].mentions} == {1000, 1500}
    assert "stock" in got[0].about


def test_stock_figure_within_hedges_is_not_flagged():
    b = doc("b", "Abyei mandate renewed\n\nThe UN Security Council on Tuesday renewed the mandate of its "
                 "peacekeeping mission in Abyei for a year.\n\nThe UN keeps 1,050 peacekeepers in Abyei to "
                 "patrol the disputed border area.\n\nSudan and South Sudan both claim the region.")
    got = [c for c in claims(doc("a", STOCK_A), b) if c.mentions[0].counted == "troops"]
    assert len(got) == 1 and not got[0].discrepancy


TOLL = "Floods\n\nAt least {n} people have been killed in Derna since the dam burst, {src} said."


def test_stale_running_total_is_not_a_contradiction():
    early = doc("early", TOLL.format(n="2,300", src="the Red Crescent"), "2023-09-12")
    late = doc("late", TOLL.format(n="4,000", src="the health ministry"), "2023-09-15")
    got = [c for c in claims(early, late) if c.mentions[0].counted == "killed"]
    assert len(got) == 1 and not got[0].discrepancy
    assert {m.date for m in got[0].mentions} == {"2023-09-12", "2023-09-15"}


def test_later_smaller_running_total_is_a_contradiction():
    early = doc("early", TOLL.format(n="4,000", src="the Red Crescent"), "2023-09-12")
    late = doc("late", TOLL.format(n="2,300", src="the health ministry"), "2023-09-15")
    got = [c for c in claims(early, late) if c.mentions[0].counted == "killed"]
    assert len(got) == 1 and got[0].discrepancy
    assert "smaller" in got[0].about


def test_event_figures_of_different_days_are_not_joined():
    a = doc("a", "Raid\n\nThe army said 12 people were killed in Derna on Monday in clashes.")
    b = doc("b", "Clashes\n\nOfficials said 3 people were killed in Derna on Friday in new fighting.")
    assert not [c for c in claims(a, b) if c.mentions[0].counted == "killed"]


# --- what a figure counts, bound to its own clause ----------------------------------------------

def counted(text: str) -> dict[str, str]:
    return {m.tok.surface: m.counted for m in mentions(doc("d", "Report\n\n" + text))}


def test_each_figure_takes_the_word_nearest_it():
    assert counted("The storm killed 14 people and injured 200 others in Manila.") == {"14": "killed", "200": "injured"}
    got = counted("The war has killed more than 9,000 people and wounded thousands of others, the UN said.")
    assert got == {"9,000": "killed"}


def test_count_nouns_and_romance_word_order():
    assert counted("The death toll from the landslide rose to 2,300 on Friday.") == {"2,300": "killed"}
    assert counted("The UN lowered to more than 4,000 the number of dead confirmed by the floods.") == \
        {"4,000": "killed"}
    assert counted("The number of wounded reached 450, the hospital said.") == {"450": "injured"}


def test_predicates_and_paraphrases_of_displacement():
    assert counted("About 700 were still missing after the mudslide.") == {"700": "missing"}
    assert counted("Some 30.000 people have lost their homes in the valley.") == {"30.000": "displaced"}
    assert counted("The town is home to about 80,000 people.") == {"80,000": "residents"}


def test_projection_is_not_a_count():
    d = doc("d", "Floods\n\nThe mayor said the toll could reach 10,000 to 12,000 people.")
    (m,) = mentions(d)
    assert (m.scope, m.hedge, m.value, m.upper) == ("projection", "range", 10000, 12000)


def test_a_joined_sentence_keeps_its_figures_apart():
    """A scraped copy glued two sentences: the market toll and the war toll must not share a claim."""
    wire = doc("wire", "Market shelled\n\nAt least 12 people were killed when shells hit the central market of "
                       "Kharkiv, the governor said.\n\nThe war has killed more than 9,000 civilians since 2022, "
                       "according to the United Nations.")
    scraped = doc("scraped", "Market shelled in Kharkiv\n\nAt least 12 people were killed when shells hit the "
                             "central market of Kharkiv, the governor said The war has killed more than 9,000 "
                             "civilians since 2022, according to the United Nations.")
    got = [sorted(m.value for m in c.mentions) for c in claims(wire, scraped) if c.mentions[0].counted == "killed"]
    assert sorted(got) == [[12, 12], [9000, 9000]]


SIEGE = "Siege\n\n{fig} were killed since Sunday in Bakhmut, according to the regional governor."


def test_one_incident_counted_differently_the_same_day_is_a_discrepancy():
    a = doc("a", SIEGE.format(fig="At least 31 people"), "2024-03-11")
    b = doc("b", SIEGE.format(fig="Some 37 people"), "2024-03-12")
    got = [c for c in claims(a, b) if c.mentions[0].counted == "killed"]
    assert len(got) == 1 and got[0].discrepancy
    assert "within 1 day" in got[0].about


def test_reporting_lag_and_later_growth_are_not_discrepancies():
    a = doc("a", SIEGE.format(fig="At least 31 people"), "2024-03-11")
    close = doc("close", SIEGE.format(fig="Thirty-three people"), "2024-03-11")
    later = doc("later", SIEGE.format(fig="At least 52 people"), "2024-03-16")
    got = [c for c in claims(a, close, later) if c.mentions[0].counted == "killed"]
    assert len(got) == 1 and not got[0].discrepancy
    assert {m.value for m in got[0].mentions} == {31, 33, 52}


# --- a person word is not a class: what the clause says the people did is ----------------------

def test_people_alone_is_no_class_the_clause_decides():
    assert counted("At least 40 people drowned when the ferry capsized.") == {"40": "killed"}
    assert counted("Sixteen persons have lost the life in the sinking.") == {"Sixteen": "killed"}
    assert counted("The ferry left Mbandaka with about 160 people on board.") == {"160": "passengers"}
    assert counted("It was carrying 212 passengers and crew.") == {"212": "passengers"}
    assert counted("Divers pulled 25 survivors from the river.") == {"25": "survivors"}
    assert counted("Some 30 persons are still missing, the navy said.") == {"30": "missing"}
    assert counted("About 2,000 people gathered in the square on Sunday.") == {}


FERRY_WIRE = ("Ferry capsizes on Congo River\n\nAt least 40 people drowned and dozens more were missing "
              "after an overloaded ferry capsized on the Congo River near Mbandaka on Tuesday, provincial "
              "officials said.\n\nThe vessel was carrying about 160 passengers from Lisala when it sank, the "
              "officials said.")
FERRY_COPY = ("Congo ferry disaster: 40 dead\n\nAt least 40 people drowned and dozens more were missing "
              "after an overloaded ferry capsized on the Congo River near Mbandaka on Tuesday, provincial "
              "officials said.\n\nShare this article")
FERRY_LOCAL = ("River toll rises to 40\n\nThe death toll from Tuesday's ferry accident on the Congo River "
               "near Mbandaka has risen to 40, the provincial governor said, as divers searched for dozens "
               "still missing.\n\nThe overloaded ferry left Lisala with about 165 people on board and "
               "capsized near Mbandaka, the port authority said.")


def test_dead_and_on_board_are_different_claims():
    """'40 people drowned' and '165 people on board' were one 'people' claim, called consistent:
    the count of the dead must never hold the count of those on board."""
    got = claims(doc("wire", FERRY_WIRE, "2024-06-11"), doc("copy", FERRY_COPY, "2024-06-11"),
                 doc("local", FERRY_LOCAL, "2024-06-12"))
    for c in got:
        values = {m.value for m in c.mentions}
        assert not (values & {40} and values & {160, 165}), c.about
    killed = [c for c in got if c.mentions[0].counted == "killed"]
    assert len(killed) == 1 and {m.doc_id for m in killed[0].mentions} == {"wire", "copy", "local"}
    assert {m.value for m in killed[0].mentions} == {40} and not killed[0].discrepancy
    assert all(m.counted == "passengers" for c in got for m in c.mentions if m.value in (160, 165))


# --- disaster counts, predicates past an apposition, partitives --------------------------------

def test_quake_magnitude_before_or_after_the_figure_and_damage_counts():
    assert counted("A magnitude 7.1 earthquake struck the Pacific coast of Peru on Tuesday.") == {"7.1": "magnitude"}
    assert counted("The 7.1-magnitude quake destroyed 450 houses in 9 villages near Arequipa.") == \
        {"7.1": "magnitude", "450": "buildings", "9": "settlements"}
    assert counted("It was followed by five strong aftershocks.") == {"five": "aftershocks"}


def test_on_board_is_matched_as_a_phrase():
    assert counted("The ferry had 150 people on board when it sank.") == {"150": "passengers"}
    assert counted("The 11 people who sit on the board of the port authority resigned.").get("11") != "passengers"


def test_a_subject_figure_takes_its_predicate_not_a_later_noun():
    """'31 were rescued by a ship': survivors, not ships; a with-word past an apposition counts too."""
    assert counted("The trawler carried 40 miners, of whom 31 were rescued by a coastguard ship.")["31"] == "survivors"
    assert counted("Four workers at the Tema refinery, a state-owned plant, died on Monday.") == {"Four": "killed"}


def test_partitive_figure_takes_the_noun_of_the_whole():
    assert counted("Coastguards rescued 14 of the 60 migrants on board.") == {"14": "survivors", "60": "passengers"}


def test_translated_magnitude_joins_the_wire_figure():
    wire = doc("wire", "Quake hits Peru\n\nA magnitude 7.1 earthquake struck southern Peru on Tuesday, destroying "
                       "about 450 houses in the Arequipa region, officials said.", "2024-06-18")
    mt = doc("mt", "Earthquake in Peru\n\nThe seism of magnitude 7.1 registered this Tuesday in the south of Peru "
                   "destroyed some 450 houses in the region of Arequipa, informed the authorities.", "2024-06-19")
    got = {c.mentions[0].counted: {m.doc_id for m in c.mentions} for c in claims(wire, mt)}
    assert got.get("magnitude") == {"wire", "mt"} and got.get("buildings") == {"wire", "mt"}


# --- real-copy wordings and place grains ---------------------------------------------------------

def test_lives_and_gerund_tolls():
    assert counted("The floods claimed the lives of at least 100 people in the state.") == {"100": "killed"}
    assert counted("The quake struck the island, killing four people and injuring 736 people.") == \
        {"four": "killed", "736": "injured"}
    assert counted("Police raided the station, arresting 13 individuals.") == {"13": "detained"}
    assert counted("Another 131 were left missing after the floods.") == {"131": "missing"}


def test_one_toll_named_at_two_grains_is_one_claim_but_a_split_count_is_not():
    a = doc("a", "Floods\n\nThe floods have killed 39 people in Brazil, the civil defence agency said on Sunday.")
    b = doc("b", "Floods\n\nThe floods have killed 78 people in Rio Grande, the civil defence agency said on Sunday.")
    joined = [c for c in claims(a, b) if c.mentions[0].counted == "killed"]
    assert len(joined) == 1 and {m.doc_id for m in joined[0].mentions} == {"a", "b"}
    # an article that counts Iraq and Syria apart shows the two places' figures are different ones
    from dataclasses import replace
    from audit.align.claims import _places_differ, split_places
    base = mentions(doc("c", "Troops\n\nWashington has 2,500 soldiers in Iraq, officials said."))[0]
    c_iraq, c_syria = replace(base, places=("@iraq",)), replace(base, value=900.0, places=("@syria",))
    d_syria = replace(base, doc_id="d", value=900.0, places=("@syria",))
    e_brazil = replace(base, doc_id="e", places=("@brazil",))
    split = split_places([c_iraq, c_syria, d_syria, e_brazil])
    assert _places_differ(c_iraq, d_syria, split)
    assert not _places_differ(d_syria, e_brazil, split)      # neither article splits its count
