"""The organization profile (course.yml): name, branding, contacts, crisis resources."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from .errors import CourseError, Problem
from .paths import default_profile
from .schema_check import checked_data, load_schema, parse_checked
from .svg_check import svg_problem

PROFILE_SCHEMA = "profile.schema.json"
MIN_CONTRAST = 4.5  # WCAG 2.1 AA for normal text, against white


@dataclass(frozen=True, eq=False)
class Profile:
    path: Path
    data: dict

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def short_name(self) -> str:
        return self.data["short_name"]

    @property
    def colour(self) -> str:
        return self.data["primary_colour"]

    @property
    def logo(self) -> Path | None:
        logo = self.data.get("logo")
        return (self.path.parent / logo).resolve() if logo else None

    @property
    def regions(self) -> list[dict]:
        """Crisis resources, the default region first."""
        default = self.data["default_region"]
        return sorted(self.data["crisis_resources"], key=lambda r: r["region"] != default)

    @property
    def digest(self) -> str:
        """A hash of the profile and its logo: what an organization's build depends on."""
        h = hashlib.sha256(self.path.read_bytes())
        if self.logo and self.logo.is_file():
            h.update(self.logo.read_bytes())
        return h.hexdigest()[:16]

    def services(self, topic: str | None = None) -> list[tuple[dict, list[dict]]]:
        """(region, services) pairs, the default region first; only services for `topic`."""
        pairs = []
        for region in self.regions:
            found = [s for s in region["services"] if topic is None or topic in s.get("topics", [])]
            pairs.append((region, found))
        return pairs

    def service_line(self, topic: str | None = None) -> str:
        """The default region's first service for `topic` (else its main line), and its reach."""
        region, found = self.services(topic)[0]
        return reach(found[0] if found else region["services"][0])

    @property
    def reviews(self) -> list[dict]:
        return list(self.data.get("reviews") or [])

    def placeholders(self) -> dict[str, str]:
        """Values for {placeholders} in scenario text (the list: scenarios/placeholders.py)."""
        from .scenarios.placeholders import profile_values

        return profile_values(self)


@cache
def service_topics() -> tuple[str, ...]:
    """The topics a crisis service can be listed for (the profile schema's list)."""
    schema = json.loads(
        resources.files(__package__).joinpath("schemas", PROFILE_SCHEMA).read_text()
    )
    return tuple(schema["$defs"]["service_topic"]["enum"])


def reach(service: dict) -> str:
    """'Name (call X or text Y)': a service and the ways to reach it."""
    how = [f"call {service['phone']}"] if service.get("phone") else []
    if service.get("text"):
        text = service["text"]
        how.append(text if text.lower().startswith("text ") else f"text {text}")
    if not how:
        how.append(service.get("chat") or service.get("web"))
    return f"{service['name']} ({' or '.join(how)})"


def check_profile(path: Path) -> list[Problem]:
    """Every problem in the profile at `path`; empty when it is good."""
    source, problems = parse_checked(path, load_schema(PROFILE_SCHEMA))
    if source is not None and not isinstance(source.data, dict):
        return [
            Problem(
                path,
                1,
                "the profile must be a mapping of keys to values.",
                "start from the shipped course.yml and edit its values.",
            )
        ]
    if problems:
        return problems
    data = source.data
    regions = [r["region"] for r in data["crisis_resources"]]
    for i, region in enumerate(regions):
        if regions.index(region) != i:
            problems.append(
                Problem(
                    path,
                    source.line(["crisis_resources", i, "region"]),
                    f"region {region} is listed twice.",
                    "merge its services into one entry.",
                )
            )
    if data["default_region"] not in regions:
        problems.append(
            Problem(
                path,
                source.line(["default_region"]),
                f"default_region {data['default_region']} has no crisis resources.",
                f"use one of {', '.join(regions)}, or add that region.",
            )
        )
    ratio = contrast(data["primary_colour"], "#ffffff")
    if ratio < MIN_CONTRAST:
        problems.append(
            Problem(
                path,
                source.line(["primary_colour"]),
                f"primary_colour {data['primary_colour']} has a contrast of {ratio:.2f}:1 against "
                f"white; links and buttons in it would fail WCAG AA ({MIN_CONTRAST}:1).",
                f"use a darker shade of your colour, such as {darker(data['primary_colour'])}.",
            )
        )
    logo = data.get("logo")
    if logo:
        problems += [
            Problem(path, source.line(["logo"]), message, fix)
            for message, fix in logo_problems(Path(path).parent, logo)
        ]
    return problems


