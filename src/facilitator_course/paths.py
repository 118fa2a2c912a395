"""Where the course's files are: the project root and the folders under it."""

from __future__ import annotations

import os
from pathlib import Path

MARKER = "competencies.yml"


def project_root() -> Path:
    """The checkout holding competencies.yml: $COURSE_ROOT, else the nearest parent of cwd."""
    if env := os.environ.get("COURSE_ROOT"):
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    source_checkout = Path(__file__).resolve().parents[2]
    if (source_checkout / MARKER).is_file():
        return source_checkout
    from .errors import CourseError, Problem

    raise CourseError(
        Problem(
            here,
            0,
            f"not inside a course checkout (no {MARKER} here or above).",
            "run the command from the course folder, or set COURSE_ROOT to it.",
        )
    )


def default_profile() -> Path:
    """The organization profile in use: $COURSE_PROFILE, else course.yml at the root."""
    if env := os.environ.get("COURSE_PROFILE"):
        return Path(env).resolve()
    return project_root() / "course.yml"


def package_dir() -> Path:
    """The installed package's own folder (templates, static files, schemas)."""
    return Path(__file__).resolve().parent
