"""nbgrader's Python API, configured from exercises/nbgrader_config.py."""

from __future__ import annotations

import logging
import os
import sys
import warnings
from pathlib import Path

from .items import exercises_dir

# nbgrader's own session handling warns on every lookup; the warning is not ours to fix.
warnings.filterwarnings("ignore", message=".*not in session.*", module="nbgrader")
# nbgrader's Gradebook runs the `alembic` script that sits beside this Python;
# make sure it is found when the venv is not activated.
_bin = str(Path(sys.executable).parent)
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")


def api():
    """An NbGraderAPI for the course in exercises/, logging only warnings."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    folder = exercises_dir()
    config = PyFileConfigLoader("nbgrader_config.py", path=str(folder)).load_config()
    coursedir = CourseDirectory(config=config)
    nbapi = NbGraderAPI(coursedir=coursedir, config=config)
    nbapi.log.setLevel(logging.WARNING)
    return nbapi


def gradebook_url() -> str:
    return "sqlite:///" + str(exercises_dir() / "gradebook.db")


def private(path: Path) -> None:
    """Make a trainer's file or folder (recursively) readable by its owner only. Links
    are never followed: a link left in a folder cannot change a file elsewhere."""
    path = Path(path)
    if path.is_symlink() or not path.exists():
        return
    if not path.is_dir():
        os.chmod(path, 0o600)
        return
    os.chmod(path, 0o700)
    for folder, dirs, files in os.walk(path, followlinks=False):
        for name in dirs + files:
            child = Path(folder) / name
            if child.is_symlink():
                continue
            os.chmod(child, 0o700 if child.is_dir() else 0o600)
