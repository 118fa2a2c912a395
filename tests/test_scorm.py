"""The SCORM 1.2 package: its manifest against the SCORM 1.2 rules, `course package
--scorm`, and the package run in Debian's chromium with scorm-again (npm) as the LMS."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest

from facilitator_course.profile import load_profile
from facilitator_course.scenarios.check import scenario_files
from facilitator_course.scorm_package import (
    LAUNCH_PAGE,
    MANIFEST,
    remote_loads,
    validate_package,
    write_package,
)

from .conftest import ROOT, course_cli, inject_axe, serve_folder
from .test_hostile_site import play_to_an_ending
from .test_site_browser import CSP_WATCH, WCAG

SCORM_AGAIN = ROOT / "node_modules" / "scorm-again" / "dist" / "scorm12.min.js"
MODULE = "02-trauma-informed-care"
# Scenario endings as the LMS score counts them (static/progress.js, ENDING_VALUE).
ENDING_VALUE = {"strong": 100, "escalate": 100, "recoverable": 50, "harm": 0}


# ---- the manifest rules ------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_package(tmp_path_factory) -> Path:
    """A package of a three-file site: quick to write, mutate and check."""
    tmp = tmp_path_factory.mktemp("small")
    site = tmp / "site"
    (site / "_static").mkdir(parents=True)
    (site / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><title>t</title><link rel="stylesheet" '
        'href="_static/site.css"><script type="module" src="_static/scorm.js"></script>'
        '<a href="https://988lifeline.org">a reading link loads nothing</a></html>'
    )
    (site / "_static" / "site.css").write_text("body{background:url(bg.png)}\n")
    (site / "_static" / "scorm.js").write_text(
        'const svg = "http://www.w3.org/2000/svg"; // a name, not a load\nexport {};\n'
    )
    (site / "_static" / "file name.js").write_text("export {};\n")
    return write_package(site, load_profile(ROOT / "course.yml"), tmp / "small.zip")


def repack(source: Path, out: Path, drop=(), change=None) -> Path:
    """A copy of the zip `source` without the members in `drop`, with `change` applied
    ({name: function of the member's text})."""
    change = change or {}
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            if name in drop:
                continue
            data = zin.read(name)
            if name in change:
                data = change[name](data.decode()).encode()
            zout.writestr(name, data)
        for name in set(change) - set(zin.namelist()):
            zout.writestr(name, change[name](""))
    return out


def messages(path: Path) -> list[str]:
    return [str(p) for p in validate_package(path)]


def test_a_good_package_passes(small_package):
    assert validate_package(small_package) == []
    with zipfile.ZipFile(small_package) as zf:
        names = zf.namelist()
        manifest = zf.read(MANIFEST).decode()
    assert names[0] == MANIFEST
    assert {LAUNCH_PAGE, "scorm-launch.js", "scorm-launch.css", "index.html"} <= set(names)
    assert "<schemaversion>1.2</schemaversion>" in manifest
    assert 'adlcp:scormtype="sco" href="scorm.html"' in manifest
    assert 'href="_static/file%20name.js"' in manifest  # hrefs are URLs


def test_a_missing_file_fails_by_name(small_package, tmp_path):
    broken = repack(small_package, tmp_path / "p.zip", drop={"_static/site.css"})
    assert messages(broken) == [
        f"{broken}:{MANIFEST}: <file href='_static/site.css'> is not in the package. "
        "Fix: add the file or drop the <file>."
    ]
    no_launch = repack(small_package, tmp_path / "q.zip", drop={LAUNCH_PAGE})
    assert any("href 'scorm.html' is not in the package" in m for m in messages(no_launch))
    no_manifest = repack(small_package, tmp_path / "r.zip", drop={MANIFEST})
    assert messages(no_manifest) == [
        f"{no_manifest}: no {MANIFEST} at the root of the package. "
        "Fix: put the manifest at the top level of the zip, not in a folder."
    ]


def test_a_file_the_manifest_does_not_list_fails_by_name(small_package, tmp_path):
    extra = repack(small_package, tmp_path / "p.zip", change={"notes.html": lambda _: "<p>x"})
    assert messages(extra) == [
        f"{extra}:{MANIFEST}: notes.html is in the package but in no <file> of the "
        "manifest. Fix: list it."
    ]


@pytest.mark.parametrize(
    ("cut", "named"),
    [
        ("<schemaversion>1.2</schemaversion>", "schemaversion None"),
        ("<schema>ADL SCORM</schema>", "schema None"),
        (' adlcp:scormtype="sco"', "adlcp:scormtype=None"),
        (' identifierref="facilitator-course-Example-Network-sco"', "has no identifierref"),
        (' type="webcontent"', "has no type attribute"),
        (' href="scorm.html">', "has no href"),
        ("<title>Example Peer Support Network: Facilitator course</title>\n  ", "has no <title>"),
    ],
)
def test_a_missing_required_element_or_attribute_fails_by_name(small_package, tmp_path, cut, named):
    def without(text: str) -> str:
        assert cut in text
        return text.replace(cut, ">" if cut.endswith(">") else "", 1)

    broken = repack(small_package, tmp_path / "p.zip", change={MANIFEST: without})
    found = messages(broken)
    assert found and all(m.startswith(f"{broken}:{MANIFEST}: ") for m in found)
    assert any(named in m for m in found), found


def test_missing_sections_of_the_manifest_fail_by_name(small_package, tmp_path):
    def cut(start: str, end: str):
        return lambda text: text[: text.index(start)] + text[text.index(end) + len(end) :]

    for start, end, named in [
        ("<organizations", "</organizations>", "no <organizations> element"),
        ("<resources", "</resources>", "no <resources> element"),
        ("<metadata", "</metadata>", "no <metadata> element"),
    ]:
        broken = repack(small_package, tmp_path / "p.zip", change={MANIFEST: cut(start, end)})
        assert any(named in m for m in messages(broken)), (named, messages(broken))
    broken = repack(
        small_package, tmp_path / "p.zip", change={MANIFEST: lambda t: t.replace("</manifest>", "")}
    )
    assert "not well-formed XML" in messages(broken)[0]


@pytest.mark.parametrize(
    ("name", "text", "url"),
    [
        (
            "index.html",
            '<p>\n<script src="https://cdn.example/x.js"></script>',
            "https://cdn.example/x.js",
        ),
        (
            "index.html",
            '\n<link href="//fonts.example/a.css" rel="stylesheet">',
            "//fonts.example/a.css",
        ),
        (
            "index.html",
            '\n<img alt="" srcset="a.png 1x, http://img.example/b.png 2x">',
            "http://img.example/b.png",
        ),
        (
            "_static/site.css",
            '\n@import url("https://fonts.example/f.css");',
            "https://fonts.example/f.css",
        ),
        ("_static/site.css", "\na{background:url(//img.example/a.png)}", "//img.example/a.png"),
        (
            "_static/scorm.js",
            '\nimport { x } from "https://esm.example/x.js";',
            "https://esm.example/x.js",
        ),
        (
            "_static/scorm.js",
            '\nconst m = await import("https://esm.example/y.js");',
            "https://esm.example/y.js",
        ),
    ],
)
def test_a_remote_reference_fails_by_name(small_package, tmp_path, name, text, url):
    broken = repack(small_package, tmp_path / "p.zip", change={name: lambda t: t + text})
    with zipfile.ZipFile(small_package) as zf:
        line = zf.read(name).decode().count("\n") + 2
    assert messages(broken) == [
        f"{broken}:{name}:{line}: loads {url} from another host. "
        "Fix: serve that file from inside the package."
    ]


def test_reading_links_and_names_are_not_loads():
    assert remote_loads('<a href="https://988lifeline.org">988</a>', "page") == []
    assert remote_loads('<link rel="canonical" href="https://example.org/x">', "page") == []
    assert remote_loads('e.setAttribute("xmlns", "http://www.w3.org/2000/svg")', "js") == []
    assert remote_loads("<svg xmlns='http://www.w3.org/2000/svg'></svg>", "page") == []


# ---- the course's own package and the command --------------------------------------------


@pytest.fixture(scope="module")
def course_package(sites, tmp_path_factory) -> Path:
    """The default organization's site (built once per session) as a SCORM package."""
    out = tmp_path_factory.mktemp("scorm") / "course.zip"
    return write_package(sites["default"], load_profile(ROOT / "course.yml"), out)


def test_the_course_package_passes_the_scorm_12_rules(course_package, sites):
    assert validate_package(course_package) == []
    with zipfile.ZipFile(course_package) as zf:
        names = set(zf.namelist())
        manifest = zf.read(MANIFEST).decode()
        launch = zf.read(LAUNCH_PAGE).decode()
    site = sites["default"]
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert names == {n for n in pages if not n.startswith(".")} | {
        MANIFEST,
        LAUNCH_PAGE,
        "scorm-launch.js",
        "scorm-launch.css",
    }
    assert manifest.count("<item ") == 1 and manifest.count("<resource ") == 1
    assert manifest.count("<file ") == len(names) - 1
    assert "<title>Example Peer Support Network: Facilitator course</title>" in manifest
    # the launch page: no inline code, its own policy
    assert "<script>" not in launch and " on" not in launch.split("<body>")[1]
    assert "default-src 'self'; object-src 'none'" in launch
    assert course_package.stat().st_size < 10_000_000


def test_course_package_writes_and_reports_a_scorm_zip(sites, tmp_path, monkeypatch):
    from facilitator_course import site_build

    def built(profile, out, say):  # the site the session already built
        say("Building the site for Example Peer Support Network (...)...")
        say(f"Site built: {out / 'index.html'}\nPreview it with: course serve --dir {out}")
        return Path(shutil.copytree(sites["default"], out))

    monkeypatch.setattr(site_build, "build_site", built)
    out = tmp_path / "lms" / "course.zip"
    result = course_cli(ROOT, "package", "--scorm", "--out", out)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Building the site for Example Peer Support Network")
    assert "Writing the SCORM 1.2 package..." in lines
    assert not any(line.startswith(("Site built", "Preview")) for line in lines)
    size = out.stat().st_size / 1_000_000
    assert f"SCORM package: {out} ({size:.1f} MB)" in lines
    assert validate_package(out) == []


def test_course_package_errors_are_one_line_with_a_fix(tmp_path):
    no_format = course_cli(ROOT, "package", check=False)
    assert no_format.returncode == 2
    assert (
        no_format.stderr == "command line: no package format given. Fix: add --scorm (SCORM 1.2).\n"
    )
    not_zip = course_cli(ROOT, "package", "--scorm", "--out", tmp_path / "x.tar", check=False)
    assert not_zip.returncode == 2
    assert not_zip.stderr.strip().endswith(
        "a SCORM package is a .zip file. Fix: give --out NAME.zip."
    )
    folder = course_cli(ROOT, "package", "--scorm", "--out", tmp_path, check=False)
    assert folder.returncode == 2 and "Traceback" not in folder.stderr


# ---- in a browser, with scorm-again as the LMS -------------------------------------------

LMS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Test LMS</title>
<script src="scorm12.min.js"></script><script src="lms.js"></script></head>
<body style="margin:0"></body></html>
"""
# The LMS: scorm-again's SCORM 1.2 API as window.API, seeded from ?seed= (flattened cmi,
# what an LMS kept from an earlier session), showing the SCO in a frame (or a new window
# with ?window=1, where the SCO finds the API through window.opener).
LMS_JS = """
window.API = new Scorm12API({ autocommit: false, logLevel: 5 });
const query = new URLSearchParams(location.search);
if (query.get("seed")) window.API.loadFromFlattenedJSON(JSON.parse(query.get("seed")));
window.calls = [];
for (const name of ["LMSInitialize", "LMSFinish", "LMSCommit"]) {
  const real = window.API[name].bind(window.API);
  window.API[name] = (...args) => { window.calls.push(name); return real(...args); };
}
window.cmi = () => ({
  lesson_status: API.cmi.core.lesson_status, raw: API.cmi.core.score.raw,
  min: API.cmi.core.score.min, max: API.cmi.core.score.max,
  suspend_data: API.cmi.suspend_data,
  exit: JSON.parse(JSON.stringify(API.cmi)).core.exit, // write-only to the SCO
});
addEventListener("DOMContentLoaded", () => {
  if (query.get("window")) { window.sco = window.open("course/scorm.html"); return; }
  const frame = document.createElement("iframe");
  frame.title = "The course";
  frame.style = "border:0;width:100vw;height:100vh;display:block";
  frame.src = "course/scorm.html";
  document.body.append(frame);
});
"""
# A course page stand-in for testing scorm.js alone (the test serves it as index.html).
PROBE_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Probe</title>
<script type="module" src="probe.js"></script></head><body><main>probe</main></body></html>
"""
PROBE_JS = 'import { lms } from "./_static/scorm.js";\nwindow.lms = lms;\n'


@pytest.fixture(scope="module")
def lms_site(course_package, tmp_path_factory):
    """The test LMS (a temporary folder, not the package) with the package unpacked under
    course/, on one origin as an LMS serves its content."""
    folder = tmp_path_factory.mktemp("lms")
    (folder / "lms.html").write_text(LMS_PAGE)
    (folder / "lms.js").write_text(LMS_JS)
    shutil.copy(SCORM_AGAIN, folder / "scorm12.min.js")
    with zipfile.ZipFile(course_package) as zf:
        zf.extractall(folder / "course")
    (folder / "course" / "probe.js").write_text(PROBE_JS)
    base, server = serve_folder(folder)
    yield base
    server.shutdown()


def lms_url(base: str, seed: dict | None = None, **query) -> str:
    if seed:
        query["seed"] = json.dumps(seed)
    args = "&".join(f"{k}={quote(str(v))}" for k, v in query.items())
    return f"{base}lms.html" + (f"?{args}" if args else "")


def course_frame(page, name: str = "index.html"):
    """The frame of the course page `name` (inside the launch page's frame)."""
    for _ in range(100):
        for frame in page.frames:
            if frame.url.split("?")[0].endswith(f"/course/{name}"):
                frame.wait_for_load_state("load")
                return frame
        page.wait_for_timeout(100)
    raise AssertionError(f"no frame shows {name}: {[f.url for f in page.frames]}")


def saved(page) -> dict:
    return page.evaluate("cmi()")


def new_page(browser, console=None):
    context = browser.new_context()
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    if console is not None:
        page.on("console", lambda m: console.append(m.text) if m.type == "warning" else None)
    return context, page, errors


@pytest.mark.browser
def test_scorm_js_reports_to_the_lms_and_restores_from_it(lms_site, browser):
    warnings: list[str] = []
    context, page, errors = new_page(browser, warnings)
    context.route(
        "**/course/index.html",
        lambda route: route.fulfill(body=PROBE_PAGE, content_type="text/html"),
    )
    page.goto(lms_url(lms_site), wait_until="load")
    probe = course_frame(page)
    assert probe.evaluate("lms().report({status: 'incomplete', score: 40, suspend: 'x'})") is True
    assert saved(page) == {
        "lesson_status": "incomplete",
        "raw": "40",
        "min": "0",
        "max": "100",
        "suspend_data": "x",
        "exit": "",
    }
    assert probe.evaluate("lms().restore()") == "x"
    # refused, not thrown: suspend data over 4096 characters, a status SCORM 1.2 lacks
    assert (
        probe.evaluate("lms().report({status: 'incomplete', score: 50, suspend: 'y'.repeat(4097)})")
        is False
    )
    assert probe.evaluate("lms().report({status: 'passed', score: 50, suspend: 'y'})") is False
    assert saved(page)["suspend_data"] == "x" and saved(page)["raw"] == "40"
    assert len(warnings) == 1 and "4097 characters" in warnings[0]  # logged once
    # another page load in the course frame: the same session, no second LMSInitialize
    probe.goto(probe.url, wait_until="load")
    assert probe.evaluate("lms().report({status: 'completed', score: 140.4, suspend: 'z'})") is True
    assert saved(page)["lesson_status"] == "completed" and saved(page)["raw"] == "100"
    assert probe.evaluate("lms().report({status: 'incomplete', score: 7, suspend: 'x'})") is True
    assert saved(page)["lesson_status"] == "completed"  # completion is never taken back
    assert page.evaluate("calls.filter((c) => c === 'LMSInitialize').length") == 1
    assert page.evaluate("calls.includes('LMSFinish')") is False
    # leaving the course (the LMS closes its frame) ends the session, to be resumed
    page.evaluate("document.querySelector('iframe').remove()")
    assert page.evaluate("calls.at(-1)") == "LMSFinish"
    assert saved(page)["exit"] == "suspend"
    kept = saved(page)

    # the LMS reloaded with what it kept: restore() gives the suspend data back
    page.goto(
        lms_url(
            lms_site,
            {"cmi.suspend_data": kept["suspend_data"], "cmi.core.lesson_status": "incomplete"},
        ),
        wait_until="load",
    )
    probe = course_frame(page)
    assert probe.evaluate("lms().restore()") == "x"
    assert errors == [] and page.evaluate("__csp") == []
    context.close()


@pytest.mark.browser
def test_the_launch_page_finds_the_api_through_the_opener(lms_site, browser):
    context, page, errors = new_page(browser)
    context.route(
        "**/course/index.html",
        lambda route: route.fulfill(body=PROBE_PAGE, content_type="text/html"),
    )
    with page.expect_popup() as popup:
        page.goto(lms_url(lms_site, window=1), wait_until="load")
    sco = popup.value
    sco.wait_for_url("**/course/scorm.html")
    probe = course_frame(sco)
    assert probe.evaluate("lms().report({status: 'incomplete', score: 12, suspend: 'w'})") is True
    assert saved(page)["raw"] == "12" and page.evaluate("calls[0]") == "LMSInitialize"
    assert errors == []
    context.close()


@pytest.mark.browser
def test_outside_an_lms_the_launch_page_opens_the_course_as_it_is(lms_site, browser):
    context, page, errors = new_page(browser)
    page.goto(lms_site + "course/scorm.html", wait_until="load")
    page.wait_for_url("**/course/index.html")
    assert page.evaluate("import('./_static/scorm.js').then((m) => m.lms())") is None
    page.goto(lms_site + "course/progress.html", wait_until="load")
    page.locator("[data-fc-progress] table").first.wait_for()
    assert "Your LMS also receives" not in page.inner_text("body")
    assert errors == [] and page.evaluate("__csp") == []
    context.close()


@pytest.mark.browser
def test_a_scenario_played_in_the_lms_is_reported_and_comes_back(lms_site, browser):
    context, page, errors = new_page(browser)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(lms_url(lms_site), wait_until="load")
    launch = next(f for f in page.frames if f.url.endswith("/course/scorm.html"))
    course_frame(page)
    # the launch page: titled, accessible, no inline code refused, fits a phone
    assert launch.locator("h1").inner_text() == "Example Peer Support Network: Facilitator course"
    assert launch.title()  # the course page's title, once it shows
    assert launch.evaluate("document.documentElement.scrollWidth") <= 375
    inject_axe(launch)
    result = launch.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, iframes: false})", WCAG
    )
    assert [v["id"] for v in result["violations"]] == []

    course_frame(page).goto(lms_site + f"course/{MODULE}.html", wait_until="load")
    module = course_frame(page, f"{MODULE}.html")
    ending = play_to_an_ending(module.locator(".fcs").first)[-1]
    page.wait_for_function("API.cmi.suspend_data.includes('\"first\"')")
    cmi = saved(page)
    state = json.loads(cmi["suspend_data"])
    (played,) = [s for s in state["scenarios"].values() if s.get("first")]
    expected = round(ENDING_VALUE[played["first"]["kind"]] / len(scenario_files()))
    assert cmi["lesson_status"] == "incomplete"
    assert cmi["raw"] == str(expected)
    assert len(cmi["suspend_data"]) <= 4096
    assert page.evaluate("calls.filter((c) => c === 'LMSInitialize').length") == 1
    assert errors == [] and module.evaluate("__csp") == []
    context.close()

    # the next session, on another device: the LMS's suspend data brings the play back
    context, page, errors = new_page(browser)
    seed = {f"cmi.core.{k}": cmi[k] for k in ("lesson_status",)} | {
        "cmi.core.score.raw": cmi["raw"],
        "cmi.suspend_data": cmi["suspend_data"],
    }
    page.goto(lms_url(lms_site, seed), wait_until="load")
    course_frame(page).goto(lms_site + "course/progress.html", wait_until="load")
    box = course_frame(page, "progress.html").locator("[data-fc-progress]")
    box.locator("table").first.wait_for()
    assert (
        f"1 of {len(scenario_files())} scenarios played" in box.locator(".fc-summary").inner_text()
    )
    assert ending.split(": ", 2)[-1] in box.inner_text()
    assert "Your LMS also receives your completion and score." in box.inner_text()
    assert errors == []
    context.close()
