"""Fragments and punctuation: pieces of sentences cut loose, and broken punctuation.

Machine translation and re-spinning leave sentences cut in the wrong place ("said on Tuesday.
region.", "told AFP. integrated into the regular forces."), names split into a sentence of their
own ("the prime minister. Mohammed Shia al-Sudani."), paragraphs ending on a comma, doubled full
stops ("Syria. .") and a quote opened inside an open quote ("attack “Against"). Headings and
titles are not fragments. The sentence-opening scan (`sentence_openers`) is shared with the
casing detector, which reports the lower-case openings that are whole sentences.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from audit.artifacts._ngrams import bigram_count, is_past_verb_only, lemmas, unigram_count
from audit.artifacts._typography import typography
from audit.artifacts._text import (Token, content_lines, context_before, data, doc_tokens,
                                   is_abbreviation, is_capitalised, is_headline, line_is_headline,
                                   per_doc,
                                   word_before, word_set, zipf)
from audit.artifacts.registry import Detector, DetectorSettings, register
from audit.types import BatchContext, Document, Finding, Span

FW = "function_words.yaml"
_END = re.compile(r"[.!?]")
# Every pattern below opens with the character it consumes first, the look-behind following it
# ("\.(?<!\.\.)" is "(?<!\.)\."): Python's re then skips straight to that character instead
# of trying the whole pattern at every position. The same matches (tests/test_detectors_speed.py
# runs the earlier spellings as the reference); 9 such scans cost 8 ms per 1,000-word article
# before, 1.3 ms after (bench_detectors' damaged copy).
_DOUBLED = re.compile(r"\.(?<!\.\.)[ \t]+\.(?![.])|\.(?<=[^\W\d_]\.)\.(?![.])|,[ \t]*[,.](?![.])"
                      r"|;[ \t]*;|'(?<=\w')'|\.[ \t]+\)|![ \t]+\)|\?[ \t]+\)")
_SPACE_BEFORE = re.compile(r" (?<=[\w\"”’)] ) *[,;?!](?=\s|$)| (?<=[^\W\d_]{2} ) *\.(?=\s|$)"
                           r"| (?<=\w ) *\)")
# Punctuation glued to the next word: "media.The", "field”says" (a space lost in scraping).
# Also a year ending the sentence ("1971.The"), a capital of any alphabet ("rebellion.Įarlier"),
# an acronym ("vegetables.BBC"), and quotes between ("earthquake.”People", "alone!”the",
# "Dhaka.“I"): `_glued_ok` checks the letters after.
_GLUED = re.compile(r"\.(?<=[a-z]{2}\.)(?=[^\W\d_])|\.(?<=\d{4}\.)(?=[A-Z][a-z]{2})"
                    r"|”(?<=[^\W\d_]”)(?=[^\W\d_])|”(?<=[^\W\d_][.!?,]”)(?=[^\W\d_])"
                    r"|“(?<=[a-z]{2}[.!?]“)(?=[^\W\d_])|[!?](?<=[a-z]{2}[!?])(?=[A-Z][a-z])")
_SHORT_OPENERS = frozenset("In It He We On At As If An By To Is So No I A".split())


def _glued_ok(text: str, m: re.Match) -> bool:
    """After a stop glued to the next word: a capital word of any alphabet ("The", "Įarlier"),
    an acronym ("BBC") or a short opener ("It"); after a closing quote any word. "U.S.",
    "e.g.the" and "Example.com" are not sentences."""
    if m.group() == "”":
        return True
    nxt = re.match(r"[^\W\d_]+", text[m.end():m.end() + 40])
    word = nxt.group() if nxt else ""
    if m.group() == "“":
        return bool(word)
    return (len(word) >= 3 and word[0].isupper() and word[1:].islower()) or word in _SHORT_OPENERS \
        or (len(word) >= 2 and word.isupper())
# A number glued to the next word ("211reported"), a drop cap printed twice ("AArriving").
_NUMBER_WORD = re.compile(r"\d(?<![\w.,]\d)\d*(?=([a-z]{4,})\b)")
_DROP_CAP = re.compile(r"([A-Z])(?<![\w-][A-Z])\1(?=[a-z]{3,})")
# Quotes spaced the French way in English copy ("“ During", "governance ”"), a comma doubled
# around a closing quote ("everyone,”,"), a currency sign doubled ("$US$2,038").
_QUOTE_SPACE = re.compile(r"“[ \t]+(?=\S)| (?<=\S )[ \t]*”(?=[\s,.;:]|$)|\t(?<=\S\t)[ \t]*”(?=[\s,.;:]|$)"
                          r"|,[”\"’],|\$[A-Z]{2,3}\$")
# Numbers and times that no style writes: "60,0000", "1324 p.m." (the hour's three readings,
# "[01]?\d|2[0-3]", tried in the same order after the first digit).
_BAD_NUMBER = re.compile(r"\d(?:(?<![\d,.]\d)\d{0,2}(?:,\d{3})*,\d{4,}(?![\d,])"
                         r"|(?<=[01])(?<![\d:.,]\d)\d[0-5]\d\s*[ap]\.m\."
                         r"|(?<![\d:.,]\d)[0-5]\d\s*[ap]\.m\."
                         r"|(?<=2)(?<![\d:.,]\d)[0-3][0-5]\d\s*[ap]\.m\.)")


class FragmentSettings(DetectorSettings):
    max_stray_words: int = 3          # a lower-case "sentence" this short is stray words
    min_paragraph_words: int = 5      # shorter paragraphs ending on a comma are lists or labels
    max_name_words: int = 6           # longest name that can be split off into its own sentence
    check_quotes: bool = True


@dataclass
class Opener:
    """A sentence (or line) that starts with a lower-case word."""
    token: Token
    end: int                # end of the sentence, including its final punctuation
    words: int
    kind: str               # "stray" | "clause" | "sentence"


def _is_participle(word: str) -> bool:
    w = word.lower()
    if w in word_set(FW, "participles"):
        return True
    return (w.endswith("ed") or w.endswith("ing")) and len(w) > 4 and zipf(w) >= 3.0


def _sentence_end(doc: Document, toks: list[Token], i: int, line_end: int) -> tuple[int, int]:
    """(end offset, word count) of the sentence starting at toks[i]: the first . ! ? after a
    word that is not an abbreviation, or the end of the line."""
    text = doc.text
    for k in range(i, len(toks)):
        nxt = toks[k + 1].start if k + 1 < len(toks) else line_end
        m = _END.search(text, toks[k].end, nxt)
        if m is None:
            continue
        if m.start() == toks[k].end and m.group() == "." and is_abbreviation(toks[k].text + "."):
            continue
        stop = m.end()
        while stop < line_end and text[stop] in "”\"’»)":
            stop += 1
        return stop, k - i + 1
    return line_end, len(toks) - i


# What a line ends on when its sentence (or clause) is closed, for hard-wrapped text
_CLOSES_SENTENCE = ".!?”\"’»):;"


def _paragraph_start(doc: Document, line: Span) -> bool:
    """A line starts a new sentence when the line before ends a sentence or a blank line precedes.
    In hard-wrapped text a line after one with no closing punctuation goes on with its
    sentence, whatever the capitals of the line before (they made it look like a heading)."""
    before = doc.text[:line.start].rstrip(" \t")
    if not before or before.endswith("\n\n") or before.endswith("\n") and before[:-1].rstrip(" \t").endswith("\n"):
        return True
    prev = before.rstrip()
    if prev and prev[-1] not in _CLOSES_SENTENCE and hard_wrapped(doc):
        return False
    return not prev or prev[-1] in ".!?”\"’»)" or is_headline(prev[prev.rfind("\n") + 1:])


def hard_wrapped(doc: Document) -> bool:
    """Text broken into lines of a fixed width (an e-mail or wire feed): at least three line
    breaks, and a quarter of them, fall mid-sentence, before a lower-case word."""
    def make() -> bool:
        lines = doc.lines
        mid = sum(1 for a, b in zip(lines, lines[1:])
                  if doc.text[a.start:a.end].rstrip()[-1:] not in _CLOSES_SENTENCE
                  and doc.text[b.start:b.start + 1].islower())
        return mid >= 3 and mid * 4 >= len(lines)
    return per_doc("hard-wrapped", doc, make)


def sentence_openers(doc: Document, cfg: FragmentSettings | None = None) -> list[Opener]:
    """Every sentence in the content that opens with a lower-case word, classified."""
    cfg = cfg or FragmentSettings()

    def make() -> list[Opener]:
        out = []
        particles = word_set(FW, "name_particles")
        openers = word_set(FW, "fragment_openers")
        lower_names = {w for w in word_set("word_classes.yaml", "outlet", lower=False) if w.islower()}
        for ln in content_lines(doc):
            if line_is_headline(doc, ln):
                continue
            toks = doc_tokens(doc, ln.start, ln.end)
            text = doc.text
            for i, tok in enumerate(toks):
                w = tok.text
                if not w[:1].islower() or w[1:] != w[1:].lower() or w in lower_names:
                    continue                        # capitalised, "iPhone", "easyJet", "dpa"
                j = tok.start - 1
                if j > ln.start and text[j] == " " and (text[j - 1].isalnum() or text[j - 1] in ",;"):
                    continue                        # mid-sentence (most words): no opening
                where = _opening_context(doc, tok, ln)
                if where == "line" and not _paragraph_start(doc, ln) or \
                        where not in ("line", "sentence", "quoted"):
                    continue
                if re.split(r"[-'’]", w.lower())[0] in particles:
                    continue                        # "al-Sudani said", "de Gaulle"
                if _STAMP.match(doc.text, tok.start):
                    continue                        # " date 2023-08-23 ...": an excerpt's stamp
                end, n = _sentence_end(doc, toks, i, ln.end)
                first = re.split(r"[-'’]", w)[0].lower()
                if where == "quoted":
                    kind = "sentence"               # a quoted sentence: its casing, not a piece
                elif where == "sentence" and n <= cfg.max_stray_words:
                    kind = "stray"
                elif where == "sentence" and (first in openers or _is_participle(first)):
                    kind = "clause"
                else:
                    kind = "sentence"
                out.append(Opener(tok, end, n, kind))
        return out

    return per_doc(f"openers:{cfg.model_dump_json()}", doc, make)


_NUMBER = re.compile(r"^\d[\d.,]*%?$")
_STAMP = re.compile(r"date\s+\d{4}-\d{2}-\d{2}\b")


def _opening_context(doc: Document, tok: Token, ln: Span) -> str:
    """context_before, with two more sentence starts: after a figure ending a sentence ("fell
    1.2%. the index"), and a quotation opening a sentence ('"we will not leave," he said').
    A lone article or conjunction after an abbreviation ("the PP. the. Police") is a stray word
    whatever the stop before it was."""
    text = doc.text
    where = context_before(text, tok.start, ln.start)
    if where == "abbrev":
        before = word_before(text, text.rfind(".", ln.start, tok.start), ln.start)
        alone = re.match(r"\.\s", text[tok.end:tok.end + 2])
        if _NUMBER.match(before) or alone and tok.text.lower() in word_set(FW, "paragraph_never_ends"):
            return "sentence"
    elif where == "quote":
        q = tok.start
        while q > ln.start and text[q - 1].isspace():
            q -= 1
        if q - 1 >= ln.start and text[q - 1] in "“\"«" and \
                context_before(text, q - 1, ln.start) in ("line", "sentence"):
            outer = context_before(text, q - 1, ln.start)
            return "quoted" if outer == "sentence" or _paragraph_start(doc, ln) else "quote"
    return where


def _name_sentences(doc: Document, cfg: FragmentSettings) -> Iterable[tuple[int, int, str]]:
    """'the prime minister. Mohammed Shia al-Sudani.': a name alone in its own sentence, after a
    sentence that ends on a lower-case word in the same line."""
    particles = word_set(FW, "name_particles")
    for ln in content_lines(doc):
        text = doc.text
        if line_is_headline(doc, ln):
            continue
        toks = doc_tokens(doc, ln.start, ln.end)
        for i, tok in enumerate(toks):
            if i == 0 or not is_capitalised(tok.text):
                continue
            prev = toks[i - 1]
            if not prev.text.islower():           # the cheap test first (both are needed)
                continue
            if context_before(text, tok.start, ln.start) != "sentence":
                continue
            end, n = _sentence_end(doc, toks, i, ln.end)
            names = toks[i:i + n]
            if not (2 <= n <= cfg.max_name_words) or text[end - 1:end] != ".":
                continue
            if any(not (is_capitalised(t.text) or t.text.split("-")[0].lower() in particles)
                   for t in names):
                continue
            if re.search(r"[,;:()“”\"]", text[tok.start:end]):
                continue
            yield prev.start, end, text[tok.start:end - 1]


def _cut_paragraphs(doc: Document, cfg: FragmentSettings) -> Iterable[tuple[int, int, str]]:
    """Paragraphs that end on a comma or on a function word: the sentence was cut off."""
    fws = word_set(FW, "fragment_openers") | word_set(FW, "paragraph_never_ends")
    title = doc.title_span
    for para in doc.paragraphs:
        if doc.is_noise(para.start, para.end) or (title is not None and para.overlaps(title)):
            continue
        text = doc.text[para.start:para.end].rstrip()
        toks = doc_tokens(doc, para.start, para.start + len(text))
        if len(toks) < cfg.min_paragraph_words or is_headline(text):
            continue
        if hard_wrapped(doc) and doc.text[para.end:].strip():
            continue                        # the sentence goes on in the next line
        last = toks[-1]
        tail_start = toks[max(0, len(toks) - 8)].start
        clause = doc.text.rfind(",", tail_start, last.start)
        start = clause + 1 if clause >= 0 else tail_start
        while doc.text[start].isspace():
            start += 1
        if text.endswith(","):
            yield start, para.start + len(text), "comma"
        elif text.endswith(last.text) and last.text in fws:
            yield start, last.end, "function-word"


def _pairs(doc: Document) -> list[tuple[Token, Token, Token | None]]:
    """Adjacent words of the content (only white space between them, same line), with the word
    after the pair when it follows directly too; headlines are left out. Once per document:
    two rules walk them."""
    return per_doc("fragment-pairs", doc, lambda: list(_walk_pairs(doc)))


def _walk_pairs(doc: Document) -> Iterable[tuple[Token, Token, Token | None]]:
    text = doc.text
    for ln in content_lines(doc):
        if line_is_headline(doc, ln):
            continue
        toks = doc_tokens(doc, ln.start, ln.end)
        for i in range(len(toks) - 1):
            a, b = toks[i], toks[i + 1]
            if text[a.end:b.start].isspace():
                c = toks[i + 2] if i + 2 < len(toks) else None
                yield a, b, c if c is not None and text[b.end:c.start].isspace() else None


def _dropped_words(doc: Document) -> Iterable[tuple[Token, Token, dict]]:
    """'stressed that the carried by armed groups': a determiner right before a verb form that
    can only be a past tense or participle, a pair absent from English's bigram table, with a
    function word or punctuation after it (so not an adjectival participle: "the targeted
    killing"). The noun between them was lost."""
    dets = word_set(FW, "noun_determiners")
    fws = _function_words()
    text = doc.text
    for a, b, c in _pairs(doc):
        w2 = b.text
        if not w2.islower():
            continue
        w1 = a.text.lower()
        if w1 not in dets or not is_past_verb_only(w2):
            continue
        after = text[b.end:b.end + 1]
        if not (c is not None and c.text.lower() in fws or after in ".;:"):
            continue
        if bigram_count(w1, w2):
            continue
        yield a, b, {"pair": f"{w1} {w2}", "bigram_count": 0, "word_count": unigram_count(w2),
                     "reading": "past tense or participle only (lemminflect)"}


def _doubled_words(doc: Document) -> Iterable[tuple[Token, Token, str]]:
    """'the strikes strike resulted', 'the the': one word, or two forms of one lemma, printed
    side by side in lower case, a pair English does not write (bigram table; words English
    doubles itself, "had had", are listed in function_words.yaml)."""
    may = word_set(FW, "may_double")
    for a, b, _ in _pairs(doc):
        w2 = b.text
        if not w2.islower() or len(w2) < 2:
            continue
        w1 = a.text.lower()
        if w1 == w2:
            if w1 not in may:
                yield a, b, "same-word"
        elif (a.text.islower() and _plural_pair(w1, w2)
              and lemmas(w1) & lemmas(w2) and not bigram_count(w1, w2)):
            yield a, b, "same-lemma"


# "West Sumatra (West Sumatra)" (group 3 set) or "Choneros, Choneros"; the capital first, so
# that the scan skips to capitals (see _DOUBLED).
_BRACKET_REPEAT = re.compile(r"([A-Z])(?:(?<![\w-][A-Z])([\w'’-]*(?: [A-Z][\w'’-]*){0,4}) \((\1\2)\)"
                             r"|(?<![\w-][A-Z])([a-z]{3,}), \1\4(?![\w'’-]))")


def _doubled_phrases(doc: Document) -> Iterable[tuple[int, int, str]]:
    """'of the of the': a two-word phrase printed twice in a row; 'West Sumatra (West Sumatra)':
    a name repeated in the brackets meant for its short form; 'Choneros, Choneros'."""
    text = doc.text
    for ln in content_lines(doc):
        toks = doc_tokens(doc, ln.start, ln.end)
        low = [t.text.lower() for t in toks]
        for i in range(len(toks) - 3):
            if low[i] != low[i + 2] or low[i + 1] != low[i + 3]:
                continue
            a, b, c, d = toks[i:i + 4]
            if b.text.islower() and c.text.islower() \
                    and all(text[x.end:y.start].isspace() for x, y in ((a, b), (b, c), (c, d))):
                yield a.start, d.end, "same-phrase"
        for m in _BRACKET_REPEAT.finditer(text, ln.start, ln.end):
            yield m.start(), m.end(), "name-in-brackets" if m.group(3) is not None else "name-twice"


def _cut_excerpt(doc: Document, cfg: FragmentSettings, done: set[int]
                 ) -> Iterable[tuple[int, int, str]]:
    """A paragraph that stops without sentence punctuation: the excerpt was cut ("it is
    difficult t", "damage assessment studies"). The last content paragraph counts whatever
    its last word; an earlier one only when it ends on a lower-case word English does not
    have: in neither symspellpy's dictionary nor common in wordfreq (a word cut in two: "An
    unkno"; in the last line a short capitalised stub too: "Whe"), however short the line."""
    paras = list(content_lines(doc))
    for k, para in enumerate(paras):
        text = doc.text[para.start:para.end].rstrip()
        if not text or text[-1] in ".!?…:;\"”’)]»'*" or para.start in done:
            continue
        if re.search(r"(?:[–—-]|[.!?][”\"’)]?)\s*[A-Z][\w-]*$", text):
            continue                            # "...the crater.–Bernama", ". Enditem": a tag
        toks = doc_tokens(doc, para.start, para.start + len(text))
        if not toks or not text.endswith(toks[-1].text):
            continue
        last = toks[-1]
        low = last.text.lower()
        not_word = not unigram_count(low) and zipf(low) < 3.0
        cut_word = not_word and (last.text.islower() or k == len(paras) - 1 and len(low) <= 4)
        if not cut_word and (len(toks) < cfg.min_paragraph_words or is_headline(text)):
            continue
        if k == len(paras) - 1 or cut_word:
            start = toks[max(0, len(toks) - 4)].start
            yield start, last.end, "cut-word" if cut_word else "cut-off"


def _plural_pair(a: str, b: str) -> bool:
    """'strikes strike', 'strike strikes': one form is the other plus -s/-es (a noun and its
    plural, a verb and its third person). Other pairs of one lemma are English: "strikes
    struck", "the attack attacked"."""
    short, long_ = (b, a) if len(b) < len(a) else (a, b)
    return len(short) > 2 and long_ in (short + "s", short + "es")


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    en = data(FW).get("en") or {}
    return frozenset(w.lower() for group in en.values() for w in group)


def _quote_problems(doc: Document) -> Iterable[tuple[int, int, str]]:
    """A curly or angle quote opened while one is already open, a closing quote with none open,
    a quotation opened in one style and closed in another (“…", «…", "…”) or closed with an
    opening mark (“…“), and one left open where its paragraph ends, in one paragraph.
    A straight quote counts only where its shape says which end it is (before a word: opening;
    after one, before a space or a stop: closing), so inches and apostrophes stay out. A stray
    closing quote is reported over the stretch where its opening mark was lost: from the last
    quote mark of the paragraph (or its start), which is where an editor has to look."""
    text = doc.text
    paras = doc.paragraphs
    for k, para in enumerate(paras):
        if doc.is_noise(para.start, para.end):
            continue
        open_at: int | None = None          # an open curly or angle quote
        straight_at: int | None = None      # an open straight quote
        last = para.start                   # just after the last quote mark seen
        for m in _CURLY.finditer(text, para.start, para.end):   # not every character
            i = m.start()
            c = text[i]
            if c == '"':
                role = _straight_role(text, i, para)
                if role == "close" and open_at is not None:
                    yield _word_start(text, i, para.start), i + 1, "mismatched"
                    open_at = None
                elif role == "open" and open_at is None and straight_at is None:
                    straight_at = i
                elif straight_at is not None:
                    straight_at = None      # a straight pair
                last = i + 1
                continue
            if c == "“" and open_at is not None and text[i + 1:i + 2] in _AFTER_CLOSE:
                yield _word_start(text, i, para.start), i + 1, "reversed"   # "intervenes“."
                open_at = None
            elif c in "“«":
                if open_at is not None:
                    yield i, _word_end(text, i + 1, para.end), "nested"
                open_at, straight_at = i, None
            elif open_at is None and straight_at is not None:
                yield straight_at, i + 1, "mismatched"       # "it lasted ... time,”
                straight_at = None
            elif open_at is None:
                yield _stretch_start(text, last, i), i + 1, "stray-close"
            elif _PAIRS[text[open_at]] != c:
                yield _word_start(text, i, para.start), i + 1, "mismatched"
                open_at = None
            else:
                open_at = None
            last = i + 1
        if open_at is not None and not _quote_resumes(text, paras, k):
            yield open_at, _word_end(text, open_at + 1, para.end), "unclosed"


def _quote_resumes(text: str, paras: list[Span], k: int) -> bool:
    """A quotation running on into the next paragraph reopens there (English leaves the mark
    off the end of every paragraph but its last): the next paragraph opens with a quote. In
    the last paragraph the text was cut (the excerpt rule reports that)."""
    if k + 1 >= len(paras) or not text[paras[k + 1].start:].strip():
        return True                         # the excerpt ends here: cut, not unclosed
    first = text[paras[k + 1].start:paras[k + 1].end].lstrip()[:1]
    return first in "“«\"‘" or first.islower()      # a line broken mid-sentence goes on


def _straight_role(text: str, i: int, para: Span) -> str:
    before = text[i - 1] if i > para.start else " "
    after = text[i + 1] if i + 1 < para.end else " "
    if (before.isspace() or before in "([—–") and after.isalpha():
        return "open"
    if (before.isalpha() or before in ".,!?") and (after.isspace() or after in ",.;:)"):
        return "close"
    return ""


def _stretch_start(text: str, last: int, close: int, most: int = 300) -> int:
    """Where the stretch before a stray closing quote starts: after the last quote mark, at
    most `most` characters back (snapped to a word), past white space."""
    start = max(last, close - most)
    if start > last:
        while start < close and not text[start - 1].isspace():
            start += 1
    while start < close and text[start].isspace():
        start += 1
    return start if start < close else _word_start(text, close, last)


_PAIRS = {"“": "”", "«": "»"}
_AFTER_CLOSE = frozenset(" \t\n.,;:!?)")
_CURLY = re.compile("[“«”»\"]")


def _word_end(text: str, i: int, limit: int) -> int:
    while i < limit and not text[i].isspace():
        i += 1
    return i


def _word_start(text: str, i: int, floor: int) -> int:
    while i > floor and not text[i - 1].isspace():
        i -= 1
    return i


@register("fragments")
class Fragments(Detector):
    Settings = FragmentSettings
    order = 30

    def check(self, doc: Document, ctx: BatchContext) -> Iterable[Finding]:
        cfg = self.settings
        for op in sentence_openers(doc, cfg):
            if op.kind == "sentence":
                continue                      # a whole sentence: the casing detector's
            msg = ("Stray words after a full stop: a piece of a sentence left behind"
                   if op.kind == "stray" else
                   "A clause cut loose: the sentence starts in lower case with a word that "
                   "cannot open a sentence")
            yield Finding.at(doc, op.token.start, op.end, "fragment", "warning", msg, self.name,
                             suggestion=None,
                             evidence={"rule": f"fragment-{op.kind}", "words": op.words,
                                       "first_word": op.token.text,
                                       "after": _prev_word(doc, op.token.start)})
        for start, end, name in _name_sentences(doc, cfg):
            yield Finding.at(doc, start, end, "fragment", "warning",
                             "A name split off into a sentence of its own", self.name,
                             suggestion=_join_name(doc.text[start:end], name),
                             evidence={"rule": "fragment-name-alone", "name": name})
        done: set[int] = set()
        for start, end, how in _cut_paragraphs(doc, cfg):
            done.add(next((ln.start for ln in doc.lines if ln.start <= start < ln.end), -1))
            what = "a comma" if how == "comma" else f"‘{doc.text[start:end].split()[-1]}’"
            yield Finding.at(doc, start, end, "fragment", "warning",
                             f"The paragraph ends on {what}: the sentence is cut off", self.name,
                             evidence={"rule": f"paragraph-ends-on-{how}"})
        for start, end, how in _cut_excerpt(doc, cfg, done):
            yield Finding.at(doc, start, end, "fragment", "warning",
                             "The text stops in mid-sentence" + (" (a word cut in two)"
                                                                 if how == "cut-word" else ""),
                             self.name, evidence={"rule": f"excerpt-{how}"})
        for start, end, how in _doubled_phrases(doc):
            yield Finding.at(doc, start, end, "fragment", "warning",
                             f"Words printed twice: ‘{doc.text[start:end]}’", self.name,
                             evidence={"rule": f"doubled-{how}"})
        yield from self._punctuation(doc)
        yield from self._word_pairs(doc)

    def _word_pairs(self, doc: Document) -> Iterable[Finding]:
        for a, b, ev in _dropped_words(doc):
            yield Finding.at(doc, a.start, b.end, "fragment", "warning",
                             f"A word is missing: English does not write ‘{a.text} {b.text}’ "
                             "(a determiner before a verb form)", self.name,
                             evidence={"rule": "dropped-word", **ev})
        for a, b, how in _doubled_words(doc):
            what = "printed twice" if how == "same-word" else "printed twice in two forms"
            yield Finding.at(doc, a.start, b.end, "fragment", "warning",
                             f"A word {what}: ‘{doc.text[a.start:b.end]}’", self.name,
                             suggestion=b.text if how == "same-word" else None,
                             evidence={"rule": f"doubled-word-{how}",
                                       "bigram_count": bigram_count(a.text, b.text)})

    def _punctuation(self, doc: Document) -> Iterable[Finding]:
        for ln in content_lines(doc):
            line = doc.text[ln.start:ln.end]
            for m in _DOUBLED.finditer(doc.text, ln.start, ln.end):
                fixed = "." if "." in m.group() and "," not in m.group() else m.group()[0]
                if m.group().startswith(",") and m.group().endswith("."):
                    fixed = "."
                yield Finding.at(doc, m.start(), m.end(), "punctuation", "warning",
                                 f"Doubled punctuation ‘{m.group()}’", self.name, suggestion=fixed,
                                 evidence={"rule": "doubled-punctuation", "found": m.group()})
            if not line_is_headline(doc, ln):
                for m in _SPACE_BEFORE.finditer(doc.text, ln.start, ln.end):
                    yield Finding.at(doc, m.start(), m.end(), "punctuation", "info",
                                     "A space before ‘%s’ (French typography)" % m.group().strip(),
                                     self.name, suggestion=m.group().strip(),
                                     evidence={"rule": "space-before-punctuation"})
            for m in _GLUED.finditer(doc.text, ln.start, ln.end):
                if _in_url(doc.text, m.start(), ln) or not _glued_ok(doc.text, m):
                    continue
                before, after = doc.text[m.start() - 1], doc.text[m.end()]
                fix = f"{before} “{after}" if m.group() == "“" else f"{before}{m.group()} {after}"
                yield Finding.at(doc, m.start() - 1, m.end() + 1, "punctuation", "warning",
                                 f"No space {'before' if m.group() == '“' else 'after'} "
                                 f"‘{m.group()}’: two words run together",
                                 self.name, suggestion=fix, evidence={"rule": "no-space-after"})
            for rx, rule, msg in _GLUE_RULES:
                for m in rx.finditer(doc.text, ln.start, ln.end):
                    end = m.end() + len(m.group(1) or "") if m.re is _NUMBER_WORD else m.end()
                    if m.re is _NUMBER_WORD and zipf(m.group(1)) < 3.0:
                        continue                 # "5km", "2023bn": units and codes
                    if m.re is _DROP_CAP and zipf(doc.text[m.start() + 1:m.end() + 20]
                                                   .split()[0].strip(".,;:").lower()) < 3.0:
                        continue
                    yield Finding.at(doc, m.start(), end, "punctuation", "warning", msg,
                                     self.name, evidence={"rule": rule})
            for m in _BAD_NUMBER.finditer(doc.text, ln.start, ln.end):
                yield Finding.at(doc, m.start(), m.end(), "punctuation", "warning",
                                 f"‘{m.group()}’ is not a well-formed number or time", self.name,
                                 evidence={"rule": "malformed-number"})
            for h in typography(doc.text, ln.start, ln.end, lambda pos: _in_url(doc.text, pos, ln)):
                yield Finding.at(doc, h.start, h.end, "punctuation", "warning", h.message,
                                 self.name, suggestion=h.fix, evidence={"rule": h.rule})
            for start, end in _stray_marks(doc.text, ln.start, ln.end):
                yield Finding.at(doc, start, end, "punctuation", "warning",
                                 "Accent marks of another script glued to a word", self.name,
                                 suggestion="", evidence={"rule": "stray-combining-marks"})
        if self.settings.check_quotes:
            for start, end, how in _quote_problems(doc):
                msg = {"nested": "A quote opened inside a quote that is still open",
                       "reversed": "A closing quote typed as an opening one (“…“)",
                       "unclosed": "A quote opened and never closed: the paragraph ends, and "
                                   "the next one does not carry the quotation on",
                       "mismatched": "A quote closed with the other language's quote mark "
                                     "(“…» or «…”, or a straight quote)"}.get(
                                         how, "A closing quote with no opening quote: the "
                                              "quotation's opening mark was lost in this stretch")
                yield Finding.at(doc, start, end, "punctuation", "warning", msg, self.name,
                                 suggestion=doc.text[start:end].replace("“", "").replace("«", "")
                                 if how == "nested" else None,
                                 evidence={"rule": f"quote-{how}"})


_GLUE_RULES = [
    (_NUMBER_WORD, "number-glued-to-word", "A number glued to the next word"),
    (_DROP_CAP, "drop-cap-doubled", "The first letter printed twice (a drop cap)"),
    (_QUOTE_SPACE, "quote-spacing", "Quote marks spaced or doubled the French way"),
]


def _in_url(text: str, pos: int, ln: Span) -> bool:
    """Inside a web address or a file name ("Voz.us", "www.Example.com")."""
    start = pos
    while start > ln.start and not text[start - 1].isspace():
        start -= 1
    word = text[start:text.find(" ", pos) if text.find(" ", pos) != -1 else ln.end]
    return bool(re.search(r"https?:|www\.|\.(?:com|org|net)\b|@|/", word))


def _stray_marks(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Combining marks (Arabic harakat, accents) that do not sit on a letter of their own script:
    "َِDaesh" -- the vowel marks of an Arabic word glued to a Latin one."""
    for m in _marks().finditer(text, start, end):
        i, j = m.span()
        base = text[i - 1] if i > start else " "
        mark_script = _script(text[i])
        if not base.isalpha() or (mark_script not in ("", "COMBINING")
                                  and _script(base) != mark_script):
            yield i, j


@lru_cache(maxsize=1)
def _marks() -> re.Pattern:
    """Runs of non-spacing combining marks (Unicode category Mn, Basic Multilingual Plane):
    one regex search per line instead of a category look-up per character."""
    chars = "".join(chr(c) for c in range(0x300, 0x10000) if unicodedata.category(chr(c)) == "Mn")
    return re.compile(f"[{re.escape(chars)}]+")


def _script(c: str) -> str:
    try:
        return unicodedata.name(c).split(" ")[0]
    except ValueError:
        return ""


def _prev_word(doc: Document, pos: int) -> str:
    before = doc.text[max(0, pos - 40):pos].split()
    return before[-1] if before else ""


def _join_name(span_text: str, name: str) -> str:
    """'minister. Mohammed Shia al-Sudani.' -> 'minister Mohammed Shia al-Sudani.'"""
    head = span_text[: span_text.find(name)].rstrip().rstrip(".")
    return f"{head} {name}."
