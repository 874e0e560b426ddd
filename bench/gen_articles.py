"""Generate a realistic synthetic news batch for the alignment benchmark.

Topics hold stories; each story is covered by several outlets. Every article is written from
templates with the story's facts, then varied the way real copies vary: synonyms swapped
(paraphrase), sentences reordered, numbers formatted differently ("2,500" / "2500" / "2.500" /
words), names transliterated differently, topic background paragraphs mixed in, and outlet
boilerplate appended. Deterministic for a given seed.

    python bench/gen_articles.py 1000 /tmp/articles     # writes .txt files (optional)
"""
from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

from audit.ingest.build import make_document
from audit.types import Document, SourceMeta, Span

SYL = ["ka", "ta", "ib", "qa", "ra", "mi", "su", "da", "ni", "ha", "sh", "al", "ba", "kir", "mos",
       "zu", "far", "del", "ro", "vin", "tor", "lek", "am", "ou", "sar", "jin", "bel", "dor", "na", "ye"]
OUTLETS = ["Daily Courier", "Global Wire", "Morning Post", "Capital Times", "Frontline News", "Metro Herald",
           "River Gazette", "North Star", "Observer Net", "Evening Report", "Press Desk", "World Brief"]
FOOTERS = ["Subscribe to our newsletter for the latest updates.", "Follow us on social media.",
           "All rights reserved.", "Read more: top stories of the day", "Advertisement",
           "Share this article", "Comments are moderated before publication."]
SWAPS = [("troops", "soldiers"), ("soldiers", "forces"), ("killed", "dead"), ("said", "stated"),
         ("attack", "assault"), ("militia", "armed group"), ("wounded", "injured"), ("officials", "authorities"),
         ("airstrike", "air strike"), ("pro-government", "government-backed"), ("near", "close to"),
         ("announced", "said"), ("village", "town"), ("rocket", "missile"), ("about", "around")]
# Three kinds of story, each with its own templates; a topic sticks to one kind.
EVENTS = {
    "conflict": [
        "{actor} fighters attacked a {target} near {place} on {day}, killing {killed} people, officials said.",
        "At least {injured} people were wounded in the attack on the {target}, according to local hospitals.",
        "The {army} said it had deployed {troops} troops to {region} after the attack on {place}.",
        "Witnesses said the assault on {place} began before dawn and lasted several hours.",
        "{leader}, a commander of {actor}, claimed responsibility in a statement posted online.",
        "The government of {country} condemned the attack and promised a full investigation.",
        "Residents of {place} said {displaced} families had fled to nearby villages since the fighting began.",
        "A spokesman for the {army} said {arrested} suspects had been detained in raids around {place}.",
        "The United Nations called for restraint and urged all sides to protect civilians in {region}.",
        "Aid groups said roads into {place} remained blocked by checkpoints and {thing} debris.",
    ],
    "disaster": [
        "Floods swept through {place} on {day} after {thing} rains, killing {killed} people, officials said.",
        "Rescuers pulled {injured} injured survivors from collapsed homes in {place}, hospitals said.",
        "The {army} sent {troops} soldiers and helicopters to {region} to help evacuate residents.",
        "{leader}, the governor of {region}, declared a state of emergency in {place}.",
        "About {displaced} families were moved to schools and tents outside {place}.",
        "Meteorologists warned that the {thing} river could burst its banks again this week.",
        "Power and water were cut across {place}, and the main bridge was closed.",
        "{country} asked neighbouring states for pumps, boats and medical teams.",
        "Insurers estimated the damage in {region} at several hundred million dollars.",
        "Police said {arrested} people were held for looting abandoned shops in {place}.",
    ],
    "politics": [
        "Thousands marched in {place} on {day} to protest against the {thing} law, organisers said.",
        "Police said {arrested} protesters were arrested and {injured} officers were hurt in clashes.",
        "{leader}, the opposition leader, called for a general strike across {region}.",
        "The government of {country} said the {thing} reform would go ahead despite the protests.",
        "The interior ministry deployed {troops} riot police to the centre of {place}.",
        "Parliament is due to vote on the {thing} bill next week after a heated debate.",
        "Unions said {displaced} workers had joined the strike at ports and factories.",
        "Shops in {place} stayed closed and public transport was suspended for the day.",
        "Observers from the European Union urged the authorities to respect the right to protest.",
        "At least {killed} people have died in unrest linked to the {thing} law so far, rights groups said.",
    ],
}
BACKGROUND = [
    "{actor} has opposed the government of {country} for more than a decade in {region}.",
    "The crisis in {region} has driven hundreds of thousands of people from their homes since it began.",
    "{country} has about {stock} foreign troops stationed in {region} under a security agreement.",
    "Talks between {actor} and the government collapsed last year over the {thing} question.",
    "Rights groups have accused the authorities of abuses against civilians in {region}.",
]


@dataclass
class Topic:
    kind: str
    country: str
    region: str
    actor: str
    army: str
    stock: int
    thing: str
    words: list[str]
    templates: list[str]


def _name(rng: random.Random, n: int = 2) -> str:
    n += 1                      # real names rarely collide; short syllable names would
    return "".join(rng.choice(SYL) for _ in range(n)).capitalize()


