"""Nothing a profile, a scenario or a logo holds can run as script on the published site:
values are escaped for where they go, JSON in a page cannot end its script, and a logo
must be a plain image in the profile's own folder."""

from __future__ import annotations

import json
import os
import re
import shutil
from html import unescape as html_unescape
from pathlib import Path

import pytest

from facilitator_course.html_safe import script_json
from facilitator_course.profile import contrast, darker, logo_problems

from .conftest import DATA, ROOT
from .test_site import pages

INLINE_DATA = re.compile(r'<script type="application/json"[^>]*>.*?</script>', re.S)

PAYLOADS = [
    "</script><script>window.__pwned = 1</script>",
    '"><svg onload=alert(1)>',
    "<!-- swallow the page",
    "<img src=x onerror=alert(1)>",
    "line\u2028separator & more",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_json_in_a_script_cannot_end_the_script_or_open_a_comment(payload):
    text = script_json({"title": payload, "lines": [{"speaker": payload}]})
    for danger in ("</", "<!--", "<script", "<svg", "<img", "\u2028"):
        assert danger not in text
    assert json.loads(text) == {"title": payload, "lines": [{"speaker": payload}]}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_scenario_title_is_text_on_its_page(payload):
    from facilitator_course.scenarios.player import static_html

    graph = {"id": "x", "title": payload, "nodes": {}}
    page = static_html(graph)
    fallback = page.split("<script", 1)[0]
    assert "<script" not in fallback.replace('<script type="application/json"', "")
    assert not re.search(r"<(svg|img|!--)", fallback)
    data = page.split('type="application/json"', 1)[1].split("</script>", 1)[0]
    assert "<" not in data.split(">", 1)[1]


def test_the_built_site_shows_markup_in_a_profile_as_text(sites):
    footer = "Riverside Peer Circle test profile &lt;img src=x onerror="
    for page in ("index.html", "05-crisis-response.html", "crisis-resources.html"):
        html = (sites["riverside"] / page).read_text()
        assert footer in html, page
        assert '<img src=x onerror="document.title' not in html, page


@pytest.mark.browser
def test_no_injected_script_runs_in_chromium(sites, browser):
    from .conftest import serve_folder

    base, server = serve_folder(sites["riverside"])
    try:
        page = browser.new_page()
        page.goto(base + "index.html", wait_until="load")
        page.wait_for_timeout(200)
        assert page.title() != "pwned"
        assert "onerror=" in page.inner_text("footer, .extra_footer, body")
        page.close()
    finally:
        server.shutdown()


# ---- logos ---------------------------------------------------------------------------

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    '<rect width="10" height="10"/></svg>'
)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (SVG.replace("<rect", "<script>alert(1)</script><rect"), "<script"),
        (SVG.replace("<rect ", '<rect onload="alert(1)" '), "onload"),
        (SVG.replace("<rect ", '<a href="javascript:alert(1)"><rect ') + "</a>", "javascript:"),
        (SVG.replace("<rect", "<foreignObject><p>x</p></foreignObject><rect"), "foreignObject"),
        (SVG.replace("<rect ", '<image href="https://example.org/t.png"/><rect '), "https:"),
        ("<html><body>not an image</body></html>", "not an SVG image"),
    ],
    ids=["script", "event-handler", "javascript-url", "foreign-object", "remote-image", "html"],
)
def test_a_scripted_or_fake_svg_logo_is_refused(tmp_path, content, says):
    (tmp_path / "logo.svg").write_text(content)
    problems = logo_problems(tmp_path, "logo.svg")
    assert problems and says in problems[0][0] and problems[0][1], problems