MAX_LOGO_BYTES = 1024 * 1024


def logo_problems(folder: Path, logo: str) -> list[tuple[str, str]]:
    """A logo must be a real PNG, JPEG or script-free SVG of at most 1 MB, in the profile's
    own folder tree, and no link: it is copied into every page of the site."""
    given = Path(logo)
    where = folder / given
    fix = "put the image file beside course.yml (or in a folder below it) and give its path."
    if given.is_absolute() or ".." in given.parts:
        return [(f"logo {logo} is outside this profile's folder.", fix)]
    part = where
    while part != folder and folder in part.parents:
        if part.is_symlink():
            return [(f"logo {logo} is a link ({part.name}); links are not followed.", fix)]
        part = part.parent
    if not where.is_file():
        return [
            (
                f"logo file {logo} does not exist.",
                "give a path relative to this file, or remove the logo key.",
            )
        ]
    if not where.resolve().is_relative_to(folder.resolve()):
        return [(f"logo {logo} is outside this profile's folder.", fix)]
    size = where.stat().st_size
    if size > MAX_LOGO_BYTES:
        return [(f"logo {logo} is {size // 1024} KB; at most 1024 KB.", "use a smaller image.")]
    head = where.read_bytes()
    kinds = {
        ".png": head.startswith(b"\x89PNG\r\n\x1a\n"),
        ".jpg": head.startswith(b"\xff\xd8\xff"),
    }
    kinds[".jpeg"] = kinds[".jpg"]
    suffix = where.suffix.lower()
    if suffix == ".svg":
        problem = svg_problem(head)
        if problem:
            return [
                (
                    f"logo {logo} is not a plain SVG picture ({problem}): scripts, event "
                    "handlers, embedded pages and references to other files or hosts are "
                    "not allowed in the logo.",
                    "export a plain SVG (shapes and text only), or use a PNG.",
                )
            ]
    elif not kinds.get(suffix, False):
        return [(f"logo {logo} is not a {suffix[1:].upper()} image.", "export the logo again.")]
    return []


def profile_warnings(path: Path) -> list[Problem]:
    """What a valid profile should still fix before the course is relied on."""
    source, problems = parse_checked(path, load_schema(PROFILE_SCHEMA))
    if problems or not isinstance(source.data, dict):
        return []
    if not source.data.get("reviews"):
        where = source.line(["reviews"]) if "reviews" in source.data else 0
        return [
            Problem(
                path,
                where,
                "nobody has reviewed the course for this organization yet; the landing page "
                "says so.",
                "add `reviews:` entries (role, name, date) once people with lived experience, "
                "safeguarding and clinical knowledge have checked it against local law and "
                "services.",
            )
        ]
    return []


@cache
def _load(path: Path, mtime: float) -> Profile:
    return Profile(path, checked_data(path, check_profile))


def load_profile(path: Path | str | None = None) -> Profile:
    """The validated profile at `path` (default: $COURSE_PROFILE or course.yml)."""
    path = Path(path).resolve() if path else default_profile()
    if not path.is_file():
        raise CourseError(
            Problem(
                path,
                0,
                "organization profile not found.",
                "pass --profile with the path to your course.yml.",
            )
        )
    return _load(path, path.stat().st_mtime)


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def darker(colour: str, against: str = "#ffffff") -> str:
    """The lightest shade of `colour` (same hue, scaled towards black) that reaches the
    WCAG AA contrast against `against`."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    for step in range(100, -1, -1):
        shade = "#" + "".join(f"{round(c * step / 100):02x}" for c in rgb)
        if contrast(shade, against) >= MIN_CONTRAST:
            return shade
    return "#000000"
