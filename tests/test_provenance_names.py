"""The provenance model's name-shape and lexicon features (audit/provenance_names.py): names the
data files never list still point to the language whose romanisation they follow."""
from __future__ import annotations

import pytest

from audit import provenance_features as pf, provenance_names as pn


def top(word: str) -> str:
    return max(pn.shape_votes(word), key=lambda kv: kv[1])[0]


@pytest.mark.parametrize("word,lang", [
    ("Peskov", "ru"), ("Kuznetsov", "ru"), ("Zhengzhou", "zh"), ("Schleswig", "de"),
    ("Nguyen", "vi"), ("Kahramanmaraş", "tr"), ("Ouagadougou", "fr")])
def test_a_name_votes_for_the_language_it_is_romanised_from(word, lang):
    assert top(word) == lang


def test_votes_are_shares_and_short_words_vote_nothing():
    votes = dict(pn.shape_votes("Kuznetsov"))
    assert 0.9 <= sum(votes.values()) <= 1.0 and all(0 < v <= 1 for v in votes.values())
    assert pn.shape_votes("Xi") == ()
    assert pn.fold("Erdoğan") == "erdogan"


def test_the_profile_gives_each_language_its_share_of_the_names(make_doc):
    doc = make_doc("Moscow\n\nDmitry Peskov and Sergei Kuznetsov met Vladimir Zhirinovsky's aides "
                   "in Novosibirsk, where Kolesnikov and Yaroslavtsev spoke to reporters.\n", lang="en")
    prof = pf.profile(doc, [], {})
    shape = {code: m["name-shape"].value for code, m in prof.lang_measures.items() if "name-shape" in m}
    assert max(shape, key=shape.get) == "ru"
    assert shape["ru"] > 2 * max(v for c, v in shape.items() if c != "ru") and sum(shape.values()) <= 1.0 + 1e-9
    assert "Kuznetsov" in prof.lang_measures["ru"]["name-shape"].examples


def test_words_english_does_not_use_count_for_the_lists_that_know_them(make_doc):
    doc = make_doc("Madrid\n\nThe Generalitat and the ayuntamiento asked the vecinos of the barrio "
                   "to stay at home, the consejero said on Tuesday.\n", lang="en")
    prof = pf.profile(doc, [], {})
    lex = {code: m["lexicon"].value for code, m in prof.lang_measures.items() if "lexicon" in m}
    assert max(lex, key=lex.get) == "es"
    assert prof.doc_measures["foreign-words"].count >= 3
