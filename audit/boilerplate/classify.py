"""Combine the evidence on each line into one decision: content or a kind of noise.

Every cue is a log-odds weight (see settings.py), so a line's score is the prior plus its cues
and the finding can list them. Three passes:
1. cues that need no context: patterns, line shape, repeats in the article, recurrence in the batch;
2. position: the first and last lines that look like content without any noise cue ("anchors")
   bound the body; lines before are the head, lines after are the tail, and patterns that only
   mean noise there (author bios, comment policies) count only there; a list heading ("Related
   Posts") passes its class to the headline-like lines listed under it;
3. jusText-style smoothing: a line the cues leave undecided takes the class of its nearest
   decided neighbours when they agree (noise between noise, content between content).
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

from audit.boilerplate.batch import Recurrence
from audit.boilerplate.duplicates import Repeat, find_repeats
from audit.boilerplate.features import RECURRENCE_CAP, LineContext, anchors, line_features
from audit.boilerplate.model import NoiseModel, shipped_model
from audit.boilerplate.model import words as model_words
from audit.boilerplate.patterns import Hit, Library, call_to_action_verbs
from audit.boilerplate.settings import BoilerplateSettings, StructureWeights
from audit.boilerplate.structure import (LineShape, dateline_index, shapes, site_name_words,
                                         title_index, without_stamp, words_of)
from audit.types import Document, Span

DECISIVE = 4.0          # a cue this strong is not overruled by smoothing
SECTION_LABEL_CONFIDENCE = 0.95
DUPLICATE_CONFIDENCE = {"exact": 0.99, "near": 0.97}
MAX_LISTED = 15          # lines a list heading can claim
MAX_HEADLINE_WORDS = 20
_HEADING_TRIM = " \t:|-–—»›>•·"
_NOT_HEADLINE_END = re.compile(r"[.;:,…]['\"”’)\]]*$")


@dataclass
class Cue:
    source: str             # pattern | structure | position | duplicate | batch | smoothing
    name: str
    weight: float
    explain: str
    kind: str | None = None  # the noise kind this cue argues for
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "name": self.name, "weight": round(self.weight, 2),
                "explain": self.explain, **self.detail}


@dataclass
class LineVerdict:
    index: int
    span: Span
    text: str
    position: str                       # title | head | body | tail
    cues: list[Cue] = field(default_factory=list)
    score: float = 0.0                  # log-odds, prior included
    noise: bool = False
    kind: str | None = None
    gated: list[Hit] = field(default_factory=list)   # region-only patterns, before gating

    @property
    def confidence(self) -> float:
        return 1 / (1 + math.exp(-self.score))

    @property
    def decisive(self) -> bool:
        return any(abs(c.weight) >= DECISIVE for c in self.cues)

    def add(self, cue: Cue) -> None:
        self.cues.append(cue)
        self.score += cue.weight


def logit(p: float) -> float:
    return math.log(p / (1 - p))


RecurrenceFn = Callable[[str], Recurrence | None]


def classify(doc: Document, spans: list[Span], lib: Library, st: BoilerplateSettings,
             recurrence: RecurrenceFn, names: Callable[[int], str] = str,
             model: NoiseModel | None = None) -> list[LineVerdict]:
    """One verdict per line of `doc`; `recurrence(line)` asks the batch index, `names(i)` turns a
    batch index into a document id for the evidence. With `st.model` (the default) the shape,
    position and batch cues are the learned model's (model.py); else the hand weights."""
    if st.model:
        return _classify_learned(doc, spans, lib, st, recurrence, names,
                                 model or shipped_model())
    return _classify_weighted(doc, spans, lib, st, recurrence, names)


@dataclass
class DocFeatures:
    """Everything the learned model and the pattern cues read of one document's lines."""
    shapes: list[LineShape]
    hits: list[list[Hit]]
    title: int | None
    dateline: int | None
    repeats: list[Repeat]
    site_words: frozenset[str] | set[str]
    recs: list[Recurrence | None]
    first: int | None
    last: int | None
    x: list[list[float]]


def doc_features(doc: Document, spans: list[Span], lib: Library, st: BoilerplateSettings,
                 recurrence: RecurrenceFn) -> DocFeatures:
    """The per-line features of one document (shared by the classifier and the training
    script, so the model is trained on exactly what it is applied to)."""
    prior = st.weights.prior
    sh = shapes(doc, spans)
    hits = [_match(lib, s) for s in sh]
    site_words = site_name_words(doc)
    title = _headline(title_index(doc, spans), sh, hits, lib, prior, site_words)
    dateline = dateline_index(doc, spans)
    repeats, short_rep = find_repeats([s.text for s in sh], title, st.duplicate_min_chars,
                                      st.duplicate_similarity)
    recs = [recurrence(s.text) for s in sh]
    first, last = anchors(sh, [bool(h) for h in hits], title)
    named = [s.short_unpunctuated(st.short_words) and bool(site_words) and
             bool({x.casefold() for x in words_of(s.text)} & set(site_words)) for s in sh]
    past = [lib.has_past_tense(doc.lang, s.text) for s in sh]
    ctx = LineContext(title, dateline, first, last, site_words, short_rep, named,
                      [bool(h) for h in hits], past, call_to_action_verbs())
    x = line_features(sh, ctx, recs, st.short_words, st.prose_words)
    return DocFeatures(sh, hits, title, dateline, repeats, site_words, recs, first, last, x)


