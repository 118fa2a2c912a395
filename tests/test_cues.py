"""Assessment without cues (CONTENT.md): a trainee cannot pass by position or length."""

from __future__ import annotations

import pytest

from facilitator_course.cues import MAX_SHARE, Cues, course_cues, decision_cues, item_cues


@pytest.fixture(scope="module")
def cues() -> Cues:
    return course_cues()


def test_no_cue_share_above_40_percent(cues):
    assert cues.decisions > 100 and cues.keys > 20
    assert {k: round(v, 2) for k, v in cues.shares().items() if v > MAX_SHARE} == {}


def test_position_and_length_players_rarely_reach_a_strong_ending(cues):
    assert len(cues.strong_by_longest) <= 4, cues.strong_by_longest
    assert len(cues.strong_by_first) <= 4, cues.strong_by_first


def test_the_measure_sees_a_cue():
    """A decision whose best option is first and longest, and an item keyed on the longest."""
    cue = Cues()
    option = {"feedback": {}}
    decision_cues(
        {
            "nodes": {
                "n": {
                    "type": "decision",
                    "options": [
                        {
                            **option,
                            "text": "The long and careful best option",
                            "scores": {"X-1": 2},
                        },
                        {**option, "text": "A short one", "scores": {"X-1": 0}},
                    ],
                }
            }
        },
        cue,
    )
    item_cues(
        {"kind": "single", "answer": "b", "options": {"a": "short", "b": "much longer key"}}, cue
    )
    assert cue.shares() == {
        "best option listed first": 1.0,
        "best option the longest": 1.0,
        "exercise key the longest": 1.0,
        "most common key letter": 1.0,
    }


def test_an_always_worst_player_never_ends_strong_or_escalate(cues):
    assert {k: v for k, v in cues.worst_endings.items() if v in ("strong", "escalate")} == {}
    assert "harm" in set(cues.worst_endings.values())
