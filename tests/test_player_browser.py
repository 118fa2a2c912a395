"""The scenario player on the built site, in Debian's chromium: keyboard only, back,
restart, and no axe-core violations in any state of the player."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from facilitator_course.scenarios.engine import Engine

from .conftest import ROOT, inject_axe

pytestmark = pytest.mark.browser
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGE = "04-de-escalation.html"
SEED = 7  # a fixed order of options (?fcs-seed=7), so the test knows where each one is


@pytest.fixture
def player(sites, served_site, browser):
    """A fresh page at a module with scenarios, and the first scenario's vectors."""
    html = (sites["default"] / PAGE).read_text()
    scenario = re.search(r'data-fc-scenario="fcs-([a-z0-9-]+?)-\d+"', html).group(1)
    data = json.loads((ROOT / "tests" / "data" / "vectors" / f"{scenario}.json").read_text())
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(served_site + PAGE + f"?fcs-seed={SEED}", wait_until="load")
    yield page, page.locator(".fcs").first, data
    page.close()
    assert errors == []


def keyboard_activate(page, target, limit=400):
    """Tab (never click) until `target` has focus, then press Enter."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            page.keyboard.press("Enter")
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {target} with the keyboard")


def axe_violations(page, root) -> list[str]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        inject_axe(page)
    result = root.evaluate(
        "(el, tags) => axe.run(el, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [f"{v['id']}: {v['help']}" for v in result["violations"]]


def button(box, name):
    return box.get_by_role("button", name=name, exact=True)


def play_by_keyboard(page, box, graph, choices, check=None):
    """Play `choices` with Tab and Enter only, mirroring each step in the Python engine."""
    engine = Engine(graph, SEED)
    if graph["content_note"]:
        check and check("content note")
        keyboard_activate(page, button(box, "Continue to the scenario"))
    todo = list(choices)
    while not engine.finished:
        if engine.node["type"] == "narrative":
            check and check("narrative")
            keyboard_activate(page, button(box, "Continue"))
            engine.advance()
            continue
        if not todo:
            return engine  # stopped at a decision
        check and check("decision")
        choice = todo.pop(0)
        position = engine.shown_options().index(choice)
        options = box.locator("ul.fcs-options button")
        assert options.count() == len(engine.visible_options())
        keyboard_activate(page, options.nth(position))
        engine.choose(choice)
        check and check("feedback")
        assert box.get_by_text("What happened:").count() == 1
        keyboard_activate(page, button(box, "Continue"))
    check and check("ending")
    return engine  # finished


def test_completed_with_the_keyboard_alone(player):
    page, box, data = player
    best = data["vectors"][0]
    engine = play_by_keyboard(page, box, data["graph"], best["choices"])
    heading = box.locator("h4").inner_text()
    assert engine.node["title"] in heading
    focused = page.evaluate(
        "document.activeElement.tagName + ':' + document.activeElement.textContent"
    )
    assert focused == f"H4:{heading}"  # focus moved to the new content
    rows = box.locator("tbody tr")
    shown = {
        rows.nth(i).locator("th").inner_text().split(":")[0]: int(
            rows.nth(i).locator("td").nth(1).inner_text()
        )
        for i in range(rows.count())
    }
    assert {k: v for k, v in shown.items() if v} == best["scores"]
    assert box.locator("ol.fcs-review > li").count() == len(best["choices"])


def test_back_and_restart(player):
    page, box, data = player
    choices = data["vectors"][0]["choices"]
    play_by_keyboard(page, box, data["graph"], [])  # up to the first decision
    prompt = box.locator("p[id$='-prompt']").inner_text()
    first = box.locator("ul.fcs-options button").nth(0)
    engine = Engine(data["graph"], SEED)
    engine.play([])
    keyboard_activate(
        page, box.locator("ul.fcs-options button").nth(engine.shown_options().index(choices[0]))
    )
    keyboard_activate(page, button(box, "Back to the previous decision"))
    assert box.locator("p[id$='-prompt']").inner_text() == prompt
    assert button(box, "Back to the previous decision").count() == 0
    assert first.is_visible()
    keyboard_activate(page, box.locator("ul.fcs-options button").nth(0))
    keyboard_activate(page, button(box, "Restart"))
    start = data["graph"]["nodes"][data["graph"]["start"]]["type"]
    heading = {"narrative": "What is happening", "decision": "Your decision"}[start]
    assert box.locator("h4").inner_text() == heading  # the note was seen; play starts again


def test_content_note_offers_skip_to_summary(player):
    page, box, data = player
    assert data["graph"]["content_note"], "pick a page whose first scenario has a note"
    keyboard_activate(page, button(box, "Skip to the summary"))
    assert box.locator("h4").inner_text() == "Summary"
    assert axe_violations(page, box) == []


def test_no_axe_violations_in_any_state(player):
    page, box, data = player
    seen: dict[str, list[str]] = {}

    def check(state):
        if state not in seen:
            seen[state] = axe_violations(page, box)

    play_by_keyboard(page, box, data["graph"], data["vectors"][0]["choices"], check)
    assert set(seen) >= {"decision", "feedback", "ending"}
    assert {k: v for k, v in seen.items() if v} == {}


def test_usable_at_360px_and_200_percent_zoom(sites, served_site, browser):
    """At 360 px, and with the page zoomed to 200% (CSS zoom, which lays the page out again
    as a browser's zoom does), the player fits the window and its buttons stay large."""
    for width, zoom in ((360, 1), (1280, 2)):
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(served_site + PAGE, wait_until="load")
        page.evaluate(f"document.documentElement.style.zoom = '{zoom}'")
        box = page.locator(".fcs").first
        fits = box.evaluate(
            "el => [el.scrollWidth <= el.clientWidth, "
            "el.getBoundingClientRect().right <= window.innerWidth + 1]"
        )
        assert fits == [True, True], (width, zoom, fits)
        sizes = box.locator("button").evaluate_all(
            "els => els.map(b => [b.getBoundingClientRect().width, "
            "b.getBoundingClientRect().height])"
        )
        assert sizes and all(w >= 24 * zoom and h >= 24 * zoom for w, h in sizes), sizes
        page.close()


def test_option_order_is_shuffled_per_seed_and_a_fixed_seed_replays(sites, served_site, browser):
    from facilitator_course.scenarios.engine import shuffled

    page = browser.new_page()
    page.goto(served_site + PAGE, wait_until="load")
    data_id = page.locator("[data-fc-scenario]").first.get_attribute("data-fc-scenario")
    graph = json.loads(page.locator(f"script[id='{data_id}']").text_content())
    engine = Engine(graph)
    engine.play([])  # up to the first decision
    node, shown = engine.node_id, engine.visible_options()
    seeds = [s for s in range(1, 50) if shuffled(shown, s, node) != shuffled(shown, 1, node)]
    texts = {}
    for seed in (1, seeds[0], 1):
        page.goto(served_site + PAGE + f"?fcs-seed={seed}", wait_until="load")
        box = page.locator(".fcs").first
        if graph["content_note"]:
            button(box, "Continue to the scenario").click()
        while not box.locator("ul.fcs-options button").count():
            button(box, "Continue").click()
        order = [b.inner_text() for b in box.locator("ul.fcs-options button").all()]
        texts.setdefault(seed, []).append(order)
    assert texts[1][0] == texts[1][1]  # the same seed gives the same order
    assert texts[1][0] != texts[seeds[0]][0]  # another seed, another order
    expected = [graph["nodes"][node]["options"][i]["html"] for i in shuffled(shown, 1, node)]
    assert [" ".join(t.split()) for t in texts[1][0]] == [
        " ".join(unescape(re.sub(r"<[^>]+>", "", h)).split()) for h in expected
    ]
    page.close()