def _variant(rng: random.Random, name: str) -> str:
    """A different romanisation of the same name."""
    table = [("q", "k"), ("k", "q"), ("ou", "u"), ("u", "ou"), ("sh", "ch"), ("a", "aa"), ("i", "ee")]
    low = name.lower()
    for a, b in rng.sample(table, len(table)):
        if a in low:
            return low.replace(a, b, 1).capitalize()
    return name


def _number(rng: random.Random, v: int) -> str:
    words = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
             10: "ten", 12: "twelve", 20: "twenty"}
    r = rng.random()
    if v in words and r < 0.4:
        return words[v]
    if v >= 1000 and r < 0.3:
        return f"{v:,}".replace(",", ".")
    if v >= 1000 and r < 0.6:
        return str(v)
    return f"{v:,}"


def _vary(rng: random.Random, sentence: str) -> str:
    for a, b in SWAPS:
        if a in sentence and rng.random() < 0.4:
            sentence = sentence.replace(a, b, 1)
    return sentence


def generate(n: int, seed: int = 1, outlets_per_story: tuple[int, int] = (3, 7),
             stories_per_topic: int = 8) -> list[Document]:
    rng = random.Random(seed)
    docs: list[Document] = []
    topics: list[Topic] = []
    story_no = 0
    while len(docs) < n:
        if story_no % stories_per_topic == 0:
            topics.append(Topic(rng.choice(sorted(EVENTS)), _name(rng, 3), _name(rng, 2) + " province",
                                _name(rng, 2) + rng.choice([" Front", " Movement", " Brigades", " Council", " Alliance", " Union"]), rng.choice(["army", "military", "police"]),
                                rng.randint(8, 40) * 100, _name(rng, 2).lower(),
                                [_name(rng, 3).lower() for _ in range(12)], []))
            topics[-1].templates = _own_wording(rng, EVENTS[topics[-1].kind])
        topic = topics[-1]
        story_no += 1
        facts = dict(words=[_name(rng, 3).lower() for _ in range(12)], country=topic.country, region=topic.region, actor=topic.actor, army=topic.army,
                     thing=topic.thing,
                     place=_name(rng, 2), target=rng.choice(["checkpoint", "market", "army base", "convoy"]),
                     day=rng.choice(["Monday", "Tuesday", "Friday", "Sunday"]), killed=rng.randint(3, 60),
                     injured=rng.randint(5, 120), troops=rng.randint(2, 30) * 100, leader=_name(rng, 2) + " " + _name(rng, 3),
                     displaced=rng.randint(20, 900), arrested=rng.randint(2, 20), stock=topic.stock)
        month, day = rng.randint(1, 12), rng.randint(1, 25)
        pool = topic.templates
        events = rng.sample(pool, rng.randint(6, len(pool)))
        for k in range(rng.randint(*outlets_per_story)):
            if len(docs) >= n:
                break
            docs.append(_article(rng, f"{story_no:05d}-{k}", {**facts, "topic_words": topic.words}, events,
                                 month, day))
    return docs


def _own_wording(rng: random.Random, templates: list[str]) -> list[str]:
    """A topic's own version of its kind's templates: some words replaced by topic vocabulary,
    so that two flood topics do not read alike word for word."""
    out = []
    for t in templates:
        words = t.split(" ")
        for i, w in enumerate(words):
            if "{" not in w and len(w) >= 5 and w.isalpha() and w.islower() and rng.random() < 0.35:
                words[i] = _name(rng, 3).lower()
        out.append(" ".join(words))
    return out


def _detail(sentence: str, k: int, words: list[str]) -> str:
    """Story- or topic-specific wording: real stories do not share whole sentence templates."""
    a, b = words[(2 * k) % len(words)], words[(2 * k + 1) % len(words)]
    return sentence[:-1] + f", near the {a} {b} site."


def _article(rng: random.Random, doc_id: str, facts: dict, events: list[str], month: int, day: int) -> Document:
    f = dict(facts)
    if rng.random() < 0.4:
        f["place"] = _variant(rng, f["place"])
    for key in ("killed", "injured", "troops", "displaced", "arrested", "stock"):
        f[key] = _number(rng, f[key])
    chosen = [e for e in events if rng.random() < 0.85]
    rng.shuffle(chosen)
    body = [_detail(_vary(rng, e.format(**f)), events.index(e), f["words"]) for e in chosen]
    body += [_detail(b.format(**f), BACKGROUND.index(b), f["topic_words"])
             for b in rng.sample(BACKGROUND, rng.randint(1, 3))]
    outlet = rng.choice(OUTLETS)
    title = _vary(rng, f"{f['killed']} dead in {f['place']}, {f['region']}")
    content = "\n\n".join([title] + body)
    text = content + "\n\n" + "\n\n".join(rng.sample(FOOTERS, 2) + [f"© {outlet}"]) + "\n"
    date = f"2024-{month:02d}-{min(28, day + rng.randint(0, 2)):02d}"
    doc = make_document(doc_id, f"{doc_id}.txt", text, SourceMeta(outlet=outlet, trust=rng.choice([1.0, 1.0, 2.0])),
                        date=date, outlet=outlet)
    doc.noise = [Span(len(content), len(text))]     # what the boilerplate stage would mark
    return doc


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    batch = generate(count)
    if out:
        out.mkdir(parents=True, exist_ok=True)
        for d in batch:
            (out / f"{d.id}.txt").write_text(d.text, encoding="utf-8")
    print(f"{len(batch)} articles" + (f" written to {out}" if out else ""))
