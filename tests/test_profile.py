"""The organization profile: the shipped default and every kind of broken file."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from facilitator_course.errors import CourseError
from facilitator_course.profile import check_profile, contrast, load_profile

from .conftest import course_cli

ROOT = Path(__file__).resolve().parents[1]
GOOD = (ROOT / "course.yml").read_text()


def run_validate(profile: Path) -> subprocess.CompletedProcess:
    return course_cli(ROOT, "validate", "--profile", str(profile), check=False)


def broken(tmp_path: Path, old: str, new: str) -> Path:
    assert old in GOOD, old
    path = tmp_path / "course.yml"
    path.write_text(GOOD.replace(old, new, 1))
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "logo.svg").write_text((ROOT / "book" / "logo.svg").read_text())
    return path


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_default_profile_is_valid_and_marked_as_an_example():
    profile = load_profile(ROOT / "course.yml")
    assert profile.data["example"] is True
    assert profile.regions[0]["region"] == "US"
    services = {s["name"]: s for r in profile.regions for s in r["services"]}
    assert services["988 Suicide & Crisis Lifeline"]["phone"] == "988"
    assert services["Samaritans"]["phone"] == "116 123"
    assert services["9-8-8 Suicide Crisis Helpline"]["text"] == "9-8-8"
    assert "press 3" not in GOOD.lower()


@pytest.mark.parametrize(
    ("old", "new", "at", "says", "fix"),
    [
        (
            "short_name: Example Network",
            "short_name: Example: Network: x",
            "short_name:",
            "YAML syntax error",
            "quote text",
        ),
        ("short_name: Example Network\n", "", "", "'short_name' is missing", "add 'short_name:'"),
        ('phone: "988"', "phone: [988]", "phone: [988]", "should be text", "write"),
        (
            "default_region: US",
            "default_region: US\nsponsor: ACME",
            "sponsor:",
            "unknown key 'sponsor'",
            "remove it",
        ),
    ],
    ids=["bad-yaml", "missing-field", "wrong-type", "unknown-key"],
)
def test_broken_profile_names_file_line_and_fix(tmp_path, old, new, at, says, fix):
    path = broken(tmp_path, old, new)
    result = run_validate(path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    line = line_of(path, at) if at else 1
    assert f"{path}:{line}: " in result.stderr, result.stderr
    assert says in result.stderr
    assert fix in result.stderr.split("Fix: ", 1)[1]


def test_low_contrast_colour_is_refused(tmp_path):
    path = broken(tmp_path, '"#1d5c86"', '"#9ec5e8"')
    problems = check_profile(path)
    assert len(problems) == 1
    assert problems[0].line == line_of(path, "primary_colour")
    assert "fail WCAG AA" in problems[0].message


def test_default_region_must_have_resources(tmp_path):
    path = broken(tmp_path, "default_region: US", "default_region: NZ")
    with pytest.raises(CourseError, match="default_region NZ has no crisis resources"):
        load_profile(path)


def test_contrast_matches_wcag_reference_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_placeholders_name_the_default_regions_main_line():
    values = load_profile(ROOT / "course.yml").placeholders()
    assert values["crisis_line"] == "988 Suicide & Crisis Lifeline (call 988 or text 988)"
    assert values["emergency_number"] == "911"


RIVERSIDE = ROOT / "tests" / "data" / "profiles" / "riverside.yml"


def test_service_placeholders_pick_the_service_for_the_topic():
    values = load_profile(ROOT / "course.yml").placeholders()
    assert values["service:domestic-abuse"] == (
        "National Domestic Violence Hotline (call 1-800-799-7233 or text START to 88788)"
    )
    assert values["service:substance-use"] == "SAMHSA's National Helpline (call 1-800-662-4357)"
    # No mobile crisis team is listed: the main crisis line stands in.
    assert values["service:mobile-crisis"] == values["crisis_line"]
    other = load_profile(RIVERSIDE).placeholders()
    assert other["service:domestic-abuse"] == "1800RESPECT (call 1800 737 732)"
    assert "safeguarding officer the same day" in other["reporting_duties"]


def test_unknown_service_topic_is_refused_with_line_and_fix(tmp_path):
    path = broken(tmp_path, "topics: [domestic-abuse]", "topics: [domestic-violence]")
    result = run_validate(path)
    assert result.returncode == 2
    assert f"course.yml:{line_of(path, 'domestic-violence')}" in result.stderr
    assert "domestic-abuse" in result.stderr  # the fix lists the allowed topics
    assert "Traceback" not in result.stderr


def test_topic_resources_show_only_that_topics_services():
    from facilitator_course import show_crisis_resources

    shown = show_crisis_resources("domestic-abuse")
    assert "National Domestic Violence Hotline" in shown.html
    assert "National Domestic Abuse Helpline" in shown.html and "1800 341 900" in shown.html
    assert 'href="sms:88788?body=START"' in shown.html
    assert "988 Suicide" not in shown.html.split("No service")[0]
    assert "Samaritans" not in shown.html
    with pytest.raises(ValueError, match="unknown topic"):
        show_crisis_resources("parking")


def test_validate_warns_while_nobody_has_reviewed_the_course(tmp_path):
    result = run_validate(ROOT / "course.yml")
    assert "warning:" in result.stderr and "nobody has reviewed the course" in result.stderr
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    reviewed = broken(
        tmp_path / "a",
        "reviews: []",
        'reviews:\n  - {role: clinical, name: Dr Ana Ruiz, date: "2026-11-30"}',
    )
    result = run_validate(reviewed)
    assert "nobody has reviewed" not in result.stderr
    bad_date = broken(
        tmp_path / "b", "reviews: []", "reviews:\n  - {role: clinical, name: Ana, date: soon}"
    )
    assert run_validate(bad_date).returncode == 2


def test_review_record_says_plainly_when_missing_and_lists_reviewers(monkeypatch):
    from facilitator_course import show_review_record

    monkeypatch.setenv("COURSE_PROFILE", str(ROOT / "course.yml"))
    assert "has not yet reviewed this course" in show_review_record().html
    monkeypatch.setenv("COURSE_PROFILE", str(RIVERSIDE))
    record = show_review_record().html
    assert "Tui Ngata" in record and "Lived experience" in record and "2026-10-09" in record
    assert "not yet reviewed" not in record


def test_profile_values_are_escaped_in_the_new_panels(tmp_path, monkeypatch):
    from facilitator_course import show_naloxone, show_reporting_duties, show_review_record

    path = broken(tmp_path, "reporting_duties: >-", "reporting_duties: >-\n  <b>x</b>")
    text = path.read_text().replace(
        "reviews: []",
        'reviews:\n  - {role: other, name: "<script>x()</script>", date: "2026-01-01"}',
    )
    path.write_text(text)
    monkeypatch.setenv("COURSE_PROFILE", str(path))
    for panel in (show_reporting_duties(), show_review_record(), show_naloxone()):
        assert "<script>x" not in panel.html and "<b>x" not in panel.html


def test_text_reads_well_with_any_organization_name_and_number(tmp_path, monkeypatch):
    from facilitator_course.display import emergency_words, show_crisis_resources

    text = GOOD.replace("name: Example Peer Support Network", "name: Tui Circles", 1)
    path = tmp_path / "course.yml"
    path.write_text(text)
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "logo.svg").write_text((ROOT / "book" / "logo.svg").read_text())
    monkeypatch.setenv("COURSE_PROFILE", str(path))
    shown = show_crisis_resources("suicide")
    assert "Circles's" not in shown.html and "the list of Tui Circles" in shown.html
    assert "emergency the local emergency number" not in shown.text
    assert emergency_words("911") == "emergency 911"
    assert emergency_words("the local emergency number") == "the local emergency number"
