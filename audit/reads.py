"""What one document's detectors read of the batch, so a re-run can reuse their results.

A per-document detector sees the rest of the batch only through the BatchView: the batch's word
statistics (`batch_stats(ctx.docs)`), the other articles' texts (iterating `ctx.docs`) and the
entity groups (`ctx.entities`). While a document's detectors run, the worker hands them tracking
stand-ins for these and records every read with the answer it got, like a build system records
the files a compiler opened. On a later run the result is reused when every recorded read gives
the same answer in the new batch (`Reads.hold`), which is exactly when the detectors would
compute the same result: they are pure functions of the document, the settings and these reads.

Granularity (each recorded read is one of):
- one key of a statistics table (`lower["lula"]`, `"Shaabi" in pieces`): the value seen, or,
  when the detector only compared a count (`caps >= 2`, `if lowers:`), the outcomes of those
  comparisons, so a count that grew from 40 to 42 still matches `lowers > 1`;
- a whole table, the other articles' texts or the entity groups, when a detector iterated or
  sized them: their fingerprint (coarse, but any such use is exact).

Anything a tracking stand-in cannot see (a C function reading an int subclass's value directly,
as `"%d" % n` does) would escape the record; results are scanned for tracked counts left in
them and such counts are recorded exactly. The test tests/test_cache.py compares a cached re-run
with an uncached run of the changed batch.
"""
from __future__ import annotations

import hashlib
import json
import operator
from dataclasses import dataclass, field, fields
from typing import Any, Callable, Iterator

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
    "gt": operator.gt, "ge": operator.ge}
_MISSING = "\x00missing"     # a key read with no default that the table did not hold

WHOLE_TEXTS = "texts"        # names of whole-part reads
WHOLE_ENTITIES = "entities"
ENTITY_COUNT = "entities.#len"


@dataclass
class Obs:
    """What was learnt of one value: its exact value, or only comparisons of it."""
    exact: bool = False
    value: Any = None
    preds: set[tuple[str, Any, bool]] = field(default_factory=set)


# A path names one value read from the statistics: (table, key, default, *steps), a step being
# ("get", key, default), ("len",), ("keys",) or ("in", key) applied to the value before it.
Path = tuple


@dataclass
class Reads:
    """The record of one document's run: per path what was observed of its value, and the
    parts read whole (texts, entity fields, whole tables) with their fingerprints."""
    keys: dict[Path, Obs] = field(default_factory=dict)
    whole: dict[str, str] = field(default_factory=dict)
    pairs: set[tuple[Path, str, Path, bool]] = field(default_factory=set)   # count vs count

    def stamp(self, view: "Answers") -> "Reads":
        """Fill in the fingerprints of the parts read whole, from the batch the reads were
        made in (workers record only the names: the client has the batch)."""
        parts = set(self.whole)
        if any(p.startswith(WHOLE_ENTITIES + ".") and p != ENTITY_COUNT for p in parts):
            parts.discard(ENTITY_COUNT)       # a field's values over the groups give their number
        self.whole = {part: view.fingerprint(part) for part in sorted(parts)}
        return self

    def exact(self, path: Path, value: Any) -> None:
        obs = self.keys.setdefault(path, Obs())
        obs.exact, obs.value = True, _plain(value)

    def pred(self, path: Path, op: str, other: Any, result: bool) -> None:
        obs = self.keys.setdefault(path, Obs())
        if not obs.exact:
            obs.preds.add((op, other, result))

    def hold(self, view: "Answers") -> bool:
        """True when every read gives the same answer in `view` (the new batch)."""
        try:
            return self._hold(view)
        except Unanswerable:
            return False

    def _hold(self, view: "Answers") -> bool:
        for part, fp in self.whole.items():
            if view.fingerprint(part) != fp:
                return False
        for path, obs in self.keys.items():
            value = view.lookup(path)
            if obs.exact:
                if value != obs.value:
                    return False
                continue
            for op, other, result in obs.preds:
                try:
                    if _OPS[op](value, other) != result:
                        return False
                except (TypeError, ArithmeticError):     # a count that is now missing
                    return False
        for a, op, b, result in self.pairs:
            try:
                if _OPS[op](view.lookup(a), view.lookup(b)) != result:
                    return False
            except (TypeError, ArithmeticError):
                return False
        return True


