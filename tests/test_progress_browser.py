"""My progress and resuming a scenario, in Debian's chromium: what a trainee does on the
website is kept in this browser only, shows on My progress after a reload, can be
downloaded and cleared; a part-played scenario resumes after a reload."""

from __future__ import annotations

import json

import pytest

from facilitator_course.curriculum import competency_ids, modules
from facilitator_course.scenarios.check import scenario_files

from .conftest import inject_axe
from .test_hostile_site import play_to_an_ending
from .test_site_browser import CSP_WATCH, WCAG

pytestmark = pytest.mark.browser
MODULE = "02-trauma-informed-care"


def fc_keys(page) -> list[str]:
    return page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('fc-'))")


def test_what_a_trainee_did_shows_on_my_progress(served_site, browser, tmp_path):
    context = browser.new_context(accept_downloads=True)
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(served_site + f"{MODULE}.html", wait_until="load")
    scenarios = page.locator(".fcs")
    assert scenarios.count() == 2
    endings = [play_to_an_ending(scenarios.nth(n))[-1] for n in range(2)]
    form = page.locator(f'[data-exercise="{MODULE}"]')
    form.locator("input[type=radio]").first.check()
    with page.expect_download():
        form.get_by_role("button", name="Download my answers").click()
    practice = page.locator("[data-practice] fieldset").first
    practice.locator("input").first.check()
    practice.get_by_role("button", name="Check this answer").click()
    finished = page.get_by_role("button", name="Mark this module as finished")
    finished.click()
    assert (
        page.get_by_role("button", name="I have finished this module").get_attribute("aria-pressed")
        == "true"
    )
    assert page.evaluate("window.__csp") == []

    page.goto(served_site + "progress.html", wait_until="load")
    page.reload(wait_until="load")  # nothing lives in the page: it is all read back
    box = page.locator("[data-fc-progress]")
    box.locator("table").first.wait_for()
    summary = box.locator(".fc-summary").inner_text()
    assert summary == (
        f"1 of {len(modules())} modules finished, 2 of {len(scenario_files())} scenarios "
        f"played, 1 of {len(modules())} exercises downloaded."
    )
    text = box.inner_text()
    for heading in endings:  # "Ending: this went well: <title>" -> the title is listed
        assert heading.split(": ", 2)[-1] in text, heading
    grid = box.get_by_role("table", name="Competencies")
    assert grid.locator("tbody tr").count() == len(competency_ids())
    tic = grid.locator("tbody tr", has_text="TIC-4").inner_text()
    assert "not yet" not in tic.split("\t")[1] and "to play" not in tic
    modules_row = box.get_by_role("table", name="Modules").locator("tbody tr").nth(1)
    assert "finished" in modules_row.inner_text() and "1 of" in modules_row.inner_text()

    page.set_viewport_size({"width": 360, "height": 740})  # a phone: rows become cards
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    inject_axe(page)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    assert [v["id"] for v in result["violations"]] == []

    with page.expect_download() as download:
        box.get_by_role("button", name="Download my progress").click()
    saved = json.loads(download.value.path().read_text())
    assert len([s for s in saved["scenarios"].values() if s.get("first")]) == 2
    assert saved["modules"][MODULE]["done"] and saved["exercises"][MODULE]["downloaded"]
    assert "answers" not in json.dumps(saved)  # progress only, never the answers

    page.once("dialog", lambda d: d.accept())
    box.get_by_role("button", name="Clear everything this course kept in this browser").click()
    page.get_by_text("Cleared. Nothing from this course").wait_for()
    assert fc_keys(page) == []
    assert box.locator(".fc-summary").inner_text().startswith("0 of")
    assert context.cookies() == [] and errors == []
    context.close()


def test_a_part_played_scenario_resumes_after_a_reload(served_site, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(served_site + f"{MODULE}.html", wait_until="load")
    box = page.locator(".fcs").first
    made = 0
    while made < 2:
        primary = box.locator("button.fcs-primary")
        if primary.count():
            primary.first.click()
            continue
        box.locator("ul.fcs-options button").nth(1).click()
        made += 1
    box.locator("button.fcs-primary", has_text="Continue").click()
    where = box.locator("h4").inner_text()
    said = box.inner_text()

    page.reload(wait_until="load")
    box = page.locator(".fcs").first
    assert box.locator("h4").inner_text() == "Welcome back"
    assert "2 decisions made" in box.inner_text()
    box.get_by_role("button", name="Resume where I left off").click()
    assert box.locator("h4").inner_text() == where
    assert box.inner_text() == said
    box.get_by_role("button", name="Back to the previous decision").click()  # undo still works
    assert box.locator("h4").inner_text() == "Your decision"

    page.reload(wait_until="load")
    box = page.locator(".fcs").first
    box.get_by_role("button", name="Start again").click()
    assert box.locator("h4").inner_text() in ("Content note", "What is happening")
    key = f"fc-play:{scenario_id(page)}"
    kept = page.evaluate("key => JSON.parse(localStorage.getItem(key))", key)
    assert len(kept["first"]) == 2  # the first attempt is never reset by starting again
    context.close()


def scenario_id(page) -> str:
    keys = [k for k in fc_keys(page) if k.startswith("fc-play:")]
    assert len(keys) == 1, keys
    return keys[0].split(":", 1)[1]