def _match(lib: Library, s: LineShape) -> list[Hit]:
    """The library's hits on a line, and on the line without a leading metadata stamp ("date
    2025-04-10 Send this page to someone via email"): whole-line chrome patterns are anchored
    at ^, and some patterns know the stamp itself ("date 2024-08-23 Home World")."""
    hits = lib.match(s.text, s.words)
    text = without_stamp(s.text)
    if len(text) == len(s.text.strip()):
        return hits
    names = {h.pattern.name for h in hits}
    return hits + [h for h in lib.match(text, len(words_of(text))) if h.pattern.name not in names]


MODEL_CUE_MIN = 0.3      # smaller shares of the model's log-odds are summed into one cue


def _classify_learned(doc: Document, spans: list[Span], lib: Library, st: BoilerplateSettings,
                      recurrence: RecurrenceFn, names: Callable[[int], str],
                      model: NoiseModel) -> list[LineVerdict]:
    w = st.weights
    f = doc_features(doc, spans, lib, st, recurrence)
    sh, hits, title = f.shapes, f.hits, f.title
    verdicts = [LineVerdict(s.index, s.span, s.text, "body", score=model.intercept) for s in sh]
    rep_of = {r.index: r for r in f.repeats}
    for v, s, h, x, rec in zip(verdicts, sh, hits, f.x, f.recs):
        past = (lib.past_tense_word(doc.lang, words_of(s.text))
                if any(p.pattern.spec.unless_past for p in h) else None)
        _pattern_cues(v, h, w.prior, past, model.pattern_scale)
        _model_cues(v, model, x, rec, names)
        _decisive_shape_cues(v, s, st, title, f.site_words)
        if (rec is not None and rec.unprinted_by and f.first is not None
                and f.first < v.index < f.last):
            # in the body only: headlines, stamps and bylines differ between copies anyway
            v.add(_unprinted_cue(rec, lib.past_tense_word(doc.lang, words_of(s.text)),
                                 w.unprinted_by_copies))
        if v.index in rep_of:
            # printed again is a fact, not a shape: the cue lifts the line to the duplicate
            # confidence however much the model's view of a long paragraph says content
            v.add(_repeat_cue(rep_of[v.index], verdicts, min(w.prior, v.score)))
    # cues that follow from a pattern on a neighbour count as patterns do
    _caption_credit_cues(doc, verdicts, sh, hits, lib,
                         model.pattern_scale * w.caption_before_credit)
    for v, s in zip(verdicts, sh):
        _region_cues(v, s, verdicts, lib, f.first, f.last, w, model.pattern_scale)
    _lists_under_headings(verdicts, sh, hits, w, logit(st.min_confidence), model.pattern_scale)
    _smooth(verdicts, logit(st.min_confidence), st.smoothing_band, w.smoothing)
    for v in verdicts:
        v.noise = v.score >= logit(st.min_confidence)
        v.kind = _kind(v) if v.noise else None
    tags = _inline_tags(doc, verdicts, lib, f.site_words)
    return verdicts + tags + _glued_sentences(doc, verdicts, tags, lib, w.prior)


GLUED_MIN_WEIGHT = 3.5     # a pattern this strong on a sentence of its own (about 0.8 alone)


def _glued_sentences(doc: Document, verdicts: list[LineVerdict], tags: list[LineVerdict],
                     lib: Library, prior: float) -> list[LineVerdict]:
    """Chrome glued into a content line as a sentence of its own (a dated photo caption run
    into the lead, "Share" after the last sentence, a credit between two paragraphs that lost
    their line break): the library's patterns are tried on each sentence of a content line of
    two or more sentences, and a sentence a strong pattern explains becomes a verdict of its
    own; the rest of the line stays content. On the real-text folds (414 texts) this pass
    flags 8 sentences, 7 inside gold noise spans."""
    taken = [t.span for t in tags]
    out = []
    sents = doc.sentences                       # in text order: ingest splits line by line
    starts = [s.start for s in sents]
    for v in verdicts:
        if v.noise or v.position == "title":
            continue
        # the line's sentences by bisection (a scan of every sentence per line was quadratic
        # in the lines of a long article)
        first, last = bisect_left(starts, v.span.start), bisect_right(starts, v.span.end)
        inside = [s for s in sents[first:last] if s.end <= v.span.end]
        if len(inside) < 2:
            continue
        for s in inside:
            if any(s.overlaps(t) for t in taken):
                continue
            cue = _sentence_cue(doc.text[s.start:s.end], doc.lang, lib, prior)
            if cue is not None:
                out.append(LineVerdict(v.index, s, doc.text[s.start:s.end], v.position,
                                       [cue], prior + cue.weight, True, cue.kind))
    return out


