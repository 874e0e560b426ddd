"""token-merge: fused words ("rebelsWhich", "spokesmanconfirmed") and split ones ("infor med")."""
from __future__ import annotations

from audit.artifacts.registry import load_all
from audit.artifacts.tokens import TokenMergeSettings
from audit.types import BatchContext


def run(*docs, **settings):
    cls = load_all()["token-merge"]
    det = cls(TokenMergeSettings(**settings))
    return det.run(BatchContext(docs=list(docs)))


def test_lower_case_fusion_splits_into_two_frequent_words(make_doc):
    doc = make_doc("Talks resume\n\nThe army spokesmanconfirmed on Sunday that two soldiers "
                   "were wounded near Bakhmut.\n")
    [f] = run(doc)
    assert f.text == "spokesmanconfirmed"
    assert f.kind == "token-merge"
    assert f.suggestion == "spokesman confirmed"
    assert f.evidence["zipf"]["spokesman"] >= 3 and f.evidence["zipf"]["confirmed"] >= 3
    assert f.evidence["zipf"]["spokesmanconfirmed"] == 0


def test_camel_hump_before_function_word_is_flagged(make_doc):
    doc = make_doc("Clashes in Sudan\n\nThe army shelled positions held by the rebelsWhich "
                   "control most of Khartoum, residents said.\n")
    [f] = run(doc)
    assert f.text == "rebelsWhich"
    assert f.suggestion == "rebels which"
    assert f.evidence["rule"] == "camel-hump"


def test_name_glued_to_the_next_word_uses_the_batch(make_doc):
    a = make_doc("Ethiopia truce\n\nFighting in Tigray has eased since the truce, aid groups "
                 "said, and convoys reached Tigray on Monday.\n", doc_id="a")
    b = make_doc("Ethiopia truce\n\nForces loyal to the regional government in TigrayAttacked "
                 "federal positions overnight.\n", doc_id="b")
    found = run(a, b)
    assert [f.text for f in found] == ["TigrayAttacked"]
    assert found[0].suggestion == "Tigray attacked"


def test_legitimate_camel_case_is_not_flagged(make_doc):
    doc = make_doc(
        "Tech and politics\n\nThe video went viral on YouTube and LinkedIn before Apple pulled "
        "the iPhone app, and the PowerPoint slides were sold on eBay. Governor DeSantis and "
        "General MacArthur's biographer spoke at McDonald's headquarters, while Bashar al-Assad "
        "was mentioned on PlayStation forums.\n")
    assert run(doc) == []


def test_extra_legit_words_from_config(make_doc):
    doc = make_doc("Startups\n\nThe company openWave raised money from investors this week.\n")
    assert [f.text for f in run(doc)] == ["openWave"]
    assert run(doc, extra_legit=["openWave"]) == []


def test_word_split_in_two(make_doc):
    doc = make_doc("Cabinet row\n\nThe minister said he had not been infor med of the decision "
                   "before it was announced.\n")
    [f] = run(doc)
    assert f.text == "infor med"
    assert f.suggestion == "informed"
    assert f.evidence["rule"] == "word-split-in-two"


def test_links_handles_and_unknown_names_are_left_alone(make_doc):
    doc = make_doc("Links\n\nRead more at newsroomupdates.com or follow @pressofficeteam for "
                   "details about Zaporizhzhia and Nouakchott.\n")
    assert run(doc) == []


def test_non_english_documents_are_skipped(make_doc):
    doc = make_doc("Titre\n\nLe porte-paroleWhich a confirmé la nouvelle.\n", lang="fr")
    assert run(doc) == []


def test_derived_words_are_not_split_at_an_affix(make_doc):
    """wordfreq rates "ism" and "ment" as tokens, but "officialism" is one (rare) word, and
    "signalment" is French "signalement" left in: not two words that lost their space."""
    doc = make_doc("Police appeal\n\nThe prefecture criticised the officialism of the ministry "
                   "and issued a signalment of the suspect, while the spokesmanconfirmed it.\n")
    assert [f.text for f in run(doc)] == ["spokesmanconfirmed"]