def test_a_logo_that_is_a_link_or_outside_the_folder_is_refused(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "passwd.png").write_bytes(b"root:x:0:0:root:/root:/bin/bash\n")
    org = tmp_path / "org"
    (org / "images").mkdir(parents=True)
    (org / "logo.png").symlink_to(outside / "passwd.png")
    (org / "images-link").symlink_to(outside, target_is_directory=True)
    assert "is a link" in logo_problems(org, "logo.png")[0][0]
    assert "is a link" in logo_problems(org, "images-link/passwd.png")[0][0]
    assert "outside this profile's folder" in logo_problems(org, "../elsewhere/passwd.png")[0][0]
    assert "outside this profile's folder" in logo_problems(org, "/etc/passwd")[0][0]
    (org / "fake.png").write_bytes(b"root:x:0:0\n")
    assert "is not a PNG image" in logo_problems(org, "fake.png")[0][0]
    (org / "big.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(1024 * 1024 + 1))
    assert "at most 1024 KB" in logo_problems(org, "big.png")[0][0]


def test_the_shipped_logo_passes():
    assert logo_problems(ROOT / "book", "logo.svg") == []


def test_a_pale_colour_gets_a_darker_shade_of_itself_as_the_fix():
    shade = darker("#66aadd")
    assert contrast(shade, "#ffffff") >= 4.5
    assert contrast(darker(shade), "#ffffff") >= 4.5 and shade != "#1d5c86"
    red, green, blue = (int(shade[i : i + 2], 16) for i in (1, 3, 5))
    assert blue > green > red  # the same hue, darker


def test_the_policy_hashes_the_sites_own_inline_code_and_nothing_else():
    import base64
    import hashlib

    from facilitator_course.csp import add_policy

    loader = 'import { mountAll } from "./assets/scenario-player.js"; mountAll();'
    page = (
        '<html><head><meta charset="utf-8">'
        "<script>DOCUMENTATION_OPTIONS.pagename = '01-foundations';</script>"
        f'<script type="module">{loader}</script>'
        '<script type="application/json" id="d">{"x": 1}</script>'
        '<script src="_static/x.js"></script></head>'
        '<body><button onclick="window.print()">Print</button>'
        "<p>By <script>window.__pwned = 1</script> "
        '<img src=x onerror="window.__pwned = 2"></p></body></html>'
    )
    out = add_policy(page)
    meta = out.split("<head>", 1)[1].split(">", 1)[0]
    assert meta.startswith('<meta http-equiv="Content-Security-Policy"')

    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    pagename = "DOCUMENTATION_OPTIONS.pagename = '01-foundations';"
    assert f"'sha256-{digest(loader)}'" in meta and f"'sha256-{digest(pagename)}'" in meta
    assert f"'unsafe-hashes' 'sha256-{digest('window.print()')}'" in meta
    assert digest("window.__pwned = 1") not in meta  # injected: the browser refuses it
    assert digest("window.__pwned = 2") not in meta
    assert digest('{"x": 1}') not in meta  # data is not code
    assert "default-src 'self'" in meta and "object-src 'none'" in meta
    assert "http" not in meta.split("content=", 1)[1]  # no other host


@pytest.mark.browser
def test_a_scenario_full_of_markup_plays_as_text(sites, browser, tmp_path):
    """A scenario whose title, speaker names and lines carry markup and script, played
    by the site's player: every payload is shown as text and none runs."""
    from facilitator_course.scenarios.player import PLAYER_JS, SITE_PLAYER_URL, static_html

    from .conftest import serve_folder

    built = (sites["default"] / "02-trauma-informed-care.html").read_text()
    start = built.index('<script type="application/json" id="fcs-')
    raw = built[built.index(">", start) + 1 : built.index("</script>", start)]
    graph = json.loads(raw)
    payload = PAYLOADS[0] + PAYLOADS[2] + PAYLOADS[3]
    graph["title"] = "Title " + payload
    for node in graph["nodes"].values():
        for line in node.get("lines", []):
            line["speaker"] = "Speaker " + payload
    page_html = static_html(graph).replace(f"./{SITE_PLAYER_URL}", f"/{SITE_PLAYER_URL}")
    # a folder of its own: the built sites stay as built for the other tests
    (tmp_path / SITE_PLAYER_URL).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / SITE_PLAYER_URL).write_bytes(PLAYER_JS.read_bytes())
    (tmp_path / "hostile-scenario.html").write_text(
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>t</title></head>"
        f"<body><main>{page_html}</main></body></html>"
    )
    served_site, server = serve_folder(tmp_path)
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(served_site + "hostile-scenario.html", wait_until="load")
    box = page.locator(".fcs").first
    box.wait_for()
    assert "Title </script><script>window.__pwned = 1</script>" in box.inner_text()
    while page.locator(".fcs-line").count() == 0:
        buttons = box.locator("button.fcs-primary")
        if not buttons.count():
            box.locator("ul.fcs-options button").first.click()
        else:
            buttons.first.click()
    assert "Speaker </script><script>" in box.locator(".fcs-line").first.inner_text()
    assert page.evaluate("window.__pwned") is None
    assert page.locator(".fcs img, .fcs script").count() == 0
    assert errors == []
    page.close()
    server.shutdown()