def _sentence_cue(text: str, lang: str, lib: Library, prior: float) -> Cue | None:
    hits = [h for h in lib.match(text.strip(), len(words_of(text)))
            if h.pattern.spec.where == "any"]
    if not hits:
        return None
    best = max(hits, key=lambda h: h.pattern.weight(prior))
    past = (lib.past_tense_word(lang, words_of(text)) if best.pattern.spec.unless_past
            else None)
    cue = _hit_cue(best, prior, past)
    if cue.weight < GLUED_MIN_WEIGHT:
        return None
    cue.explain = f"{cue.explain} (a sentence glued into a content line)"
    cue.detail["glued_sentence"] = True
    return cue


_POSITION_FEATURES = {"head", "tail", "first_line", "last_line"}
_CUE_NAMES = {"headline_run": "link-run", "recurs_unrelated": "recurs-in-batch",
              "quoted": "quoted-heading"}


def _model_cues(v: LineVerdict, model: NoiseModel, x: list[float], rec: Recurrence | None,
                names: Callable[[int], str]) -> None:
    """The model's share of the line's log-odds, one cue per feature that moved it (source
    structure, position or batch, as the feature is; `learned` in the detail)."""
    rest = 0.0
    # one pass over (name, weight, value), skipping the cues the line does not have: the
    # per-line cue loop was a quarter of the stage's map CPU (1,000 generated articles)
    for name, w, value in zip(model.names, model.weight, x):
        if not value or not w:
            continue
        weight = w * value
        if -MODEL_CUE_MIN < weight < MODEL_CUE_MIN:
            rest += weight
            continue
        detail: dict[str, Any] = {"learned": True, "feature": name, "value": round(value, 3)}
        source = "position" if name in _POSITION_FEATURES else "structure"
        explain = _model_explain(name, value, weight)
        cue_name = _CUE_NAMES.get(name) or _cue_name(name)
        if name.startswith("recurs_"):
            source = "batch"
        if name == "recurs_unrelated" and rec is not None and rec.unrelated:
            explain = recurrence_explain(rec)
            d = recurrence_detail(rec, names)       # in the order findings.json has given them
            detail.update({k: d[k] for k in ("recurs_in", "unrelated", "sampled",
                                             "shared_with_copies", "same_outlet")})
        v.add(Cue(source, cue_name, weight, explain, None, detail))
    if rest:
        v.add(Cue("structure", "other-features", rest,
                  "the learned model's smaller line features together", None, {"learned": True}))


@lru_cache(maxsize=256)
def _cue_name(name: str) -> str:
    return name.replace("_", "-")


def _model_explain(name: str, value: float, weight: float) -> str:
    what = model_words(name)
    if name in _BINARY:
        what = what if value else f"not {what}"
    else:
        what = f"{what}: {round(value, 2)}"
    return f"{what} ({'like noise' if weight > 0 else 'like content'})"


_BINARY = {"terminal", "short_unpunctuated", "single_word", "no_letters", "low_function_words",
           "prose", "starts_with_number", "link_or_handle", "credit_parenthesis", "date_only",
           "bullet", "quoted", "title", "dateline", "site_name", "repeated_in_article",
           "past_tense", "call_to_action", "dated_description", "side_marker",
           "truncated", "leading_separator", "markup", "caption_verb", "head", "tail",
           "first_line", "last_line",
           "headline_run", "recurs_same_outlet"}


def _decisive_shape_cues(v: LineVerdict, s: LineShape, st: BoilerplateSettings,
                         title: int | None, site_words: frozenset[str] | set[str]) -> None:
    """Shapes no article text has, whatever the model says: fixed rules. Their weights are
    relative to the prior, as in the hand-weighted classifier; where the model has already
    put the line below the prior (a long line), the cue makes up the difference, so a fact
    such as "another script" is not outvoted by the line's length."""
    w = st.weights
    if v.index == title:
        v.position = "title"
        return

    def add(name: str, weight: float, explain: str, kind: str | None = "boilerplate",
            detail: dict[str, Any] | None = None) -> None:
        lift = w.prior - min(w.prior, v.score)
        v.add(Cue("structure", name, weight + lift, explain, kind, detail or {}))

    if not s.letters:
        add("no-letters", w.no_letters, "digits and symbols only (a counter, a rule, a page number)")
        return
    if s.date_only:
        add("date-only", w.date_only, "a date or time stamp on its own line (page metadata)")
    if s.other_script >= 0.5:
        add("other-script", w.other_script if s.words <= st.short_words else w.other_script_long,
            f"{_pct(s.other_script)} of its letters in a script the page does not use")
    elif s.other_lang and s.words >= 4:
        add("other-language", w.other_language,
            f"a paragraph in another language ({s.other_lang}): an embedded post or menu",
            detail={"language": s.other_lang})
    if _printed_twice(s.text):
        add("printed-twice", w.date_only,
            "the same words twice on one line (a caption and its alt text)", "caption")
    if s.short_unpunctuated(st.short_words) and _masthead(s, site_words):
        add("masthead", w.masthead, "the outlet's name on a line of its own (the masthead)")
    if s.bullet and s.words >= 4 and not any(c.source == "pattern" for c in v.cues):
        # a point of a list in the article; chrome lists are known by their patterns
        v.add(Cue("structure", "list-item", min(0.0, w.prior - v.score) + w.list_item,
                  "bullet or numbered list item of four words or more (a point of the text)"))


