"""The placeholders scenario text may use, and {placeholder} substitution with the
organization's values; {{ and }} are literal braces.

`PLACEHOLDERS` is the one list of them: each entry's name, the profile value it is
read from and a one-line description. The profile's values (`Profile.placeholders`),
the validator's "unknown placeholder" fix and the table in scenarios/README.md are
all built from it, so adding an entry is all a new placeholder needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..profile import service_topics
from ..wording import CONFIDENTIALITY_SHORT

if TYPE_CHECKING:
    from ..profile import Profile

TOKEN = re.compile(r"\{\{|\}\}|\{([a-z_]+(?::[a-z-]+)?)\}|\{[^{}]*\}")


@dataclass(frozen=True)
class Placeholder:
    """One placeholder. With `per_topic`, it is a family written `{name:TOPIC}`, one
    member per service topic of the profile schema, and `value` takes the topic too."""

    name: str
    source: str  # where its value comes from: a course.yml key, or the course's wording
    description: str  # one line, for the docs
    value: Callable[..., str]  # (profile) -> text, or (profile, topic) -> text
    per_topic: bool = False

    @property
    def written(self) -> str:
        """How scenario text writes it."""
        return "{" + self.name + (":TOPIC}" if self.per_topic else "}")

    def values(self, profile: Profile) -> dict[str, str]:
        """Name -> text for this placeholder (each member of a family)."""
        if not self.per_topic:
            return {self.name: self.value(profile)}
        return {f"{self.name}:{t}": self.value(profile, t) for t in service_topics()}


def contact(person: dict) -> str:
    """'Name (phone)', or 'Name (email)' when no phone is given."""
    return f"{person['name']} ({person.get('phone') or person.get('email')})"


PLACEHOLDERS: tuple[Placeholder, ...] = (
    Placeholder("org_name", "`name`", "the organization's name", lambda p: p.name),
    Placeholder("org_short_name", "`short_name`", "its short name", lambda p: p.short_name),
    Placeholder(
        "escalation_contact",
        "`escalation_contact`",
        "the person facilitators turn to during and after a session, with their phone (or email)",
        lambda p: contact(p.data["escalation_contact"]),
    ),
    Placeholder(
        "safeguarding_lead",
        "`safeguarding_lead`",
        "the safeguarding lead, with their phone (or email)",
        lambda p: contact(p.data["safeguarding_lead"]),
    ),
    Placeholder(
        "crisis_line",
        "`crisis_resources` of `default_region`",
        "the default region's main crisis service, with how to reach it",
        lambda p: p.service_line(),
    ),
    Placeholder(
        "emergency_number",
        "`emergency_number` of `default_region`",
        "the default region's emergency number",
        lambda p: p.regions[0]["emergency_number"],
    ),
    Placeholder(
        "reporting_duties",
        "`reporting_duties`",
        "the organization's statement of its reporting duties",
        lambda p: p.data["reporting_duties"].strip(),
    ),
    Placeholder(
        "confidentiality_limits",
        "the course (wording.py), not the profile",
        "the course's one wording of confidentiality and its three limits",
        lambda p: CONFIDENTIALITY_SHORT,
    ),
    Placeholder(
        "service",
        "`topics` of the `default_region`'s services",
        "the default region's first service listed for TOPIC, such as "
        "`{service:domestic-abuse}`; the main crisis line when none is listed",
        lambda p, topic: p.service_line(topic),
        per_topic=True,
    ),
)


def profile_values(profile: Profile) -> dict[str, str]:
    """Every placeholder's text for `profile`."""
    return {k: v for p in PLACEHOLDERS for k, v in p.values(profile).items()}


def known_names() -> tuple[str, ...]:
    """Every placeholder a scenario may use."""
    names: list[str] = []
    for p in PLACEHOLDERS:
        names += [f"{p.name}:{t}" for t in service_topics()] if p.per_topic else [p.name]
    return tuple(names)


def describe() -> str:
    """The placeholders, for an error message's fix."""
    plain = [p.written for p in PLACEHOLDERS if not p.per_topic]
    families = [
        f"{p.written} with TOPIC one of {', '.join(service_topics())}"
        for p in PLACEHOLDERS
        if p.per_topic
    ]
    return ", or ".join([", ".join(plain), *families])


def markdown_table() -> str:
    """The placeholders as a Markdown table, as scenarios/README.md shows them."""
    rows = [
        "| Placeholder | Comes from | What it gives |",
        "| --- | --- | --- |",
        *(f"| `{p.written}` | {p.source} | {p.description} |" for p in PLACEHOLDERS),
    ]
    return "\n".join(rows)


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders in `text` that the profile does not provide."""
    known = known_names()
    found = []
    for m in TOKEN.finditer(text):
        if m.group(0) in ("{{", "}}"):
            continue
        if m.group(1) not in known:
            found.append(m.group(0))
    return found


def fill(text: str, values: dict[str, str]) -> str:
    def sub(m: re.Match) -> str:
        token = m.group(0)
        if token in ("{{", "}}"):
            return token[0]
        return values[m.group(1)]

    return TOKEN.sub(sub, text)
