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
