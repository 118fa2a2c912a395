"""Shared fixtures: an isolated Jupyter environment, built sites, a served site, a browser."""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import os
import subprocess
import sys
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


# What `course build` printed when the `sites` fixture built the default site.
BUILD_OUTPUT: dict[str, str] = {}


def _written_to_fds(run):
    """run()'s result, and all that was written to file descriptors 1 and 2 meanwhile,
    by this process or a subprocess (which Python's own redirection cannot see)."""
    with tempfile.TemporaryFile() as log:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = [os.dup(1), os.dup(2)]
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            result = run()
        finally:
            for fd, copy in zip((1, 2), saved, strict=True):
                os.dup2(copy, fd)
                os.close(copy)
        log.seek(0)
        return result, log.read().decode(errors="replace")


@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The website built for the default profile, through `course build` (what it printed
    is kept in BUILD_OUTPUT), and for a second organization."""
    from facilitator_course.site_build import build_site

    out = tmp_path_factory.mktemp("sites")
    default = ("build", "--profile", ROOT / "course.yml", "--out", out / "default")
    # each build is a Jupyter Book subprocess of its own: two at once use both cores
    with ThreadPoolExecutor(1) as pool:
        riverside = DATA / "profiles" / "riverside.yml"
        other = pool.submit(build_site, riverside, out / "riverside", say=lambda _: None)
        built, fds = _written_to_fds(lambda: course_cli(ROOT, *default))
        BUILD_OUTPUT.update(stdout=built.stdout, stderr=built.stderr, fds=fds)
        return {"default": out / "default", "riverside": other.result()}


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

    class Server(http.server.ThreadingHTTPServer):
        def shutdown(self):  # and close its socket, so no test leaves one open
            super().shutdown()
            self.server_close()

    server = Server(("127.0.0.1", 0), handler)
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
