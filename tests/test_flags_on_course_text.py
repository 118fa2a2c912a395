"""The course's own safe text never trips a common red flag: the options that score well
in every scenario, their model lines, and every reflection item's model answer."""

from __future__ import annotations

import yaml

from facilitator_course.grading.items import all_items, common_flags
from facilitator_course.grading.rubric import red_flags
from facilitator_course.scenarios.check import scenario_files


def _safe_texts():
    for path in scenario_files():
        for node in yaml.safe_load(path.read_text())["nodes"].values():
            for option in node.get("options") or []:
                if sum((option.get("scores") or {}).values()) > 0:
                    yield path.name, option["text"]
                    if model := (option.get("feedback") or {}).get("model"):
                        yield path.name, model
    for item_id, entry in all_items().items():
        if entry.get("rubric") and entry.get("model"):
            yield item_id, entry["model"]


def test_safe_course_text_trips_no_common_flag():
    rubric = {"red_flags": common_flags()}
    texts = list(_safe_texts())
    assert len(texts) > 300  # 169 strong options, their model lines, 8 model answers
    tripped = [(name, text) for name, text in texts if red_flags(rubric, text)]
    assert tripped == []
