"""My progress in JupyterLab: the website's progress.js, made loadable by anywidget."""

from __future__ import annotations

import json
import subprocess

import pytest

from facilitator_course import progress_view
from facilitator_course.progress_view import LMS_IMPORT, VIEW, player_lab_js, progress_lab_js


def node_exports(tmp_path, source: str) -> list[str]:
    module = tmp_path / "widget.mjs"
    module.write_text(source)
    out = subprocess.run(
        [
            "node",
            "-e",
            f"import({json.dumps(str(module))})"
            ".then((m) => console.log(JSON.stringify(Object.keys(m))))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_the_lab_modules_load_without_a_relative_import(tmp_path):
    for source in (progress_lab_js() + VIEW, player_lab_js()):
        assert "./scorm.js" not in source and LMS_IMPORT not in source
    assert {"default", "draw", "labStart", "record"} <= set(
        node_exports(tmp_path, progress_lab_js() + VIEW)
    )
    # the player keeps its own exports beside progress's: nothing clashes
    assert {"default", "mount", "mountAll", "Engine", "keep"} <= set(
        node_exports(tmp_path, player_lab_js())
    )


def test_a_progress_js_without_its_import_is_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "progress.js").write_text("export const KEY = 'fc-progress';\n")
    monkeypatch.setattr(progress_view, "STATIC", tmp_path)
    progress_lab_js.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="must import scorm.js once"):
            progress_lab_js()
    finally:
        progress_lab_js.cache_clear()


def test_show_progress_gives_the_widget_the_course_map():
    from facilitator_course import show_progress
    from facilitator_course.curriculum import competency_ids

    widget = show_progress()
    assert set(widget.map["competencies"]) == set(competency_ids())
    assert len(widget.map["modules"]) == 8
