"""Generate a day's feed as files on disk, shaped like what a monitoring desk receives.

Three shapes (`--shape`):

- `syndication`: stories reprinted by 1 to 100 outlets (heavy-tailed: most stories a few
  copies, a few stories very many, about 11 on average), each reprint varied the way real
  pickups vary: paragraphs dropped or moved, a name romanised differently, an agency dateline
  added, the outlet's own site chrome (menu, share line, footer) around the text;
- `diverse`: many small stories (1 to 3 copies each);
- `giant`: one story carried by all but five articles (the batch that broke the first run).

Story bases are the real articles of the repository's labelled sets (seeds/, heldout/, blind/,
and any `--corpus` folder), then synthetic stories from bench/gen_articles.py once those run
out. Deterministic for a seed. Writes `articles/<outlet>/<id>.txt` and a `config.yaml`.

    python bench/gen_feed.py 1000 /tmp/feed --shape syndication
"""
from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass
from pathlib import Path

import gen_articles

REPO = Path(__file__).resolve().parent.parent
CORPUS = [REPO / "seeds", REPO / "heldout", REPO / "blind"]
SITE_WORDS = ["Daily", "Global", "Morning", "Capital", "Frontline", "Metro", "River", "North", "Observer",
              "Evening", "Press", "World", "Harbour", "Valley", "Citizen", "Union", "Eastern", "Pacific",
              "Atlas", "Beacon"]
SITE_KINDS = ["Courier", "Wire", "Post", "Times", "News", "Herald", "Gazette", "Star", "Report", "Brief",
              "Tribune", "Monitor", "Journal", "Chronicle", "Echo"]
MENUS = ["Home | World | Politics | Business | Sport", "Home  World  Middle East  Africa  Opinion",
         "News / Region / Economy / Culture", "Latest | Video | Podcasts | Newsletters"]
SHARE = ["Share this article", "Share on Facebook Share on X Share by email", "Follow us on social media",
         "Click to share on WhatsApp (Opens in new window)"]
FOOTERS = ["Subscribe to our newsletter for the latest updates.", "All rights reserved.",
           "Comments are moderated before publication.", "Advertisement", "Read more: top stories of the day",
           "Sign up for our morning briefing", "Terms of use | Privacy policy | Contact us"]
AGENCIES = ["AFP", "Reuters", "AP", "EFE", "Anadolu"]
CITIES = ["BAGHDAD", "BEIRUT", "CAIRO", "KHARTOUM", "TRIPOLI", "SANAA", "DAMASCUS", "AMMAN"]
NAME_SWAPS = [("Q", "K"), ("q", "k"), ("ou", "u"), ("sh", "ch"), ("Kh", "H"), ("ee", "i"), ("al-", "el-"),
              ("Mohammed", "Muhammad"), ("Hussein", "Husayn"), ("Abdul", "Abd al-")]


@dataclass
class Base:
    title: str
    paragraphs: list[str]


def real_bases(folders: list[Path]) -> list[Base]:
    out = []
    for folder in folders:
        for p in sorted(folder.rglob("*.txt")):
            if p.name.lower().startswith("readme"):
                continue
            text = p.read_text(encoding="utf-8", errors="replace")
            paras = [x.strip() for x in re.split(r"\n\s*\n", text) if x.strip()]
            if len(paras) < 3:
                paras = [x.strip() for x in text.splitlines() if x.strip()]
            if len(paras) >= 3:
                out.append(Base(paras[0], paras[1:]))
    return out


def synthetic_bases(n: int, seed: int) -> list[Base]:
    """One article per story from the template generator (its footers dropped: chrome is added
    per outlet here)."""
    docs = gen_articles.generate(n, seed=seed, outlets_per_story=(1, 1))
    out = []
    for d in docs:
        content = d.text[:d.noise[0].start] if d.noise else d.text
        paras = [x for x in content.split("\n\n") if x.strip()]
        out.append(Base(paras[0], paras[1:]))
    return out


def story_sizes(rng: random.Random, n: int, shape: str) -> list[int]:
    if shape == "giant":
        return [n - 5] + [1] * 5
    sizes: list[int] = []
    while sum(sizes) < n:
        if shape == "diverse":
            k = rng.choice([1, 1, 2, 2, 3])
        else:   # heavy-tailed, 1..100, mean about 11
            k = min(100, max(1, int(rng.lognormvariate(1.5, 1.25))))
        sizes.append(min(k, n - sum(sizes)))
    return sizes


@dataclass
class Outlet:
    name: str
    header: list[str]
    footer: list[str]


def outlets(rng: random.Random, count: int) -> list[Outlet]:
    out, seen = [], set()
    while len(out) < count:
        name = f"{rng.choice(SITE_WORDS)} {rng.choice(SITE_KINDS)}"
        if name in seen:
            continue
        seen.add(name)
        out.append(Outlet(name, [name, rng.choice(MENUS)],
                          [rng.choice(SHARE), *rng.sample(FOOTERS, 2), f"© 2024 {name}"]))
    return out


def reprint(rng: random.Random, base: Base, outlet: Outlet, date: str) -> str:
    paras = [base.paragraphs[0]] + [p for p in base.paragraphs[1:] if rng.random() > 0.15]
    if len(paras) > 3 and rng.random() < 0.3:
        i = rng.randrange(1, len(paras) - 1)
        paras[i], paras[i + 1] = paras[i + 1], paras[i]
    body = "\n\n".join(paras)
    if rng.random() < 0.35:
        a, b = rng.choice(NAME_SWAPS)
        body = body.replace(a, b)
    if rng.random() < 0.3:
        body = f"{rng.choice(CITIES)} ({rng.choice(AGENCIES)}) - " + body
    title = base.title if rng.random() < 0.7 else base.title.rstrip(".") + f" | {outlet.name}"
    return "\n\n".join([*outlet.header, title, date, body, *outlet.footer]) + "\n"


def generate(n: int, out: Path, shape: str = "syndication", seed: int = 7,
             corpus: list[Path] | None = None, start: int = 0) -> list[Path]:
    """Write `n` articles under out/articles (ids from `start`, so a second call adds new
    articles to an existing feed) and return their paths."""
    rng = random.Random(seed)
    sizes = story_sizes(rng, n, shape)
    bases = real_bases(corpus if corpus is not None else CORPUS)
    rng.shuffle(bases)
    if len(sizes) > len(bases):
        bases += synthetic_bases(len(sizes) - len(bases), seed)
    sites = outlets(rng, 40)
    paths = []
    for s, k in enumerate(sizes):
        day = 1 + (s % 27)
        for j in range(k):
            o = sites[rng.randrange(len(sites))]
            date = f"2024-03-{min(28, day + rng.randint(0, 1)):02d}"
            folder = out / "articles" / o.name.replace(" ", "-").lower()
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"a{start + len(paths):05d}.txt"
            path.write_text(reprint(rng, bases[s], o, date), encoding="utf-8")
            paths.append(path)
    config = out / "config.yaml"
    if not config.exists():
        config.write_text(f"name: bench {shape} {n}\nsources:\n  - paths: articles\noutput: reports\n",
                          encoding="utf-8")
    return paths


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--shape", choices=["syndication", "diverse", "giant"], default="syndication")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--corpus", type=Path, action="append", help="extra folder of real .txt articles")
    a = ap.parse_args()
    written = generate(a.n, a.out, a.shape, a.seed, CORPUS + (a.corpus or []))
    print(f"{len(written)} articles ({a.shape}) in {a.out}/articles; config {a.out}/config.yaml")
