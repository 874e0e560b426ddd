"""What the report calls an article (its title) and anchors that do not move on a re-run."""
from __future__ import annotations

from audit.ingest.build import make_document
from audit.report import ReportSettings, write_reports
from audit.report.docs import build_docs
from audit.types import Alignment, Finding, RunResult, Span, Story

BODY = ("Rescuers found 12 survivors under the rubble of the market on Tuesday, officials said.\n\n"
        "The governor said the search would go on through the night.\n")


def doc(i: int, head: list[str], body: str = BODY):
    return make_document(f"d{i}", f"d{i}.txt", "\n\n".join(head) + "\n\n" + body)


def noise_finding(d, line: str) -> Finding:
    a = d.text.index(line)
    return Finding.at(d, a, a + len(line), "boilerplate", "info", "site chrome", "boilerplate")


def test_title_is_never_a_noise_line():
    d = doc(1, ["Shafaq Live", "Home | World | Politics", "Twelve survivors found in market rubble"])
    d.noise = [Span(0, len("Shafaq Live"))]
    res = RunResult("t", [d], [noise_finding(d, "Home | World | Politics")], alignment=Alignment())
    assert d.title == "Shafaq Live"                  # ingest took the first line
    assert build_docs(res, ReportSettings())[0].title == "Twelve survivors found in market rubble"


def test_a_site_name_after_the_headline_is_dropped_only_when_it_is_the_sites_chrome():
    d = doc(1, ["Morning Monitor", "Iraq | Two dead in strikes | Morning Monitor"])
    d.noise = [Span(0, len("Morning Monitor"))]
    keep = doc(2, ["Votes counted | Results by region"])       # a bar inside a real headline
    res = RunResult("t", [d, keep], [], alignment=Alignment())
    assert [dv.title for dv in build_docs(res, ReportSettings())] == ["Iraq | Two dead in strikes",
                                                                      "Votes counted | Results by region"]


def test_a_line_heading_several_stories_is_chrome_not_a_headline():
    """A site's masthead nobody flagged as noise: it heads articles of three different stories."""
    heads = ["Twelve survivors found in market rubble", "Talks resume in the capital", "Floods close the coast road"]
    docs = [doc(i, ["Metro Beacon", h], BODY.replace("12", str(10 + i))) for i, h in enumerate(heads)]
    docs.append(doc(9, ["Twelve survivors found in market rubble"]))   # a real headline, two copies, one story
    stories = [Story("s0", "story", ["d0", "d9"], "market"), Story("s1", "story", ["d1"], "talks"),
               Story("s2", "story", ["d2"], "floods")]
    res = RunResult("t", docs, [], alignment=Alignment(stories=stories))
    titles = [dv.title for dv in build_docs(res, ReportSettings())]
    assert titles == heads + ["Twelve survivors found in market rubble"]


def test_pages_of_unchanged_articles_stay_byte_identical_when_others_gain_findings(tmp_path):
    a, b = doc(1, ["First headline here"]), doc(2, ["Second headline here"])

    def run(extra: int) -> dict[str, bytes]:
        fs = [Finding.at(a, 0, 5, "casing", "warning", "x", "casing") for _ in range(extra)]
        fs.append(Finding.at(b, 0, 6, "casing", "warning", "capitalised", "casing"))
        out = tmp_path / f"r{extra}"
        write_reports(RunResult("t", [a, b], fs, alignment=Alignment()), out, ReportSettings(pdf=False))
        return {p.name: p.read_bytes() for p in out.glob("doc-*.html")}

    one, three = run(1), run(3)
    assert one["doc-d2.html"] == three["doc-d2.html"]    # d1's findings do not renumber d2's anchors
    assert one["doc-d1.html"] != three["doc-d1.html"]


def test_a_noise_copy_of_the_headline_does_not_disqualify_it():
    d = doc(1, ["Twelve survivors found in market rubble", "Twelve survivors found in market rubble"])
    second = d.text.index("Twelve", 5)
    d.noise = [Span(second, second + len("Twelve survivors found in market rubble"))]   # the repeat
    res = RunResult("t", [d], [], alignment=Alignment())
    assert build_docs(res, ReportSettings())[0].title == "Twelve survivors found in market rubble"


