"""The organization profile: the shipped default and every kind of broken file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from facilitator_course.errors import CourseError
from facilitator_course.profile import check_profile, contrast, load_profile

ROOT = Path(__file__).resolve().parents[1]
GOOD = (ROOT / "course.yml").read_text()


def run_validate(profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "facilitator_course", "validate", "--profile", str(profile)],
        capture_output=True,
        text=True,
    )


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
