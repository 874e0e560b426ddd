"""Small inline SVG charts: no external assets, no JavaScript, readable printed in grey.

Hand-written because the charts are two bar charts; a plotting library would add megabytes and
fonts that the PDF and the offline HTML would then have to carry. Every label and count is also
written as text, so the charts read without colour.
"""
from __future__ import annotations

from markupsafe import Markup, escape

# Okabe-Ito colours (safe for the common colour-vision deficiencies); kept in step with the CSS.
FAMILY_COLOURS: dict[str, str] = {
    "entity": "#0072B2", "surface": "#E69F00", "translation": "#CC79A7",
    "claim": "#009E73", "noise": "#8c8c8c",
}
MAX_BARS = 20
_FONT = "font-family=\"Noto Sans, DejaVu Sans, sans-serif\""


def _colour(family: str) -> str:
    return FAMILY_COLOURS.get(family, "#555555")


def _short(label: str, n: int = 28) -> str:
    return label if len(label) <= n else label[:n - 1] + "…"


def stacked_bars(rows: list[tuple[str, dict[str, int]]], families: list[str], title: str,
                 width: int = 560) -> Markup:
    """One horizontal bar per row (e.g. outlet), stacked by family, total written at the end."""
    if not rows:
        return Markup("")
    label_w, bar_h, gap, top = 190, 16, 6, 24
    legend_h = 22
    peak = max(sum(c.values()) for _, c in rows) or 1
    scale = (width - label_w - 50) / peak
    height = top + len(rows) * (bar_h + gap) + legend_h + 6
    out = [f'<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" {_FONT} font-size="11">',
           f'<title>{escape(title)}</title>',
           f'<text x="0" y="14" font-weight="bold" font-size="12">{escape(title)}</text>']
    for i, (label, counts) in enumerate(rows):
        y = top + i * (bar_h + gap)
        out.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{escape(_short(label))}</text>')
        x = float(label_w)
        for fam in families:
            n = counts.get(fam, 0)
            if not n:
                continue
            w = n * scale
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{_colour(fam)}" '
                       f'stroke="#fff" stroke-width="0.5"><title>{escape(label)}: {n} {escape(fam)}</title></rect>')
            x += w
        out.append(f'<text x="{x + 4:.1f}" y="{y + 12}">{sum(counts.values())}</text>')
    out.append(_legend(families, top + len(rows) * (bar_h + gap) + 6))
    out.append("</svg>")
    return Markup("".join(out))


def bars(rows: list[tuple[str, int, str]], title: str, width: int = 560) -> Markup:
    """One horizontal bar per (label, count, family), coloured by family."""
    if not rows:
        return Markup("")
    label_w, bar_h, gap, top = 190, 14, 5, 24
    peak = max(n for _, n, _ in rows) or 1
    scale = (width - label_w - 50) / peak
    height = top + len(rows) * (bar_h + gap) + 4
    out = [f'<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" {_FONT} font-size="11">',
           f'<title>{escape(title)}</title>',
           f'<text x="0" y="14" font-weight="bold" font-size="12">{escape(title)}</text>']
    for i, (label, n, fam) in enumerate(rows):
        y = top + i * (bar_h + gap)
        w = n * scale
        out.append(f'<text x="{label_w - 6}" y="{y + 11}" text-anchor="end">{escape(_short(label))} '
                   f'<tspan fill="#666">({escape(fam)})</tspan></text>')
        out.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{_colour(fam)}">'
                   f'<title>{escape(label)}: {n}</title></rect>')
        out.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 11}">{n}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def _legend(families: list[str], y: int) -> str:
    parts, x = [], 0
    for fam in families:
        parts.append(f'<rect x="{x}" y="{y}" width="11" height="11" fill="{_colour(fam)}"/>'
                     f'<text x="{x + 15}" y="{y + 10}">{escape(fam)}</text>')
        x += 20 + 7 * len(fam) + 12
    return "".join(parts)


def for_report(view) -> dict[str, Markup]:
    """The index's two charts: findings per outlet (stacked by family) and per kind."""
    from collections import Counter
    fams = [f.name for f in view.families]
    per_outlet: dict[str, Counter] = {}
    for dv in view.docs:
        per_outlet.setdefault(dv.doc.outlet or dv.label, Counter()).update(dv.by_family)
    rows = sorted(per_outlet.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    title = "Findings per outlet, by family"
    if len(rows) > MAX_BARS:   # a chart of hundreds of bars is unreadable: the top ones, then the rest summed
        rest: Counter = Counter()
        for _, c in rows[MAX_BARS - 1:]:
            rest.update(c)
        rows = rows[:MAX_BARS - 1] + [(f"{len(rows) - MAX_BARS + 1} other outlets", rest)]
        title = f"Findings per outlet, by family (the {MAX_BARS - 1} with most)"
    kinds = [(k.name, k.count, k.family) for k in view.kinds]
    return {"per_outlet": stacked_bars(rows, fams, title),
            "per_kind": bars(kinds, "Findings per kind")}