def test_a_lede_standing_in_for_a_headline_loses_its_dateline():
    """Wire copy has no headline: the lede is the title, and its dateline (stacked twice in a
    republished copy) is not what an editor calls the article."""
    ledes = ["Bagdad, 8 Feb (EFE).- The United States killed a militia commander on Wednesday.",
             "BAGHDAD (AP) - Madrid/Saná, 12 Jan (EFE).- The armies of two countries struck sites.",
             "WASHINGTON/BAGHDAD, Nov 21 (Reuters) – the US military said it struck two facilities.",
             "ERBIL, Kurdistan Region - An Iraqi militia official vowed to continue attacks.",
             "Votes counted (so far) - Results by region", "PARIS (AFP) - Two dead",
             "Derna (Libya) (AFP) – The rescuers searched the mud again on Saturday."]
    res = RunResult("t", [doc(i, [t]) for i, t in enumerate(ledes)], [], alignment=Alignment())
    assert [dv.title for dv in build_docs(res, ReportSettings())] == [
        "The United States killed a militia commander on Wednesday.",
        "The armies of two countries struck sites.",
        "The US military said it struck two facilities.",
        "ERBIL, Kurdistan Region - An Iraqi militia official vowed to continue attacks.",  # no agency
        "Votes counted (so far) - Results by region",       # a bracket in a headline
        "PARIS (AFP) - Two dead",                           # fewer than three words would remain
        "The rescuers searched the mud again on Saturday."]  # the country in brackets too


def test_a_masthead_stays_chrome_when_a_topic_holds_its_stories():
    """Topics hold several stories: counted as one, they hid a masthead over 15 stories of one
    topic after 50 new articles joined the 1k feed, and those pages changed title on the re-run."""
    heads = ["Twelve survivors found in market rubble", "Talks resume in the capital", "Floods close the coast road"]
    docs = [doc(i, ["Metro Beacon", h], BODY.replace("12", str(10 + i))) for i, h in enumerate(heads)]
    stories = [Story(f"s{i}", "story", [f"d{i}"], h) for i, h in enumerate(heads)]
    stories.append(Story("t0", "topic", ["d0", "d1", "d2"], "region"))
    res = RunResult("t", docs, [], alignment=Alignment(stories=stories))
    assert [dv.title for dv in build_docs(res, ReportSettings())] == heads


def test_a_line_set_aside_as_chrome_in_one_article_is_chrome_in_all():
    """The boilerplate stage flagged the site's name in one article and missed it in another of
    the same story: neither is titled by it."""
    a, b = doc(1, ["River Brief", "Twelve survivors found in market rubble"]), doc(2, ["River Brief", "Rubble search goes on"])
    flagged = Finding.at(a, 0, len("River Brief"), "byline", "info", "outlet name", "boilerplate")
    res = RunResult("t", [a, b], [flagged], alignment=Alignment(stories=[Story("s", "story", ["d1", "d2"], "x")]))
    assert [dv.title for dv in build_docs(res, ReportSettings())] == [
        "Twelve survivors found in market rubble", "Rubble search goes on"]
    # a headline set aside inside a longer line (a tag, not the line) does not count
    c = doc(3, ["Rubble search goes on", "Rubble search goes on | more"])
    at = c.text.index("Rubble", 5)
    inner = Finding.at(c, at, at + len("Rubble search goes on"), "boilerplate", "info", "tag", "boilerplate")
    res = RunResult("t", [c], [inner], alignment=Alignment())
    assert build_docs(res, ReportSettings())[0].title == "Rubble search goes on"


def test_the_sites_own_name_is_no_title_even_alone_in_the_batch():
    """A site new to the batch, its name flagged nowhere: it heads the page and ends another of
    its lines set aside as chrome, so it is the site's name. A short headline that a content
    line ends with stays."""
    d = doc(1, ["River Brief", "Skip to content | River Brief", "Twelve survivors found in market rubble"])
    skip = d.text.index("Skip")
    d.noise = [Span(skip, skip + len("Skip to content | River Brief"))]
    keep = doc(2, ["Market rubble cleared", "Photos | Market rubble cleared"])
    res = RunResult("t", [d, keep], [], alignment=Alignment())
    assert [dv.title for dv in build_docs(res, ReportSettings())] == [
        "Twelve survivors found in market rubble", "Market rubble cleared"]