# ---- SVG logos: what a regular expression misses, the XML parser sees ------------------


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (
            SVG.replace(
                "<rect", '<svg:script xmlns:svg="http://www.w3.org/2000/svg">1</svg:script><rect'
            ),
            "<script>",
        ),
        (
            SVG.replace("<rect ", '<a href="&#106;avascript:alert(1)"><rect ') + "</a>",
            "javascript:",
        ),
        (SVG.replace("<rect ", '<a href="java\tscript:alert(1)"><rect ') + "</a>", "javascript:"),
        (SVG.replace("<rect", '<h:iframe xmlns:h="http://www.w3.org/1999/xhtml"/><rect'), "iframe"),
        ('<?xml-stylesheet href="https://example.org/x.css"?>' + SVG, "xml-stylesheet"),
        ('<!DOCTYPE svg [<!ENTITY s "&#60;script">]>' + SVG, "DOCTYPE"),
        (SVG.replace("<rect", "<style>@import 'https://example.org/x.css';</style><rect"), "style"),
        (SVG.replace("<rect", '<set attributeName="href" to="https://example.org"/><rect'), "href"),
        (SVG.replace("<rect", "<rect><rect"), "not well-formed"),
    ],
    ids=[
        "prefixed-script",
        "character-reference",
        "tab-in-scheme",
        "xhtml-iframe",
        "stylesheet-instruction",
        "entity",
        "style-import",
        "animated-link",
        "malformed",
    ],
)
def test_script_hidden_in_an_svg_logo_is_found(tmp_path, content, says):
    (tmp_path / "logo.svg").write_text(content.replace("<rect", "\n<rect", 1))
    problems = logo_problems(tmp_path, "logo.svg")
    assert problems and says in problems[0][0], problems
    assert "line " in problems[0][0] and "plain SVG" in problems[0][1]


def test_a_plain_svg_with_local_references_and_styles_passes(tmp_path):
    (tmp_path / "logo.svg").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 10 10"><defs><linearGradient id="g"/></defs>'
        "<style>.a { fill: url(#g); }</style>"
        '<use xlink:href="#g"/><rect class="a" style="fill: url(#g)" width="10" height="10"/>'
        "<text>Riverside</text></svg>"
    )
    assert logo_problems(tmp_path, "logo.svg") == []


