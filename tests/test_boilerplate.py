"""Boilerplate stage: noise lines found with their kind and reasons, content left alone."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from audit.boilerplate import BoilerplateSettings, PatternSpec, classify_batch, mark_noise
from audit.boilerplate.patterns import _read_shipped, build_library
from audit.ingest import load_paths
from audit.types import Document, Span

FIX = Path(__file__).parent / "fixtures" / "boilerplate"
NOISE_KINDS = {"boilerplate", "caption", "byline", "duplicate"}


def load(*paths: Path) -> list[Document]:
    docs, problems = load_paths(list(paths))
    assert not problems, problems
    return docs


def doc_from_text(text: str, doc_id: str = "t", lang: str = "en", outlet: str | None = None
                  ) -> Document:
    """A document built by hand (no ingest heuristics): lines, first line as title."""
    lines, pos = [], 0
    for raw in text.split("\n"):
        if raw.strip():
            start = pos + len(raw) - len(raw.lstrip())
            lines.append(Span(start, start + len(raw.strip())))
        pos += len(raw) + 1
    return Document(id=doc_id, path=f"{doc_id}.txt", text=text, lines=lines,
                    paragraphs=list(lines), title_span=lines[0] if lines else None,
                    lang=lang, outlet=outlet)


def labelled(name: str) -> list[dict]:
    return yaml.safe_load((FIX / "expected.yaml").read_text(encoding="utf-8"))[name]


def expected_kind(labels: list[dict], line: str) -> str | None:
    for lab in labels:
        if line == lab["line"] or line.startswith(lab["line"]):
            return lab["kind"]
    return None


# --- the labelled noisy fixtures ------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(p.name for p in (FIX / "noisy").glob("*.txt")))
def test_noisy_fixture_lines_classified_as_labelled(name: str) -> None:
    doc = load(FIX / "noisy" / name)[0]
    labels = labelled(name)
    verdicts = classify_batch([doc])[0]
    wrong = [(v.text[:50], expected_kind(labels, v.text), v.kind) for v in verdicts
             if expected_kind(labels, v.text) != v.kind]
    assert not wrong, wrong
    assert sum(v.noise for v in verdicts) == len(labels)


def test_findings_cover_noise_lines_and_explain_themselves() -> None:
    docs = load(*sorted((FIX / "noisy").glob("*.txt")))
    findings = mark_noise(docs, BoilerplateSettings())
    assert findings
    by_id = {d.id: d for d in docs}
    for f in findings:
        doc = by_id[f.doc_id]
        assert f.text == doc.text[f.start:f.end]
        assert f.detector == "boilerplate" and f.kind in NOISE_KINDS
        assert f.suggestion == "remove" and f.message
        assert f.evidence["cues"] and 0.5 <= f.evidence["confidence"] <= 1
        assert doc.is_noise(f.start, f.end)
    for doc in docs:
        assert doc.noise and all(doc.text[s.start:s.end].strip() for s in doc.noise)
        assert doc.meta["noise_summary"]["lines"] == len(doc.lines)


def test_reuters_style_tail_credits_and_bio() -> None:
    doc = load(FIX / "noisy" / "wire_credits.txt")[0]
    findings = mark_noise([doc])
    bio = [f for f in findings if f.kind == "byline" and f.evidence.get("part")]
    # the bio paragraph is judged sentence by sentence, each finding one sentence of it
    assert len(bio) == 2 and bio[0].text.startswith("Ezgi Erkoyun is a senior")
    assert bio[1].text.startswith("She has reported from Turkey")
    assert any(c["name"].startswith("bio-") for c in bio[0].evidence["cues"])
    assert bio[0].evidence["position"] == "tail"
    caption = next(f for f in findings if f.kind == "caption")
    assert caption.text.startswith("FILE PHOTO:")


# --- structure: position, smoothing, title, bios only at the end ----------------------------

def test_bio_sentence_in_the_body_is_content_but_at_the_tail_is_noise() -> None:
    bio = ("Lena Holt is a senior correspondent who covers energy markets and has reported "
           "from more than 30 countries.")
    body = ("Oil prices rose 2% on Monday after producers agreed to extend output cuts.\n\n"
            f"{bio}\n\n"
            "Brent crude settled at 84 dollars a barrel, its highest level in a month.\n")
    doc = doc_from_text("Oil climbs after output deal\n\n" + body)
    assert not any(v.noise for v in classify_batch([doc])[0])
    tail = doc_from_text("Oil climbs after output deal\n\n" + body + "\n" + bio + "\n")
    flagged = [v for v in classify_batch([tail])[0] if v.noise]
    assert [v.kind for v in flagged] == ["duplicate"]   # a repeat of the body line
    other = doc_from_text("Oil climbs after output deal\n\nOil prices rose 2% on Monday after "
                          "producers agreed to extend output cuts.\n\nBrent crude settled at 84 "
                          "dollars a barrel, its highest level in a month.\n\n" + bio)
    last = classify_batch([other])[0][-1]
    assert last.noise and last.kind == "byline" and last.position == "tail"


def test_quoted_subheading_between_paragraphs_stays_content() -> None:
    doc = doc_from_text(
        "Strikes spread to ports\n\n"
        "Dock workers in Antwerp and Rotterdam walked out on Wednesday over pay.\n\n"
        "“A question of dignity”\n\n"
        "Union leaders said the strike would last at least two days, with more to follow.\n")
    v = classify_batch([doc])[0][2]
    assert v.text == "“A question of dignity”" and not v.noise
    assert any(c.name == "quoted-heading" for c in v.cues)


def test_unknown_short_line_among_tail_chrome_is_smoothed_into_noise() -> None:
    doc = doc_from_text(
        "Tram line to reopen after repairs\n\n"
        "The number 4 tram line in Lyon will reopen on Monday after three weeks of track repairs, "
        "the operator said.\n\n"
        "Passengers had been using replacement buses since early March.\n\n"
        "Share this article\n"
        "Metro Pulse\n"
        "Tags: Lyon, Transport\n")
    verdicts = classify_batch([doc])[0]
    pulse = next(v for v in verdicts if v.text == "Metro Pulse")
    assert pulse.noise and pulse.position == "tail"
    assert all(not v.noise for v in verdicts[:3])


def test_section_label_above_the_story_is_noise_but_title_is_kept() -> None:
    doc = doc_from_text(
        "Africa\n"
        "Ghana's cocoa harvest falls to 20-year low\n"
        "ACCRA — Ghana's cocoa output will fall to its lowest level in two decades this season, "
        "the industry regulator said on Thursday, as disease and smuggling hit production.\n")
    verdicts = classify_batch([doc])[0]
    assert verdicts[0].noise and verdicts[0].kind == "boilerplate"
    assert any(c.name == "section-label" for c in verdicts[0].cues)
    assert not verdicts[1].noise and not verdicts[2].noise


def test_caption_above_bare_credit_but_not_narrative_above_credit() -> None:
    doc = doc_from_text(
        "Volcano erupts in Iceland\n\n"
        "Lava flows towards the town of Grindavik on the Reykjanes peninsula\n"
        "Photograph: Sigurdur Olafsson/AFP\n\n"
        "A volcano on Iceland's Reykjanes peninsula erupted on Sunday for the fifth time since "
        "December, the Met Office said.\n\n"
        "Authorities evacuated the Blue Lagoon spa as a precaution.\n"
        "Photo: Reuters\n\n"
        "Scientists said the eruption could last for weeks.\n")
    verdicts = {v.text: v for v in classify_batch([doc])[0]}
    cap = verdicts["Lava flows towards the town of Grindavik on the Reykjanes peninsula"]
    assert cap.noise and cap.kind == "caption"
    assert verdicts["Photograph: Sigurdur Olafsson/AFP"].kind == "caption"
    assert not verdicts["Authorities evacuated the Blue Lagoon spa as a precaution."].noise
    assert verdicts["Photo: Reuters"].kind == "caption"


# --- duplicates -----------------------------------------------------------------------------

def test_title_printed_twice_and_near_duplicate_paragraph() -> None:
    para = ("The central bank of Chile cut its benchmark rate by 50 basis points to 7.25% on "
            "Wednesday, citing slowing inflation.")
    near = para.replace("Wednesday", "Wednesday ,").replace("citing", "pointing to")
    doc = doc_from_text("Chile cuts rates again\n\nChile cuts rates again\n\n" + para + "\n\n"
                        "Economists had expected a cut of that size.\n\n" + near + "\n")
    verdicts = classify_batch([doc])[0]
    assert [v.kind for v in verdicts] == [None, "duplicate", None, None, "duplicate"]
    title_rep = next(c for c in verdicts[1].cues if c.kind == "duplicate")
    assert title_rep.name == "repeated-title"
    near_rep = next(c for c in verdicts[4].cues if c.kind == "duplicate")
    assert near_rep.detail["duplicate_of"]["line"] == 3
    assert 90 <= near_rep.detail["duplicate_of"]["similarity"] < 100


# --- batch recurrence -----------------------------------------------------------------------

def test_short_line_recurring_in_unrelated_articles_of_an_outlet_is_chrome() -> None:
    docs = load(*sorted((FIX / "batch").glob("*.txt")))
    for d in docs:
        if d.id.startswith("ledger"):
            d.outlet = "Tamar Valley Ledger"
    verdicts = dict(zip([d.id for d in docs], classify_batch(docs)))
    for doc_id in ("ledger_bridge", "ledger_library", "ledger_rugby"):
        board = next(v for v in verdicts[doc_id] if v.text == "Community noticeboard")
        assert board.noise
        cue = next(c for c in board.cues if c.source == "batch")
        assert doc_id not in cue.detail["recurs_in"] and len(cue.detail["recurs_in"]) == 2
        assert cue.detail["same_outlet"]
    # alone, the same line reads as a subheading and stays content
    alone = classify_batch([d for d in docs if d.id == "ledger_bridge"])[0]
    assert not next(v for v in alone if v.text == "Community noticeboard").noise


def test_paragraphs_shared_by_copies_of_one_story_are_not_chrome() -> None:
    docs = load(*sorted((FIX / "batch").glob("wire_copy_*.txt")))
    for verdicts in classify_batch(docs):
        assert not any(v.noise for v in verdicts)
        shared = [v for v in verdicts if v.text.startswith("The quake hit at a depth")]
        assert shared and not any(c.source == "batch" and c.weight > 0 for c in shared[0].cues)


# --- the pattern library and its config extension ---------------------------------------------

def test_shipped_library_is_well_formed_and_broad() -> None:
    data = _read_shipped()
    names = [p["name"] for g in data["groups"] for p in g["patterns"]]
    assert len(names) == len(set(names)) and len(names) >= 50
    for g in data["groups"]:
        for p in g["patterns"]:
            assert p.get("explain"), p["name"]
    lib = build_library(BoilerplateSettings())
    samples = ["Leave a comment", "Comments are closed.", "Share on WhatsApp",
               "Sign up for our daily newsletter", "We use cookies to improve your experience.",
               "Copyright © 2023 Example Media", "All rights reserved.",
               "Related: Floods in Po valley",
               "Also read: Budget talks stall", "Recommended for you", "Follow us on Telegram",
               "Click here to read more", "Advertisement", "Download our app",
               "Tags: Economy, Inflation", "Filed under: Europe", "(AP Photo/Ben Curtis)",
               "Getty Images", "Additional reporting by Sam Lee; Editing by Ros Russell",
               "(With reporting from AFP)", "By MARIA CHENG",
               "Lire aussi : la réforme des retraites",
               "Leer más: la inflación baja", "Mehr zum Thema: Haushalt", "— AFP",
               "Image caption, Rescue workers at the site"]
    missing = [s for s in samples if not lib.match(s, len(s.split()))]
    assert not missing, missing


@pytest.mark.parametrize("sentence", [
    "Meta said it would remove comments that violate its community standards.",
    "Copyright lawyers say the ruling could reshape the music industry.",
    "Related costs rose 12%, the report said.",
    "See also the chart below.",
    "By Friday, more than 2,000 people had been evacuated.",
    "By Monday",
    "With information from the border still scarce, aid groups are worried.",
    "Images taken by satellites show the reservoir has shrunk by half.",
    "The Post appeared first on the scene, witnesses said.",
    "Originally published in 1851, the novel remains popular.",
    "Maria Lopez, a veteran journalist, said she was detained.",
    "Shares in the company fell 4% after the announcement.",
    "The photographer, who works for AFP, was injured in the blast.",
    "Updated figures released on Tuesday showed a sharp rise.",
    "Subscribers to the service will pay more from April, the company said.",
    "(c) a ban on imports from the region;",
    "Home prices fell for the third month.",
    "Follow-up talks are planned for next month in Jakarta.",
    "Join the group of countries that back the plan, he urged.",
    "Follow the community's lead, the mayor said.",
    "Like many users on X, she deleted her account after the change.",
    "Loading of the ships resumed on Monday.",
    "The advertisement campaign cost $2 million.",
    "Duration of the ceasefire was not specified.",
    "Image processing software helped identify the victims.",
    "The president signed the bill in Nairobi, Kenya, on March 5, 2024.",
    "Read the full text of the joint statement on the Commission's website.",
    "Premium fuel prices rose by 4%.",
])
def test_news_sentences_with_chrome_words_match_no_pattern(sentence: str) -> None:
    lib = build_library(BoilerplateSettings())
    assert [h.pattern.name for h in lib.match(sentence, len(sentence.split()))
            if h.pattern.spec.where == "any"] == []


@pytest.mark.parametrize("sentence", [
    "Miguel Uribe is the son of a journalist killed in 1991.",
    "Nearly 2,000 people will have worked on the site in five years.",
])
def test_news_about_journalists_is_no_author_bio(sentence: str) -> None:
    lib = build_library(BoilerplateSettings())
    assert [h.pattern.name for h in lib.match(sentence, len(sentence.split()))
            if h.pattern.name.startswith("bio-")] == []


def test_line_shared_by_many_articles_is_judged_on_a_sample() -> None:
    stories = [
        ("Bridge repairs approved", "Work on the Harwick footbridge will start in May."),
        ("Library opens on Sundays", "Volunteers will staff the reading room at weekends."),
        ("Rovers reach cup final", "Two late tries sealed a comeback against Pellow."),
        ("Bus fares to rise", "Single tickets will cost twenty pence more from June."),
        ("School roof leaks again", "Pupils were moved to the hall after heavy rain."),
        ("Flower show returns", "Growers from six counties entered prize dahlias."),
        ("River pollution inquiry", "Anglers reported dead fish near the old mill weir."),
        ("Hospital parking row", "Nurses say permits cost too much for night shifts."),
        ("Harbour wall cracks", "Engineers closed the quay to lorries on Thursday."),
        ("Bakery shuts after 90 years", "The owners blamed energy bills and retirement."),
        ("Street lights dimmed", "The council expects to save forty thousand pounds."),
        ("Charity run record", "Runners raised money for the children's hospice."),
    ]
    docs = [doc_from_text(f"{title}\n\n{body}\n\nLedger Radio Hour\n",
                          doc_id=f"d{i}", outlet="Harwick Ledger")
            for i, (title, body) in enumerate(stories)]
    verdicts = classify_batch(docs, BoilerplateSettings(recurrence_sample=4))
    for vs in verdicts:
        radio = next(v for v in vs if v.text == "Ledger Radio Hour")
        cue = next(c for c in radio.cues if c.source == "batch")
        assert radio.noise and cue.detail["sampled"] and cue.detail["unrelated"] == 11
        assert len(cue.detail["recurs_in"]) == 4


def test_config_pattern_extends_and_disable_switches_off() -> None:
    text = ("Port strike ends in Santos\n\n"
            "Dock workers at Brazil's Santos port ended a three-day strike on Friday after a pay "
            "deal, the union said.\n\n"
            "Exporters said the backlog would take a week to clear.\n\n"
            "Morning Harbour Digest\n\n"
            "Leave a comment\n")
    doc = doc_from_text(text)
    base = {v.text: v for v in classify_batch([doc])[0]}
    assert base["Leave a comment"].noise
    custom = BoilerplateSettings(
        patterns=[PatternSpec(name="harbour-digest", regex=r"^morning harbour digest$",
                              kind="boilerplate", explain="our newsletter's name",
                              confidence=0.97)],
        disable=["comment-form-heading"])
    after = {v.text: v for v in classify_batch([doc], custom)[0]}
    assert any(c.name == "harbour-digest" for c in after["Morning Harbour Digest"].cues)
    assert after["Morning Harbour Digest"].noise
    assert not any(c.name == "comment-form-heading" for c in after["Leave a comment"].cues)


def test_bad_config_pattern_is_a_clear_error() -> None:
    with pytest.raises(ValidationError, match="bad regex"):
        BoilerplateSettings.model_validate({"patterns": [{"name": "x", "regex": "(unclosed"}]})
    with pytest.raises(ValidationError, match="extra"):
        BoilerplateSettings.model_validate({"paterns": []})


def test_disabled_stage_clears_noise() -> None:
    doc = load(FIX / "noisy" / "cookie_banner.txt")[0]
    doc.noise = [Span(0, 5)]
    assert mark_noise([doc], BoilerplateSettings(enabled=False)) == []
    assert doc.noise == []


def test_new_chrome_families_are_in_the_library() -> None:
    lib = build_library(BoilerplateSettings())
    samples = {
        "Follow The Nation on Google News": "follow-site-on-platform",
        "Stay updated: follow us on Google News": "follow-site-on-platform",
        "Click here to join our WhatsApp channel": "join-channel",
        "Subscribe to our YouTube channel": "follow-us",
        "By Ahmed Saleh, Senior Reporter | Updated 2 hours ago": "by-name-stamp",
        "Published: 12 May 2024 | Updated: 13 May 2024": "stamp-row",
        "5 March 2024 • 3 min read": "stamp-row",
        "Photo 3 of 12": "gallery-control",
        "Enlarge this image": "gallery-control",
        "You've read 3 of your 5 free articles": "metered-paywall",
        "This is your last free article.": "metered-paywall",
        "Listen to this story · 4 min": "media-player",
        "Duration 2:31": "media-player",
        "- Advertisement -": "advertisement",
        "Ad Feedback": "advertisement",
        "Loading…": "jetpack-like",
        "Show less": "expand-control",
        "Most watched": "listing-widget",
        "Leave a response": "comment-form-heading",
        "You might also be interested: Storm closes the port": "related-link",
        "Staff Report": "by-desk",
        "You have 69.76% of this article left to read.": "metered-paywall",
        "SCROLL TO CONTINUE WITH CONTENT": "back-to-top",
        "Send this page to someone via email": "account-controls",
        "This news edited with AI": "ai-disclosure",
        "Summary is AI-generated, newsroom-reviewed": "ai-disclosure",
    }
    wrong = {s: [h.pattern.name for h in lib.match(s, len(s.split()))]
             for s, name in samples.items()
             if name not in [h.pattern.name for h in lib.match(s, len(s.split()))]}
    assert not wrong, wrong


def test_headlines_under_a_list_heading_are_links_until_content_resumes() -> None:
    doc = doc_from_text(
        "Copper price hits two-year high on supply fears\n\n"
        "LUSAKA — Copper rose above $10,000 a tonne on Tuesday for the first time in two years "
        "as smelter outages in Zambia and Chile tightened supply.\n\n"
        "More from Copperbelt Mining Weekly\n"
        "Zambia's new mining code explained\n"
        "Why Chinese smelters are cutting output\n\n"
        "Traders said stocks in London warehouses had fallen by a third since January.\n\n"
        "Read also: Cobalt glut drags prices lower\n\n"
        "Smelter outages spread\n\n"
        "Two smelters in Chile halted work after a strike by contract workers, their owners "
        "said.\n")
    verdicts = {v.text: v for v in classify_batch([doc])[0]}
    for line in ("Zambia's new mining code explained", "Why Chinese smelters are cutting output"):
        v = verdicts[line]
        cue = next(c for c in v.cues if c.name == "listed-under-heading")
        assert v.noise and v.kind == "boilerplate" and cue.detail["heading_line"] == 3
    assert verdicts["More from Copperbelt Mining Weekly"].noise
    assert not verdicts["Traders said stocks in London warehouses had fallen by a third since "
                        "January."].noise
    # an inline teaser ("Read also: HEADLINE") heads no list: the subheading below is content
    assert verdicts["Read also: Cobalt glut drags prices lower"].noise
    assert not verdicts["Smelter outages spread"].noise


def test_bulleted_headlines_under_a_list_heading_are_links() -> None:
    doc = doc_from_text(
        "Copper price hits two-year high on supply fears\n\n"
        "LUSAKA — Copper rose above $10,000 a tonne on Tuesday for the first time in two years "
        "as smelter outages in Zambia and Chile tightened supply.\n\n"
        "Traders said stocks in London warehouses had fallen by a third since January.\n\n"
        "Read also\n"
        "- Zambia's new mining code explained in five charts\n"
        "- Why Chinese smelters are cutting output this year\n")
    verdicts = {v.text: v for v in classify_batch([doc])[0]}
    for line in ("- Zambia's new mining code explained in five charts",
                 "- Why Chinese smelters are cutting output this year"):
        assert verdicts[line].noise
        assert any(c.name == "listed-under-heading" for c in verdicts[line].cues)


def test_bulleted_points_of_the_article_stay_content() -> None:
    doc = doc_from_text(
        "Copper price hits two-year high on supply fears\n\n"
        "LUSAKA — Copper rose above $10,000 a tonne on Tuesday for the first time in two years "
        "as smelter outages in Zambia and Chile tightened supply.\n\n"
        "The ministry listed three causes:\n"
        "- Smelters in Chile halted work after a strike\n"
        "- Zambian output fell for a third month\n\n"
        "Traders said stocks in London warehouses had fallen by a third since January.\n")
    verdicts = {v.text: v for v in classify_batch([doc])[0]}
    assert not verdicts["- Smelters in Chile halted work after a strike"].noise
    assert not verdicts["- Zambian output fell for a third month"].noise


def test_a_stamp_before_chrome_does_not_hide_it_from_the_patterns() -> None:
    doc = doc_from_text(
        "Copper price hits two-year high on supply fears\n\n"
        "date 2025-04-10 Send this page to someone via email\n\n"
        "LUSAKA — Copper rose above $10,000 a tonne on Tuesday for the first time in two years "
        "as smelter outages in Zambia and Chile tightened supply.\n\n"
        "Traders said stocks in London warehouses had fallen by a third since January.\n")
    v = {v.text: v for v in classify_batch([doc])[0]}["date 2025-04-10 Send this page to "
                                                        "someone via email"]
    assert v.noise and any(c.name == "account-controls" for c in v.cues)


def test_a_future_perfect_in_the_last_paragraph_is_no_author_bio() -> None:
    doc = doc_from_text(
        "Cathedral reopens\n\n"
        "PARIS — The cathedral reopened on Saturday after five years of work, officials said.\n\n"
        "The site will be closed on Friday. Nearly 2,000 people will have worked on the site in "
        "five years, and all have been invited to the ceremony.\n")
    v = {v.text: v for v in classify_batch([doc])[0]}
    assert not v["The site will be closed on Friday. Nearly 2,000 people will have worked on the "
                 "site in five years, and all have been invited to the ceremony."].noise


def test_desk_codes_count_only_at_the_article_edge() -> None:
    body = ("Cholera cases rise in Mozambique after cyclone\n\n"
            "MAPUTO — Health officials in Mozambique reported 1,200 new cholera cases on Sunday, "
            "most of them in areas flooded by Cyclone Filipo.\n\n"
            "{mid}"
            "The World Health Organization said it was sending vaccines for 700,000 people.\n\n"
            "{tail}")
    tail = doc_from_text(body.format(mid="", tail="ach-sst/gv\n"))
    last = classify_batch([tail])[0][-1]
    assert last.noise and last.kind == "byline"
    assert any(c.name == "agency-desk-code" for c in last.cues)
    mid = doc_from_text(body.format(mid="and/or\n\n", tail=""))
    assert not any(v.noise for v in classify_batch([mid])[0])


def test_dated_photo_caption_but_not_dated_narrative() -> None:
    doc = doc_from_text(
        "Kyrgyzstan opens new mountain highway\n\n"
        "Trucks drive along the new highway near Naryn, Kyrgyzstan, June 12, 2024.\n\n"
        "BISHKEK — Kyrgyzstan opened a 96-km highway through the Tian Shan mountains on "
        "Wednesday, cutting the journey from the capital to the Chinese border by four hours.\n\n"
        "The road was financed by a Chinese loan signed in Beijing, China, May 3, 2019.\n\n"
        "Officials said traffic would be free for the first month.\n")
    verdicts = {v.text: v for v in classify_batch([doc])[0]}
    cap = verdicts["Trucks drive along the new highway near Naryn, Kyrgyzstan, June 12, 2024."]
    assert cap.noise and cap.kind == "caption"
    narr = verdicts["The road was financed by a Chinese loan signed in Beijing, China, "
                    "May 3, 2019."]
    cue = next(c for c in narr.cues if c.name == "dated-caption")
    assert not narr.noise and cue.detail["past_tense"] == "was"


def test_uncredited_caption_between_gallery_widgets() -> None:
    doc = doc_from_text(
        "Kenya's tea pickers fear the machines taking their jobs\n\n"
        "Enlarge this image\n"
        "A tea picker carries a basket of leaves on an estate in Kericho\n"
        "toggle caption\n\n"
        "KERICHO, Kenya — On the hillsides around Kericho, machines that can do the work of 100 "
        "pickers are spreading across the big estates.\n\n"
        "Image 2 of 4\n"
        "Managers said the machines paid for themselves within three seasons\n"
        "Image 3 of 4\n\n"
        "Unions say more than 30,000 jobs have been lost in a decade.\n")
    verdicts = {v.text: v for v in classify_batch([doc])[0]}
    cap = verdicts["A tea picker carries a basket of leaves on an estate in Kericho"]
    assert cap.noise and cap.kind == "caption"
    assert any(c.name == "caption-between-image-widgets" for c in cap.cues)
    assert verdicts["Enlarge this image"].noise and verdicts["toggle caption"].noise
    # framed the same way, but narrative (past tense): the caption cue is a quarter as strong
    # (the line may still go with its gallery neighbours, but not as a described picture)
    narr = verdicts["Managers said the machines paid for themselves within three seasons"]
    cue = next(c for c in narr.cues if c.name == "caption-between-image-widgets")
    full = next(c for c in cap.cues if c.name == "caption-between-image-widgets")
    assert "narrative" in cue.explain and cue.weight == pytest.approx(full.weight / 4)


# --- HTML: dropped by the extractor (and listed) or flagged ---------------------------------

_PAGE = ("<html><head><title>{title}</title></head><body><main><article><h1>{title}</h1>"
         "{body}</article></main>{aside}</body></html>")


def _page_doc(tmp_path: Path, body: list[str], aside: str = "") -> Document:
    title = "Tbilisi protests enter second week"
    path = tmp_path / "page.html"
    path.write_text(_PAGE.format(title=title, body="".join(f"<p>{p}</p>" for p in body),
                                 aside=aside), encoding="utf-8")
    return load(path)[0]


_GEO = [
    "TBILISI — Thousands of protesters gathered outside Georgia's parliament for an eighth "
    "night on Tuesday, demanding that the government withdraw a bill on foreign funding.",
    "Police used water cannon to clear the main avenue shortly after midnight, and the interior "
    "ministry said 20 people had been detained.",
    "The European Union has said the bill is incompatible with Georgia's bid to join the bloc.",
    "Opposition parties have called for another rally on Saturday.",
]


def test_html_paragraph_printed_twice_in_a_row_is_kept_and_flagged(tmp_path: Path) -> None:
    doc = _page_doc(tmp_path, _GEO[:2] + [_GEO[1]] + _GEO[2:])
    assert doc.text.count(_GEO[1]) == 2
    restored = doc.meta["restored_repeats"]
    assert restored[0]["copies_restored"] == 1 and restored[0]["text"].startswith("Police used")
    dup = [f for f in mark_noise([doc]) if f.kind == "duplicate"]
    assert len(dup) == 1 and dup[0].text == _GEO[1]
    assert dup[0].start == doc.text.rindex(_GEO[1])


def test_html_paragraph_echoed_outside_the_article_is_not_restored(tmp_path: Path) -> None:
    aside = f"<aside><h3>Summary</h3><p>{_GEO[0]}</p></aside>"
    doc = _page_doc(tmp_path, _GEO, aside)
    assert doc.text.count(_GEO[0]) == 1 and "restored_repeats" not in doc.meta
    assert not [f for f in mark_noise([doc]) if f.kind == "duplicate"]


def test_html_page_chrome_is_dropped_and_listed_or_flagged() -> None:
    doc = load(FIX / "page.html")[0]
    findings = mark_noise([doc])
    flagged = {f.text for f in findings}
    summary = doc.meta["removed_summary"]
    dropped = {i["text"]: i["kind"] for i in summary["items"]}
    chrome = ["We use cookies", "Skip to content", "Home › Americas › Bolivia", "Advertisement",
              "Tags: Bolivia", "Share this article", "Sign up for our weekly newsletter",
              "Leave a Reply", "Your email address will not be published", "© 2024 Andes Courier",
              "Back to top", "Fishing boats sit on the exposed bed", "Read more:",
              "Reporting by Valeria Quispe", "Follow us on X"]
    for c in chrome:
        in_text = [t for t in flagged if t.startswith(c)]
        in_removed = [k for t, k in dropped.items() if t.startswith(c)]
        assert in_text or (in_removed and in_removed[0] is not None), c
    # the article itself survives, untouched
    content = [doc.text[s.start:s.end] for s in doc.lines if not doc.is_noise(s.start, s.end)]
    assert content[0] == "Drought shrinks Lake Titicaca to near-record low"
    assert any(t.startswith("HUARINA, Bolivia") for t in content)
    assert any(t.startswith("Forecasters expect the rains") for t in content)
    assert summary["by_kind"]["caption"] >= 1 and summary["count"] == len(doc.removed)


# --- content is not eaten -------------------------------------------------------------------

def test_clean_articles_keep_their_content() -> None:
    docs = load(*sorted((FIX / "clean").glob("*.txt")))
    assert len(docs) >= 10
    findings = mark_noise(docs)
    total = sum(len(d.lines) for d in docs)
    lost = sum(len(d.noise) for d in docs)
    assert (total - lost) / total >= 0.99, [f.text for f in findings]


def test_a_section_label_title_gives_way_to_the_first_content_sentence(make_doc):
    from audit.boilerplate import mark_noise, BoilerplateSettings
    text = ("World\n"
            "NAIROBI, March 4 - Kenyan police fired tear gas at protesters in the capital on "
            "Tuesday. Dozens were arrested, witnesses said.\n"
            "Opposition leaders had called the march over the rising cost of living.\n")
    doc = make_doc(text, "k")
    mark_noise([doc], BoilerplateSettings())
    assert doc.title.startswith("NAIROBI, March 4 - Kenyan police fired tear gas")
    assert doc.title.endswith("on Tuesday.")
    assert doc.meta["title_from_ingest"] == "World"


# --- real-page chrome: structure (counters, scripts, stamps, link lists) and patterns -------

def _noise(text: str) -> dict[str, object]:
    return {v.text: v for v in classify_batch([doc_from_text(text)])[0]}


BODY = ("Rescue teams worked through the night to reach villages cut off by the landslides, "
        "officials said on Tuesday.\n"
        "The regional governor said more than two hundred homes had been destroyed and that "
        "shelters were being set up in schools.\n"
        "Aid agencies warned that the roads into the valley would stay closed for days.\n")


def test_chrome_title_counters_other_script_and_date_stamps() -> None:
    v = _noise("Войти\nРегистрация\n0\n1 2\nMon. Jun 24th, 2024\nSelasa 05 Dec 2023 21:03 WIB\n"
               "Landslides cut off mountain villages\n" + BODY)
    for line in ("Войти", "Регистрация", "0", "1 2", "Mon. Jun 24th, 2024",
                 "Selasa 05 Dec 2023 21:03 WIB"):
        assert v[line].noise, line
    assert v["Войти"].position != "title"              # chrome is never protected as the title
    assert not v["Landslides cut off mountain villages"].noise
    assert not any(v[line].noise for line in BODY.splitlines())


def test_unpunctuated_headline_run_is_a_link_list() -> None:
    v = _noise("Landslides cut off mountain villages\n" + BODY +
               "Fire guts hotel housing 484 pilgrims in Mecca\n"
               "Pastor Denies Brandishing Firearm in Viral Video\n"
               "Opposition Seeks Alliance with Other Parties Ahead of Vote\n")
    # The run is a cue toward noise. Alone it no longer decides: trained with the fresh4 fold,
    # whose outlets write live updates as runs of unpunctuated lines ("The fire has left 128
    # people dead as of Friday afternoon"), the learned weight of a run fell from 4.5 to 0.5
    # log-odds, so a pattern, recurrence or position must agree before such a line is noise.
    for t in ("Fire guts hotel housing 484 pilgrims in Mecca",
              "Pastor Denies Brandishing Firearm in Viral Video"):
        run = [c for c in v[t].cues if c.name == "link-run"]
        assert run and run[0].weight > 0
    assert not any(v[line].noise for line in BODY.splitlines())


@pytest.mark.parametrize("line,name", [
    ("(Read: Presidents of the region react to the victory in Argentina)", "related-link-bracketed"),
    ("• Also read: Earthquake in Morocco: a village destroyed", "related-link-bracketed"),
    ("Previous articleThis is the best fast charger on Black Friday", "pager-link"),
    ("Thousands attend the funeral in the capital... Read More »", "teaser-read-more"),
    ("• 3 minutes read", "reading-meta"),
    ("Read Time:4 Minute, 19 Second", "reading-meta"),
    ("Please enter your comment!", "wordpress-comment-form-fields"),
    ("ByNadine El-Bawab and Conor Finnegan", "by-name-glued"),
    ("Marcheilla Ariesta • 02 January 2024 22:43", "name-bullet-date"),
    ("*With agency information", "agency-information"),
    ("Maghreb Arab News Agency", "agency-name-line"),
    ("Police are near the scene of the festival. © Thomas Banneyer/dpa", "copyright-credit-suffix"),
    ("Never miss any story with active notifications", "visit-channel"),
    ("News in English from Greece", "site-tagline"),
    ("Home » World » Stories of survival after the earthquake", "breadcrumb-home"),
])
def test_real_page_chrome_patterns(line: str, name: str) -> None:
    lib = build_library(BoilerplateSettings())
    from audit.boilerplate.structure import words_of
    assert name in [h.pattern.name for h in lib.match(line, len(words_of(line)))]


@pytest.mark.parametrize("line", [
    "Read more about the ruling in our explainer on the court's powers.",
    "Share prices fell 3% in early trading in Tokyo.",
    "By Tuesday the army had reached the town, the ministry said.",
    "The agency said the donation would be used to rebuild schools.",
    "On Monday the president met the families of the victims.",
])
def test_real_page_patterns_leave_prose_alone(line: str) -> None:
    lib = build_library(BoilerplateSettings())
    from audit.boilerplate.structure import words_of
    assert lib.match(line, len(words_of(line))) == []


@pytest.mark.parametrize("line,name", [
    ("Baca Juga", "related-link-other-languages"),
    ("[ad_1]", "code-residue"),
    ("Key_Bridge_and_Cargo_Ship_view (1).jpg", "image-file-name"),
    ("Topics:", "bare-label"),
    ("The footage shows the crash site pic.twitter.com/h78E9tAbc", "tweet-embed"),
    ("Butterfly Tops. Call us on +685.7790054 and visit our store", "inline-ad"),
    ("example.com.cn | Updated: 2024-03-27 09:01", "site-stamp"),
    ("People queue to give blood in Moscow. Photo: Denis Voronin / Moskva agency",
     "photo-credit-loose"),
    ("A building in Amizmiz is levelled by the earthquake. (Asharq Al-Awsat)",
     "caption-source-paren"),
    ("15:16, March 27, 2024 By Ai Heping", "stamp-byline"),
    ("(15.64 KB, 474x285)", "image-file-name"),
    ("Categories Tajikistan", "taxonomy-no-colon"),
    ("• English", "language-switcher"),
    ("Russia jet crash - follow live updates", "live-updates-link"),
    ("Fires swept through Wajima on the Noto Peninsula [Kyodo via Reuters]",
     "bracketed-agency-credit"),
    ("Photo @moscowcourts 1/2", "photo-handle-credit"),
    ("Efforts to resolve the war have failed.  (dpa/NAN)", "agency-slash-lower"),
    ("Your browser doesn’t support HTML5", "enable-javascript"),
])
def test_more_real_page_chrome_patterns(line: str, name: str) -> None:
    lib = build_library(BoilerplateSettings())
    from audit.boilerplate.structure import words_of
    assert name in [h.pattern.name for h in lib.match(line, len(words_of(line)))]


def test_masthead_title_and_paragraph_in_another_language() -> None:
    doc = doc_from_text("THE ASAHI SHIMBUN\nQuake kills dozens on the Noto peninsula\n" + BODY +
                        "He firmado el decreto ejecutivo que declara el conflicto armado interno "
                        "en todo el territorio nacional.\n", outlet="The Asahi Shimbun")
    doc.paragraphs = list(doc.lines)
    doc.paragraph_langs = ["en"] * (len(doc.lines) - 1) + ["es"]
    v = {x.text: x for x in classify_batch([doc])[0]}
    assert v["THE ASAHI SHIMBUN"].noise
    assert not v["Quake kills dozens on the Noto peninsula"].noise
    spanish = [x for t, x in v.items() if t.startswith("He firmado")][0]
    assert spanish.noise and any(c.name == "other-language" for c in spanish.cues)
    assert not any(v[line].noise for line in BODY.splitlines())


def test_phrase_printed_twice_on_one_line_is_a_caption() -> None:
    v = _noise("Mount Marapi eruption in Sumatra Mount Marapi eruption in Sumatra\n"
               "Volcano erupts in western Indonesia\n" + BODY)
    line = v["Mount Marapi eruption in Sumatra Mount Marapi eruption in Sumatra"]
    assert line.noise and line.kind == "caption"
    assert not v["Volcano erupts in western Indonesia"].noise


def test_inline_tags_are_set_aside_without_their_sentence() -> None:
    text = ("Blasts in Kerman\n"
            "(MENAFN- Trend News Agency) BAKU, Azerbaijan, January 4. Two blasts killed dozens "
            "near the cemetery in Kerman, officials said.\n"
            "SHAFAQNA- The group claimed the attack in a statement on Thursday, the agency said.\n"
            "BAGHDAD - Iraqi officials condemned the attack and offered help to Iran.\n"
            "Climbers are barred from the area near the main crater.–Bernama\n")
    doc = doc_from_text(text, outlet="Shafaqna")
    tags = [v for v in classify_batch([doc])[0] if any(c.source == "pattern" and c.detail.get(
        "group") == "inline_tags" for c in v.cues)]
    assert [v.text.strip() for v in tags] == ["(MENAFN- Trend News Agency)", "SHAFAQNA-",
                                              "–Bernama"]
    mark_noise([doc])
    assert not doc.is_noise(text.index("Two blasts"), text.index("officials said"))
    assert doc.is_noise(text.index("(MENAFN"), text.index(") BAKU") + 1)


# --- the learned line model (structure and statistics, audit/data/noise_model.json) ---------

def test_learned_cues_add_up_to_the_line_score() -> None:
    import json
    from importlib import resources

    from audit.boilerplate.features import NAMES
    from audit.boilerplate.model import DATA_FILE, shipped_model
    shipped = json.loads(resources.files("audit.data").joinpath(DATA_FILE).read_text())
    assert tuple(shipped["model"]["names"]) == NAMES     # retrained since features changed
    model = shipped_model()
    verdicts = classify_batch([doc_from_text("Landslides cut off mountain villages\n" + BODY +
                                             "MORE FROM THE VALLEY DESK\n")])[0]
    for v in verdicts:
        assert v.score == pytest.approx(model.intercept + sum(c.weight for c in v.cues))
        assert any(c.detail.get("learned") for c in v.cues), v.text


def test_chrome_no_pattern_knows_is_found_by_its_shape() -> None:
    """Tail chrome whose words are in no list: a capitalised strapline, a row of section
    names separated by bars, a web address. The body stays content."""
    from audit.boilerplate.structure import words_of
    chrome = ["ZORBLAX VALLEY MEDIA NETWORK", "Weather | Traffic | Lottery | Obituaries",
              "zorblaxvalley.net/live"]
    lib = build_library(BoilerplateSettings())
    assert all(lib.match(c, len(words_of(c))) == [] for c in chrome)
    v = _noise("Landslides cut off mountain villages\n" + BODY + "\n".join(chrome) + "\n")
    for c in chrome:
        assert v[c].noise, (c, [(x.name, round(x.weight, 2)) for x in v[c].cues])
        assert any(x.detail.get("learned") and x.weight > 0 for x in v[c].cues)
    assert not any(v[line].noise for line in BODY.splitlines())


def test_hand_weights_remain_available() -> None:
    doc = doc_from_text("Landslides cut off mountain villages\n" + BODY + "Share this article\n")
    v = {x.text: x for x in classify_batch([doc], BoilerplateSettings(model=False))[0]}
    assert v["Share this article"].noise
    assert not any(c.detail.get("learned") for x in v.values() for c in x.cues)
    assert not any(v[line].noise for line in BODY.splitlines())


def test_recurrence_sample_is_the_lowest_ranked_other_holders_and_stays_when_articles_join() -> None:
    """A line held by more articles than the sample is judged on the `sample` other holders of
    lowest rank (a hash of the id): the same articles whatever joins the batch, unless a newcomer
    ranks among them; every other holder is judged when they are few."""
    from hypothesis import given, settings, strategies as st

    from audit.boilerplate.batch import BatchIndex

    def index(ids: list[str], sample: int) -> BatchIndex:
        docs = [doc_from_text(f"Story {i}\nShare this article\n", doc_id=i) for i in ids]
        return BatchIndex(docs, [[] for _ in docs], 0.12, sample)

    @settings(deadline=None, max_examples=60)
    @given(st.lists(st.integers(0, 10**6), min_size=2, max_size=80, unique=True),
           st.lists(st.integers(10**6 + 1, 2 * 10**6), max_size=20, unique=True), st.integers(2, 12))
    def check(old: list[int], new: list[int], sample: int) -> None:
        ids = [f"a{n}" for n in old]
        newcomers = {f"a{n}" for n in new}
        grown_ids = sorted([*ids, *newcomers])           # newcomers sort in among the others
        small, grown = index(ids, sample), index(grown_ids, sample)
        for d in range(len(ids)):
            if len(ids) - 1 <= sample:
                break
            probe = small._probe("k", list(range(len(ids))), d)
            others = sorted((e for e in range(len(ids)) if e != d), key=small._rank)[:sample]
            assert probe == sorted(others)
            after = {grown_ids[e] for e in grown._probe("k", list(range(len(grown_ids))),
                                                          grown_ids.index(ids[d]))}
            before = {ids[e] for e in probe}
            assert after - newcomers <= before           # only a newcomer displaces a sampled one
            if not after & newcomers:
                assert after == before
    check()
