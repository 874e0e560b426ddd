"""What an article's printed findings table holds (report/select.paper_findings)."""
from __future__ import annotations

from types import SimpleNamespace

from audit.report.select import paper_findings


def fv(num, kind, severity, text, line, family="surface", suggestion=None):
    return SimpleNamespace(num=num, kind=kind, severity=severity, text=text, line=line, family=family,
                           suggestion=suggestion, message=f"{kind} {text}")


def test_repeats_fold_into_one_row_with_every_number_and_line():
    fs = [fv(1, "casing", "warning", "In", 3, suggestion="in"), fv(2, "casing", "warning", "in", 5, suggestion="in"),
          fv(3, "casing", "warning", "The", 5, suggestion="the"), fv(4, "casing", "warning", "In", 9, suggestion="in")]
    pf = paper_findings(fs)
    assert [r.nums for r in pf.rows] == [[1, 2, 4], [3]]
    assert pf.rows[0].where == "3, 5, 9" and pf.rows[0].refs == "1, 2, 4"
    assert pf.total == 4 and not pf.left


def test_errors_are_never_cut_and_the_rest_is_counted_by_kind():
    fs = [fv(n, "calque", "warning", f"w{n}", n, "translation") for n in range(1, 9)]
    fs += [fv(9 + n, "entity-variant", "error", f"e{n}", 20 + n, "entity") for n in range(5)]
    fs += [fv(20, "boilerplate", "info", "Share this", 1, "noise"), fv(21, "byline", "info", "By X", 2, "noise"),
           fv(22, "boilerplate", "info", "Home", 30, "noise")]
    pf = paper_findings(fs, limit=7)
    assert [r.severity for r in pf.rows] == ["error"] * 5 + ["warning"] * 2   # errors first
    assert [r.nums[0] for r in pf.rows[5:]] == [1, 2]                          # then in text order
    assert pf.left == [("calque", 6)] and pf.left_count == 6
    assert pf.noise == [("boilerplate", 2), ("byline", 1)]
    assert pf.total == 13                                                       # noise lines apart
    assert len(paper_findings(fs, limit=2).rows) == 5                            # past the limit: errors stay
