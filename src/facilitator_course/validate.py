"""`course validate`: every problem in the course's data, with file and line."""

from __future__ import annotations

from pathlib import Path

from .curriculum import check_curriculum
from .errors import Problem
from .grading.items import (
    check_common_flags,
    check_items,
    check_rubric,
    common_flags_path,
    item_files,
)
from .module_check import check_modules
from .paths import project_root
from .practice import check_practice, practice_files
from .profile import check_profile
from .scenarios.check import check_scenario, scenario_files


def validate_course(
    profile: Path | None = None, scenarios: list[Path] | None = None
) -> list[Problem]:
    """All problems in the profile, the curriculum and the scenarios (or just `scenarios`)."""
    root = project_root()
    problems = check_curriculum(root / "competencies.yml")
    if problems:
        return problems
    if scenarios:
        return [p for s in scenarios for p in check_scenario(s)[0]]
    problems = check_profile(profile or root / "course.yml")
    if not problems:
        from .completion import rule_problems
        from .profile import load_profile

        problems += rule_problems(load_profile(profile or root / "course.yml"))
    for path in scenario_files():
        problems += check_scenario(path)[0]
    for path in sorted((root / "scenarios").glob("*.yml")):
        problems.append(
            Problem(
                path,
                0,
                "this file is ignored: scenarios are read from .yaml files only.",
                f"rename it {path.stem}.yaml.",
            )
        )
    for path in sorted((root / "exercises" / "rubrics").glob("*.yaml")):
        problems += check_rubric(path)
    if common_flags_path().is_file():
        problems += check_common_flags(common_flags_path())
    for path in item_files():
        problems += check_items(path)
    for path in practice_files():
        problems += check_practice(path)
    if not problems:
        problems += check_modules(root)[2]
    if not problems:
        from .cues import cue_problems

        problems += cue_problems(root)
    return problems