def _profile(tmp_path: Path, **changes) -> Path:
    import yaml

    data = yaml.safe_load((DATA / "profiles" / "riverside.yml").read_text())
    data.update(changes)
    path = tmp_path / "course.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_a_scripted_logo_is_refused_with_the_profiles_line_and_the_svgs(tmp_path):
    from facilitator_course.errors import CourseError
    from facilitator_course.profile import load_profile

    (tmp_path / "logo.svg").write_text(
        SVG.replace("<rect", '\n\n<svg:script xmlns:svg="http://www.w3.org/2000/svg"/><rect')
    )
    path = _profile(tmp_path, logo="logo.svg")
    line = path.read_text().splitlines().index("logo: logo.svg") + 1
    with pytest.raises(CourseError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert f"{path}:{line}:" in message and "line 3: <script> is not allowed" in message
    assert "Fix: export a plain SVG" in message and "Traceback" not in message


# ---- one site built from a hostile profile and a hostile scenario ---------------------

HOSTILE = DATA / "hostile"


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> Path:
    """A one-module site for tests/data/hostile/profile.yml, playing fnd-hostile.yaml: every
    value of the profile and the scenario carries markup or script (about 10 s)."""
    from facilitator_course.site_build import build_site

    root = tmp_path_factory.mktemp("hostile-course")
    for name, to in [
        ("competencies.yml", ROOT / "competencies.yml"),
        ("scenarios/scenario.schema.json", ROOT / "scenarios" / "scenario.schema.json"),
        ("scenarios/fnd-hostile.yaml", HOSTILE / "fnd-hostile.yaml"),
        ("modules/01-foundations/01-foundations.ipynb", HOSTILE / "01-foundations.ipynb"),
        ("book/index.md", HOSTILE / "index.md"),
        ("book/crisis-resources.md", ROOT / "book" / "crisis-resources.md"),
    ]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(to, root / name)
    before = os.environ["COURSE_ROOT"]
    os.environ["COURSE_ROOT"] = str(root)
    try:
        return build_site(HOSTILE / "profile.yml", root / "site", say=lambda _: None)
    finally:
        os.environ["COURSE_ROOT"] = before


def watch_policy(context) -> list[str]:
    """Every Content-Security-Policy violation in `context`'s pages, from the console and
    from securitypolicyviolation events (read with `blocked_in`)."""
    from .test_site_browser import CSP_WATCH

    blocked: list[str] = []
    context.add_init_script(CSP_WATCH)
    context.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return blocked


def blocked_in(page, name: str) -> list[str]:
    return [f"{name}: {v}" for v in page.evaluate("window.__csp || []")]


def play_to_an_ending(box) -> list[str]:
    """Click through a scenario (first option shown at each decision); the headings seen."""
    headings = []
    for _ in range(80):
        heading = box.locator("h4").first.inner_text()
        headings.append(heading)
        if heading.startswith("Ending"):
            return headings
        primary = box.locator("button.fcs-primary")
        (primary if primary.count() else box.locator("ul.fcs-options button")).first.click()
    raise AssertionError(f"no ending after 80 steps: {headings[-3:]}")


def test_the_hostile_site_escapes_every_value_in_its_html(hostile_site):
    import yaml

    profile = yaml.safe_load((HOSTILE / "profile.yml").read_text())
    for page in pages(hostile_site):
        html = page.read_text()
        body = INLINE_DATA.sub("", html)  # data scripts hold JSON, checked by the browser test
        for marker in (
            "<img src=x",
            "<svg onload",
            "<script>window",
            "<!-- the rest",
            "<!-- swallow",
        ):
            assert marker not in body, (page.name, marker)
    index = (hostile_site / "index.html").read_text()
    alt = re.search(r'class="logo__image only-light" alt="([^"]*)"', index)
    assert alt and html_unescape(alt[1]) == f"{profile['name']}: Facilitator course - Home"


@pytest.mark.browser
def test_nothing_from_the_hostile_profile_or_scenario_runs(hostile_site, browser):
    """Every page of the hostile site in Chromium: no payload runs (none sets
    window.__pwned or the page title), each shows as text, nothing is swallowed (the
    footer is still there) and the page breaks none of its Content-Security-Policy."""
    import yaml

    from .conftest import serve_folder

    profile = yaml.safe_load((HOSTILE / "profile.yml").read_text())
    scenario = yaml.safe_load((HOSTILE / "fnd-hostile.yaml").read_text())
    base, server = serve_folder(hostile_site)
    context = browser.new_context()
    blocked = watch_policy(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        for path in pages(hostile_site):
            name = str(path.relative_to(hostile_site))
            page.goto(base + name, wait_until="load")
            assert page.evaluate("window.__pwned") is None, name
            if name == "crisis-card.html":
                assert profile["name"] in page.title()
                continue
            assert page.title().endswith(f"{profile['name']}: Facilitator course"), name
            footer = page.locator("footer.bd-footer-content").inner_text()
            assert profile["footer"] in footer and f"By {profile['name']}" in footer, name
            blocked += blocked_in(page, name)
        page.goto(base + "index.html", wait_until="load")
        assert profile["name"] in page.locator(".fc-offered-by").inner_text()
        assert profile["reviews"][0]["note"] in page.inner_text("main")

        page.goto(base + "01-foundations.html", wait_until="load")
        main = page.inner_text("main")
        service = profile["crisis_resources"][0]["services"][0]
        for text in (
            service["name"],
            service["description"],
            profile["naloxone"],
            profile["safeguarding_lead"]["name"],
            profile["reporting_duties"],
        ):
            assert text in main, text
        box = page.locator(".fcs").first
        title = scenario["title"].replace("{org_short_name}", profile["short_name"])
        assert f"Scenario: {title}" in box.locator("h3").inner_text()
        first = box.locator("button.fcs-primary").first
        first.click()  # past the content note
        speaker = scenario["nodes"]["arrival"]["lines"][0]["speaker"]
        assert box.locator(".fcs-line strong").first.inner_text().strip() == f"{speaker}:"
        box.locator("button.fcs-primary").first.click()
        option = box.locator("ul.fcs-options button").first.inner_text()
        assert option.endswith(
            '<img src=x onerror="window.__pwned=2">"><svg onload="window.__pwned=3">'
        )
        headings = play_to_an_ending(box)
        assert any(h.endswith('"><svg onload="window.__pwned=3">') for h in headings), headings
        assert page.locator(".fcs img, .fcs svg, .fcs script").count() == 0
        assert page.locator("footer.bd-footer-content").count() == 1  # nothing swallowed
        assert page.evaluate("window.__pwned") is None
        blocked += blocked_in(page, "01-foundations.html (played)")
    finally:
        context.close()
        server.shutdown()
    assert blocked == [] and errors == []


@pytest.mark.browser
def test_the_default_site_keeps_its_policy_while_a_trainee_plays_and_answers(
    sites, served_site, browser
):
    """Every page of the default site, a scenario played to its end and an exercise form
    used to its download: not one Content-Security-Policy violation."""
    site = sites["default"]
    context = browser.new_context(accept_downloads=True)
    blocked = watch_policy(context)
    page = context.new_page()
    for path in pages(site):
        name = str(path.relative_to(site))
        page.goto(served_site + name, wait_until="load")
        blocked += blocked_in(page, name)
    page.goto(served_site + "02-trauma-informed-care.html", wait_until="load")
    play_to_an_ending(page.locator(".fcs").first)
    form = page.locator('[data-exercise="02-trauma-informed-care"]')
    form.locator("input[type=radio]").first.check()
    form.locator("textarea").first.fill("I would ask what would help, and offer a choice.")
    form.get_by_role("button", name="Check my answers are complete").click()
    with page.expect_download():
        form.get_by_role("button", name="Download my answers").click()
    practice = page.locator("[data-practice] fieldset").first
    practice.locator("input").first.check()
    practice.get_by_role("button", name="Check this answer").click()
    blocked += blocked_in(page, "02-trauma-informed-care.html (played and answered)")
    context.close()
    assert blocked == []
