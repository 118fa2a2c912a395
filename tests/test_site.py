"""The built website: offline, branded per organization, with help on every page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from facilitator_course.curriculum import modules

from .conftest import BUILD_OUTPUT, DATA, ROOT

# Tags and attributes through which a page loads something (not plain reading links).
LOADS = re.compile(
    r"<(?:script|img|iframe|source|audio|video|embed|input)\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)"
    r"|<link\b[^>]*?\bhref\s*=\s*[\"']([^\"']+)[\"'][^>]*>"
    r"|<object\b[^>]*?\bdata\s*=\s*[\"']([^\"']+)"
    r"|url\(\s*[\"']?([^\"')]+)",
    re.I,
)
ORGS = {
    "default": {"name": "Example Peer Support Network", "line": "988", "colour": "#1d5c86"},
    "riverside": {"name": "Riverside Peer Circle", "line": "13 11 14", "colour": "#7a1f5c"},
}


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)


def external_loads(text: str) -> list[str]:
    found = []
    for match in LOADS.finditer(text):
        url = next(g for g in match.groups() if g)
        tag = match.group(0)
        if tag.lower().startswith("<link") and not re.search(
            r"rel\s*=\s*[\"'](?:stylesheet|preload|modulepreload|icon|shortcut icon|manifest"
            r"|apple-touch-icon|prefetch|dns-prefetch|preconnect)",
            tag,
            re.I,
        ):
            continue
        if urlparse(url).scheme in ("http", "https") or url.startswith("//"):
            found.append(url)
    return found


def test_external_load_detector_catches_each_kind():
    html = (
        '<script src="https://cdn.example/x.js"></script><link rel="stylesheet" '
        'href="//fonts.example/css"><img src="http://img.example/a.png">'
        '<style>@font-face{src:url("https://f.example/a.woff2")}</style>'
        '<a href="https://988lifeline.org">read</a><link rel="canonical" href="https://x">'
    )
    assert len(external_loads(html)) == 4


@pytest.mark.parametrize("org", ORGS)
def test_no_page_loads_anything_from_another_host(sites, org):
    site = sites[org]
    files = pages(site) + sorted(site.rglob("*.css"))
    assert len(files) > 5
    offenders = {
        str(f.relative_to(site)): external_loads(f.read_text(errors="replace")) for f in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_every_module_has_a_page_with_its_title_and_objectives(sites):
    site = sites["default"]
    for m in modules():
        page = site / f"{m.slug}.html"
        assert page.is_file(), f"no page for module {m.slug}"
        text = page.read_text()
        assert m.title in text
        for cid in m.competencies:
            assert f"<strong>{cid}</strong>" in text, (m.slug, cid)


@pytest.mark.parametrize("org", ORGS)
def test_each_site_carries_only_its_own_organization(sites, org):
    (mine,) = [v for k, v in ORGS.items() if k == org]
    (other,) = [v for k, v in ORGS.items() if k != org]
    for page in pages(sites[org]):
        if page.name in ("genindex.html", "search.html"):
            continue
        text = page.read_text()
        assert mine["name"] in text, page.name
        assert 'href="crisis-resources.html"' in text and "Need help now?" in text, page.name
        assert other["name"] not in text, page.name
        assert other["colour"] not in text, page.name
    css = (sites[org] / "_static" / "org.css").read_text()
    assert mine["colour"] in css and other["colour"] not in css
    crisis = (sites[org] / "crisis-resources.html").read_text()
    assert mine["line"] in crisis
    assert f">{other['line']}<" not in crisis


def test_default_site_has_real_crisis_facts(sites):
    crisis = (sites["default"] / "crisis-resources.html").read_text()
    for fact in (
        'href="tel:988"',
        'href="sms:988"',
        "988lifeline.org",
        "116 123",
        "9-8-8",
        "findahelpline.com",
    ):
        assert fact in crisis, fact
    assert "press 3" not in crisis.lower()


def test_exercises_are_downloadable_student_notebooks_without_solutions(sites):
    site = sites["default"]
    from facilitator_course.grading.items import item_files

    slugs = [p.stem for p in item_files()]
    assert len(slugs) >= 3
    for slug in slugs:
        page = (site / f"{slug}.html").read_text()
        assert f'href="exercises/{slug}.ipynb"' in page, slug
        notebook = (site / "exercises" / f"{slug}.ipynb").read_text()
        assert '"nbgrader"' in notebook and "YOUR ANSWER HERE" in notebook
        assert "def self_check" in notebook and "facilitator_course" not in notebook
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".ipynb", ".js", ".txt", ".json"):
            text = path.read_text(errors="replace")
            assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, path


def test_capstone_is_the_last_page_of_the_course_and_plays(sites):
    site = sites["default"]
    page = (site / "capstone.html").read_text()
    assert 'data-fc-scenario="fcs-capstone-whole-session-' in page
    nav = (site / "index.html").read_text()
    order = [nav.find(f'href="{m.slug}.html"') for m in modules()] + [
        nav.find('href="capstone.html"')
    ]
    assert all(i > 0 for i in order) and order == sorted(order)


def test_course_build_prints_only_its_own_lines(sites):
    """`course build` says what it builds and where the site is, and nothing of Jupyter
    Book's log or of its stage in .cache, on stdout, stderr or the terminal itself."""
    site = sites["default"]
    waited = "Another build of this site is running; waiting for it to finish..."
    lines = BUILD_OUTPUT["stdout"].splitlines()
    assert [line for line in lines if line != waited] == [
        f"Building the site for {ORGS['default']['name']} (a few minutes the first time)...",
        f"Site built: {site / 'index.html'}",
        f"Preview it with: course serve --dir {site}",
    ]
    assert BUILD_OUTPUT["stderr"] == "" and BUILD_OUTPUT["fds"] == ""
    printed = "".join(BUILD_OUTPUT.values()).lower()
    assert ".cache" not in printed and "jupyter-book" not in printed


