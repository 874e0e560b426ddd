"""Gold annotations: load and validate a gold file, then resolve its spans against documents.

The format and the scoring rules are in shared/gold/README.md. Loading checks structure only
(keys, kinds, occurrences), so a typo is reported before the pipeline runs; resolution turns
every `span`/`line` into [start, end) offsets in a document's raw text.

YAML is read as a node tree (`yaml.compose`) rather than as plain data so that every error
names the line of the offending entry, and so that ids and texts are taken exactly as written:
YAML 1.1 would read an id such as `000_123` as the integer 83 (an octal with an underscore).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from audit.types import FAMILIES, KIND_FAMILY, Document, Span

SCORED_FAMILIES: tuple[str, ...] = tuple(FAMILIES)
# Kinds a gold finding may have: every kind of a scored family (incl. extras such as
# language-residue, which belongs to translation); claim conflicts are scored as claims.
GOLD_KINDS: dict[str, str] = {k: f for k, f in KIND_FAMILY.items() if f in SCORED_FAMILIES}
VERDICTS = ("garbled", "foreign")

TOP_KEYS = {"version", "documents", "topics", "entities", "findings", "ignore", "claims"}
FINDING_KEYS = {"doc", "kind", "span", "line", "occurrence", "verdict", "suggest", "note", "optional"}
IGNORE_KEYS = {"doc", "span", "line", "occurrence", "note"}
MENTION_KEYS = {"doc", "span", "line", "occurrence", "value", "note"}
CLAIM_KEYS = {"id", "about", "discrepancy", "mentions", "note"}
ENTITY_KEYS = {"canonical", "acceptable", "foreign", "garbled", "note"}
TOPIC_KEYS = {"id", "documents", "note"}


class GoldError(ValueError):
    """A bad gold file; str() is one line naming the file and line, e.g.
    `gold.yaml:57: findings[12]: span 'xyz' not found in 003_abc (docs/003_abc.txt)`."""


@dataclass(frozen=True)
class Locator:
    """Where a gold item is: a `span` or a `line` of one document, and which occurrence."""
    doc: str
    span: str | None
    line: str | None
    occurrence: int | str          # 1-based, or "all"
    where: str                     # "gold.yaml:57: findings[12]", for errors and reports

    @property
    def by_line(self) -> bool:
        return self.line is not None

    @property
    def label(self) -> str:
        return f"line {self.line!r}" if self.line is not None else f"span {self.span!r}"


@dataclass
class GoldFinding:
    index: int
    loc: Locator
    kind: str
    verdict: str | None = None
    suggest: str | None = None
    note: str | None = None
    optional: bool = False

    @property
    def family(self) -> str:
        return GOLD_KINDS[self.kind]


@dataclass
class GoldMention:
    loc: Locator
    value: float | None = None


@dataclass
class GoldClaim:
    id: str
    about: str
    mentions: list[GoldMention]
    discrepancy: bool
    where: str


@dataclass
class GoldEntity:
    canonical: str
    acceptable: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    garbled: list[str] = field(default_factory=list)


@dataclass
class Gold:
    path: str
    version: int
    documents: dict[str, dict[str, Any]]       # id -> metadata (outlet, origin, published...)
    doc_where: dict[str, str]                  # id -> "gold.yaml:7: documents", for errors
    topics: list[dict[str, Any]]
    entities: list[GoldEntity]
    findings: list[GoldFinding]
    ignore: list[Locator]
    claims: list[GoldClaim]

    def acceptable_forms(self) -> list[str]:
        return sorted({a for e in self.entities for a in e.acceptable})


# --- loading -------------------------------------------------------------------------------------

class _Reader:
    """Walks the composed YAML tree; every error it raises carries file and line."""

    def __init__(self, name: str, loader: yaml.SafeLoader):
        self.name = name
        self.loader = loader

    def fail(self, node: Node | None, where: str, message: str) -> GoldError:
        line = f"{node.start_mark.line + 1}:" if node is not None else ""
        return GoldError(f"{self.name}:{line} {where}: {message}" if where
                         else f"{self.name}:{line} {message}")

    def mapping(self, node: Node, where: str, allowed: set[str]) -> dict[str, tuple[Node, Node]]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, where, f"expected a mapping, got {_kind(node)}")
        out: dict[str, tuple[Node, Node]] = {}
        for k, v in node.value:
            key = k.value if isinstance(k, ScalarNode) else None
            if key is None:
                raise self.fail(k, where, "keys must be plain names")
            if key in out:
                raise self.fail(k, where, f"duplicate key {key!r}")
            if key not in allowed:
                raise self.fail(k, where, f"unknown key {key!r}; allowed: {', '.join(sorted(allowed))}")
            out[key] = (k, v)
        return out

    def sequence(self, node: Node, where: str) -> list[Node]:
        if not isinstance(node, SequenceNode):
            raise self.fail(node, where, f"expected a list, got {_kind(node)}")
        return list(node.value)

    def text(self, node: Node, where: str, key: str) -> str:
        """A scalar exactly as written (escapes decoded), never re-typed by YAML's resolver."""
        if not isinstance(node, ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            raise self.fail(node, where, f"{key} must be text, got {_kind(node)}")
        return node.value

    def value(self, node: Node) -> Any:
        return self.loader.construct_object(node, deep=True)

    def require(self, m: dict[str, tuple[Node, Node]], node: Node, where: str, *keys: str) -> None:
        missing = [k for k in keys if k not in m]
        if missing:
            raise self.fail(node, where, f"missing key {', '.join(map(repr, missing))}")


def _kind(node: Node | None) -> str:
    if node is None:
        return "nothing"
    if isinstance(node, ScalarNode):
        return "null" if node.tag.endswith(":null") else f"{node.value!r}"
    return "a list" if isinstance(node, SequenceNode) else "a mapping"


def load_gold(path: Path) -> Gold:
    """Parse and validate a gold file. Resolves nothing against documents yet."""
    path = Path(path)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise GoldError(f"{name}: cannot read gold file: {e}") from None
    loader = yaml.SafeLoader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            line = f"{mark.line + 1}:{mark.column + 1}:" if mark else ""
            raise GoldError(f"{name}:{line} YAML error: {e.problem or e.context}") from None
        if root is None:
            raise GoldError(f"{name}: gold file is empty")
        return _build(_Reader(name, loader), root)
    finally:
        loader.dispose()


def _build(r: _Reader, root: Node) -> Gold:
    top = r.mapping(root, "", TOP_KEYS)
    r.require(top, root, "top level", "documents", "findings")
    version = 1
    if "version" in top:
        version = r.value(top["version"][1])
        if version != 1:
            raise r.fail(top["version"][1], "version", f"unsupported gold version {version!r} (known: 1)")
    documents, doc_where = _documents(r, top["documents"][1])
    known = set(documents)

    def seq(key: str) -> list[Node]:
        if key not in top or _is_null(top[key][1]):
            return []
        return r.sequence(top[key][1], key)

    findings = [_finding(r, n, i, known) for i, n in enumerate(seq("findings"))]
    ignore = [_locator(r, n, f"ignore[{i}]", IGNORE_KEYS, known)[0] for i, n in enumerate(seq("ignore"))]
    claims = [_claim(r, n, i, known) for i, n in enumerate(seq("claims"))]
    entities = [_entity(r, n, i) for i, n in enumerate(seq("entities"))]
    topics = [_topic(r, n, i, known) for i, n in enumerate(seq("topics"))]
    return Gold(r.name, version, documents, doc_where, topics, entities, findings, ignore, claims)


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag.endswith(":null")


def _documents(r: _Reader, node: Node) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """`documents` is a mapping id -> metadata, or a plain list of ids."""
    docs: dict[str, dict[str, Any]] = {}
    where: dict[str, str] = {}
    if isinstance(node, SequenceNode):
        pairs = [(n, None) for n in node.value]
    elif isinstance(node, MappingNode):
        pairs = list(node.value)
    else:
        raise r.fail(node, "documents", f"expected a mapping of document ids, got {_kind(node)}")
    for key, meta in pairs:
        doc_id = r.text(key, "documents", "a document id")
        if doc_id in docs:
            raise r.fail(key, "documents", f"duplicate document id {doc_id!r}")
        data = r.value(meta) if meta is not None and not _is_null(meta) else {}
        if not isinstance(data, dict):
            raise r.fail(meta, f"documents.{doc_id}", f"expected a mapping (outlet, origin, ...), got {_kind(meta)}")
        docs[doc_id] = {str(k): v for k, v in data.items()}
        where[doc_id] = f"{r.name}:{key.start_mark.line + 1}: documents.{doc_id}"
    if not docs:
        raise r.fail(node, "documents", "no documents listed")
    return docs, where


def _locator(r: _Reader, node: Node, where: str, allowed: set[str], known: set[str]
             ) -> tuple[Locator, dict[str, tuple[Node, Node]]]:
    m = r.mapping(node, where, allowed)
    r.require(m, node, where, "doc")
    doc = r.text(m["doc"][1], where, "doc")
    if doc not in known:
        raise r.fail(m["doc"][1], where, f"doc {doc!r} is not listed under documents")
    has_span, has_line = "span" in m, "line" in m
    if has_span == has_line:
        raise r.fail(node, where, "give exactly one of 'span' or 'line'")
    key = "span" if has_span else "line"
    target = r.text(m[key][1], where, key)
    if key == "line":
        if "\n" in target.strip():
            raise r.fail(m[key][1], where, "line must be a single line of text")
        target = target.strip()
    if not target:
        raise r.fail(m[key][1], where, f"{key} is empty")
    occurrence: int | str = 1
    if "occurrence" in m:
        vnode = m["occurrence"][1]
        occurrence = r.value(vnode)
        if not (occurrence == "all" or (type(occurrence) is int and occurrence >= 1)):
            raise r.fail(vnode, where, f"occurrence must be a number from 1 or 'all', got {_kind(vnode)}")
    label = f"{r.name}:{node.start_mark.line + 1}: {where}"
    loc = Locator(doc, target if has_span else None, target if has_line else None, occurrence, label)
    return loc, m


def _finding(r: _Reader, node: Node, i: int, known: set[str]) -> GoldFinding:
    where = f"findings[{i}]"
    loc, m = _locator(r, node, where, FINDING_KEYS, known)
    r.require(m, node, where, "kind")
    kind = r.text(m["kind"][1], where, "kind")
    if kind not in GOLD_KINDS:
        raise r.fail(m["kind"][1], where, f"unknown kind {kind!r}; known: {', '.join(sorted(GOLD_KINDS))}")
    verdict = r.text(m["verdict"][1], where, "verdict") if "verdict" in m else None
    if verdict is not None and verdict not in VERDICTS:
        raise r.fail(m["verdict"][1], where, f"verdict must be one of {', '.join(VERDICTS)}, got {verdict!r}")
    optional = r.value(m["optional"][1]) if "optional" in m else False
    if not isinstance(optional, bool):
        raise r.fail(m["optional"][1], where, "optional must be true or false")
    opt_text = {k: r.text(m[k][1], where, k) for k in ("suggest", "note") if k in m}
    return GoldFinding(i, loc, kind, verdict, opt_text.get("suggest"), opt_text.get("note"), optional)


def _claim(r: _Reader, node: Node, i: int, known: set[str]) -> GoldClaim:
    where = f"claims[{i}]"
    m = r.mapping(node, where, CLAIM_KEYS)
    r.require(m, node, where, "id", "mentions")
    cid = r.text(m["id"][1], where, "id")
    where = f"claims[{i}] ({cid})"
    mentions = []
    for j, mn in enumerate(r.sequence(m["mentions"][1], f"{where}.mentions")):
        loc, mm = _locator(r, mn, f"{where}.mentions[{j}]", MENTION_KEYS, known)
        value = r.value(mm["value"][1]) if "value" in mm else None
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise r.fail(mm["value"][1], f"{where}.mentions[{j}]", f"value must be a number, got {_kind(mm['value'][1])}")
        mentions.append(GoldMention(loc, value))
    if not mentions:
        raise r.fail(m["mentions"][1], where, "a claim needs at least one mention")
    discrepancy = r.value(m["discrepancy"][1]) if "discrepancy" in m else False
    if not isinstance(discrepancy, bool):
        raise r.fail(m["discrepancy"][1], where, "discrepancy must be true or false")
    if discrepancy and len({mn.value for mn in mentions if mn.value is not None}) < 2:
        raise r.fail(node, where, "discrepancy: true needs mentions with at least two different values")
    about = r.text(m["about"][1], where, "about") if "about" in m else ""
    return GoldClaim(cid, about, mentions, discrepancy, f"{r.name}:{node.start_mark.line + 1}: {where}")


def _entity(r: _Reader, node: Node, i: int) -> GoldEntity:
    where = f"entities[{i}]"
    m = r.mapping(node, where, ENTITY_KEYS)
    r.require(m, node, where, "canonical")
    forms: dict[str, list[str]] = {}
    for key in ("acceptable", "foreign", "garbled"):
        if key in m and not _is_null(m[key][1]):
            forms[key] = [r.text(n, where, key) for n in r.sequence(m[key][1], f"{where}.{key}")]
    return GoldEntity(r.text(m["canonical"][1], where, "canonical"), **forms)


def _topic(r: _Reader, node: Node, i: int, known: set[str]) -> dict[str, Any]:
    where = f"topics[{i}]"
    m = r.mapping(node, where, TOPIC_KEYS)
    r.require(m, node, where, "id", "documents")
    ids = [r.text(n, where, "documents") for n in r.sequence(m["documents"][1], f"{where}.documents")]
    for n, doc in zip(m["documents"][1].value, ids):
        if doc not in known:
            raise r.fail(n, where, f"doc {doc!r} is not listed under documents")
    return {"id": r.text(m["id"][1], where, "id"), "documents": ids}


# --- resolution ----------------------------------------------------------------------------------

@dataclass
class GoldItem:
    """One resolved range of a gold finding (`occurrence: all` gives one item per occurrence)."""
    id: int
    finding: GoldFinding
    doc: str
    start: int
    end: int
    text: str
    occurrence: int
    hit_by: list[int] = field(default_factory=list)   # indexes of the predictions that hit it

    @property
    def family(self) -> str:
        return self.finding.family

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass
class ResolvedClaim:
    claim: GoldClaim
    mentions: list[tuple[GoldMention, list[Span]]]


@dataclass
class ResolvedGold:
    gold: Gold
    items: list[GoldItem]
    ignore: dict[str, list[Span]]            # doc id -> ranges
    noise_lines: dict[str, list[Span]]       # doc id -> gold noise findings given by `line`
    acceptable: dict[str, list[Span]]        # doc id -> occurrences of acceptable spellings
    acceptable_forms: set[str]               # casefolded
    claims: list[ResolvedClaim]


def _stripped_lines(text: str) -> list[tuple[Span, str]]:
    out = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + (len(raw) - len(raw.lstrip()))
            out.append((Span(start, start + len(stripped)), stripped))
        pos += len(raw) + 1
    return out


class _Resolver:
    def __init__(self, gold: Gold, docs: dict[str, Document]):
        self.gold = gold
        self.docs = docs
        self._lines: dict[str, list[tuple[Span, str]]] = {}

    def doc(self, loc: Locator) -> Document:
        try:
            return self.docs[loc.doc]
        except KeyError:
            raise GoldError(f"{loc.where}: document {loc.doc!r} was not loaded") from None

    def candidates(self, loc: Locator, doc: Document) -> list[Span]:
        if loc.span is not None:
            out, i = [], doc.text.find(loc.span)
            while i >= 0:                       # non-overlapping, left to right, like str.count
                out.append(Span(i, i + len(loc.span)))
                i = doc.text.find(loc.span, i + len(loc.span))
            return out
        if doc.id not in self._lines:
            self._lines[doc.id] = _stripped_lines(doc.text)
        lines = self._lines[doc.id]
        equal = [s for s, t in lines if t == loc.line]
        return equal or [s for s, t in lines if t.startswith(loc.line)]

    def resolve(self, loc: Locator) -> list[Span]:
        doc = self.doc(loc)
        found = self.candidates(loc, doc)
        if not found:
            raise GoldError(f"{loc.where}: {_short(loc)} not found in {doc.id} ({doc.path})")
        if loc.occurrence == "all":
            return found
        if loc.occurrence > len(found):
            raise GoldError(f"{loc.where}: {_short(loc)} occurs {len(found)} time(s) in {doc.id}; "
                            f"occurrence {loc.occurrence} asked")
        return [found[loc.occurrence - 1]]


def _short(loc: Locator, limit: int = 60) -> str:
    target = loc.span if loc.span is not None else loc.line
    shown = target if len(target) <= limit else target[:limit - 1] + "…"
    return f"{'span' if loc.span is not None else 'line'} {shown!r}"


def resolve_gold(gold: Gold, docs: dict[str, Document]) -> ResolvedGold:
    """Resolve every span and line to offsets; a missing document or text is a GoldError."""
    for doc_id in gold.documents:
        if doc_id not in docs:
            raise GoldError(f"{gold.doc_where[doc_id]}: document {doc_id!r} was not loaded")
    res = _Resolver(gold, docs)
    items: list[GoldItem] = []
    noise_lines: dict[str, list[Span]] = {}
    for gf in gold.findings:
        text = docs[gf.loc.doc].text
        for n, s in enumerate(res.resolve(gf.loc), 1):
            occ = n if gf.loc.occurrence == "all" else int(gf.loc.occurrence)
            items.append(GoldItem(len(items), gf, gf.loc.doc, s.start, s.end, text[s.start:s.end], occ))
            if gf.family == "noise" and gf.loc.by_line:
                noise_lines.setdefault(gf.loc.doc, []).append(s)
    ignore: dict[str, list[Span]] = {}
    for loc in gold.ignore:
        ignore.setdefault(loc.doc, []).extend(res.resolve(loc))
    claims = [ResolvedClaim(c, [(m, res.resolve(m.loc)) for m in c.mentions]) for c in gold.claims]
    forms = gold.acceptable_forms()
    acceptable = {d: _occurrences(docs[d].text, forms) for d in gold.documents}
    return ResolvedGold(gold, items, ignore, noise_lines, acceptable,
                        {f.casefold() for f in forms}, claims)


def _occurrences(text: str, forms: Iterable[str]) -> list[Span]:
    """Case-insensitive whole-word occurrences (so `Nujaba` is not found inside `al-Nujabaa`)."""
    out: set[Span] = set()
    for form in set(forms):  # each form on its own: a short form inside a longer one still counts
        one = re.compile(r"(?<!\w)" + re.escape(form) + r"(?!\w)", re.IGNORECASE)
        out.update(Span(m.start(), m.end()) for m in one.finditer(text))
    return sorted(set(out))


def strip_punct(text: str) -> str:
    """Text without surrounding white space and punctuation (quotes, commas, brackets...)."""
    i, j = 0, len(text)
    while i < j and (text[i].isspace() or unicodedata.category(text[i]).startswith(("P", "S"))):
        i += 1
    while j > i and (text[j - 1].isspace() or unicodedata.category(text[j - 1]).startswith(("P", "S"))):
        j -= 1
    return text[i:j]
