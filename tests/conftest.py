"""Shared fixtures: an isolated Jupyter environment, built sites, a served site, a browser."""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import os
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

# Tests never touch the user's own Jupyter settings.
_jupyter = Path(tempfile.mkdtemp(prefix="course-tests-jupyter-"))
for _name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
    os.environ[_name] = str(_jupyter / _name.lower())
os.environ["COURSE_ROOT"] = str(ROOT)
os.environ.pop("COURSE_PROFILE", None)
os.environ["PLAYWRIGHT_BROWSERS_PATH"] = str(_jupyter / "no-downloaded-browsers")


def course_cli(course: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """`course ARGS` for the course in `course`, run in this process: the command's exit
    code, stdout and stderr, without paying seconds of interpreter start-up per call.
    An uncaught exception fails the test with its traceback, as a crash should."""
    from facilitator_course import cli

    out, err = io.StringIO(), io.StringIO()
    cwd, root = os.getcwd(), os.environ.get("COURSE_ROOT")
    os.environ["COURSE_ROOT"] = str(course)
    os.chdir(course)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main([str(a) for a in args])
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.chdir(cwd)
        if root is None:
            os.environ.pop("COURSE_ROOT", None)
        else:
            os.environ["COURSE_ROOT"] = root
    result = subprocess.CompletedProcess(["course", *args], code, out.getvalue(), err.getvalue())
    if check:
        assert code == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The website built for the default profile and for a second organization."""
    from facilitator_course.site_build import build_site

    out = tmp_path_factory.mktemp("sites")
    profiles = {"default": ROOT / "course.yml", "riverside": DATA / "profiles" / "riverside.yml"}
    # each build is a Jupyter Book subprocess of its own: two at once use both cores
    with ThreadPoolExecutor(len(profiles)) as pool:
        built = {
            name: pool.submit(build_site, path, out / name, say=lambda _: None)
            for name, path in profiles.items()
        }
        return {name: future.result() for name, future in built.items()}


AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def inject_axe(page) -> None:
    """Load axe-core into the page through the browser's developer protocol, which the
    site's Content-Security-Policy does not govern (a script tag would be refused, as it
    should be)."""
    page.evaluate(AXE_JS.read_text() + "\n;undefined")


def serve_folder(folder: Path):
    """Serve `folder` on 127.0.0.1 in a thread; returns (base_url, server)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/", server


@pytest.fixture(scope="session")
def served_site(sites):
    base, server = serve_folder(sites["default"])
    yield base
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does as root).")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
