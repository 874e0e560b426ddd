"""Grammar lite: "a" before a vowel sound, "an" before a consonant sound ("a American").

Machine translation from languages without the a/an alternation (French "un", Spanish "un")
often gets it wrong after re-ordering words. The rule goes by sound, so the exceptions live in
audit/data/a_an.yaml ("a European", "a one-off", "an hour", "an FBI agent", "a US official").
Only cases it can defend are flagged: the next word must be an English word, a number, or an
acronym whose reading is clear.
"""
from __future__ import annotations

import re
from typing import Iterable

from audit.artifacts._text import content_lines, data, word_set, zipf
from audit.artifacts.registry import Detector, DetectorSettings, register
from audit.types import BatchContext, Document, Finding

DATA = "a_an.yaml"
# the article, then the next word (letters/digits with dots, hyphens, apostrophes)
_PAIR = re.compile(r"(?<![\w’'.-])(a|an|A|An|AN)\s+([“\"‘(]?)([A-Za-z0-9](?:[\w’'-]|\.(?=\w))*)")


class GrammarSettings(DetectorSettings):
    extra_consonant_sound: list[str] = []   # more words or prefixes read with a consonant
    extra_vowel_sound: list[str] = []       # more words read with a vowel ("heir")


def _number_sound(num: str) -> str | None:
    """Numbers read with a vowel: eight..., eleven, eighteen ('an 8-year-old', 'an 11,000-strong',
    'an 1800s house'); 'a 110-metre' is 'a hundred and ten'."""
    m = re.match(r"\d+", re.split(r"[,.]", num)[0])
    if not m:
        return None
    lead = m.group()
    if lead.startswith("8"):
        return "vowel"
    grouped = "," in num
    if lead[:2] in ("11", "18") and (grouped and len(lead) == 2 or not grouped and len(lead) in (2, 4, 5)):
        return "vowel"
    return "consonant"


def _acronym_sound(word: str) -> str | None:
    letters = re.sub(r"[^A-Za-z0-9]", "", word)
    lists = data(DATA).get("acronym_words") or {}
    if letters in (lists.get("consonant") or []):
        return "consonant"
    if letters in (lists.get("vowel") or []):
        return "vowel"
    vowel_letters = set(data(DATA).get("vowel_letters") or [])
    first = letters[0].upper()
    read_as_letters = "." in word or len(letters) <= 3 or not re.search(r"[AEIOU]", letters[1:])
    if read_as_letters:
        return "vowel" if first in vowel_letters else "consonant"
    if first in "AEIO":
        return "vowel"                      # vowel either way ("an IRGC", "an OPEC")
    if first in "BCDGJKPQTVWYZ":
        return "consonant"
    return None                              # "U", "F", "H", "L", "M", "N", "R", "S", "X": ambiguous


def _word_sound(word: str, cfg: GrammarSettings) -> str | None:
    w = word.lower()
    if w in word_set(DATA, "either"):
        return None
    if w in word_set(DATA, "vowel_sound_words") or w in {x.lower() for x in cfg.extra_vowel_sound}:
        return "vowel"
    vowel_pre = word_set(DATA, "vowel_sound_prefixes")
    cons_pre = word_set(DATA, "consonant_sound_prefixes") | {x.lower() for x in cfg.extra_consonant_sound}
    if any(w.startswith(p) for p in vowel_pre):
        return "vowel"
    if any(w.startswith(p) for p in cons_pre):
        return "consonant"
    return "vowel" if w[0] in "aeiou" else "consonant"


def sound_of(word: str, cfg: GrammarSettings | None = None) -> str | None:
    """'vowel', 'consonant', or None when the reading is unclear."""
    cfg = cfg or GrammarSettings()
    head = re.split(r"[-’']", word)[0] or word
    if head[0].isdigit():
        return _number_sound(head)
    if len(head) == 1 and head.isalpha():     # "U-turn", "X-ray", "A-list"
        return "vowel" if head.upper() in set(data(DATA).get("vowel_letters") or []) else "consonant"
    if head.isupper() and len(head) > 1 or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]?\.?", head):
        return _acronym_sound(head)
    word_only = head.strip(".")
    if not word_only.isalpha():
        return None
    if zipf(word_only.lower()) < (2.5 if word_only[0].isupper() else 2.0):
        return None                           # a rare name or a foreign word: sound unknown
    return _word_sound(word_only, cfg)


@register("grammar")
class Grammar(Detector):
    Settings = GrammarSettings
    order = 40

    def check(self, doc: Document, ctx: BatchContext) -> Iterable[Finding]:
        if (doc.lang or "en") != "en":
            return
        skip_after = word_set(DATA, "not_article_after")
        for ln in content_lines(doc):
            for m in _PAIR.finditer(doc.text, ln.start, ln.end):
                article, nxt = m.group(1), m.group(3)
                if nxt.lower() in skip_after or (article == "A" and _is_label(doc, m.start())):
                    continue
                sound = sound_of(nxt, self.settings)
                wants = {"vowel": "an", "consonant": "a"}.get(sound or "")
                if wants is None or wants == article.lower():
                    continue
                fixed = wants if article.islower() else wants.capitalize()
                if article.isupper() and len(article) > 1:
                    fixed = wants.upper()
                yield Finding.at(
                    doc, m.start(1), m.end(3), "grammar", "warning",
                    f"‘{article}’ before a {sound} sound: write ‘{fixed} {nxt}’", self.name,
                    suggestion=f"{fixed} {m.group(2)}{nxt}",
                    evidence={"rule": "a-an", "next_word": nxt, "sound": sound})


def _is_label(doc: Document, pos: int) -> bool:
    """'Plan A', 'Class A shares': the capital letter is a label, not the article."""
    before = doc.text[max(0, pos - 30):pos].split()
    labels = word_set("function_words.yaml", "letter_label_nouns")
    return bool(before) and before[-1].lower().strip(",") in labels