class Answers:
    """Answers to recorded reads from a batch's statistics, texts and entity groups (the client
    side of `Reads.hold`); fingerprints of whole parts are computed once, when first asked."""

    def __init__(self, stats: Any, texts: Callable[[], Iterator[tuple[str, str]]], entities: list):
        self.stats = stats
        self._texts = texts
        self._entities = entities
        self._fps: dict[str, str] = {}
        self._derived: dict[str, Any] = {}

    def lookup(self, path: Path) -> Any:
        table, key, default, *steps = path
        t = self._table(table)
        if key == _TABLE:
            value = t
        elif default == _MISSING:
            value = t[key] if key in t else _MISSING
        else:
            value = t.get(key, _unhash(default))
        for step in steps:
            if value is _MISSING:
                return _MISSING
            try:
                value = _step(value, step)
            except (TypeError, ArithmeticError, AttributeError):
                return _MISSING
        return _plain(value)

    def fingerprint(self, part: str) -> str:
        if part not in self._fps:
            if part == WHOLE_TEXTS:
                self._fps[part] = texts_fingerprint(self._texts())
            elif part.startswith(WHOLE_ENTITIES + "."):
                attr = part.split(".", 1)[1]
                values = len(self._entities) if attr == "#len" \
                    else [getattr(g, attr) for g in self._entities]
                self._fps[part] = _canonical(values)
            else:
                self._fps[part] = table_fingerprint(self._table(part))
        return self._fps[part]

    def _table(self, name: str) -> Any:
        """A statistics table, a table derived from the entity groups (`derived_table`) or
        the answers to questions about the other articles' texts (`text_query`), built once
        for this batch."""
        if name == TEXT_QUERIES:
            if name not in self._derived:
                self._derived[name] = _TextAnswers([TextRef(i, t) for i, t in self._texts()])
            return self._derived[name]
        if not name.startswith(DERIVED):
            return getattr(self.stats, name)
        if name not in self._derived:
            build = _DERIVERS.get(name[len(DERIVED):])
            if build is None:              # its module was not imported here: cannot be checked
                raise Unanswerable(name)
            self._derived[name] = build(self._entities)
        return self._derived[name]


_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul, "floordiv": operator.floordiv,
    "mod": operator.mod, "radd": lambda a, b: b + a, "rsub": lambda a, b: b - a,
    "rmul": lambda a, b: b * a, "rfloordiv": lambda a, b: b // a, "rmod": lambda a, b: b % a}


def _step(value: Any, step: tuple) -> Any:
    kind = step[0]
    if kind == "op":
        return _ARITH[step[1]](value, step[2]) if step[1] in _ARITH else -value
    if kind == "get":
        if step[2] == _MISSING:
            return value[step[1]] if isinstance(value, dict) and step[1] in value else _MISSING
        return value.get(step[1], _unhash(step[2])) if isinstance(value, dict) else _MISSING
    if kind == "len":
        return len(value)
    if kind == "keys":
        return tuple(value)
    if kind == "in":
        return step[1] in value
    raise ValueError(kind)


def texts_fingerprint(pairs: Iterator[tuple[str, str]]) -> str:
    h = hashlib.sha256()
    for doc_id, text in pairs:
        for s in (doc_id, text):
            b = s.encode("utf-8", "surrogatepass")
            h.update(len(b).to_bytes(8, "little"))
            h.update(b)
    return h.hexdigest()


def table_fingerprint(table: Any) -> str:
    if isinstance(table, (set, frozenset)):
        return _canonical(sorted(table))
    return _canonical(sorted((k, _plain(v)) for k, v in table.items()))


def _canonical(value: Any) -> str:
    """A digest of canonical JSON (pickle is not canonical: it records which equal strings are
    the same object)."""
    from audit.serialize import jsonable
    text = json.dumps(jsonable(value), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _plain(value: Any) -> Any:
    """A value as recorded: sets sorted (pickled sets do not compare by content order-free in
    every case), tracked ints as ints."""
    if isinstance(value, TInt):
        return int.__int__(value)
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted(value)))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, _plain(v)) for k, v in value.items())))
    return value


