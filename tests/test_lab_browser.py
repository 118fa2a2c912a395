"""JupyterLab round trip: `course lab`'s server, a notebook that shows a scenario,
clicks through it in chromium, and the path read back in Python."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from facilitator_course.lab import lab_command

from .conftest import ROOT

pytestmark = pytest.mark.browser
SCENARIO = "dee-raised-voices"
SEED = 7  # a fixed order of options, so the test knows where each one is
TOKEN = "course-test-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("lab")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from facilitator_course import show_scenario\n"
            f'player = show_scenario("{SCENARIO}", seed={SEED})\nplayer'
        ),
        nbformat.v4.new_code_cell(
            'import json\nprint("RESULT=" + json.dumps({"path": player.path, '
            '"ending": player.ending, "scores": player.scores, "seed": player.seed, '
            '"first": player.first}))'
        ),
        nbformat.v4.new_code_cell("from facilitator_course import show_progress\nshow_progress()"),
    ]
    nbformat.write(nb, tmp_path / "round-trip.ipynb")
    port = free_port()
    cmd = [
        *lab_command(port, open_browser=False, folder=tmp_path, start_at=""),
        f"--IdentityProvider.token={TOKEN}",
    ]
    log = (tmp_path / "lab.log").open("w")
    proc = subprocess.Popen(
        cmd, env=dict(os.environ, COURSE_ROOT=str(ROOT)), stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail((tmp_path / "lab.log").read_text())
            time.sleep(0.5)
    yield base
    proc.terminate()
    proc.wait(timeout=30)


def run_cell(page, index: int) -> None:
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    cell.locator(".jp-InputPrompt").get_by_text(f"[{index + 1}]").wait_for(timeout=60_000)


def test_path_played_in_lab_reaches_python(lab_server, browser):
    vector = json.loads((ROOT / "tests" / "data" / "vectors" / f"{SCENARIO}.json").read_text())
    best = vector["vectors"][0]
    graph = vector["graph"]
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(f"{lab_server}/lab/tree/round-trip.ipynb?token={TOKEN}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=60_000)
    run_cell(page, 0)
    box = page.locator(".fcs")
    box.wait_for(timeout=60_000)
    if graph["content_note"]:
        box.get_by_role("button", name="Continue to the scenario").click()
    from facilitator_course.scenarios.engine import Engine

    engine = Engine(graph, SEED)
    choices = list(best["choices"])
    while not engine.finished:
        if engine.node["type"] == "narrative":
            box.get_by_role("button", name="Continue", exact=True).click()
            engine.advance()
            continue
        choice = choices.pop(0)
        box.locator("ul.fcs-options button").nth(engine.shown_options().index(choice)).click()
        engine.choose(choice)
        box.get_by_role("button", name="Continue", exact=True).click()
    box.get_by_text("Your path").wait_for()
    run_cell(page, 1)
    output = page.locator(".jp-Cell").nth(1).locator(".jp-OutputArea-output")
    output.get_by_text("RESULT=").wait_for(timeout=30_000)
    result = json.loads(output.inner_text().split("RESULT=", 1)[1])
    # My progress in JupyterLab: the same record the website keeps, in this browser
    kept = page.evaluate("JSON.parse(localStorage.getItem('fc-progress'))")
    assert kept["scenarios"][SCENARIO]["first"]["ending"] == best["ending"]
    run_cell(page, 2)
    summary = page.locator(".jp-Cell").nth(2).locator(".fc-summary")
    summary.wait_for(timeout=30_000)
    from facilitator_course.scenarios.check import scenario_files

    assert f", 1 of {len(scenario_files())} scenarios played," in summary.inner_text()
    page.close()
    assert [[p["node"], p["option"]] for p in result["path"]] == [
        [p["node"], p["option"]] for p in engine.path
    ]
    assert result["ending"] == best["ending"]
    assert result["seed"] == SEED and result["first"] == {
        p["node"]: p["option"] for p in engine.path
    }
    assert {k: v for k, v in result["scores"].items() if v} == best["scores"]


def _listening(port: int) -> list[str]:
    """The local addresses listening on `port`, from the kernel's socket tables."""
    found = []
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        if not Path(table).is_file():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port and len(address) == width:
                found.append(address)
    return found


def test_lab_listens_on_loopback_only(lab_server):
    """The JupyterLab that `course lab` starts accepts connections from this machine only:
    every socket listening on its port is bound to 127.0.0.1."""
    port = int(lab_server.rsplit(":", 1)[1])
    addresses = _listening(port)
    assert addresses and set(addresses) == {"0100007F"}, addresses  # 127.0.0.1
