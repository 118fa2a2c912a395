"""What module notebooks show: objectives, crisis resources, scenarios, exercises.

Each function returns an object that renders the same HTML in JupyterLab and
on the website.
"""

from __future__ import annotations

from html import escape
from importlib import resources

from .curriculum import module
from .paths import project_root
from .profile import load_profile


class Html:
    """Rich output: HTML for Jupyter and the book, plain text elsewhere."""

    def __init__(self, html: str, text: str):
        self.html, self.text = html, text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def _panel(label: str, body: str) -> str:
    colour = load_profile().colour
    css = resources.files(__package__).joinpath("static", "panels.css").read_text().strip()
    return (
        f'<style>{css}</style><section class="fc-panel" style="--fc-primary:{colour}" '
        f'aria-label="{escape(label)}">{body}</section>'
    )


def show_objectives(slug: str) -> Html:
    """The module's learning objectives, from competencies.yml."""
    m = module(slug)
    items = "".join(
        f"<li><strong>{cid}</strong>: you can {escape(text)}</li>"
        for cid, text in m.competencies.items()
    )
    text = "\n".join(f"{cid}: you can {t}" for cid, t in m.competencies.items())
    body = f'<p class="fc-title">By the end of this module</p><ul>{items}</ul>'
    return Html(_panel("Learning objectives", body), text)


def _service_html(service: dict) -> str:
    ways = []
    if phone := service.get("phone"):
        ways.append(f'call <a href="tel:{escape(phone.replace(" ", ""))}">{escape(phone)}</a>')
    if text := service.get("text"):
        ways.append(f'text <a href="sms:{escape(text.replace(" ", ""))}">{escape(text)}</a>')
    if chat := service.get("chat"):
        ways.append(f'chat at <a href="{escape(chat)}">{escape(chat.split("//")[1])}</a>')
    if web := service.get("web"):
        ways.append(f'visit <a href="{escape(web)}">{escape(web.split("//")[1])}</a>')
    about = f" {escape(service['description'])}" if service.get("description") else ""
    return (
        f"<li><strong>{escape(service['name'])}</strong>: {', '.join(ways)} "
        f"({escape(service['hours'])}).{about}</li>"
    )


def show_crisis_resources() -> Html:
    """The organization's crisis resources, its default region first."""
    profile = load_profile()
    parts = [
        '<p class="fc-title">Need help now?</p>',
        "<p>If someone is in immediate danger, call the emergency number. "
        "If you are struggling, or worried about someone, these services are free and "
        "confidential.</p>",
    ]
    lines = ["Need help now?"]
    for region in profile.regions:
        emergency = escape(region["emergency_number"])
        services = "".join(_service_html(s) for s in region["services"])
        parts.append(
            f"<p><strong>{escape(region['label'])}</strong>: emergency "
            f"{emergency}</p><ul>{services}</ul>"
        )
        lines.append(
            f"{region['label']}: emergency {region['emergency_number']}; "
            + "; ".join(s["name"] for s in region["services"])
        )
    lead = profile.data["escalation_contact"]
    reach = lead.get("phone") or lead.get("email")
    parts.append(
        f"<p>Facilitators: tell {escape(lead['name'])} ({escape(reach)}) "
        f"about any crisis in your group.</p>"
    )
    return Html(_panel(f"Crisis resources from {profile.name}", "".join(parts)), "\n".join(lines))


def show_exercise(slug: str) -> Html:
    """Where to find the module's exercise and how to hand it in."""
    m = module(slug)
    source = project_root() / "exercises" / "source" / slug / f"{slug}.ipynb"
    if source.is_file():
        body = (
            f'<p class="fc-title">Exercise: {escape(m.title)}</p>'
            f'<p>Download <a href="exercises/{slug}.ipynb">{slug}.ipynb</a>, open it in '
            "JupyterLab, answer each item and run its check cell to see feedback. "
            "Hand it in as your trainer asks.</p>"
        )
        text = f"Exercise: exercises/{slug}.ipynb"
    else:
        body = (
            f'<p class="fc-title">Exercise: {escape(m.title)}</p>'
            "<p>This module's exercise is not published yet.</p>"
        )
        text = "Exercise not published yet."
    return Html(_panel("Exercise", body), text)