def _unhash(default: Any) -> Any:
    """The default a detector passed, back from its recorded form."""
    if isinstance(default, tuple) and len(default) == 2 and default[0] in ("dict", "set"):
        items = default[1]
        return dict(items) if default[0] == "dict" else set(items)
    return default


def _hashable(default: Any) -> Any:
    p = _plain(default)
    return p if isinstance(p, (str, int, float, bool, tuple, type(None))) else repr(p)


# --- the tracking stand-ins ----------------------------------------------------------------------

_TABLE = "\x00table"        # a path starting at the table itself (a set's membership)


def _wrap(value: Any, reads: Reads, path: Path) -> Any:
    """A value read from the statistics, as the detector gets it: counts, tables and sets keep
    recording; anything else is recorded exactly."""
    if type(value) is int:
        return TInt(value, reads, path)
    if isinstance(value, dict):
        return TrackedTable(value, reads, path)
    if isinstance(value, (set, frozenset)):
        return TrackedSet(value, reads, path)
    reads.exact(path, value)
    return value


class TInt(int):
    """A count from a statistics table that records how it is used: comparisons with plain
    numbers and truth tests record their outcome; any other use (arithmetic, formatting, hashing,
    conversion) records the exact value."""

    def __new__(cls, value: int, reads: Reads, path: Path):
        self = int.__new__(cls, value)
        self._reads, self._path = reads, path
        return self

    def _exact(self) -> int:
        v = int.__int__(self)
        self._reads.exact(self._path, v)
        return v

    def _cmp(self, op: str, other: Any) -> Any:
        v = int.__int__(self)
        if isinstance(other, TInt) and other._reads is self._reads:
            result = _OPS[op](v, int.__int__(other))
            self._reads.pairs.add((self._path, op, other._path, result))
            return result
        if isinstance(other, TInt):
            other = other._exact()
            self._exact()
        elif not isinstance(other, (int, float)) or isinstance(other, bool):
            self._exact()
            return getattr(v, f"__{op}__")(other)
        result = _OPS[op](v, other)
        self._reads.pred(self._path, op, other, result)
        return result

    def __eq__(self, o: Any) -> Any: return self._cmp("eq", o)      # noqa: E704
    def __ne__(self, o: Any) -> Any: return self._cmp("ne", o)      # noqa: E704
    def __lt__(self, o: Any) -> Any: return self._cmp("lt", o)      # noqa: E704
    def __le__(self, o: Any) -> Any: return self._cmp("le", o)      # noqa: E704
    def __gt__(self, o: Any) -> Any: return self._cmp("gt", o)      # noqa: E704
    def __ge__(self, o: Any) -> Any: return self._cmp("ge", o)      # noqa: E704

    def __bool__(self) -> bool:
        return bool(self._cmp("ne", 0))

    def __hash__(self) -> int:
        return hash(self._exact())

    def __reduce__(self) -> tuple:
        return (int, (self._exact(),))


def _exact_method(name: str) -> Callable:  # noqa: E302
    def method(self: TInt, *args: Any) -> Any:
        args = tuple(a._exact() if isinstance(a, TInt) else a for a in args)
        return getattr(self._exact(), name)(*args)
    method.__name__ = name
    return method


def _derived_method(name: str) -> Callable:
    """`count // 4`, `count + 1`: a count derived from a tracked one by a plain integer keeps
    recording, as the same operation on the recorded value."""
    def method(self: TInt, *args: Any) -> Any:
        v = int.__int__(self)
        if name == "neg":
            return TInt(-v, self._reads, (*self._path, ("op", "neg", 0)))
        other = args[0]
        if type(other) is not int or (name in ("floordiv", "mod") and other == 0):
            return _exact_method(f"__{name}__")(self, *args)
        return TInt(_ARITH[name](v, other), self._reads, (*self._path, ("op", name, other)))
    method.__name__ = f"__{name}__"
    return method


for _name in ("add radd sub rsub mul rmul floordiv rfloordiv mod rmod neg").split():
    setattr(TInt, f"__{_name}__", _derived_method(_name))
for _name in ("truediv rtruediv divmod "
              "rdivmod pow rpow pos abs invert and rand or ror xor rxor lshift rlshift rshift "
              "rrshift index int float round trunc floor ceil str repr format bytes "
              "getnewargs reduce_ex sizeof").split():
    setattr(TInt, f"__{_name}__", _exact_method(f"__{_name}__"))