def _region_cues(v: LineVerdict, s: LineShape, verdicts: list[LineVerdict], lib: Library,
                 first: int | None, last: int | None, w: StructureWeights,
                 scale: float = 1.0) -> None:
    """Region-gated patterns and section labels (the head/tail weights are the model's)."""
    if first is None or last is None:
        return
    region = "head" if v.index < first else "tail" if v.index > last else "body"
    if v.position != "title":
        v.position = region
    for h in v.gated:
        where = h.pattern.spec.where
        if where == region or (where == "edge" and region in ("head", "tail")):
            v.add(_hit_cue(h, w.prior, None, scale))
    if region == "head" and lib.section_label(without_stamp(v.text)):
        v.add(Cue("pattern", "section-label",
                  scale * (logit(SECTION_LABEL_CONFIDENCE) - w.prior),
                  "section or place label above the story (not a headline)", "boilerplate",
                  {"group": "section_labels", "match": v.text}))


def _classify_weighted(doc: Document, spans: list[Span], lib: Library, st: BoilerplateSettings,
                       recurrence: RecurrenceFn, names: Callable[[int], str]
                       ) -> list[LineVerdict]:
    """The hand-weighted classifier (`boilerplate: {model: false}`)."""
    w = st.weights
    sh = shapes(doc, spans)
    title, dateline = title_index(doc, spans), dateline_index(doc, spans)
    verdicts = [LineVerdict(s.index, s.span, s.text, "body", score=w.prior) for s in sh]
    hits = [_match(lib, s) for s in sh]
    site_words = site_name_words(doc)
    title = _headline(title, sh, hits, lib, w.prior, site_words)
    repeats, short_rep = find_repeats([s.text for s in sh], title, st.duplicate_min_chars,
                                      st.duplicate_similarity)
    rep_of = {r.index: r for r in repeats}
    for v, s, h in zip(verdicts, sh, hits):
        past = (lib.past_tense_word(doc.lang, words_of(s.text))
                if any(x.pattern.spec.unless_past for x in h) else None)
        _pattern_cues(v, h, w.prior, past)
        _shape_cues(v, s, st, title, dateline, site_words)
        if v.index in rep_of:
            v.add(_repeat_cue(rep_of[v.index], verdicts, w.prior))
        elif v.index in short_rep and v.index != title:
            v.add(Cue("structure", "repeated-short-line", w.repeated_short,
                      "short line printed more than once in the article (site name, label)"))
        rec = recurrence(s.text)
        if rec and rec.unrelated:
            v.add(_recurrence_cue(rec, s, st, names))
    _caption_credit_cues(doc, verdicts, sh, hits, lib, w.caption_before_credit)
    first, last = _anchors(verdicts, sh, title)
    for v, s in zip(verdicts, sh):
        _position_cues(v, s, verdicts, lib, first, last, w)
    _lists_under_headings(verdicts, sh, hits, w, logit(st.min_confidence))
    _link_runs(verdicts, sh, w.link_run, st.link_run_lines)
    _smooth(verdicts, logit(st.min_confidence), st.smoothing_band, w.smoothing)
    for v in verdicts:
        v.noise = v.score >= logit(st.min_confidence)
        v.kind = _kind(v) if v.noise else None
    return verdicts + _inline_tags(doc, verdicts, lib, site_words)


def _inline_tags(doc: Document, verdicts: list[LineVerdict], lib: Library,
                 site_words: frozenset[str] | set[str]) -> list[LineVerdict]:
    """Chrome inside a content line: an aggregator's tag before the lead ("(MENAFN- Trend News
    Agency)", "SHAFAQNA- "), an agency's sign-off glued to the last sentence ("...crater.
    –Bernama", ". Enditem"). Each becomes a verdict of its own for that stretch only, so the
    sentence around it stays content."""
    out = []
    for v in verdicts:
        if v.noise:
            continue
        for tag in lib.inline_tags:
            m = tag.rx.search(v.text)
            if m is None or (tag.site_name and not _names_site(m.group("name"), site_words)):
                continue
            start = v.span.start + m.start("tag")
            end = v.span.start + m.end("tag")
            cue = Cue("pattern", tag.name, DECISIVE, tag.explain, "boilerplate",
                      {"group": "inline_tags", "match": m.group("tag")})
            tv = LineVerdict(v.index, Span(start, end), doc.text[start:end], v.position,
                             [cue], DECISIVE, True, "boilerplate")
            out.append(tv)
    return out


