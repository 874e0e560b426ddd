"""Word diffs of aligned sentences: word-level ops, the reference member, and marks on changed
words that are known artifacts; the two-document view used by `audit diff`."""
from __future__ import annotations

from diff_match_patch import diff_match_patch

from audit.align import AlignSettings, align_batch
from audit.align.diffs import word_diff
from audit.align.pairwise import align_pair, rows
from audit.ingest.build import make_document
from audit.types import Document, Finding, SourceMeta

A = "President Zelensky met troops in Kharkiv on Friday and promised more air defence systems."
B = "President Zelenskiy met soldiers in Kharkov on Friday and promised more air-defence systems."


def doc(doc_id: str, text: str, trust: float = 1.0, date: str = "2024-05-10") -> Document:
    return make_document(doc_id, f"{doc_id}.txt", text, SourceMeta(trust=trust), date=date)


def test_word_diff_round_trips_and_keeps_words_whole():
    dmp = diff_match_patch()
    merged = word_diff(A, B)                      # semantic cleanup may merge nearby changes
    assert dmp.diff_text1(merged) == A and dmp.diff_text2(merged) == B
    ops = word_diff(A, B, cleanup=False)
    assert dmp.diff_text1(ops) == A and dmp.diff_text2(ops) == B
    changed = [t for op, t in ops if op != 0]
    assert all(t == "" or t[0] != " " for t in changed)
    assert any(t.startswith("Kharkiv") for op, t in ops if op == -1)
    assert any(t.startswith("Kharkov") for op, t in ops if op == 1)
    # never split inside a word (cleanup ran on the encoded diff)
    for op, t in ops:
        if op != 0:
            assert t.strip() in A.split() + B.split() or " " in t.strip()


ORIGINAL = ("Kharkiv visit\n\n" + A + "\n\nHe said Ukraine needed at least seven more Patriot batteries to "
            "protect its cities.\n\nThe city has been shelled almost daily since March.")
COPY = ("Zelenskiy in Kharkov\n\n" + B + "\n\nHe said Ukraine needed at least seven more Patriot batteries "
        "to protect its cities.\n\nIn other news, fuel prices rose again in Kyiv.")


def test_diffs_use_the_trusted_article_as_reference_and_mark_known_artifacts():
    src, cp = doc("agency", ORIGINAL, trust=2.0), doc("site", COPY, trust=0.5)
    at = cp.text.index("Kharkov on")
    finding = Finding.at(cp, at, at + len("Kharkov"), "entity-variant", "warning",
                         "Russian romanisation of a Ukrainian city name", "entities", suggestion="Kharkiv")
    al = align_batch([cp, src], [], [finding], AlignSettings())
    pair = next(d for d in al.diffs if "Kharkov" in cp.text[d.b.start:d.b.end] or
                "Kharkov" in cp.text[d.a.start:d.a.end])
    assert pair.a.doc_id == "agency" and pair.b.doc_id == "site"
    marks = [m for m in pair.marks if m["kind"] == "entity-variant"]
    assert marks and marks[0]["side"] == "b" and marks[0]["text"] == "Kharkov"
    assert cp.text[marks[0]["start"]:marks[0]["end"]] == marks[0]["text"]
    identical = [d for d in al.diffs if all(op == 0 for op, _ in d.ops)]
    assert identical, "the unchanged Patriot sentence should diff as all-equal"


def test_pairwise_view_lists_both_sides_in_reading_order():
    a, b = doc("a", ORIGINAL), doc("b", COPY)
    al = align_pair(a, b)
    got = rows(a, b, al)
    matched = [r for r in got if r.a and r.b]
    assert len(matched) >= 2 and all(r.diffs for r in matched)
    only_b = [b.text[r.b[0].start:r.b[0].end] for r in got if r.a is None]
    assert any("fuel prices" in t for t in only_b)
    only_a = [a.text[r.a.start:r.a.end] for r in got if r.a and not r.b]
    assert any("shelled almost daily" in t for t in only_a)
    starts = [r.a.start for r in got if r.a]
    assert starts == sorted(starts)


