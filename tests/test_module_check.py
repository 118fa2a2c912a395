"""The module standard, checked mechanically, on a broken module; coverage matches whole
competency ids."""

from __future__ import annotations

import json
import shutil

import pytest

from facilitator_course.curriculum import modules
from facilitator_course.module_check import check_module, coverage

from .conftest import ROOT


def notebook(cells: list[tuple[str, str]]) -> dict:
    return {
        "cells": [
            {"cell_type": kind, "metadata": {}, "source": text}
            | ({"outputs": [], "execution_count": None} if kind == "code" else {})
            for kind, text in cells
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A course folder with the real curriculum and a broken first module."""
    shutil.copy(ROOT / "competencies.yml", tmp_path / "competencies.yml")
    shutil.copy(ROOT / "course.yml", tmp_path / "course.yml")
    monkeypatch.setenv("COURSE_ROOT", str(tmp_path))
    first = modules()[0]
    folder = tmp_path / "modules" / first.slug
    folder.mkdir(parents=True)
    cells = [
        ("markdown", "# Foundations\n\n## Overview\n\nThis page is short. It names FND-10 only."),
        ("markdown", "## Key takeaways\n\n- Peer support is mutual.\n\n## Learning objectives"),
        ("code", 'show_scenario("fnd-first-meeting")'),
        ("markdown", "## References\n\nNobody in particular."),
    ]
    (folder / f"{first.slug}.ipynb").write_text(json.dumps(notebook(cells)))
    return tmp_path, first


def test_a_broken_module_gets_every_problem_with_a_fix(course):
    _, first = course
    report = check_module(first)
    messages = [p.message for p in report.problems]
    assert any(m.startswith(f"{report.words} words of teaching prose") for m in messages)
    assert any("the outline lacks" in m and "Time to complete" in m for m in messages)
    assert "no show_objectives call for this module." in messages
    assert any(m.startswith("1 scenario(s)") for m in messages)
    assert "no exercise for this module." in messages
    assert "the References section lists no dated sources." in messages
    assert "FND-1 is not named where it is taught." in messages  # FND-10 is not FND-1
    assert all(p.fix for p in report.problems)


def test_an_unordered_outline_is_named(course):
    root, first = course
    sections = ["Overview", "Learning objectives", "Time to complete", "Self-check"]
    rest = ["Exercise", "Key takeaways", "What's next", "References"]
    text = "\n\n".join(f"## {h}\n\nText." for h in [*rest, *sections])
    path = root / "modules" / first.slug / f"{first.slug}.ipynb"
    path.write_text(json.dumps(notebook([("markdown", text)])))
    messages = [p.message for p in check_module(first).problems]
    assert "the outline's sections are out of order." in messages


def test_coverage_matches_whole_competency_ids(course):
    root, first = course
    table = coverage(root)
    assert table["FND-1"]["taught"] == []  # the page names FND-10, which is not FND-1
    path = root / "modules" / first.slug / f"{first.slug}.ipynb"
    path.write_text(json.dumps(notebook([("markdown", "We teach (FND-1) and (FND-3).")])))
    table = coverage(root)
    assert table["FND-1"]["taught"] == [first.slug] and table["FND-2"]["taught"] == []


def test_headings_and_calls_are_read_by_parsers_not_patterns():
    from facilitator_course.module_check import calls, headings

    markdown = "## Overview\n\n```\n## Not a heading\n```\n\n    ## Nor this\n\n# Title"
    assert headings(markdown) == [(2, "Overview"), (1, "Title")]
    code = (
        "%matplotlib inline\n"
        '# show_scenario("in-a-comment")\n'
        'text = "show_exercise(\\"in-a-string\\")"\n'
        'show_scenario(\n    "real-one", seed=2\n)\n'
        "show_crisis_resources()"
    )
    assert calls(code) == [("show_scenario", "real-one"), ("show_crisis_resources", "")]
    assert calls("this is not python (") == []