def _names_site(name: str, site_words: frozenset[str] | set[str]) -> bool:
    return bool({w.casefold() for w in words_of(name)} & set(site_words))


# --- pass 1: context-free cues -----------------------------------------------------------

def _headline(title: int | None, sh: list[LineShape], hits: list[list[Hit]], lib: Library,
              prior: float, site_words: frozenset[str] | set[str] = frozenset()) -> int | None:
    """Ingest's title line, unless it is chrome (a cookie banner or "Skip to content" above the
    headline, a section label, a counter, a date stamp, the outlet's masthead): then the first
    headline-like line below it, if any."""
    def chrome(i: int) -> bool:
        return (any(h.pattern.weight(prior) >= DECISIVE for h in hits[i])
                or lib.section_label(without_stamp(sh[i].text)) or structural_chrome(sh[i])
                or _masthead(sh[i], site_words))

    if title is None or not chrome(title):
        return title
    for i in range(title + 1, min(len(sh), title + 8)):
        if not chrome(i) and not hits[i] and 3 <= sh[i].words <= 25 and not sh[i].terminal:
            return i
    return None          # no headline below the chrome: no line is protected as the title


def _masthead(s: LineShape, site_words: frozenset[str] | set[str]) -> bool:
    """A short line made of the outlet's name ("THE ASAHI SHIMBUN", "Voz.us")."""
    if not site_words or s.words > 4 or s.terminal:
        return False
    words = [x.casefold() for x in words_of(s.text)]
    named = [x for x in words if x in site_words]
    return bool(named) and len(named) >= len(words) - 2


def structural_chrome(s: LineShape) -> bool:
    """Shapes no headline has: no letters, another script, a bare date stamp, one phrase
    printed twice ("Mount Marapi eruption Mount Marapi eruption": a caption and its alt text)."""
    return not s.letters or s.other_script >= 0.5 or s.date_only or _printed_twice(s.text)


def _printed_twice(text: str) -> bool:
    words = text.split()
    half = len(words) // 2
    return len(words) >= 4 and len(words) % 2 == 0 and words[:half] == words[half:]


def _pattern_cues(v: LineVerdict, hits: list[Hit], prior: float, past: str | None = None,
                  scale: float = 1.0) -> None:
    for h in hits:
        if h.pattern.spec.where == "any":
            v.add(_hit_cue(h, prior, past, scale))
        else:
            v.gated.append(h)


def _hit_cue(h: Hit, prior: float, past: str | None = None, scale: float = 1.0) -> Cue:
    """`past`: the line's past-tense verb; it weakens patterns that expect a description.
    `scale`: the learned model's weight of listed patterns against the line's shape."""
    spec = h.pattern.spec
    weight, explain, extra = scale * h.pattern.weight(prior), spec.explain, {}
    if spec.unless_past and past:
        weight /= 4
        explain = f"{spec.explain}, but it reads as narrative ({past!r})"
        extra = {"past_tense": past}
    return Cue("pattern", spec.name, weight, explain, spec.kind,
               {"group": spec.group, "match": h.match[:120], "pattern_confidence": spec.confidence,
                **({"only_in": spec.where} if spec.where != "any" else {}), **extra})


