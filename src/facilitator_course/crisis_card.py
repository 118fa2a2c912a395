"""The one-page crisis card: first minutes of each kind of crisis, with the
organization's own numbers, as a standalone printable page of the website."""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .paths import package_dir
from .profile import Profile, load_profile
from .scenarios.placeholders import fill
from .wording import CONFIDENTIALITY_SHORT

CARD_PAGE = "crisis-card.html"


def render_crisis_card(profile: Profile | None = None) -> str:
    """The crisis card's HTML for a profile (default: the active one); every value escaped."""
    profile = profile or load_profile()
    values = profile.placeholders()
    env = Environment(
        loader=FileSystemLoader(package_dir() / "templates" / "print"),
        autoescape=select_autoescape(["html"]),
    )
    return env.get_template(CARD_PAGE).render(
        org_name=profile.name,
        colour=profile.colour,
        emergency=values["emergency_number"],
        crisis_line=values["crisis_line"],
        escalation=values["escalation_contact"],
        safeguarding=values["safeguarding_lead"],
        abuse_line=fill("{service:domestic-abuse}", values),
        confidentiality=CONFIDENTIALITY_SHORT,
        reporting_duties=values["reporting_duties"],
    )
