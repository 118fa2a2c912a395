"""The package's safety rules for course text: what they catch, and near misses they leave."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from facilitator_course.grading.items import check_items, check_rubric
from facilitator_course.safety import asks_directly, missing_limits, secrecy_promises
from facilitator_course.wording import CONFIDENTIALITY_LONG, CONFIDENTIALITY_SHORT

ROOT = Path(__file__).resolve().parents[1]

PROMISES = [
    "What's said here stays here.",
    "Remember, what is said in this room stays in this room.",
    "Don't worry, I won't tell anyone.",
    "I promise I won't tell your family.",
    "I promise not to tell anyone.",
    "This stays between us.",
    "We can keep it between you and me.",
    "Everything you share is completely confidential.",
    "Our group offers total confidentiality.",
    "I'll keep it to myself.",
    "Nothing you say here ever leaves this room.",
]
NEAR_MISSES = [
    "I would never promise total secrecy.",
    "Never promise that what's said here stays here.",
    "I can't keep this between us if a child may be harmed.",
    "I can't promise to keep everything to myself if someone is in danger.",
    "Don't say \"what's said here stays here\" on its own.",
    "No facilitator can promise total confidentiality, especially online.",
    "Instead of promising to keep it between you, name the limits.",
    "I told you it would stay between us, and I shouldn't have promised that.",
    CONFIDENTIALITY_SHORT,
    CONFIDENTIALITY_LONG,
]


@pytest.mark.parametrize("text", PROMISES)
def test_secrecy_promises_are_caught(text):
    assert secrecy_promises(text) == [text]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_negated_or_limited_statements_are_not_promises(text):
    assert secrecy_promises(text) == []


def test_confidentiality_needs_all_three_limits():
    assert missing_limits(CONFIDENTIALITY_SHORT) == []
    assert missing_limits(CONFIDENTIALITY_LONG) == []
    partial = "Confidentiality has one limit: if someone's life or safety is at risk, we get help."
    assert missing_limits(partial) == ["a child or an adult at risk", "threats to harm others"]
    assert missing_limits("Ask the group how it wants to handle lateness.") == []


@pytest.mark.parametrize(
    "text, direct",
    [
        ('"Are you thinking about suicide?"', True),
        ("Ask: are you thinking about killing yourself?", True),
        ("Are you having thoughts of suicide?", True),
        ("Are you safe tonight?", False),
        ("You're not thinking of doing anything silly, are you?", False),
        ("Are you thinking of hurting yourself?", False),
    ],
)
def test_direct_question_means_the_word_suicide_or_killing_yourself(text, direct):
    assert asks_directly(text) is direct


def _items_file(tmp_path: Path, model: str) -> Path:
    source = ROOT / "exercises" / "items" / "02-trauma-informed-care.yaml"
    data = yaml.safe_load(source.read_text())
    data["items"][0]["model"] = model
    path = tmp_path / "02-trauma-informed-care.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_item_model_answer_that_promises_secrecy_is_a_problem(tmp_path):
    path = _items_file(tmp_path, "b. Then say: I promise I won't tell anyone what you said.")
    problems = [p for p in check_items(path) if "promises secrecy" in p.message]
    assert problems and problems[0].line > 0 and problems[0].fix
    fine = _items_file(tmp_path, "b. Then say: I would never promise total secrecy.")
    assert not [p for p in check_items(fine) if "secrecy" in p.message]


def test_rubric_criterion_that_states_confidentiality_without_limits_is_a_problem(tmp_path):
    source = ROOT / "exercises" / "rubrics" / "agr-reflection.yaml"
    data = yaml.safe_load(source.read_text())
    data["criteria"][0]["evidence"] = "Explains confidentiality: what is said here stays here."
    path = tmp_path / "agr-reflection.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    messages = [p.message for p in check_rubric(path)]
    assert any("without its limits" in m for m in messages)
    assert any("promises secrecy" in m for m in messages)
