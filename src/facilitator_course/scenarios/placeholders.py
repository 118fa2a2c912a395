"""{placeholder} substitution with the organization's values; {{ and }} are literal braces.

`{service:TOPIC}` names the default region's service for a topic of the profile's
list (falling back to its main crisis line).
"""

from __future__ import annotations

import re

from ..profile import service_topics

TOKEN = re.compile(r"\{\{|\}\}|\{([a-z_]+(?::[a-z-]+)?)\}|\{[^{}]*\}")
NAMES = (
    "org_name",
    "org_short_name",
    "escalation_contact",
    "safeguarding_lead",
    "crisis_line",
    "emergency_number",
    "reporting_duties",
    "confidentiality_limits",
)


def known_names() -> tuple[str, ...]:
    """Every placeholder a scenario may use."""
    return NAMES + tuple(f"service:{topic}" for topic in service_topics())


def describe() -> str:
    """The placeholders, for an error message's fix."""
    names = ", ".join("{" + n + "}" for n in NAMES)
    return f"{names}, or {{service:TOPIC}} with TOPIC one of {', '.join(service_topics())}"


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
