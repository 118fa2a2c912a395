"""The map of the course that My progress and the LMS report need: modules, scenarios,
practice questions and exercises, each with its page and competencies. The site carries
it as `_static/course-map.js` (no answer keys, no model answers)."""

from __future__ import annotations

import json

from .curriculum import modules
from .grading.items import assignment, item_files
from .practice import load_practice, practice_files
from .profile import Profile
from .scenarios.check import load_checked, scenario_files
from .scenarios.placeholders import fill

CAPSTONE = "capstone-whole-session"
CAPSTONE_PAGE = "capstone"


def scenario_page(scenario_id: str, module_slug: str) -> str:
    """The page a scenario is played on."""
    return CAPSTONE_PAGE if scenario_id == CAPSTONE else module_slug


def course_map(profile: Profile) -> dict:
    """Everything a trainee can do, by page, with the competencies each part practises."""
    mods = modules()
    values = profile.placeholders()
    scenarios = []
    for path in scenario_files():
        data = load_checked(path).data
        scenarios.append(
            {
                "id": data["id"],
                "title": fill(data["title"], values),
                "page": scenario_page(data["id"], data["module"]),
                "competencies": list(data["competencies"]),
            }
        )
    practice = {}
    for path in practice_files():
        slug = path.parent.name
        practice[slug] = [
            {"id": q["id"], "competencies": list(q["competencies"])}
            for q in load_practice(slug)["questions"]
        ]
    exercises = []
    for path in item_files():
        data = assignment(path.stem)
        exercises.append(
            {
                "assignment": path.stem,
                "title": data["title"],
                "page": path.stem,
                "items": [
                    {"id": i["id"], "competencies": list(i["competencies"])} for i in data["items"]
                ],
            }
        )
    return {
        "modules": [
            {"slug": m.slug, "title": m.title, "competencies": list(m.competencies)} for m in mods
        ],
        "competencies": {
            cid: {"name": text, "module": m.slug}
            for m in mods
            for cid, text in m.competencies.items()
        },
        "scenarios": scenarios,
        "practice": practice,
        "exercises": exercises,
    }


def course_map_js(profile: Profile) -> str:
    """The map as an ES module for the site."""
    return f"export default {json.dumps(course_map(profile), indent=1, ensure_ascii=False)};\n"
