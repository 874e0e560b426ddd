"""Stories (same events) and topics (shared background), near-copies with their source, and
different stories kept apart."""
from __future__ import annotations

import random

from audit.align import AlignSettings, align_batch
from audit.ingest.build import make_document
from audit.types import Document, SourceMeta

BACKGROUND = ("The quake, the strongest to hit the region in more than a century, killed nearly 3,000 "
              "people and destroyed villages across the High Atlas mountains.")


def doc(doc_id: str, text: str, date: str, trust: float = 1.0) -> Document:
    return make_document(doc_id, f"{doc_id}.txt", text, SourceMeta(trust=trust), date=date)


WIRE = doc("wire", "Rescuers dig through rubble in Al Haouz after Morocco earthquake\n\n"
           "Rescue teams from Spain and Qatar joined Moroccan soldiers on Sunday digging through collapsed "
           "mud-brick homes in Al Haouz province.\n\n"
           "The interior ministry said 2,122 people had been confirmed dead and 2,421 injured.\n\n"
           "In the village of Tafeghaghte, almost every house was flattened and residents slept in the open.\n\n"
           "Aid convoys struggled on mountain roads blocked by landslides, officials said.\n\n" + BACKGROUND,
           "2023-09-10", trust=2.0)
RESPUN = doc("respun", "Morocco quake: rescuers race against time in Al-Haouz\n\n"
             "Moroccan troops and rescue teams from Spain and Qatar dug through the rubble of collapsed "
             "mud-brick houses in Al-Haouz province on Sunday.\n\n"
             "According to the interior ministry, 2,122 people were confirmed dead and 2,421 were injured.\n\n"
             "Almost every house in the village of Tafeghaghte was destroyed and people slept outdoors.\n\n"
             "Officials said aid convoys were slowed by landslides blocking mountain roads.",
             "2023-09-10")
# A French wire story machine-translated back into English: same statements, other words.
TRANSLATED = doc("translated", "Earthquake in Morocco: the rescuers search the ruins of El Haouz\n\n"
                 "Spanish and Qatari rescue teams joined the Moroccan army on Sunday to search the collapsed "
                 "mud brick houses of the province of El Haouz.\n\n"
                 "The Ministry of the Interior reported 2.122 deaths confirmed and 2.421 wounded.\n\n"
                 "In the village of Tafeghaghte almost all the houses were razed and the inhabitants slept "
                 "outside.\n\n"
                 "Humanitarian convoys were slowed down on the mountain roads cut by landslides, according "
                 "to officials.", "2023-09-11")
VISIT_A = doc("visit_a", "King visits quake survivors in Marrakech hospital\n\n"
              "King Mohammed VI visited injured survivors at the Mohammed VI university hospital in Marrakech "
              "on Tuesday and donated blood.\n\n"
              "The palace said the king ordered the rebuilding of damaged homes.\n\n" + BACKGROUND,
              "2023-09-12")
VISIT_B = doc("visit_b", "Moroccan king meets earthquake victims\n\n"
              "On Tuesday King Mohammed VI met injured quake survivors in the university hospital of Marrakech "
              "and gave blood, the palace said.\n\n"
              "He ordered that the damaged homes be rebuilt, according to a palace statement.\n\n" + BACKGROUND,
              "2023-09-12")
FOOTBALL = doc("football", "Real Madrid beat Getafe\n\n"
               "Jude Bellingham scored a late winner as Real Madrid beat Getafe 2-1 at the Bernabeu on "
               "Saturday.\n\nCarlo Ancelotti praised his midfielder after the match.", "2023-09-02")

ALL = [WIRE, RESPUN, TRANSLATED, VISIT_A, VISIT_B, FOOTBALL]


def run(docs):
    return align_batch(docs, [], [], AlignSettings())


def test_stories_topics_and_unrelated():
    al = run(ALL)
    stories = [set(s.doc_ids) for s in al.stories if s.kind == "story"]
    topics = [set(s.doc_ids) for s in al.stories if s.kind == "topic"]
    # the wire, its re-spun copy and its translation tell one event
    assert any({"wire", "respun", "translated"} <= s for s in stories)
    # the king's visit two days later is the same earthquake: one story or at least one topic
    assert any({"wire", "visit_a"} <= g for g in stories + topics)
    assert not any("football" in s for s in stories + topics)


def test_story_never_spans_events_weeks_apart():
    """The same kind of report six weeks later is another event, however alike the words."""
    later = doc("later", VISIT_A.text.replace("Tuesday", "Friday"), "2023-10-27")
    al = run([VISIT_A, VISIT_B, later])
    stories = [set(s.doc_ids) for s in al.stories if s.kind == "story"]
    assert {"visit_a", "visit_b"} in stories
    assert not any("later" in s for s in stories)