for _name in ("bit_length", "bit_count", "to_bytes", "conjugate", "as_integer_ratio", "is_integer"):
    if hasattr(int, _name):
        setattr(TInt, _name, _exact_method(_name))


class _WholeValue:
    """Equality and printing see the whole value, so they record it exactly (never object
    identity); a subclass gives `_all()`, the value read whole."""

    def __eq__(self, other: Any) -> bool:
        other = other._all() if isinstance(other, _WholeValue) else other
        return self._all() == other

    def __ne__(self, other: Any) -> bool:
        return not self == other

    def __repr__(self) -> str:
        return repr(self._all())

    __str__ = __repr__
    __hash__ = None  # type: ignore[assignment]


class TrackedTable(_WholeValue):
    """A statistics table (dict) as a detector sees it: each key read is recorded with what
    was learnt of its value; a top-level table iterated or sized is recorded whole, a nested one
    (a word's spellings) by its keys."""

    def __init__(self, table: dict, reads: Reads, path: Path | None = None, name: str = ""):
        self._t, self._reads, self._path, self._name = table, reads, path, name

    def _key_path(self, key: Any, default: Any) -> Path:
        if self._path is None:
            return (self._name, key, _hashable(default))
        return (*self._path, ("get", key, _hashable(default)))

    def get(self, key: Any, default: Any = None) -> Any:
        return _wrap(self._t.get(key, default), self._reads, self._key_path(key, default))

    def __getitem__(self, key: Any) -> Any:
        path = self._key_path(key, _MISSING)
        if key not in self._t:
            self._reads.exact(path, _MISSING)
            raise KeyError(key)
        return _wrap(self._t[key], self._reads, path)

    def __contains__(self, key: Any) -> bool:
        found = key in self._t
        self._reads.pred(self._key_path(key, _MISSING), "ne", _MISSING, found)
        return found

    def _all(self) -> dict:
        if self._path is None:
            self._reads.whole[self._name] = ""     # the client stamps the batch's fingerprint
        else:
            self._reads.exact(self._path, self._t)
        return self._t

    def _keys(self) -> dict:
        if self._path is None:
            return self._all()
        self._reads.exact((*self._path, ("keys",)), tuple(self._t))   # in order: max() and ties
        return self._t

    def __iter__(self) -> Iterator: return iter(self._keys())             # noqa: E704
    def keys(self) -> Any: return self._keys().keys()                     # noqa: E704
    def values(self) -> Any: return self._all().values()                  # noqa: E704
    def items(self) -> Any: return self._all().items()                    # noqa: E704

    def __len__(self) -> int:
        if self._path is None:
            return len(self._all())
        self._reads.exact((*self._path, ("len",)), len(self._t))  # len() drops an int subclass
        return len(self._t)

    def __bool__(self) -> bool:
        if self._path is None:
            return bool(self._all())
        return bool(TInt(len(self._t), self._reads, (*self._path, ("len",))))



class TrackedSet(_WholeValue):
    """A set read from the statistics (`pieces`, a word's documents): membership tests and the
    size are recorded; anything else records the whole set."""

    def __init__(self, table: set | frozenset, reads: Reads, path: Path | None = None, name: str = ""):
        self._t, self._reads, self._name = table, reads, name
        self._path = path if path is not None else (name, _TABLE, _TABLE)

    def __contains__(self, key: Any) -> bool:
        found = key in self._t
        self._reads.exact((*self._path, ("in", key)), found)
        return found

    def __len__(self) -> int:
        self._reads.exact((*self._path, ("len",)), len(self._t))  # len() drops an int subclass
        return len(self._t)

    def __bool__(self) -> bool:
        return bool(TInt(len(self._t), self._reads, (*self._path, ("len",))))


    def _all(self) -> set | frozenset:
        if self._path[1] == _TABLE:
            self._reads.whole[self._name] = ""     # the client stamps the batch's fingerprint
        else:
            self._reads.exact(self._path, self._t)
        return self._t

    def __iter__(self) -> Iterator: return iter(self._all())             # noqa: E704

    def __getattr__(self, name: str) -> Any:                              # union, issubset...
        return getattr(self._all(), name)


