"""Statistics of English that ship in packages: which word pairs English writes (symspellpy's
bigram dictionary, 242,342 pairs counted on the web) and what part of speech a word form can be
(lemminflect's lemma tables). The surface rules ask them whether a pair such as "the carried"
or "strikes strike" is English at all, instead of listing damaged phrases by hand.

Both load lazily, once per process (the bigram table ~0.3 s, lemminflect ~0.1 s).
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

_BIGRAMS = "frequency_bigramdictionary_en_243_342.txt"
_UNIGRAMS = "frequency_dictionary_en_82_765.txt"


@lru_cache(maxsize=1)
def _bigram_table() -> dict[str, int]:
    out: dict[str, int] = {}
    path = resources.files("symspellpy") / _BIGRAMS
    for line in path.read_text(encoding="utf-8").splitlines():
        a, b, n = line.split(" ")
        out[f"{a} {b}"] = int(n)
    return out


@lru_cache(maxsize=1)
def _unigram_table() -> dict[str, int]:
    out: dict[str, int] = {}
    path = resources.files("symspellpy") / _UNIGRAMS
    for line in path.read_text(encoding="utf-8").splitlines():
        w, n = line.split(" ")
        out[w] = int(n)
    return out


def bigram_count(a: str, b: str) -> int:
    """How often English writes `a b` (lower case; 0 when the pair is not in the table)."""
    return _bigram_table().get(f"{a.lower()} {b.lower()}", 0)


def unigram_count(w: str) -> int:
    return _unigram_table().get(w.lower(), 0)


@lru_cache(maxsize=50_000)
def pos_lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """Part of speech -> lemmas of a lower-case word form ({} when lemminflect does not know it):
    'carried' -> {'VERB': ('carry',)}, 'strikes' -> {'NOUN': ('strike',), 'VERB': ('strike',)}."""
    from lemminflect import getAllLemmas
    return dict(getAllLemmas(word))


@lru_cache(maxsize=50_000)
def is_past_verb_only(word: str) -> bool:
    """A past tense or past participle that cannot be a noun or an adjective ("carried",
    "killed"; not "wounded" as in "the wounded", which is an ADJ/NOUN reading too, nor
    "strikes")."""
    from lemminflect import getAllInflections
    lem = pos_lemmas(word)
    if set(lem) != {"VERB"}:
        return False
    for base in lem["VERB"]:
        forms = getAllInflections(base, upos="VERB")
        if word in forms.get("VBD", ()) or word in forms.get("VBN", ()):
            return word != base
    return False


def lemmas(word: str) -> frozenset[str]:
    """Every lemma of a lower-case word form, whatever its part of speech."""
    return frozenset(x for group in pos_lemmas(word).values() for x in group)


@lru_cache(maxsize=50_000)
def verb_forms_of(word: str) -> dict[str, tuple[str, ...]]:
    """Penn tag -> forms, for the verb(s) `word` is a form of (merged); {} when not a verb.
    Regular verbs list no VBN: their participle is the VBD form."""
    from lemminflect import getAllInflections
    out: dict[str, tuple[str, ...]] = {}
    for base in pos_lemmas(word).get("VERB", ()):
        for tag, forms in getAllInflections(base, upos="VERB").items():
            out[tag] = tuple(dict.fromkeys(out.get(tag, ()) + tuple(forms)))
    if "VBN" not in out and "VBD" in out:
        out["VBN"] = out["VBD"]
    return out
