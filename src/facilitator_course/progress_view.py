"""My progress in JupyterLab: the website's static/progress.js as anywidget modules.

anywidget loads a module from text, where relative imports cannot resolve, so the one
import of progress.js (the LMS run-time, never needed in JupyterLab) is replaced and the
course map comes from Python. The scenario player's module carries the same code, so a
scenario played in JupyterLab is kept in the same record (this browser's local storage,
key fc-progress) whether or not My progress is open."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import anywidget
import traitlets

STATIC = Path(str(resources.files("facilitator_course").joinpath("static")))
LMS_IMPORT = 'import { lms } from "./scorm.js";'
LAB_START = """
// JupyterLab: keep what the players announce, from the first widget shown
export function labStart(map) {
  if (map) globalThis.__fcCourseMap = map;
  if (globalThis.__fcProgressStarted || typeof document === "undefined") return;
  globalThis.__fcProgressStarted = true;
  start({ pageControls: false });
}
"""
VIEW = """
export default {
  render({ model, el }) {
    labStart(model.get("map"));
    el.setAttribute("data-fc-progress", "1");
    el.classList.add("fc-progress");
    draw(el);
  },
};
"""


@cache
def progress_lab_js() -> str:
    """progress.js without its import, marked as running in JupyterLab."""
    source = (STATIC / "progress.js").read_text(encoding="utf-8")
    if source.count(LMS_IMPORT) != 1:
        raise RuntimeError(f"static/progress.js must import scorm.js once as {LMS_IMPORT}")
    lab = source.replace(LMS_IMPORT, "const lms = () => null; // no LMS in JupyterLab")
    return "globalThis.__fcLab = true;\n" + lab + LAB_START


@cache
def player_lab_js() -> str:
    """The scenario player for JupyterLab, recording progress as it plays."""
    player = (STATIC / "scenario-player.js").read_text(encoding="utf-8")
    return progress_lab_js() + "\n" + player + "\nlabStart();\n"


class ProgressView(anywidget.AnyWidget):
    """My progress in a notebook, read from this browser's local storage."""

    _esm = progress_lab_js() + VIEW
    map = traitlets.Dict().tag(sync=True)


def show_progress():
    """My progress: on the website the page of that name, in JupyterLab this widget."""
    import os

    from .display import Html
    from .profile import load_profile
    from .progress_map import course_map
    from .scenarios.player import SITE_BUILD_ENV

    if os.environ.get(SITE_BUILD_ENV):
        return Html('<div class="fc-progress" data-fc-progress="1"></div>', "My progress")
    return ProgressView(map=course_map(load_profile()))
