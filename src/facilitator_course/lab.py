"""`course lab`: JupyterLab at the modules, on 127.0.0.1, contacting no outside host."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .paths import project_root


def lab_command(
    port: int = 8888,
    open_browser: bool = True,
    folder: Path | None = None,
    start_at: str = "modules",
) -> list[str]:
    """The jupyter lab command line the course uses."""
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--ServerApp.root_dir={folder or project_root()}",
        f"--ServerApp.default_url=/lab/tree/{start_at}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--ServerApp.open_browser={open_browser}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def lab(port: int = 8888, open_browser: bool = True) -> int:
    """Run JupyterLab until it exits."""
    env = dict(os.environ, COURSE_ROOT=str(project_root()))
    return subprocess.call(lab_command(port, open_browser), env=env)
