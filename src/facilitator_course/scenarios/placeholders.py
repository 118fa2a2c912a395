"""{placeholder} substitution with the organization's values; {{ and }} are literal braces."""

from __future__ import annotations

import re

TOKEN = re.compile(r"\{\{|\}\}|\{([a-z_]+)\}|\{[^{}]*\}")
NAMES = (
    "org_name",
    "org_short_name",
    "escalation_contact",
    "safeguarding_lead",
    "crisis_line",
    "emergency_number",
)


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders in `text` that the profile does not provide."""
    found = []
    for m in TOKEN.finditer(text):
        if m.group(0) in ("{{", "}}"):
            continue
        if m.group(1) not in NAMES:
            found.append(m.group(0))
    return found


def fill(text: str, values: dict[str, str]) -> str:
    def sub(m: re.Match) -> str:
        token = m.group(0)
        if token in ("{{", "}}"):
            return token[0]
        return values[m.group(1)]

    return TOKEN.sub(sub, text)