def _shape_cues(v: LineVerdict, s: LineShape, st: BoilerplateSettings, title: int | None,
                dateline: int | None, site_words: set[str]) -> None:
    w = st.weights
    if v.index == title:
        v.position = "title"
        v.add(Cue("structure", "title", w.title, "the article's title"))
        return
    if v.index == dateline:
        v.add(Cue("structure", "dateline", w.dateline, "opens with the story's dateline"))
    if not s.letters:
        v.add(Cue("structure", "no-letters", w.no_letters,
                  "digits and symbols only (a counter, a rule, a page number)", "boilerplate"))
        return
    if s.date_only:
        v.add(Cue("structure", "date-only", w.date_only,
                  "a date or time stamp on its own line (page metadata)", "boilerplate"))
    if s.other_script >= 0.5:
        weight = w.other_script if s.words <= st.short_words else w.other_script_long
        v.add(Cue("structure", "other-script", weight,
                  f"{_pct(s.other_script)} of its letters in a script the page does not use",
                  "boilerplate"))
    elif s.other_lang and s.words >= 4:
        v.add(Cue("structure", "other-language", w.other_language,
                  f"a paragraph in another language ({s.other_lang}): an embedded post or menu",
                  "boilerplate", {"language": s.other_lang}))
    if _printed_twice(s.text):
        v.add(Cue("structure", "printed-twice", w.date_only,
                  "the same words twice on one line (a caption and its alt text)", "caption"))
    if s.words == 1 and not s.terminal and not s.bullet:
        v.add(Cue("structure", "single-word", w.single_word,
                  "a single word on its own line (a label or button)"))
    if s.short_unpunctuated(st.short_words):
        v.add(Cue("structure", "short-unpunctuated", w.short_unpunctuated,
                  f"{s.words} word(s) and no sentence punctuation"))
        if _masthead(s, site_words):
            v.add(Cue("structure", "masthead", w.masthead,
                      "the outlet's name on a line of its own (the masthead)", "boilerplate"))
        elif site_words and {x.casefold() for x in words_of(s.text)} & site_words:
            v.add(Cue("structure", "site-name", w.site_name,
                      "short line naming the outlet", "boilerplate"))
    if s.prose(st.prose_words):
        v.add(Cue("structure", "prose", w.prose,
                  f"running text: {s.words} words, {_pct(s.stop_density)} function words"))
    elif (s.stop_density is not None and s.words >= 4 and s.stop_density < 0.1
          and not s.terminal):
        v.add(Cue("structure", "low-function-words", w.low_stopwords,
                  f"{s.words} words with {_pct(s.stop_density)} function words (a list or label)"))
    if s.bullet:
        v.add(Cue("structure", "list-item", w.list_item, "bullet or numbered list item"))
    if s.quoted and s.words <= 10:
        v.add(Cue("structure", "quoted-heading", w.quoted_heading,
                  "short quoted phrase on its own line: a subheading"))


def _pct(x: float | None) -> str:
    return "?" if x is None else f"{round(100 * x)}%"


def _repeat_cue(r: Repeat, verdicts: list[LineVerdict], prior: float) -> Cue:
    exact = r.similarity >= 100
    conf = DUPLICATE_CONFIDENCE["exact" if exact else "near"]
    what = "the title" if r.title else f"line {r.of + 1}"
    how = ("as part of it" if r.contained else "verbatim" if exact
           else f"nearly ({r.similarity:.0f}% similar)")
    first = verdicts[r.of].span
    return Cue("duplicate", "repeated-title" if r.title else "repeated-paragraph",
               logit(conf) - prior, f"repeats {what} {how}", "duplicate",
               {"duplicate_of": {"line": r.of + 1, "start": first.start, "end": first.end,
                                 "similarity": r.similarity}})


def _unprinted_cue(rec: Recurrence, past: str | None, weight: float) -> Cue:
    """This article's copies print the lines around this one but not it: an insertion of the
    outlet's own (a teaser, a caption, a promo), unless it reads as narrative."""
    if past:
        weight = weight / 4
    return Cue("batch", "unprinted-by-copies", weight, unprinted_explain(rec, past), None,
               unprinted_detail(rec, past))


def unprinted_explain(rec: Recurrence, past: str | None) -> str:
    """The unprinted-by-copies cue in words. Its weight reads only whether there are such copies
    (features.recurrence_decision); the words and `unprinted_detail` quote which and how many,
    and are written again from the current batch when a verdict is reused (findings.refill)."""
    explain = (f"{len(rec.unprinted_by)} other version(s) of this story in the batch print the "
               "lines around it but not this one")
    return f"{explain}, but it reads as narrative ({past!r})" if past else explain


def unprinted_detail(rec: Recurrence, past: str | None) -> dict[str, Any]:
    return {"copies": rec.unprinted_by[:10], "copies_count": len(rec.unprinted_by),
            **({"past_tense": past} if past else {})}


def recurrence_explain(rec: Recurrence) -> str:
    """The recurs-in-batch cue in words, which the pages print: the count of unrelated articles
    as far as the verdict reads it (features.RECURRENCE_CAP; past it "64 or more"), so that a
    page does not change when unrelated articles join a batch whose chrome is already that
    widespread (bench_run's feed: every article's menu lines). The exact estimate and which
    articles are in `recurrence_detail` (findings.json). Written again from the current batch
    when a verdict is reused (findings.refill)."""
    where = "the same outlet's " if rec.same_outlet else ""
    about = "about " if rec.sampled else ""
    n = rec.estimated_unrelated
    count = f"{RECURRENCE_CAP} or more" if n >= RECURRENCE_CAP else str(n)
    return f"also printed in {about}{count} unrelated {where}article(s) of the batch"


def recurrence_detail(rec: Recurrence, names: Callable[[int], str]) -> dict[str, Any]:
    return {"recurs_in": [names(e) for e in rec.unrelated[:10]], "unrelated": rec.estimated_unrelated,
            "shared_with_copies": rec.copies, "sampled": rec.sampled, "same_outlet": rec.same_outlet}


