"""A crawl of the built site in Debian's chromium: every page requests only its own
host, sets no cookie and has no axe-core violations (WCAG 2.0, 2.1 and 2.2, A and AA);
every module page fits a 360 px wide screen without horizontal scrolling."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from facilitator_course.curriculum import modules

from .conftest import ROOT, inject_axe
from .test_site import pages

pytestmark = pytest.mark.browser
AXE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
CSP_WATCH = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation', "
    "(e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sample));"
)
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def test_crawl_every_page(sites, served_site, browser):
    site = sites["default"]
    context = browser.new_context()
    foreign: list[str] = []
    seen: list[str] = []

    def watch(request):
        seen.append(request.url)
        url = urlparse(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname != "127.0.0.1":
            foreign.append(request.url)

    context.on("request", watch)
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    blocked: list[str] = []
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    violations: dict[str, list[str]] = {}
    crawled = pages(site)
    for path in crawled:
        name = str(path.relative_to(site))
        response = page.goto(served_site + name, wait_until="load")
        assert response is not None and response.ok, name
        html = path.read_text()
        assert '<meta http-equiv="Content-Security-Policy"' in html[: html.index("</head>")], name
        for button in page.locator("[data-fc-scenario] button").all()[:1]:
            button.click()  # the player's first state change runs under the policy too
        blocked += [f"{name}: {v}" for v in page.evaluate("window.__csp || []")]
        inject_axe(page)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
        )
        found = [f"{v['id']} ({len(v['nodes'])})" for v in result["violations"]]
        if found:
            violations[name] = found
    cookies = context.cookies()
    context.close()
    assert len(crawled) >= 12 and len(seen) > len(crawled)
    assert foreign == []
    assert cookies == []
    assert violations == {}
    assert blocked == []  # the site passes its own Content-Security-Policy


@pytest.mark.parametrize("slug", [m.slug for m in modules()])
def test_module_page_fits_360px(sites, served_site, browser, slug, tmp_path):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(served_site + f"{slug}.html", wait_until="load")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    page.close()
    assert widths[0] <= widths[1], f"{slug} scrolls sideways at 360 px: {widths}"


def test_search_works_without_a_server_side(sites, served_site, browser):
    page = browser.new_page()
    page.goto(served_site + "search.html?q=grounding", wait_until="load")
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=20_000)
    links = [
        results.nth(i).locator("a").first.get_attribute("href") for i in range(results.count())
    ]
    page.close()
    assert any(link.startswith("02-trauma-informed-care") for link in links), links


PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_crisis_card_prints_on_one_page(sites, browser, paper):
    for org, site in sites.items():
        page = browser.new_page()
        page.goto((site / "crisis-card.html").as_uri(), wait_until="load")
        pdf = page.pdf(format=paper, print_background=True)
        page.close()
        assert len(PDF_PAGE.findall(pdf)) == 1, (org, paper)
        assert b"/Type /Pages" in pdf or b"/Type/Pages" in pdf


@pytest.mark.parametrize("org", ["default", "riverside"])
def test_landing_page_names_the_organization_above_the_fold_on_a_phone(sites, browser, org):
    from .conftest import serve_folder

    names = {"default": "Example Peer Support Network", "riverside": "Riverside Peer Circle"}
    base, server = serve_folder(sites[org])
    try:
        page = browser.new_page(viewport={"width": 375, "height": 667})
        page.goto(base + "index.html", wait_until="load")
        offered = page.locator(".fc-offered-by").first
        assert names[org] in offered.inner_text()
        box = offered.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 667, box
        page.close()
    finally:
        server.shutdown()
