"""HTML pages: the article text is extracted with trafilatura; the page is kept.

`Document.text` is the headline line followed by the extracted text (one paragraph per line, as
trafilatura writes it); every offset refers to that text. `doc.original` holds the page as
decoded, and `doc.removed` lists the page's text blocks that the extractor left out (menus,
footers, captions, related links), in page order, so a reviewer can see what was dropped.
trafilatura (and lxml under it) is imported here only, when a page is read.

trafilatura always drops a paragraph that repeats the one before it (an artefact guard of its
own, not switched by `deduplicate=False`), which would hide a scraper's doubled paragraph from
the duplicate detector. Repeats the page really prints back to back are put back, and listed
in `doc.meta["restored_repeats"]`.
"""
from __future__ import annotations

import re
from pathlib import Path

from audit.ingest.build import make_document
from audit.ingest.dates import normalise
from audit.ingest.decode import IngestError, decode, read_bytes
from audit.types import Document, Problem, SourceMeta

_BLOCK_TAGS = frozenset("""address article aside blockquote body br dd details dialog div dl dt
fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section
summary table tbody td tfoot th thead tr ul button label option select caption""".split())
_SKIP_TAGS = frozenset("script style noscript template head svg iframe object".split())


def read_html(path: Path, doc_id: str, source: SourceMeta) -> tuple[list[Document], list[Problem]]:
    import trafilatura

    dec = decode(read_bytes(path), html=True)
    page = dec.text
    body = trafilatura.extract(page, output_format="txt", include_comments=False,
                               include_tables=True, deduplicate=False)
    if not body or not body.strip():
        raise IngestError("no article text found in the page (the HTML extractor returned nothing)")
    blocks = text_blocks(page)
    body, restored = restore_repeats(body, blocks)
    meta = trafilatura.extract_metadata(page, date_config={"original_date": True,
                                                           "extensive_search": False})
    title = _title(page, meta)
    text = body if not title or body.lstrip().startswith(title) else f"{title}\n{body}"
    date = normalise(meta.date) if meta and meta.date else None
    doc = make_document(doc_id, str(path), text, source, title=title, date=date,
                        outlet=(meta.sitename if meta else None) or None,
                        url=(meta.url if meta else None) or None, outlet_from="html-meta")
    doc.original = page
    doc.removed = removed_blocks(page, text, title, blocks)
    doc.meta.update(encoding=dec.encoding, bom=dec.bom, format="html",
                    title_added=text is not body)
    if restored:
        doc.meta["restored_repeats"] = restored
    problems = [Problem(str(path), dec.warning)] if dec.warning else []
    return [doc], problems


def _title(page: str, meta) -> str | None:
    """og:title / <title> as trafilatura cleans them (site name removed), else the first <h1>."""
    title = (meta.title if meta else None) or _first_h1(page)
    title = " ".join(title.split()) if title else None
    return title or None


def _first_h1(page: str) -> str | None:
    m = re.search(r"<h1\b[^>]*>(.*?)</h1>", page, re.S | re.I)
    return re.sub(r"<[^>]+>", " ", m.group(1)) if m else None


def _norm(s: str) -> str:
    """Words only, space-padded: block "Home" must not count as kept because "homes" is."""
    return " " + " ".join(re.findall(r"\w+", s.casefold())) + " "


def text_blocks(page: str) -> list[str]:
    """The page's visible text, one string per block element, in order."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(page)
    except (ValueError, lxml.etree.ParserError):
        return []
    blocks: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        s = " ".join("".join(buf).split())
        if s:
            blocks.append(s)
        buf.clear()

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS:
            return
        block = tag in _BLOCK_TAGS
        if block:
            flush()
        if el.text and tag:
            buf.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            flush()

    walk(root)
    flush()
    return blocks


def removed_blocks(page: str, text: str, title: str | None,
                   blocks: list[str] | None = None) -> list[str]:
    """Blocks of the page whose text is not in the extracted text (deduplicated, page order)."""
    kept = _norm(text)
    seen: set[str] = set()
    out: list[str] = []
    for b in text_blocks(page) if blocks is None else blocks:
        n = _norm(b)
        if not n.strip() or n in kept or n in seen or (title and n == _norm(title)):
            continue
        seen.add(n)
        out.append(b)
    return out


def restore_repeats(body: str, blocks: list[str]) -> tuple[str, list[dict]]:
    """Put back the copies of a paragraph that the page prints several times in a row but the
    extractor kept once. Only back-to-back repeats are restored (the ones trafilatura's own
    guard removes); a paragraph echoed elsewhere on the page (a teaser, a summary box) is not."""
    runs = _adjacent_runs(blocks)
    if not runs:
        return body, []
    lines = body.split("\n")
    have: dict[str, int] = {}
    for ln in lines:
        key = " ".join(ln.split())
        have[key] = have.get(key, 0) + 1
    out: list[str] = []
    restored: list[dict] = []
    for ln in lines:
        out.append(ln)
        key = " ".join(ln.split())
        missing = runs.get(key, 0) - have.get(key, 0)
        if missing > 0:
            out += [ln] * missing
            have[key] += missing
            restored.append({"text": key[:300], "copies_restored": missing,
                             "reason": "printed back to back in the page; the HTML extractor "
                                       "kept one copy"})
    return "\n".join(out), restored


def _adjacent_runs(blocks: list[str], min_chars: int = 20) -> dict[str, int]:
    """Block text -> the longest run of identical consecutive blocks (2 or more)."""
    runs: dict[str, int] = {}
    i = 0
    while i < len(blocks):
        j = i + 1
        while j < len(blocks) and blocks[j] == blocks[i]:
            j += 1
        if j - i > 1 and len(blocks[i]) >= min_chars:
            runs[blocks[i]] = max(runs.get(blocks[i], 0), j - i)
        i = j
    return runs
