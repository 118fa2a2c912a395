"""What module notebooks show: objectives, crisis resources, scenarios, exercises.

Each function returns an object that renders the same HTML in JupyterLab and
on the website.
"""

from __future__ import annotations

from html import escape
from importlib import resources

from .curriculum import module
from .paths import project_root
from .profile import load_profile, reach
from .wording import CONFIDENTIALITY_LONG, NALOXONE_GENERAL


class Html:
    """Rich output: HTML for Jupyter and the book, plain text elsewhere."""

    def __init__(self, html: str, text: str):
        self.html, self.text = html, text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def emergency_words(number: str) -> str:
    """ "emergency 911", but "your local emergency number" as it is, never "emergency your
    local emergency number"."""
    return f"emergency {number}" if any(ch.isdigit() for ch in number) else number


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


def _sms_href(text: str) -> str:
    """An sms: link for "988" or for a keyword service such as "START to 88788"."""
    word, _, number = text.rpartition(" to ")
    href = "sms:" + number.replace(" ", "").replace("-", "")
    return href + (f"?body={word.strip()}" if word else "")


def _service_html(service: dict) -> str:
    ways = []
    if phone := service.get("phone"):
        ways.append(f'call <a href="tel:{escape(phone.replace(" ", ""))}">{escape(phone)}</a>')
    if text := service.get("text"):
        ways.append(f'text <a href="{escape(_sms_href(text))}">{escape(text)}</a>')
    if chat := service.get("chat"):
        ways.append(f'chat at <a href="{escape(chat)}">{escape(chat.split("//")[1])}</a>')
    if web := service.get("web"):
        ways.append(f'visit <a href="{escape(web)}">{escape(web.split("//")[1])}</a>')
    about = f" {escape(service['description'])}" if service.get("description") else ""
    return (
        f"<li><strong>{escape(service['name'])}</strong>: {', '.join(ways)} "
        f"({escape(service['hours'])}).{about}</li>"
    )


TOPIC_NAMES = {
    "suicide": "suicide and crisis",
    "crisis": "crisis",
    "emotional-support": "emotional support",
    "domestic-abuse": "domestic abuse",
    "sexual-violence": "sexual violence",
    "substance-use": "alcohol and drug use",
    "youth": "children and young people",
    "lgbtq": "LGBTQ+ people",
    "mobile-crisis": "crisis teams that come to you",
    "eating-disorders": "eating disorders",
    "directory": "finding a helpline",
}


def show_crisis_resources(topic: str | None = None) -> Html:
    """The organization's crisis resources, its default region first; only `topic`'s if given."""
    profile = load_profile()
    if topic is not None and topic not in TOPIC_NAMES:
        raise ValueError(f"unknown topic {topic!r}; use one of {', '.join(TOPIC_NAMES)}")
    if topic:
        title = f"Services for {TOPIC_NAMES[topic]}"
        intro = (
            "If someone is in immediate danger, call the emergency number. "
            f"These services on the list of {escape(profile.name)} help with "
            f"{TOPIC_NAMES[topic]}."
        )
    else:
        title = "Need help now?"
        intro = (
            "If someone is in immediate danger, call the emergency number. "
            "If you are struggling, or worried about someone, these services are free and "
            "confidential."
        )
    parts = [f'<p class="fc-title">{title}</p>', f"<p>{intro}</p>"]
    lines = [title]
    for region, services in profile.services(topic):
        emergency = escape(region["emergency_number"])
        if services:
            listed = f"<ul>{''.join(_service_html(s) for s in services)}</ul>"
        else:
            listed = (
                f"<p>No service for {TOPIC_NAMES[topic]} is listed here yet; the crisis "
                f"line, {escape(reach(region['services'][0]))}, can help you find one.</p>"
            )
        parts.append(
            f"<p><strong>{escape(region['label'])}</strong>: in an emergency, call "
            f"{emergency}.</p>{listed}"
        )
        names = "; ".join(s["name"] for s in services) or "no specialist service listed"
        lines.append(f"{region['label']}: {emergency_words(region['emergency_number'])}; {names}")
    lead = profile.data["escalation_contact"]
    contact = lead.get("phone") or lead.get("email")
    parts.append(
        f"<p>Facilitators: tell {escape(lead['name'])} ({escape(contact)}) "
        f"about any crisis in your group.</p>"
    )
    label = f"{title} ({profile.name})"
    return Html(_panel(label, "".join(parts)), "\n".join(lines))


def show_reporting_duties() -> Html:
    """The safeguarding lead and what the organization says its reporting duties are."""
    profile = load_profile()
    lead = profile.data["safeguarding_lead"]
    reach = lead.get("phone") or lead.get("email")
    duties = profile.data["reporting_duties"].strip()
    body = (
        f'<p class="fc-title">Reporting duties at {escape(profile.name)}</p>'
        f"<p>{escape(duties)}</p>"
        f"<p>Safeguarding lead: <strong>{escape(lead['name'])}</strong> ({escape(reach)})"
        + (f", {escape(lead['role'])}" if lead.get("role") else "")
        + ".</p>"
        "<p>If anyone is in immediate danger, call the emergency number first, then the "
        "safeguarding lead.</p>"
    )
    text = f"Reporting duties: {duties}\nSafeguarding lead: {lead['name']} ({reach})"
    return Html(_panel("Reporting duties", body), text)


