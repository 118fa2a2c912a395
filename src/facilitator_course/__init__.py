"""A training course for facilitators of peer mental-health support groups.

Notebooks call `from facilitator_course import show_...`; each is imported when first
used, so `course --help` and grading never pay for the display code."""

from __future__ import annotations

import importlib

_WHERE = {
    "show_confidentiality_limits": "display",
    "show_crisis_resources": "display",
    "show_exercise": "display",
    "show_naloxone": "display",
    "show_objectives": "display",
    "show_organization": "display",
    "show_reporting_duties": "display",
    "show_review_record": "display",
    "show_practice": "practice",
    "show_progress": "progress_view",
}
__all__ = [*_WHERE, "show_scenario"]


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def show_scenario(scenario_id: str, seed: int = 0):
    """Play a branching scenario (JupyterLab widget, static player on the website)."""
    from .scenarios.player import show_scenario as _show

    return _show(scenario_id, seed)
