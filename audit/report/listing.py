"""The index's documents table at any batch size: the first rows rendered by the server, every
row as compact JSON for the page's script, which filters, sorts and pages in the browser.

At 10,000 articles a full HTML table is about 6 MB and slow to lay out; the JSON is about a
quarter of that, and the script only ever puts one page of rows (50) into the DOM, so loading
and filtering stay well under a second. Without JavaScript the page still lists the most
damaged articles first, and says where the rest are.
"""
from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from audit.report.html import show_bidi

SERVER_ROWS = 100     # rows rendered without JavaScript (most damaged first past this many)
TITLE_CHARS = 80


def ranked_docs(view: Any) -> list[Any]:
    """Batch order for small batches; past SERVER_ROWS, the most damaged first."""
    if len(view.docs) <= SERVER_ROWS:
        return view.docs
    return sorted(view.docs, key=lambda dv: (-(dv.score or 0), -dv.errors, dv.id))[:SERVER_ROWS]


def _title(t: str | None) -> str:
    t = " ".join((t or "").split())
    return t if len(t) <= TITLE_CHARS else t[:TITLE_CHARS - 1] + "…"


def docs_json(view: Any) -> Markup:
    """One array per document, fields named once in `cols` (the script reads them by name)."""
    fams = [f.name for f in view.families]
    cols = ["id", "slug", "title", "outlet", "date", "lang", "src", "prov", "cw", "w", "noise",
            *(f"f:{f}" for f in fams), "e", "wa", "i", "score"]
    rows = []
    for dv in view.docs:
        rows.append([dv.id, dv.slug, _title(dv.title), dv.outlet or "", (dv.doc.date or "")[:10], dv.doc.lang or "",
                     dv.source_lang or "", round(dv.prov_score, 2) if dv.prov_score else 0,
                     dv.content_words, dv.words, round(100 * dv.noise_share),
                     *(dv.by_family.get(f, 0) for f in fams),
                     dv.by_severity.get("error", 0), dv.by_severity.get("warning", 0),
                     dv.by_severity.get("info", 0), dv.score if dv.score is not None else -1])
    raw = json.dumps({"cols": cols, "fams": fams, "rows": rows}, ensure_ascii=False, separators=(",", ":"))
    raw = show_bidi(raw)      # bidi controls of article text shown, not applied (html.py)
    return Markup(raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