def test_course_serve_serves_the_site_on_loopback(sites):
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "facilitator_course",
            "serve",
            "--dir",
            str(sites["riverside"]),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(50):
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        assert b"Riverside Peer Circle" in body
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("org", ORGS)
def test_crisis_card_carries_the_organizations_own_numbers(sites, org):
    card = (sites[org] / "crisis-card.html").read_text()
    crisis = (sites[org] / "crisis-resources.html").read_text()
    assert 'href="crisis-card.html"' in crisis
    assert ORGS[org]["name"] in card and ORGS[org]["line"] in card
    for step in (
        "Are you thinking about suicide?",
        "Do you have access to what you thought of using?",
        "Tell the safeguarding lead at once",
        "what to write down",
        "Fainting, chest pain, confusion, cannot be woken",
        "how and when it is safe to contact them",
    ):
        assert step in card, (org, step)
    other = next(v for k, v in ORGS.items() if k != org)
    assert other["name"] not in card
    if org == "default":
        assert "call 911 now" in card and "1-800-799-7233" in card
    else:
        assert "call 000 now" in card and "1800RESPECT" in card


@pytest.mark.parametrize("org", ORGS)
def test_reporting_duties_show_on_the_crisis_page_and_in_module_5(sites, org):
    from facilitator_course.profile import load_profile

    path = ROOT / "course.yml" if org == "default" else DATA / "profiles" / "riverside.yml"
    duties = load_profile(path).data["reporting_duties"].strip()
    snippet = duties.split(".")[0]
    for page in ("crisis-resources.html", "05-crisis-response.html"):
        assert snippet in (sites[org] / page).read_text().replace("&#x27;", "'"), (org, page)


def test_module_5_shows_the_domestic_abuse_lines_of_each_region(sites):
    page = (sites["default"] / "05-crisis-response.html").read_text()
    assert "Services for domestic abuse" in page
    for line in ("1-800-799-7233", "0808 2000 247", "1800 341 900"):
        assert line in page, line
    riverside = (sites["riverside"] / "05-crisis-response.html").read_text()
    assert "1800 737 732" in riverside and "1-800-799-7233" not in riverside


def test_landing_page_shows_the_review_record_or_says_there_is_none(sites):
    default = (sites["default"] / "index.html").read_text()
    assert "has not yet reviewed this course" in default
    assert "Example Peer Support Network" in default
    riverside = (sites["riverside"] / "index.html").read_text()
    assert "Tui Ngata" in riverside and "Marcus Leclair" in riverside
    assert "not yet reviewed" not in riverside


def _model_snippets() -> list[str]:
    from facilitator_course.grading.items import all_items

    return [" ".join(i["model"].split())[:50] for i in all_items().values() if i.get("model")]


def test_no_answer_key_or_model_answer_on_the_site(sites):
    snippets = _model_snippets()
    assert len(snippets) > 40
    for site in sites.values():
        for path in site.rglob("*"):
            if path.suffix not in (".html", ".js", ".json", ".ipynb", ".txt"):
                continue
            text = " ".join(path.read_text(errors="replace").split())
            found = [s for s in snippets if s in text]
            assert found == [], (path.name, found[:2])
        for page in site.glob("0*.html"):
            payloads = re.findall(
                r'<script type="application/json" id="fce-[^"]+">(.*?)</script>', page.read_text()
            )
            assert payloads, page.name
            for payload in payloads:
                data = json.loads(payload.replace("<\\/", "</"))
                for item in data["items"]:
                    assert not {"answer", "credit", "feedback", "model", "rubric"} & set(item)


def test_no_answer_key_or_model_answer_in_the_package():
    """The wheel holds only src/facilitator_course (pyproject: packages.find where=src), so
    no file there may carry an item file, a key or a model answer."""
    package = ROOT / "src" / "facilitator_course"
    snippets = _model_snippets()
    for path in package.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            assert path.suffix not in (".yaml", ".yml"), path
            text = " ".join(path.read_text(errors="replace").split())
            assert [s for s in snippets if s in text] == [], path
