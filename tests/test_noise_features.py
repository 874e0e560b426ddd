"""The noise model's line features that were added for unseen outlets (issue 9): instructions to
the reader, dated photo descriptions, cut-off teasers, markup residue, place-name date stamps;
and the training script's refusal of the final unseen fold."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from audit.boilerplate import BoilerplateSettings, classify_batch
from audit.boilerplate.classify import doc_features
from audit.boilerplate.features import FEATURE_WORDS
from audit.boilerplate.patterns import build_library
from audit.boilerplate.structure import is_date_only, line_spans, words_of
from test_boilerplate import BODY, doc_from_text

ROOT = Path(__file__).resolve().parent.parent


def features_of(text: str) -> dict[str, dict[str, float]]:
    """Per line text, its feature values by name (no batch: nothing recurs)."""
    doc = doc_from_text(text)
    st = BoilerplateSettings()
    f = doc_features(doc, line_spans(doc), build_library(st), st, lambda _: None)
    return {s.text: dict(zip(FEATURE_WORDS, x)) for s, x in zip(f.shapes, f.x)}


def test_call_to_action_is_an_instruction_not_a_headline_noun() -> None:
    f = features_of("Quake toll rises in the mountains\n" + BODY +
                    "Sign up to get the latest insights and analysis in our newsletters\n"
                    "Search continues for 6 missing after the quake\n"
                    "Read what the minister said about the rescue\n")
    assert f["Sign up to get the latest insights and analysis in our newsletters"][
        "call_to_action"] == 1.0
    assert f["Search continues for 6 missing after the quake"]["call_to_action"] == 0.0
    # a past-tense verb makes it reporting, whatever the first word
    assert f["Read what the minister said about the rescue"]["call_to_action"] == 0.0


def test_dated_description_needs_a_date_at_the_end_and_no_past_tense() -> None:
    cap = "A woman weeps at an impromptu memorial near the concert hall on Saturday."
    told = "The governor said the toll would rise again by Saturday."
    num = "A joint team lifts the bodies of victims at the crater, Tuesday (5/12/2023)."
    f = features_of("Mourners gather in the capital\n" + BODY + "\n".join([cap, told, num]) + "\n")
    assert f[cap]["dated_description"] == 1.0
    assert f[num]["dated_description"] == 1.0
    assert f[told]["dated_description"] == 0.0 and f[told]["past_tense"] == 1.0


def test_shapes_of_teasers_markup_and_side_markers() -> None:
    teaser = "Producer says the series was first planned as a film February…"
    f = features_of("Storm hits the coast\n" + BODY + teaser + "\nNorth Rhine-\n< p>\n"
                    "Bobby Ognyanov, left, chats with a volunteer outside the library\n"
                    "| ET REALITY\n")
    assert f[teaser]["truncated"] == 1.0
    assert f["North Rhine-"]["truncated"] == 0.0          # a word broken over two lines
    assert f["< p>"]["markup"] == 1.0
    assert f["Bobby Ognyanov, left, chats with a volunteer outside the library"][
        "side_marker"] == 1.0
    assert f["| ET REALITY"]["leading_separator"] == 1.0
    assert all(f[line.strip()]["markup"] == 0.0 for line in BODY.splitlines() if line.strip())


@pytest.mark.parametrize("line, stamp", [
    ("Kyiv June 7, 10:43 a.m.", True), ("Mon. Jun 24th, 2024", True),
    ("The June 7 attack", False), ("Moscow in June", False), ("Paris", False),
    ("Rio de Janeiro", False)])
def test_a_date_stamp_may_open_on_a_place_name(line: str, stamp: bool) -> None:
    assert is_date_only(words_of(line)) is stamp


def test_flag_evidence_names_the_new_cues_in_words() -> None:
    line = "Sign up to get the latest insights and analysis in our newsletters"
    v = {x.text: x for x in classify_batch([doc_from_text("Quake toll rises\n" + BODY + line
                                                          + "\n")])[0]}
    cues = [c for c in v[line].cues if c.detail.get("feature") == "call_to_action"]
    assert v[line].noise
    assert cues and cues[0].weight > 0 and "addressed to the reader" in cues[0].explain


def test_list_headings_of_comment_and_news_widgets_are_noise() -> None:
    v = {x.text: x for x in classify_batch([doc_from_text(
        "Quake toll rises\n" + BODY + "Recent Comments\nAll news\n")])[0]}
    assert v["Recent Comments"].noise and v["All news"].noise
    assert not any(v[line.strip()].noise for line in BODY.splitlines() if line.strip())


def _train_script():
    spec = importlib.util.spec_from_file_location("train_noise_model",
                                                  ROOT / "scripts" / "train_noise_model.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod            # its dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def test_training_refuses_the_final_unseen_fold() -> None:
    mod = _train_script()
    assert mod.check_folds("dev+test+fresh+fresh2") == "dev+test+fresh+fresh2"
    assert mod.check_folds("dev+fresh5") == "dev+fresh5"          # development data since the fresh6 pull
    for bad in ("fresh6", "dev+fresh6", "all"):
        with pytest.raises(SystemExit, match="never trained or tuned"):
            mod.check_folds(bad)
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_noise_model.py"),
                        "--folds", "dev+fresh6", "--dry-run"], capture_output=True, text=True)
    assert r.returncode != 0 and "fresh6" in r.stderr


def test_caption_verb_is_a_picture_described_in_the_present() -> None:
    wails = "A relative wails during the funeral procession in the village"
    seen = "The devastation of the fire in the hills is seen from above"
    told = "A relative said the family is seen as a pillar of the village."
    head = "Pictured: the harbour after the storm"            # first word: not a description
    f = features_of("Funeral held for the victims\n" + BODY +
                    "\n".join([wails, seen, told, head]) + "\n")
    assert f[wails]["caption_verb"] == 1.0
    assert f[seen]["caption_verb"] == 1.0
    assert f[told]["caption_verb"] == 0.0 and f[told]["past_tense"] == 1.0
    assert f[head]["caption_verb"] == 0.0
    assert f["Funeral held for the victims"]["caption_verb"] == 0.0   # the title
