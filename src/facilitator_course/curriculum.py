"""The curriculum map (competencies.yml): modules and the competencies each teaches."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import CourseError, Problem
from .paths import project_root
from .schema_check import checked_data, load_schema, parse_checked


@dataclass(frozen=True)
class Module:
    number: int
    slug: str
    title: str
    prefix: str
    competencies: dict[str, str]

    @property
    def notebook(self) -> Path:
        return project_root() / "modules" / self.slug / f"{self.slug}.ipynb"


def check_curriculum(path: Path) -> list[Problem]:
    """Every problem in competencies.yml."""
    source, problems = parse_checked(path, load_schema("competencies.schema.json"))
    if problems:
        return problems
    seen: set[str] = set()
    for i, module in enumerate(source.data["modules"]):
        if module["number"] != i + 1 or not module["slug"].startswith(f"{i + 1:02d}-"):
            problems.append(
                Problem(
                    path,
                    source.line(["modules", i, "number"]),
                    f"module {module['slug']} is out of order.",
                    f"number it {i + 1} and start its slug with {i + 1:02d}-.",
                )
            )
        for cid in module["competencies"]:
            line = source.line(["modules", i, "competencies", cid])
            if not cid.startswith(module["prefix"] + "-"):
                problems.append(
                    Problem(
                        path,
                        line,
                        f"{cid} does not start with the module's prefix {module['prefix']}.",
                        "rename the id.",
                    )
                )
            if cid in seen:
                problems.append(
                    Problem(
                        path, line, f"{cid} is listed twice.", "give each competency its own id."
                    )
                )
            seen.add(cid)
    return problems


@cache
def _modules(path: Path) -> tuple[Module, ...]:
    return tuple(Module(**m) for m in checked_data(path, check_curriculum)["modules"])


def modules() -> tuple[Module, ...]:
    """The course's modules in order."""
    return _modules(project_root() / "competencies.yml")


def module(slug: str) -> Module:
    for m in modules():
        if m.slug == slug:
            return m
    known = ", ".join(m.slug for m in modules())
    raise CourseError(
        Problem("competencies.yml", 0, f"no module {slug!r}.", f"use one of {known}.")
    )


def competency_ids() -> dict[str, Module]:
    """Every competency id, mapped to its module."""
    return {cid: m for m in modules() for cid in m.competencies}
