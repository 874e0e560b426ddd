"""Vocabulary the detectors read from audit/data/ rather than from code: connectors, particles,
generic outlet words, date words. Each list is checked through the behaviour it drives, on
cases from other stories and languages, and the data files themselves are checked for YAML's
traps (an unquoted `on` or `no` loads as a boolean)."""
from __future__ import annotations

import pytest

from audit.align.dates import load_dates
from audit.align.features import build_index
from audit.align.normalize import load_lexicon
from audit.artifacts._text import data, language_name
from audit.boilerplate.structure import site_name_words
from audit.ingest.build import make_document
from audit.names.acronyms import initials
from audit.names.gazetteer import form_names
from audit.names.words import name_data
from audit.types import SourceMeta


def dates_in(text: str, published: str = "2024-03-14") -> dict[str, tuple[str, ...]]:
    """{date expression as written: its keys} in a one-sentence article."""
    d = make_document("d", "d.txt", "Headline\n\n" + text, SourceMeta(), date=published)
    idx = build_index([d], [], load_lexicon())
    return {t.surface: (t.key, *t.extra) for s in idx.sentences for t in s.tokens if t.kind == "date"}


def test_acronym_expansions_skip_connectors_of_several_languages():
    assert initials("Organización de las Naciones Unidas") == "ONU"
    assert initials("Médecins du Monde") == "MM"
    assert initials("Deutsche Gesellschaft für Internationale Zusammenarbeit") == "DGIZ"


def test_gazetteer_forms_drop_inner_connectors_but_keep_edge_words():
    assert form_names("Council on Foreign Relations") == ("Council", "Foreign", "Relations")
    assert form_names("Party of the Regions") == ("Party", "Regions")
    # a connector that ends the form is a name word ("Seventh Day of")
    assert form_names("Friends of") == ("Friends", "of")


def test_generic_outlet_words_are_no_evidence_of_the_masthead(make_doc):
    doc = make_doc("Floods hit Jakarta\n\nRain fell for a third day.", outlet="The Jakarta Post")
    assert site_name_words(doc) == {"jakarta"}
    doc = make_doc("Quake in Anatolia\n\nThe ground shook at dawn.", outlet="Daily Sabah Online")
    assert site_name_words(doc) == {"sabah"}


def test_date_words_from_the_data_file():
    got = dates_in("A week ago, Storm Daniel reached the coast; by the end of February the "
                   "levee had failed.", published="2024-03-14")
    assert got["A week ago"][0].startswith("%2024-03")
    assert "%2024-02" in got["end of February"]           # "of" links the part to the month
    # a year before a lower-case word is a count unless a leader word stands before it
    assert "2000" not in dates_in("Some 2000 volunteers arrived.")
    assert dates_in("Since 2015 volunteers have rebuilt the dykes.")["Since 2015"][-1] == "%2015"


def test_language_names_cover_every_residue_language():
    from audit.artifacts.residue import ResidueSettings, RUN_LANGS
    for code in (*RUN_LANGS, *ResidueSettings().word_langs):
        if code != "id":                      # Indonesian is only ever reported by its code
            assert language_name(code) != code, code
    assert language_name("xx") == "xx"


LISTS = [("name_words.yaml", k) for k in ("join_connectors", "form_connectors",
                                          "acronym_connectors", "hump_prefixes")] + [
    ("dates.yaml", k) for k in ("one", "part_links", "year_followers", "year_leaders")] + [
    ("claims.yaml", k) for k in ("modifier_suffixes", "place_particles")] + [
    ("function_words.yaml", k) for k in ("paragraph_never_ends", "before_initialism")] + [
    ("boilerplate.yaml", "generic_outlet_words"), ("calques.yaml", "title_langs")]


@pytest.mark.parametrize("name,key", LISTS)
def test_moved_lists_load_as_words(name, key):
    raw = name_data() if name == "name_words.yaml" else data(name)
    items = raw.get(key)
    assert items, f"{name}: {key} is missing or empty"
    assert all(isinstance(w, str) and w.strip() for w in items), f"{name}: {key}: {items}"


def test_calque_slot_words_load_as_words():
    slots = data("calques.yaml")["slots"]
    for group in slots.values():
        for key, items in group.items():
            assert items and all(isinstance(w, str) and w for w in items), key
    assert "On" in slots["name"]["not_first"]     # YAML 1.1 reads a bare On as True


def test_dates_lexicon_has_the_moved_lists():
    lex = load_dates()
    assert {"a", "an"} <= lex.first_words
    assert "on" in lex.year_followers and "since" in lex.year_leaders