def _recurrence_cue(rec: Recurrence, s: LineShape, st: BoilerplateSettings,
                    names: Callable[[int], str]) -> Cue:
    w = st.weights
    weight = w.recurrence_prose if s.prose(st.prose_words) else w.recurrence_short
    if rec.estimated_unrelated >= 3:
        weight += w.recurrence_many
    if rec.same_outlet:
        weight += w.recurrence_same_outlet
    return Cue("batch", "recurs-in-batch", weight, recurrence_explain(rec), "boilerplate",
               recurrence_detail(rec, names))


def _caption_credit_cues(doc: Document, verdicts: list[LineVerdict], sh: list[LineShape],
                         hits: list[list[Hit]], lib: Library, weight: float) -> None:
    """A bare credit line ("Photograph: Name/Agency") captions the line just above it, and a
    line framed by image widgets ("Enlarge this image" ... "toggle caption") is the caption
    between them, unless that line reads as past-tense narrative (then the credit or widget
    belongs to an uncaptioned picture)."""
    def has(i: int, flag: str) -> bool:
        return 0 <= i < len(hits) and any(getattr(h.pattern.spec, flag) for h in hits[i])

    for i in range(len(verdicts)):
        v, s = verdicts[i], sh[i]
        if (v.position == "title" or s.words > 40
                or any(c.kind for c in v.cues if c.weight > 0)
                or any(c.name == "dateline" for c in v.cues)):     # the lead is no caption
            continue
        if has(i + 1, "credit"):
            name, why = "caption-before-credit", "sits right above a photo credit"
        elif has(i - 1, "media") and (has(i + 1, "media") or has(i + 1, "credit")):
            name, why = "caption-between-image-widgets", "sits between image widgets"
        else:
            continue
        past = lib.past_tense_word(doc.lang, words_of(s.text))
        if past is None:
            v.add(Cue("structure", name, weight, f"{why} and describes it: its caption",
                      "caption"))
        else:
            v.add(Cue("structure", name, weight / 4,
                      f"{why} but reads as narrative ({past!r})", "caption"))


# --- pass 2: position ----------------------------------------------------------------------

def _anchors(verdicts: list[LineVerdict], sh: list[LineShape], title: int | None
             ) -> tuple[int | None, int | None]:
    """First and last lines that read as content and carry no noise cue at all."""
    good = [v.index for v, s in zip(verdicts, sh)
            if v.index != title and s.words >= 5 and s.terminal
            and (s.stop_density is None or s.stop_density >= 0.15)
            and not v.gated and not any(c.weight > 0 for c in v.cues)]
    return (good[0], good[-1]) if good else (None, None)


def _position_cues(v: LineVerdict, s: LineShape, verdicts: list[LineVerdict], lib: Library,
                   first: int | None, last: int | None, w: StructureWeights) -> None:
    if first is None or last is None:
        return
    region = "head" if v.index < first else "tail" if v.index > last else "body"
    if v.position != "title":
        v.position = region
        if region == "head":
            v.add(Cue("position", "head", w.head, "above the first content paragraph"))
        elif region == "tail":
            v.add(Cue("position", "tail", w.tail, "below the last content paragraph"))
    for h in v.gated:
        where = h.pattern.spec.where
        if where == region or (where == "edge" and region in ("head", "tail")):
            v.add(_hit_cue(h, w.prior))
    if region == "head" and lib.section_label(without_stamp(v.text)):
        v.add(Cue("pattern", "section-label", logit(SECTION_LABEL_CONFIDENCE) - w.prior,
                  "section or place label above the story (not a headline)", "boilerplate",
                  {"group": "section_labels", "match": v.text}))
    prev = verdicts[v.index - 1] if v.index > 0 else None
    if (prev is not None and prev.text.rstrip().endswith(":") and s.words <= 30
            and not any(c.source == "pattern" and c.weight > 0 for c in prev.cues)):
        v.add(Cue("structure", "after-colon", w.list_item, "follows a line ending in ':' (a list)"))


def _lists_under_headings(verdicts: list[LineVerdict], sh: list[LineShape],
                          hits: list[list[Hit]], w: StructureWeights, threshold: float,
                          scale: float = 1.0) -> None:
    """A line that is only a list heading ("Related Posts", "Read also", "Most read") and is
    noise passes its class to the headline-like lines below it, up to the first line that reads
    as content (full stop, long) or carries a pattern of its own. Headlines of other stories
    have the words of content, so only their place gives them away."""
    for i, v in enumerate(verdicts):
        head = _list_heading(v, hits[i], threshold)
        if head is None:
            continue
        weight = scale * head.pattern.weight(w.prior) * w.list_under_heading
        for j in range(i + 1, min(len(verdicts), i + 1 + MAX_LISTED)):
            if not _headline_like(sh[j], verdicts[j], hits[j]):
                break
            verdicts[j].add(Cue("structure", "listed-under-heading", weight,
                                f"headline-like line in the list under {v.text[:60]!r}",
                                head.pattern.spec.kind,
                                {"heading_line": i + 1, "heading_pattern": head.pattern.name}))