def tracked_stats(stats: Any, reads: Reads) -> Any:
    """A copy of a BatchStats whose tables record what is read of them."""
    parts = {}
    for f in fields(stats):
        t = getattr(stats, f.name)
        parts[f.name] = TrackedSet(t, reads, name=f.name) if isinstance(t, (set, frozenset)) \
            else TrackedTable(t, reads, name=f.name)
    return type(stats)(**parts)


def settle(value: Any) -> Any:
    """`value` with every tracked count replaced by a plain int (recorded exactly): a result
    keeps no tracking object and no count escapes the record."""
    if isinstance(value, TInt):
        return value._exact()
    if isinstance(value, (TrackedTable, TrackedSet)):
        return settle(dict(value._all()) if isinstance(value, TrackedTable) else set(value._all()))
    if isinstance(value, dict):
        return {settle(k): settle(v) for k, v in value.items()}
    if isinstance(value, list):
        return [settle(v) for v in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(settle(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return type(value)(settle(v) for v in value)
    return value


class TrackedList(list):
    """The other articles (`ctx.docs`) as a detector sees them: using them at all (iterating,
    indexing, sizing) records the whole part; the batch statistics a BatchView carries come
    through as tracked tables."""

    def __init__(self, items: list, part: str, reads: Reads, batch_stats: Any = None,
                 before: Callable[[], None] | None = None):
        super().__init__(list.__iter__(items))
        self._part, self._reads, self._before = part, reads, before
        self.source = items          # the list under the view (indexes built once per batch)
        if batch_stats is not None:
            self.batch_stats = batch_stats

    def _all(self) -> None:
        if self._before is not None:
            self._before()                      # a worker's view without texts raises here
        self._reads.whole[self._part] = ""      # the client stamps the batch's fingerprint

    def __iter__(self) -> Iterator:
        self._all()
        return super().__iter__()

    def __len__(self) -> int:
        self._all()
        return super().__len__()

    def __getitem__(self, i: Any) -> Any:
        self._all()
        return super().__getitem__(i)

    def __contains__(self, x: Any) -> bool:
        self._all()
        return super().__contains__(x)

    def __reversed__(self) -> Iterator:
        self._all()
        return super().__reversed__()


def tracked_entities(groups: list, reads: Reads) -> TrackedList:
    """Entity groups whose fields record, per field, that the detector read that field of the
    groups: the dependency is that field's values. Tables derived from the groups
    (`derived_table`) record reads key by key instead."""
    out = TrackedList([_tracked_group(g, reads) for g in groups], ENTITY_COUNT, reads)
    out._raw = groups
    return out


def _tracked_group(group: Any, reads: Reads) -> Any:
    cls = _GROUP_CLASSES.get(type(group))
    if cls is None:
        names = {f.name for f in fields(group)}

        def __getattribute__(self: Any, name: str, _names=names, _base=type(group)) -> Any:
            if name in _names:
                object.__getattribute__(self, "_reads").whole[f"{WHOLE_ENTITIES}.{name}"] = ""
            return _base.__getattribute__(self, name)
        cls = type(f"Tracked{type(group).__name__}", (type(group),), {"__getattribute__": __getattribute__})
        _GROUP_CLASSES[type(group)] = cls
    new = object.__new__(cls)
    new.__dict__.update(group.__dict__)
    new.__dict__["_reads"] = reads
    return new


_GROUP_CLASSES: dict[type, type] = {}


# --- tables derived from the entity groups -------------------------------------------------------

DERIVED = "derived:"         # the table name of a derived table in a recorded path
_DERIVERS: dict[str, Callable[[list], dict]] = {}
_DERIVED_MEMO: dict[str, tuple[list, int, dict]] = {}


class Unanswerable(Exception):
    """A recorded read this process cannot answer (a derived table whose builder is unknown):
    the result is not reused."""


def register_derived(name: str, build: Callable[[list], dict]) -> None:
    """Declare a table a detector derives from the entity groups (word -> spelling, say), so a
    re-run can rebuild it from the new batch's groups and check reads of it key by key. Called
    at import time: the client checks reads of documents whose detectors it did not run."""
    _DERIVERS[name] = build


def derived_table(groups: list, name: str) -> Any:
    """The table `name` built from `groups` (once per list of groups and process). Seen through
    tracked entity groups, it is a tracked table: each key the detector reads is recorded with
    its answer, rather than every group's field (with which any new group anywhere in the batch
    would invalidate every article that looked at the groups)."""
    raw = getattr(groups, "_raw", None) if isinstance(groups, TrackedList) else None
    source = groups if raw is None else raw
    hit = _DERIVED_MEMO.get(name)
    if hit is not None and hit[0] is source and hit[1] == len(source):
        table = hit[2]
    else:
        table = _DERIVERS[name](source)
        _DERIVED_MEMO[name] = (source, len(source), table)  # the list is held: its id is not reused
    if raw is None:
        return table
    return TrackedTable(table, groups._reads, name=DERIVED + name)


# --- questions about the other articles' texts -----------------------------------------------

TEXT_QUERIES = "texts?"      # the table name of text questions in a recorded path
_QUERIES: dict[str, Callable[..., Any]] = {}


@dataclass(frozen=True)
class TextRef:
    """Another article as a text question sees it (what a BatchView holds: id and text)."""
    id: str
    text: str


class _TextAnswers:
    """The text questions asked again on a new batch (the client side of a recorded
    `text_query`): `get((name, args))` answers question `name` with `args` on these texts."""

    def __init__(self, docs: list[TextRef]):
        self.docs = docs

    def get(self, key: tuple, default: Any = None) -> Any:
        name, args = key
        ask = _QUERIES.get(name)
        if ask is None:                    # its module was not imported here: cannot be checked
            raise Unanswerable(name)
        return ask(self.docs, *args)


def register_text_query(name: str, ask: Callable[..., Any]) -> None:
    """Declare a question a detector asks of the other articles' texts (`ask(docs, *args)`,
    docs having .id and .text; the answer plain data), so a re-run can ask it again of the new
    batch rather than fingerprint every text. Called at import time, like register_derived."""
    _QUERIES[name] = ask


def text_query(docs: Any, name: str, *args: Any) -> Any:
    """The answer to question `name` about the batch's texts. Seen through a tracking view
    (TrackedList), the question and its answer are recorded instead of the whole texts: a
    result that asked whether another article writes "Rio Grande do Sul" stays valid when new
    articles join unless the answer changes. In a worker without the texts this raises
    NeedsBatch, as any use of the texts does. `args` must be plain data (strings, tuples)."""
    source = getattr(docs, "source", None)
    if not isinstance(docs, TrackedList) or docs._part != WHOLE_TEXTS or source is None:
        return _QUERIES[name](docs, *args)
    if docs._before is not None:
        docs._before()                     # a worker's view without texts raises here
    answer = _QUERIES[name](source, *args)
    docs._reads.exact((TEXT_QUERIES, (name, tuple(args)), None), answer)
    return answer


# --- batch counts quoted in evidence -------------------------------------------------------------

@dataclass(frozen=True)
class Quote:
    """A batch count a finding's evidence quotes ("written capitalised 14 times in the batch"),
    left as a reference in a tracked run and filled in (`fill_quotes`) from the statistics of
    the batch the result is shown in. The decision's reads are recorded as usual, but the count
    quoted is not a read: a result reused on its decision still quotes the current batch's count
    (what an uncached run of this batch quotes), and a count that grew does not invalidate it."""
    table: str
    key: Any
    size: bool = False       # the number of items under the key (a word's documents)

    def value(self, stats: Any) -> int:
        v = getattr(stats, self.table).get(self.key)
        if v is None:
            return 0
        return len(v) if self.size else int(v)


def quote(stats: Any, table: str, key: Any, size: bool = False) -> Any:
    """The count to put in evidence: its value, or in a tracked run a Quote of it."""
    t = getattr(stats, table)
    if isinstance(t, TrackedTable):
        return Quote(table, key, size)
    return Quote(table, key, size).value(stats)


def fill_quotes(value: Any, stats: Any) -> Any:
    """`value` (a finding's evidence) with every Quote replaced by its count in `stats`."""
    if isinstance(value, Quote):
        return value.value(stats)
    if isinstance(value, dict):
        return {k: fill_quotes(v, stats) for k, v in value.items()}
    if isinstance(value, list):
        return [fill_quotes(v, stats) for v in value]
    return value
