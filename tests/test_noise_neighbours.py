"""Copies of one story as evidence (audit/boilerplate/neighbours.py): a line slipped between
paragraphs that the other copies print is this outlet's insertion; lines outside the shared
stretch and lines of unrelated articles are not judged."""
from __future__ import annotations

from audit.boilerplate import classify_batch, line_spans, recurrences
from audit.boilerplate.settings import BoilerplateSettings
from test_boilerplate import doc_from_text

STORY = [
    "Floods cut off three valley towns after the river burst its banks",
    "Rescue teams reached the town of Alder Creek on Tuesday after the river rose two metres "
    "overnight and cut the only road into the valley, officials said.",
    "The regional governor said more than 4,000 people had left their homes and that the army "
    "would bring boats and helicopters to the worst hit districts before nightfall.",
    "Residents described water reaching the first floor of their houses within an hour, and "
    "several families spent the night on the roofs of the school and the church.",
    "Forecasters warned that more rain was expected on Thursday and that the river could rise "
    "again, while engineers inspected two bridges that were damaged by debris.",
    "The government has promised emergency funds for the farmers whose fields and barns were "
    "destroyed, the agriculture minister told reporters in the capital.",
]
TEASER = "Watch our new documentary on the valley towns tonight"
UNRELATED = [
    "Central bank holds interest rates at record level",
    "The central bank kept its main interest rate unchanged on Wednesday, saying inflation was "
    "still too high for the cuts that businesses had asked for in recent months.",
    "Analysts had expected the decision, and the currency barely moved after the statement was "
    "published, traders in the capital said.",
]


def _batch():
    a = STORY[:3] + [TEASER] + STORY[3:]
    b = list(STORY)
    c = list(STORY[:4])          # an excerpt: stops early, prints no line a does not
    return [doc_from_text("\n".join(a), "a", outlet="Alpha"),
            doc_from_text("\n".join(b), "b", outlet="Beta"),
            doc_from_text("\n".join(c), "c", outlet="Gamma"),
            doc_from_text("\n".join(UNRELATED), "u", outlet="Delta")]


def test_inserted_line_is_unprinted_by_the_copies_with_their_ids():
    docs = _batch()
    recs = recurrences(docs, [line_spans(d) for d in docs], BoilerplateSettings())
    marked = {d.id: {k: r.unprinted_by for k, r in rec.recs.items() if r.unprinted_by}
              for d, rec in zip(docs, recs)}
    assert list(marked["a"].values()) == [["b", "c"]]
    assert "documentary" in next(iter(marked["a"]))
    # the copies' own lines are all printed by a; the unrelated article has no copies
    assert marked["b"] == {} and marked["c"] == {} and marked["u"] == {}


def test_the_cue_names_the_copies_and_turns_the_teaser_into_noise():
    docs = _batch()
    verdicts = {v.text: v for v in classify_batch(docs)[0]}
    teaser = verdicts[TEASER]
    cue = next(c for c in teaser.cues if c.name == "unprinted-by-copies")
    assert cue.source == "batch" and cue.weight > 0 and cue.detail["copies"] == ["b", "c"]
    assert "2 other version(s) of this story" in cue.explain
    assert teaser.noise
    # the story's paragraphs stay content in every copy
    for vs in classify_batch(docs):
        assert not [v.text for v in vs if v.noise and v.text in STORY]


def test_narrative_insertion_gets_a_quarter_of_the_weight():
    docs = _batch()
    added = ("The mayor said on Wednesday that the town had never seen such a flood in the "
             "hundred years since it was founded.")
    docs[0] = doc_from_text(docs[0].text.replace(TEASER, added), "a", outlet="Alpha")
    verdicts = {v.text: v for v in classify_batch(docs)[0]}
    cue = next(c for c in verdicts[added].cues if c.name == "unprinted-by-copies")
    assert cue.weight == BoilerplateSettings().weights.unprinted_by_copies / 4
    assert cue.detail["past_tense"] == "said"
    assert not verdicts[added].noise