def test_pairwise_aligns_even_unrelated_documents_without_error():
    a = doc("a", ORIGINAL)
    other = doc("c", "Markets\n\nOil prices rose two percent on Monday as OPEC signalled output cuts.")
    al = align_pair(a, other)
    assert al.groups == [] and rows(a, other, al)
    assert align_pair(a, a).groups == []


# --- acceptable spellings are neutral marks, never "known artifacts" -------------------------------

FERRY_AGENCY = ("Ferry fire off Zanzibar\n\nZANZIBAR (AP) - At least 12 people died when a ferry caught "
                "fire off Pemba island on Monday, regional commissioner Idrissa Kitwana said.\n\nThe "
                "ferry was carrying about 150 passengers from Tanga when the fire broke out in the engine "
                "room, Kitwana told reporters.\n\nThe cause of the fire is under investigation.")
FERRY_SITE = ("Zanzibar ferry fire: 12 dead\n\nAt least 12 people died when a ferry caught fire off Pemba "
              "island on Monday, regional commissioner Idrissa Kitwana said.\n\nThe ferry was carrying "
              "about 150 passengers from Tanga when the fire broke out in the engine room near the shore."
              "\n\nThe cause of the fire is under investigation.")


def _ferry_diffs():
    from audit.artifacts.entities import EntityVariants
    from audit.types import BatchContext
    src, cp = doc("agency", FERRY_AGENCY, trust=2.0), doc("site", FERRY_SITE, trust=0.5)
    ctx = BatchContext(docs=[src, cp])
    findings = EntityVariants(EntityVariants.Settings(shipped_gazetteer=False)).run(ctx)
    kitwana = next(g for g in ctx.entities if "Kitwana" in g.verdicts)
    assert kitwana.verdicts["Kitwana"] == "acceptable" and not findings
    al = align_batch([src, cp], ctx.entities, findings, AlignSettings())
    return next(d for d in al.diffs if "Kitwana told" in src.text[d.a.start:d.a.end])


def test_acceptable_spelling_is_a_variant_mark_not_an_artifact():
    pair = _ferry_diffs()
    marks = [m for m in pair.marks if m["text"].startswith("Kitwana")]
    assert marks and all(m["type"] == "variant" and m["kind"] == "spelling-variant" for m in marks)
    assert not [m for m in pair.marks if m["type"] == "artifact"]


def test_findings_are_artifact_marks():
    src, cp = doc("agency", ORIGINAL, trust=2.0), doc("site", COPY, trust=0.5)
    at = cp.text.index("Kharkov on")
    finding = Finding.at(cp, at, at + len("Kharkov"), "entity-variant", "warning",
                         "Russian romanisation of a Ukrainian city name", "entities", suggestion="Kharkiv")
    al = align_batch([cp, src], [], [finding], AlignSettings())
    marks = [m for d in al.diffs for m in d.marks]
    assert marks and all(m["type"] == "artifact" for m in marks)


def test_report_renders_variant_marks_neutrally():
    from audit.report.html import Renderer
    from audit.report.settings import ReportSettings
    from audit.report.stories import diff_view
    pair = _ferry_diffs()
    view = diff_view(pair, {})
    variants = [p for p in view.pieces if p.variant]
    assert variants and all("acceptable" in p.mark for p in variants)
    html = str(Renderer(ReportSettings()).env.get_template("_macros.html").module.diff_body(view))
    assert '<span class="variant"' in html and "Kitwana" in html
    assert 'class="artifact"' not in html
    # an artifact mark on the same kind of diff still renders as one
    pair.marks = [dict(m, type="artifact") for m in pair.marks]
    html = str(Renderer(ReportSettings()).env.get_template("_macros.html").module.diff_body(diff_view(pair, {})))
    assert '<mark class="artifact"' in html
