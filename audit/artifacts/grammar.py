"""Grammar lite: "a" before a vowel sound, "an" before a consonant sound ("a American").

Machine translation from languages without the a/an alternation (French "un", Spanish "un")
often gets it wrong after re-ordering words. The rule goes by sound, so the exceptions live in
audit/data/a_an.yaml ("a European", "a one-off", "an hour", "an FBI agent", "a US official").
Only cases it can defend are flagged: the next word must be an English word, a number, or an
acronym whose reading is clear.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Iterator

from audit.artifacts._ngrams import (bigram_count, is_past_verb_only, pos_lemmas, spelling_candidates,
                                     unigram_count, verb_forms_of)
from audit.artifacts._text import (content_lines, data, doc_tokens, line_is_headline, word_set,
                                   zipf)
from audit.artifacts.registry import Detector, DetectorSettings, register
from audit.types import BatchContext, Document, Finding

WORDS = "grammar_words.yaml"      # English function-word classes (data, not code)

DATA = "a_an.yaml"
# the article, then the next word (letters/digits with dots, hyphens, apostrophes)
# (the look-behind after each article, so that re skips to an "a" or "A" instead of trying the
# pattern at every position: "(?<![\w’'.-])(a|an|A|An|AN)" matched the same, 2x slower)
_PAIR = re.compile(r"(a(?<![\w’'.-]a)|an(?<![\w’'.-]an)|A(?<![\w’'.-]A)|An(?<![\w’'.-]An)"
                   r"|AN(?<![\w’'.-]AN))\s+([“\"‘(]?)([A-Za-z0-9](?:[\w’'-]|\.(?=\w))*)")


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


def _name_sound(word: str) -> str | None:
    """A rare capitalised name read by its first letter where that is unambiguous ("a Embraer"
    -> an, "an Boeing" -> a); U, H, X, Y, letters named with a vowel (F, L, M, N, R, S) and the
    "Eu-", "Ou-", "One" openings can go either way."""
    if not (word[0].isupper() and word[1:].islower()) or len(word) < 3:
        return None
    if word[:2] in ("Eu", "Ou") or word.startswith(("One", "Once")):
        return None
    if word[0] in "AEIO":
        return "vowel"
    if word[0] in "BCDGJKPQTVWZ":       # not F, L, M, N, R, S: "an NGO"-style readings
        return "consonant"
    return None


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
        return _name_sound(word_only)         # a rare name: only its clear initials; a foreign word: unknown
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
            if line_is_headline(doc, ln):
                continue
            toks = doc_tokens(doc, ln.start, ln.end)
            for tok, cands in misspellings(doc.text, toks):
                yield Finding.at(doc, tok.start, tok.end, "grammar", "warning",
                                 f"‘{tok.text}’ is not an English word: a misspelling of "
                                 f"‘{cands[0][0]}’?", self.name, suggestion=cands[0][0],
                                 evidence={"rule": "misspelling", "candidates": [c for c, _ in
                                                                                cands[:3]],
                                           "source": "symspellpy dictionary, wordfreq"})
            for start, end, rule, fix, ev in verb_form_problems(doc.text, toks):
                yield Finding.at(doc, start, end, "grammar", "warning", _MESSAGES[rule],
                                 self.name, suggestion=fix,
                                 evidence={"rule": rule, **ev,
                                           "source": "lemminflect forms, symspellpy bigrams"})


_OTHER_LANGS = ("fr", "es", "de", "it", "pt", "nl", "id")
_MIN_SLIP_GAP = 1.5     # zipf of the correction over the word's own; measured on dev+fresh+fresh2


def misspellings(text: str, toks: list) -> Iterator[tuple[Any, list[tuple[str, int]]]]:
    """Lower-case words no English dictionary has ("speach", "homland", "wons"), rare on the
    web, unknown in the neighbouring languages (a foreign word is language residue), one edit
    away from a common English word."""
    for tok in toks:
        w = tok.text
        if len(w) < 4 or not w.isalpha() or not w.islower() or unigram_count(w) or zipf(w) >= 2.6:
            continue
        before = text[tok.start - 1:tok.start]
        after = text[tok.end:tok.end + 1]
        if before in "@#/._" and before or after in "@/_" and after:
            continue                                   # handles, links, file names
        if any(zipf(w, lang) >= 1.0 for lang in _OTHER_LANGS) or w.capitalize() in text:
            continue                                   # a foreign word; a name ("milei")
        if not text[tok.end:].strip():
            continue                                   # a word cut by the excerpt's end
        cands = spelling_candidates(w)
        # a slip is a rare form of a much commoner word (the noisy channel's prior): "speach"
        # 2.1 vs "speech" 4.6; a rare word of its own is not ("surnamed" 2.4 / "surname" 3.3,
        # "liras" 1.8 / "lira" 3.3, "gratia" 2.4 / "gratis" 2.6)
        if cands and zipf(cands[0][0]) - zipf(w) >= _MIN_SLIP_GAP:
            yield tok, cands


_MESSAGES = {
    "perfect-with-past": "A perfect tense built on the simple past: English uses the participle",
    "modal-with-gerund": "A modal verb before an -ing form: English uses the bare verb",
    "two-past-verbs": "Two verbs side by side: a word was dropped or left over",
    "pronoun-before-noun": "A pronoun right before a noun: a word is missing or mistranslated",
    "perfect-with-base": "A perfect tense built on the bare verb: English uses the participle",
    "possessive-before-verb": "A possessive before a verb: a noun is missing or the verb form "
                              "is wrong",
}


def _is_label(doc: Document, pos: int) -> bool:
    """'Plan A', 'Class A shares': the capital letter is a label, not the article."""
    before = doc.text[max(0, pos - 30):pos].split()
    labels = word_set("function_words.yaml", "letter_label_nouns")
    return bool(before) and before[-1].lower().strip(",") in labels


# --- verb forms and word classes that cannot stand together -------------------------------------
# Read off lemminflect's tables and symspellpy's English bigrams: no list of damaged phrases.

_PERFECT = word_set(WORDS, "perfect")
_MODALS = word_set(WORDS, "modals")
_BETWEEN = word_set(WORDS, "between_auxiliary_and_verb")
_PRONOUNS = word_set(WORDS, "subject_pronouns")
_POSSESSIVES = word_set(WORDS, "possessive_determiners")


def _after(toks: list, i: int, text: str) -> tuple[int, Any] | None:
    """The word after toks[i], skipping one adverb ("have already took"): (index, token)."""
    for j in (i + 1, i + 2):
        if j >= len(toks) or not text[toks[j - 1].end:toks[j].start].isspace():
            return None
        if j == i + 1 and toks[j].text.lower() in _BETWEEN:
            continue
        return j, toks[j]
    return None


def verb_form_problems(text: str, toks: list) -> Iterator[tuple[int, int, str, str | None, dict]]:
    """(start, end, rule, fix, evidence) for: a perfect built on the simple past ("Men have
    took"), a modal before an -ing form ("he will still working"), two past forms side by side
    in a passive ("are referred described as"), "he"/"she"/"it" before a word that is only a noun ("He magnitude"),
    a perfect built on the bare verb ("has send"), a possessive before a verb's -s form that
    is no noun ("after its reopens")."""
    for i, tok in enumerate(toks):
        w = tok.text.lower()
        if w not in _PERFECT and w not in _MODALS and w not in _PRONOUNS and w not in _POSSESSIVES \
                and not (tok.text.islower() and is_past_verb_only(w)):
            continue                  # no rule below can start at this word
        nxt = _after(toks, i, text)
        if nxt is None or not nxt[1].text.islower():
            continue
        j, b = nxt
        v = b.text
        if w in _PERFECT:
            forms = verb_forms_of(v)
            vbn = forms.get("VBN", ())
            if v in forms.get("VBD", ()) and v not in vbn and vbn and not bigram_count(w, v):
                yield tok.start, b.end, "perfect-with-past", f"{text[tok.start:b.start]}{vbn[0]}", \
                    {"participle": vbn[0], "found": v}
            elif (j == i + 1 and v in forms.get("VB", ()) and vbn and v not in vbn
                  and set(pos_lemmas(v)) == {"VERB"} and not bigram_count(w, v)):
                # "has send": a bare verb after have, where the participle differs and the
                # word has no noun reading ("have help", "had control" are English)
                yield tok.start, b.end, "perfect-with-base", f"{text[tok.start:b.start]}{vbn[0]}", \
                    {"participle": vbn[0], "found": v}
        elif w in _MODALS and tok.text.islower():
            if v.endswith("ing") and v in verb_forms_of(v).get("VBG", ()) and not bigram_count(w, v):
                base = verb_forms_of(v).get("VB", ("",))[0]
                yield tok.start, b.end, "modal-with-gerund", \
                    f"{text[tok.start:b.start]}{base}" if base else None, {"found": v}
        elif j == i + 1 and tok.text.islower() and is_past_verb_only(w) and is_past_verb_only(v) \
                and not (pos_lemmas(w).get("VERB", ()) and set(pos_lemmas(w)["VERB"]) & _LINKING) \
                and not bigram_count(w, v) and _clause_goes_on(text, toks, j) \
                and any(t.text.lower() in _BE for t in toks[max(0, i - 2):i]) \
                and not any(t.text.lower() in _RELATIVES for t in toks[max(0, i - 4):i]):
            yield tok.start, b.end, "two-past-verbs", None, {"found": f"{w} {v}"}
        elif j == i + 1 and w in _PRONOUNS and set(pos_lemmas(v)) == {"NOUN"} \
                and not v.endswith("s") and not bigram_count(w, v):
            yield tok.start, b.end, "pronoun-before-noun", None, {"found": f"{tok.text} {v}"}
        elif j == i + 1 and w in _POSSESSIVES and set(pos_lemmas(v)) == {"VERB"} \
                and v in verb_forms_of(v).get("VBZ", ()) and not bigram_count(w, v):
            # "after its reopens": a possessive before a verb's -s form that is no noun
            yield tok.start, b.end, "possessive-before-verb", None, {"found": f"{tok.text} {v}"}


_RELATIVES = word_set(WORDS, "relatives")
# Two past forms after "are"/"was" ("are referred described as") are a passive with a verb left
# over; elsewhere the first is often a complement ("found their cars submerged described").
_BE = word_set(WORDS, "be_forms")
_FOLLOWERS = word_set(WORDS, "clause_goes_on")


def _clause_goes_on(text: str, toks: list, j: int) -> bool:
    """After the second past form comes a function word or the clause ends ("are referred
    described as"), not a noun: "showed shocked people" is a participle used as an adjective."""
    end = toks[j].end
    after = text[end:end + 1]
    if not after or after in ".,;:!?":
        return True
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    return nxt is not None and text[end:nxt.start].isspace() and nxt.text.lower() in _FOLLOWERS


# Verbs after which a participle is ordinary English ("got killed", "went missing",
# "seemed tired", "felt threatened").
_LINKING = word_set(WORDS, "linking_verbs")
