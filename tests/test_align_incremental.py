"""A re-run aligns only the stories new articles touch: each alignment unit is reused from the
cache while its documents and what it reads of the batch index are unchanged, and the result
equals an uncached run's (pipeline._align, align.features.unit_index)."""
from __future__ import annotations

from audit import pipeline
from audit.align import AlignSettings, align_batch
from audit.align.batch import align_unit_result
from audit.align.claims import load_claim_lexicon
from audit.align.features import build_index, unit_index
from audit.align.normalize import load_lexicon
from audit.cache import Cache
from audit.config import Config
from tests.test_align_stories import FOOTBALL, RESPUN, TRANSLATED, WIRE, doc

MATCH = doc("match", "Bellingham winner lifts Real Madrid past Getafe\n\n"
            "Real Madrid beat Getafe 2-1 at the Bernabeu on Saturday after Jude Bellingham scored a "
            "late winner.\n\nAncelotti praised the midfielder after the match.", "2023-09-02")
REPORT = doc("report", "Real Madrid edge Getafe\n\n"
             "A late Jude Bellingham goal gave Real Madrid a 2-1 win over Getafe at the Bernabeu on "
             "Saturday.\n\nCarlo Ancelotti praised his midfielder after the game.", "2023-09-02")


def _units(cache: Cache) -> dict[str, int]:
    t = cache.tallies.get("align units", {})
    return {"reused": t.get("reused", 0), "computed": t.get("computed", 0)}


def test_a_grown_batch_reuses_the_untouched_story_and_equals_an_uncached_run(tmp_path):
    cfg = Config.model_validate({})
    first = [WIRE, RESPUN, TRANSLATED, FOOTBALL, MATCH]
    before = pipeline._align(first, [], [], cfg, Cache(tmp_path / "c"), "")
    assert len([s for s in before.stories if s.kind == "story"]) == 2
    grown = first + [REPORT]
    cache = Cache(tmp_path / "c")
    again = pipeline._align(grown, [], [], cfg, cache, "")
    assert _units(cache) == {"reused": 1, "computed": 1}       # the quake story, the match story
    assert again == align_batch(grown, [], [], AlignSettings())
    assert any(set(g.doc_ids()) >= {"wire", "respun"} for g in again.groups)
    same = Cache(tmp_path / "c")
    assert pipeline._align(grown, [], [], cfg, same, "") == again
    assert _units(same) == {"reused": 2, "computed": 0}


def test_a_units_alignment_does_not_depend_on_the_rest_of_the_batch():
    """Word weights are counted over the unit: the quake story aligns alike next to an
    unrelated story or alone."""
    s = AlignSettings()
    lex = load_lexicon(s.synonyms)
    cl = load_claim_lexicon(lex, s.claims.classes)
    ids = ["respun", "translated", "wire"]
    alone = build_index([WIRE, RESPUN, TRANSLATED], [], lex)
    mixed = build_index([WIRE, FOOTBALL, RESPUN, MATCH, TRANSLATED, REPORT], [], lex)
    assert alone.idf != mixed.idf                           # the batch's weights move ...
    assert unit_index(alone, ids).idf == unit_index(mixed, ids).idf   # ... the unit's do not
    a, b = align_unit_result(alone, ids, cl, s), align_unit_result(mixed, ids, cl, s)
    assert a.groups and a.claims
    assert a == b
