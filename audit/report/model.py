"""The report's view-model: everything the index, story, document and print templates show,
built once from a RunResult (documents in docs.py, stories in stories.py, the batch here)."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from audit.report.docs import (DocView, FindingView, build_docs, count_words,  # noqa: F401
                               family_rank, unique_slugs)
from audit.report.settings import ReportSettings
from audit.report.stories import (ClaimView, StoryView, build_rows, build_story,  # noqa: F401
                                  claim_views, pair_story)
from audit.types import SEVERITIES, EntityGroup, RunResult


# --- the whole batch ---------------------------------------------------------------------------

@dataclass
class SpellingView:
    spelling: str
    verdict: str
    outlets: list[tuple[str, int]]
    total: int


@dataclass
class EntityView:
    id: str
    canonical: str
    source: str
    spellings: list[SpellingView]

    @property
    def flagged(self) -> int:
        return sum(1 for s in self.spellings if s.verdict in ("foreign", "garbled"))

    @property
    def varied(self) -> bool:
        """Worth a table row: several spellings, or one that is not acceptable."""
        return len(self.spellings) > 1 or any(s.verdict not in ("canonical", "acceptable")
                                              for s in self.spellings)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.spellings)


@dataclass
class Facet:
    name: str
    count: int
    family: str = ""


@dataclass
class ReportView:
    name: str
    version: str
    docs: list[DocView]
    stories: list[StoryView]
    entities: list[EntityView]
    claims: list[ClaimView]
    problems: list[Any]
    settings_json: str
    timings: list[tuple[str, float]]
    families: list[Facet]
    kinds: list[Facet]
    severities: list[Facet]
    weights: dict[str, float]
    totals: dict[str, Any]

    @property
    def findings(self) -> list[FindingView]:
        return [f for dv in self.docs for f in dv.findings]

    @property
    def varied_entities(self) -> list[EntityView]:
        return [e for e in self.entities if e.varied]

    @property
    def plain_entities(self) -> list[EntityView]:
        """Entities every outlet spells one acceptable way: listed, not tabled."""
        return sorted((e for e in self.entities if not e.varied), key=lambda e: (-e.total, e.canonical))

    @property
    def discrepancies(self) -> list[ClaimView]:
        return [c for c in self.claims if c.discrepancy]


def entity_views(groups: list[EntityGroup], docs: dict[str, DocView]) -> list[EntityView]:
    out = []
    for g in groups:
        rows = []
        for spelling, per_doc in g.spellings().items():
            outlets: Counter[str] = Counter()
            for doc_id, n in per_doc.items():
                outlets[docs[doc_id].named if doc_id in docs else doc_id] += n
            rows.append(SpellingView(spelling, g.verdicts.get(spelling, "unknown"),
                                     sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0])),
                                     sum(outlets.values())))
        rows.sort(key=lambda r: (r.spelling != g.canonical, -r.total, r.spelling))
        out.append(EntityView(g.id, g.canonical, g.source, rows))
    return sorted(out, key=lambda e: (-e.flagged, e.canonical.lower()))


def facets(findings: list[FindingView]) -> tuple[list[Facet], list[Facet], list[Facet]]:
    fam = Counter(f.family for f in findings)
    kinds = Counter((f.family, f.kind) for f in findings)
    sev = Counter(f.severity for f in findings)
    families = [Facet(x, fam[x], x) for x in sorted(fam, key=family_rank)]
    kind_list = [Facet(k, n, fa) for (fa, k), n in sorted(kinds.items(),
                                                           key=lambda kv: (family_rank(kv[0][0]), kv[0][1]))]
    sevs = [Facet(s, sev[s]) for s in reversed(SEVERITIES) if sev[s]]
    return families, kind_list, sevs


def build_report(result: RunResult, settings: ReportSettings) -> ReportView:
    from audit import __version__
    docs = build_docs(result, settings)
    dvs = {dv.id: dv for dv in docs}
    story_labels = {s.id: s.label or s.id for s in result.alignment.stories}
    claims = claim_views(result.alignment.claims, dvs, story_labels)
    slugs = unique_slugs([s.id for s in result.alignment.stories])
    by_story: dict[str, list] = {}
    for g in result.alignment.groups:
        by_story.setdefault(g.story_id, []).append(g)
    story_claims: dict[str, list[ClaimView]] = {}
    for c, raw in zip(claims, result.alignment.claims):
        story_claims.setdefault(raw.story_id, []).append(c)
    story_of: dict[str, set[str]] = {}
    for s in result.alignment.stories:
        for i in s.doc_ids:
            story_of.setdefault(i, set()).add(s.id)
    story_diffs: dict[str, list] = {}
    for d in result.alignment.diffs:
        for sid in story_of.get(d.a.doc_id, set()) & story_of.get(d.b.doc_id, set()):
            story_diffs.setdefault(sid, []).append(d)
    stories = [build_story(s, slugs[s.id], dvs, result, story_claims.get(s.id, []), settings.story_columns,
                           by_story.get(s.id, []), story_diffs.get(s.id, []))
               for s in result.alignment.stories]
    shown = {sv.story.id: sv.label for sv in stories}    # a story is named by its headline
    for c, raw in zip(claims, result.alignment.claims):
        c.story_label = shown.get(raw.story_id, c.story_label)
    findings = [f for dv in docs for f in dv.findings]
    families, kinds, sevs = facets(findings)
    words = sum(dv.words for dv in docs)
    content = sum(dv.content_words for dv in docs)
    weighted = sum(dv.weighted for dv in docs)
    totals = {"documents": len(docs), "findings": len(findings), "words": words,
              "content_words": content,
              "score": round(weighted * 1000 / content, 1) if content else None,
              "stories": sum(1 for s in stories if s.story.kind == "story"),
              "topics": sum(1 for s in stories if s.story.kind == "topic")}
    return ReportView(
        name=result.name, version=__version__, docs=docs, stories=stories,
        entities=entity_views(result.entities, dvs), claims=claims, problems=list(result.problems),
        settings_json=json.dumps(result.settings, ensure_ascii=False, indent=2, default=str),
        timings=sorted(result.timings.items(), key=lambda kv: -kv[1]),
        families=families, kinds=kinds, severities=sevs,
        weights=dict(settings.score_weights), totals=totals)