def test_story_ids_are_deterministic():
    ids = {(s.kind, tuple(s.doc_ids)): s.id for s in run(ALL).stories}
    shuffled = ALL[:]
    random.Random(3).shuffle(shuffled)
    again = {(s.kind, tuple(s.doc_ids)): s.id for s in run(shuffled).stories}
    assert ids == again


def test_translated_copy_is_a_near_copy_of_its_source():
    al = run([WIRE, TRANSLATED, VISIT_A])
    copies = [nc for s in al.stories for nc in s.near_copies]
    assert {"doc": "translated", "source": "wire"} in [{"doc": c["doc"], "source": c["source"]} for c in copies]
    assert all(c["doc"] != "wire" for c in copies)


def test_independent_reports_of_one_event_are_not_near_copies():
    al = run([VISIT_A, WIRE, FOOTBALL])
    assert not [nc for s in al.stories for nc in s.near_copies]


def test_date_window_keeps_a_later_event_apart():
    later = doc("later", WIRE.text.replace("on Sunday", "on Monday"), "2024-03-01")
    al = run([WIRE, later, FOOTBALL])
    assert not any({"wire", "later"} <= set(s.doc_ids) for s in al.stories if s.kind == "story")


def test_embeddings_ship_in_the_package_and_load_without_network(monkeypatch):
    import socket

    from audit.align import embed

    def no_network(*a, **k):
        raise AssertionError("the embeddings tried the network")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    embed._model.cache_clear()
    v = embed.word_vectors(["earthquake", "quake", "football"])
    v = v / (abs(v) ** 2).sum(axis=1, keepdims=True) ** 0.5
    assert v.shape == (3, 256)
    assert v[0] @ v[1] > v[0] @ v[2], "a quake should sit nearer an earthquake than football"


def _names_similarity(docs, entities):
    import numpy as np

    from audit.align.features import build_index
    from audit.align.normalize import load_lexicon
    from audit.align.story_features import build_reps, pair_features
    reps = build_reps(build_index(docs, entities, load_lexicon(())), embeddings=False)
    return float(pair_features(reps, np.array([0]), np.array([1]), ["names"])[0, 0])


def test_entity_groups_make_two_spellings_one_name():
    """'al-Soudani' (French romanisation) and 'al-Sudani' count as the same person once the
    name detector put both in one entity group."""
    from audit.types import EntityGroup, Mention
    a = doc("a", "Premier meets envoys\n\nPrime Minister Mohammed al-Sudani met Kurdish envoys in Erbil.",
            "2024-01-24")
    b = doc("b", "Premier talks\n\nPrime Minister Mohamed al-Soudani received the delegation in Basra.",
            "2024-01-24")
    spans = [("a", a.text.index("Mohammed al-Sudani"), "Mohammed al-Sudani"),
             ("b", b.text.index("Mohamed al-Soudani"), "Mohamed al-Soudani")]
    group = EntityGroup("sudani", "Mohammed Shia al-Sudani", "gazetteer",
                        [Mention(d, s, s + len(t), t) for d, s, t in spans])
    assert _names_similarity([a, b], [group]) > _names_similarity([a, b], [])


def test_story_model_is_data_with_a_weight_per_feature():
    from audit.align.story_features import load_model
    m = load_model()
    assert set(m.features) >= {"tfidf", "emb", "names", "gap"}
    assert len(m.coef) == len(m.features) and 0 < m.threshold < 1


def test_average_link_does_not_chain_two_events_through_one_article():
    """a~b and b~c are strong, a~c is nothing: single link would make one story of all three."""
    import numpy as np

    from audit.align.stories import average_link
    pairs = np.array([[0, 1], [1, 2], [0, 2], [3, 4]])
    p = np.array([0.95, 0.9, 0.0, 0.8])
    groups = sorted(sorted(g) for g in average_link(5, pairs, p, 0.7))
    assert [0, 1] in groups and [2] in groups and [3, 4] in groups


def test_articles_without_words_group_nothing_and_do_not_fail():
    a = doc("a", "The\n\nAnd the of it.", "2024-01-01")
    b = doc("b", "123\n\n456 789.", "2024-01-01")
    al = run([a, b, FOOTBALL])
    assert not [s for s in al.stories if s.kind == "story"]


def test_a_story_larger_than_max_story_docs_is_aligned_in_slices():
    """Sentence pairing is quadratic in a unit: a huge story is aligned in bounded slices."""
    from audit.align.batch import _units
    from audit.types import Story
    big = Story("s-big", "story", [f"d{i}" for i in range(7)])
    small = Story("s-small", "story", ["e1", "e2"])
    units = _units([big, small], max_docs=400, max_story=3)
    assert units == [("s-big", ["d0", "d1", "d2"]), ("s-big", ["d3", "d4", "d5"]), ("s-big", ["d6"]),
                     ("s-small", ["e1", "e2"])]