def _list_heading(v: LineVerdict, hits: list[Hit], threshold: float) -> Hit | None:
    """The heading pattern of a noise line that holds nothing but the heading."""
    if v.score < threshold or v.position == "title":
        return None
    line = v.text.strip(_HEADING_TRIM)
    for h in hits:
        if h.pattern.spec.heading and len(h.match.strip(_HEADING_TRIM)) >= len(line):
            return h
    return None


_LIST_MARK = re.compile(r"^[-–—•*·▪●◦‣]\s+")


def _headline_like(s: LineShape, v: LineVerdict, hits: list[Hit]) -> bool:
    """A link to another story: short, capitalised, no closing full stop, no cue of its own.
    A bullet before it ("- The Best Beaches in Europe ...") is the list's, not the headline's:
    under a "Read also" heading such lines are links (fresh3 and fresh4 pages printed their
    related stories so)."""
    first = _LIST_MARK.sub("", s.text, count=1)[:1]
    return (v.position != "title" and not hits and 2 <= s.words <= MAX_HEADLINE_WORDS
            and (first.isupper() or first.isdigit() or first in "\"“‘'«")
            and not _NOT_HEADLINE_END.search(s.text)
            and not any(c.name == "dateline" for c in v.cues))


def _link_runs(verdicts: list[LineVerdict], sh: list[LineShape], weight: float,
               min_lines: int) -> None:
    """Several unpunctuated headline-like lines in a row ("Fire guts hotel housing 484
    pilgrims", "Pastor Denies Brandishing Firearm in Viral Video", ...) are a list of links to
    other stories, with or without a heading: an article's own subheadings stand alone between
    paragraphs."""
    def linkish(i: int) -> bool:
        s, v = sh[i], verdicts[i]
        first = s.text[:1]
        return (v.position != "title" and not s.terminal and not s.bullet
                and 4 <= s.words <= MAX_HEADLINE_WORDS
                and (first.isupper() or first.isdigit() or first in "\"“‘'«")
                and not any(c.name == "dateline" or c.source == "pattern" and c.weight > 0
                            for c in v.cues))

    def stamp(i: int) -> bool:          # "2 hours ago" between the links does not end the list
        return sh[i].date_only or any(c.name in _STAMP_PATTERNS for c in verdicts[i].cues)

    i = 0
    while i < len(verdicts):
        j = i
        while j < len(verdicts) and (linkish(j) or j > i and stamp(j)):
            j += 1
        links = [k for k in range(i, j) if linkish(k)]
        if len(links) >= min_lines:
            for k in links:
                verdicts[k].add(Cue("structure", "link-run", weight,
                                    f"one of {len(links)} unpunctuated headline-like lines in a "
                                    "row (a list of links)", "boilerplate"))
        i = max(j, i + 1)


_STAMP_PATTERNS = {"timestamp-line", "stamp-row", "published-updated-line", "reading-meta"}


# --- pass 3: smoothing -----------------------------------------------------------------------

def _smooth(verdicts: list[LineVerdict], threshold: float, band: float, weight: float) -> None:
    """Undecided lines take the class their nearest decided neighbours agree on (jusText)."""
    def undecided(v: LineVerdict) -> bool:
        return abs(v.score - threshold) < band and not v.decisive and v.position != "title"

    cls = [None if undecided(v) else v.score >= threshold for v in verdicts]
    for i, v in enumerate(verdicts):
        if cls[i] is not None:
            continue
        up = next((cls[j] for j in range(i - 1, -1, -1) if cls[j] is not None), None)
        down = next((cls[j] for j in range(i + 1, len(cls)) if cls[j] is not None), None)
        sides = [c for c in (up, down) if c is not None]
        if not sides or len(set(sides)) > 1:
            continue
        noise = sides[0]
        where = "between noise lines" if len(sides) == 2 and noise else \
            "between content lines" if len(sides) == 2 else \
            "next to noise at the article's edge" if noise else "next to content at the edge"
        # the line takes its neighbours' class: at least `weight`, and across the threshold
        gap = threshold - v.score
        shift = max(weight, gap + 0.5) if noise else -max(weight, 0.5 - gap)
        v.add(Cue("smoothing", "neighbours", shift,
                  f"undecided line {where}", "boilerplate" if noise else None))


def _kind(v: LineVerdict) -> str:
    if any(c.kind == "duplicate" for c in v.cues):
        return "duplicate"
    best = max((c for c in v.cues if c.kind and c.weight > 0), key=lambda c: c.weight,
               default=None)
    return best.kind if best else "boilerplate"
