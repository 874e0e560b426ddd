"""What the HTML extractor dropped, classified by the same pattern library, so the report can
show the reviewer what never reached the text and why it was probably chrome."""
from __future__ import annotations

from collections import Counter
from typing import Any

from audit.boilerplate.patterns import Library
from audit.boilerplate.structure import words_of

MAX_ITEMS = 200


def summarise_removed(removed: list[str], lib: Library, site_words: frozenset[str] = frozenset()
                      ) -> dict[str, Any]:
    """{count, by_kind, items: [{text, kind, pattern}]}; kind None = no pattern recognised it.
    `site_words` (the outlet's name) recognises the site's logo text."""
    items = []
    kinds: Counter[str] = Counter()
    for raw in removed:
        text = " ".join(raw.split())
        if not text:
            continue
        hits = lib.match(text, len(words_of(text)))
        best = max(hits, key=lambda h: h.pattern.spec.confidence, default=None)
        words = words_of(text)
        if best is None and lib.section_label(text):
            kind, name = "boilerplate", "section-label"
        elif best is None and site_words and 0 < len(words) <= 4 and \
                all(w.casefold() in site_words for w in words):
            kind, name = "boilerplate", "site-name"
        else:
            kind = best.pattern.spec.kind if best else None
            name = best.pattern.name if best else None
        kinds[kind or "unrecognised"] += 1
        if len(items) < MAX_ITEMS:
            items.append({"text": text[:300], "kind": kind, "pattern": name})
    return {"count": sum(kinds.values()), "by_kind": dict(kinds), "items": items}