def show_confidentiality_limits() -> Html:
    """The course's one wording of confidentiality and its limits, with the org's duties."""
    profile = load_profile()
    duties = profile.data["reporting_duties"].strip()
    body = (
        '<p class="fc-title">Confidentiality and its limits</p>'
        f"<p>{escape(CONFIDENTIALITY_LONG)}</p>"
        f"<p>What {escape(profile.name)} adds: {escape(duties)}</p>"
    )
    return Html(_panel("Confidentiality and its limits", body), CONFIDENTIALITY_LONG)


def show_naloxone() -> Html:
    """General information on naloxone, and what the organization says about it locally."""
    profile = load_profile()
    local = profile.data.get("naloxone")
    where = (
        f"<p>{escape(profile.name)}: {escape(local.strip())}</p>"
        if local
        else f"<p>Ask {escape(profile.name)} whether your venue keeps naloxone, "
        "and who is trained to use it.</p>"
    )
    body = f'<p class="fc-title">Naloxone</p><p>{escape(NALOXONE_GENERAL)}</p>{where}'
    return Html(_panel("Naloxone", body), NALOXONE_GENERAL)


def show_organization() -> Html:
    """Who offers this copy of the course, in words, for the top of the landing page."""
    profile = load_profile()
    name = escape(profile.name)
    html = (
        f'<p class="fc-offered-by"><strong>{name}</strong> offers this course to its '
        "facilitators. Its crisis lines and contacts are on every page under "
        '<a href="crisis-resources.html">Need help now?</a></p>'
    )
    return Html(html, f"{profile.name} offers this course to its facilitators.")


def show_review_record() -> Html:
    """Who reviewed the course for the organization; says so plainly when nobody has."""
    profile = load_profile()
    reviews = profile.reviews
    if not reviews:
        body = (
            '<p class="fc-title">Not yet reviewed</p>'
            f"<p>{escape(profile.name)} has not yet reviewed this course. Before you rely "
            "on it, ask the organization who checked it against local law, services and "
            "practice.</p>"
        )
        text = f"{profile.name} has not yet reviewed this course."
    else:
        rows = "".join(
            f"<li><strong>{escape(ROLE_NAMES.get(r['role'], r['role']))}</strong>: "
            f"{escape(r['name'])}, {escape(r['date'])}"
            + (f" ({escape(r['note'])})" if r.get("note") else "")
            + "</li>"
            for r in reviews
        )
        body = f'<p class="fc-title">Reviewed for {escape(profile.name)}</p><ul>{rows}</ul>'
        text = "; ".join(f"{r['role']}: {r['name']}, {r['date']}" for r in reviews)
    return Html(_panel("Review record", body), text)


ROLE_NAMES = {
    "lived-experience": "Lived experience",
    "peer-facilitator": "Peer facilitator",
    "clinical": "Clinical",
    "safeguarding": "Safeguarding",
    "legal": "Legal",
    "trainer": "Trainer",
    "other": "Other",
}


def show_exercise(slug: str) -> Html:
    """The module's exercise: a form on the website; in JupyterLab, where its notebook is."""
    import os

    from .scenarios.player import SITE_BUILD_ENV

    m = module(slug)
    source = project_root() / "exercises" / "items" / f"{slug}.yaml"
    if not source.is_file():
        body = (
            f'<p class="fc-title">Exercise: {escape(m.title)}</p>'
            "<p>This module's exercise is not published yet.</p>"
        )
        return Html(_panel("Exercise", body), "Exercise not published yet.")
    if os.environ.get(SITE_BUILD_ENV):
        from .grading.web import exercise_html

        body = (
            f'<p class="fc-title">Exercise: {escape(m.title)}</p>'
            "<p>Answer in plain words: choose options, put steps in order, or write a few "
            "sentences. When you are done, check that every answer is complete, then "
            "download your answers and hand the file in as your trainer asks. You can also "
            f'answer the same exercise in JupyterLab: <a href="exercises/{slug}.ipynb">'
            f"{slug}.ipynb</a>.</p>"
        )
        return Html(_panel("Exercise", body) + exercise_html(slug), f"Exercise: {slug}")
    body = (
        f'<p class="fc-title">Exercise: {escape(m.title)}</p>'
        f"<p>Open the exercise notebook {slug}.ipynb that your trainer gives you (or download "
        "it from the course website), write each answer in plain words in its box, run the "
        "self-check at the end, and hand it in as your trainer asks.</p>"
    )
    return Html(_panel("Exercise", body), f"Exercise: {slug}.ipynb")
