"""Nothing a profile, a scenario or a logo holds can run as script on the published site:
values are escaped for where they go, JSON in a page cannot end its script, and a logo
must be a plain image in the profile's own folder."""

from __future__ import annotations

import json
import os
import re

import pytest

from facilitator_course.html_safe import script_json
from facilitator_course.profile import contrast, darker, logo_problems

from .conftest import ROOT

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


def test_footer_and_title_reach_the_theme_as_text():
    from facilitator_course.profile import load_profile
    from facilitator_course.site_build import _config

    profile = load_profile(ROOT / "tests" / "data" / "profiles" / "riverside.yml")
    hostile = type(profile)(profile.path, {**profile.data, "name": "<b>Bold</b> & Co"})
    config = _config(hostile, None)
    assert "<img" not in config["html"]["extra_footer"]
    assert (
        "&lt;img" in config["html"]["extra_footer"]
        and "&amp; friends" in config["html"]["extra_footer"]
    )
    assert "<b>" not in config["title"] and "& Co" in config["title"]


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


def test_the_policy_hashes_exactly_the_pages_own_inline_code():
    import base64
    import hashlib

    from facilitator_course.csp import add_policy

    page = (
        '<html><head><meta charset="utf-8"><script>var a = 1;</script>'
        '<script type="application/json" id="d">{"x": 1}</script>'
        '<script src="_static/x.js"></script></head>'
        '<body><button onclick="window.print()">Print</button></body></html>'
    )
    out = add_policy(page)
    meta = out.split("<head>", 1)[1].split(">", 1)[0]
    assert meta.startswith('<meta http-equiv="Content-Security-Policy"')

    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    assert f"'sha256-{digest('var a = 1;')}'" in meta
    assert f"'unsafe-hashes' 'sha256-{digest('window.print()')}'" in meta
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