def test_a_component_too_large_for_a_dense_matrix_is_cut_not_chained(monkeypatch):
    """Two tight events joined by one weak link above the threshold: a component larger than
    DENSE_LINKAGE used to stay whole (single link); it is cut at stricter levels until the pieces
    fit, and each piece is average-linked."""
    import numpy as np

    from audit.align import stories
    monkeypatch.setattr(stories, "DENSE_LINKAGE", 4)
    pairs, p = [], []
    for lo in (0, 4):
        for a in range(lo, lo + 4):
            for b in range(a + 1, lo + 4):
                pairs.append([a, b])
                p.append(0.9)
    pairs.append([3, 4])
    p.append(0.45)
    groups = sorted(sorted(g) for g in stories.average_link(9, np.array(pairs), np.array(p), 0.4))
    assert groups == [[0, 1, 2, 3], [4, 5, 6, 7], [8]]


def test_a_story_with_more_copies_than_neighbours_stays_one_story():
    """Only each article's `neighbours` nearest are candidates; the pairs the search skipped are
    scored for the component (block_probability), not counted as 0, which cut a story of many
    reprints into dozens."""
    from audit.align import StorySettings
    from audit.align.features import build_index
    from audit.align.normalize import load_lexicon
    from audit.align.stories import group_stories
    rng = random.Random(3)
    paras = WIRE.text.split("\n\n")
    copies = []
    for i in range(90):
        kept = [paras[0], paras[1]] + [x for x in paras[2:] if rng.random() > 0.3]
        copies.append(doc(f"c{i:03d}", "\n\n".join(kept), "2023-09-10"))
    others = [doc("football", FOOTBALL.text, FOOTBALL.date)]
    index = build_index(copies + others, [], load_lexicon(()))
    got, _ = group_stories(index, StorySettings(neighbours=5))
    assert [sorted(s.doc_ids) for s in got if s.kind == "story"] == [sorted(d.id for d in copies)]
    few, _ = group_stories(index, StorySettings(neighbours=5, exact_component=2))
    assert len([s for s in few if s.kind == "story"]) > 1       # what counting them as 0 gave


CONFLICT_BACKGROUND = (
    "Armed groups in the region have attacked army posts more than 40 times since January, according to "
    "the defence ministry.\n\n"
    "The government declared a state of emergency in three provinces in March and asked neighbouring "
    "states for help with border patrols.")


def test_two_events_of_one_conflict_on_one_day_are_two_stories():
    """Same day, same background paragraphs, leads about different places and actors: the lead
    gate keeps them apart; a rewrite of one of them whose lead names the same place joins it."""
    ambush = doc("ambush", "Soldiers killed in ambush near Menaka\n\n"
                 "Gunmen ambushed an army convoy near Menaka on Tuesday, killing six soldiers, the Malian army "
                 "said.\n\n"
                 "The convoy was carrying fuel from Gao when it was attacked.\n\n" + CONFLICT_BACKGROUND,
                 "2024-05-14")
    ambush2 = doc("ambush2", "Malian troops ambushed near Menaka\n\n"
                  "Six Malian soldiers were killed on Tuesday when militants attacked their convoy close to "
                  "Menaka, according to the army.\n\n"
                  "The fuel convoy had left Gao in the morning.\n\n" + CONFLICT_BACKGROUND, "2024-05-14")
    strike = doc("strike", "Drone strike hits market in Kidal\n\n"
                 "A drone strike hit a crowded market in Kidal on Tuesday, local officials told AFP, blaming "
                 "the Wagner Group's allies in Bamako.\n\n"
                 "Residents said the cattle market was full when the drone struck.\n\n" + CONFLICT_BACKGROUND,
                 "2024-05-14")
    al = run([ambush, ambush2, strike])
    assert [sorted(s.doc_ids) for s in al.stories if s.kind == "story"] == [["ambush", "ambush2"]]


def test_components_are_the_union_find_groups_of_the_linked_nodes():
    """average_link's components come from scipy's connected_components: the same groups, in
    the same order (by smallest member, members ascending), as the union-find it replaced."""
    import numpy as np

    from audit.align.stories import UnionFind, components
    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(1, 120))
        edges = rng.integers(0, n, (int(rng.integers(0, 150)), 2)).astype(np.int64)
        for nodes in (np.unique(edges), np.arange(n)):
            uf = UnionFind(nodes.tolist())
            for a, b in edges.tolist():
                uf.union(a, b)
            assert components(n, edges, nodes) == uf.groups()
    assert components(5, np.zeros((0, 2), np.int64), np.zeros(0, np.int64)) == []
