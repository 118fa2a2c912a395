"""A training course for facilitators of peer mental-health support groups."""

from .display import (
    show_confidentiality_limits,
    show_crisis_resources,
    show_exercise,
    show_naloxone,
    show_objectives,
    show_reporting_duties,
    show_review_record,
)

__all__ = [
    "show_practice",
    "show_confidentiality_limits",
    "show_crisis_resources",
    "show_exercise",
    "show_naloxone",
    "show_objectives",
    "show_reporting_duties",
    "show_review_record",
    "show_scenario",
]


def show_scenario(scenario_id: str, seed: int = 0):
    """Play a branching scenario (JupyterLab widget, static player on the website)."""
    from .scenarios.player import show_scenario as _show

    return _show(scenario_id, seed)


def show_practice(slug: str):
    """The module's practice questions, with instant feedback on the website."""
    from .practice import show_practice as _show

    return _show(slug)
