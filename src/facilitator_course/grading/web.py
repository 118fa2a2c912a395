"""Exercises on the website: the items of an assignment compiled to public JSON (no keys,
no model answers, no feedback), and the HTML that mounts the form (static/exercise-form.js).

The form keeps answers in the browser only and downloads the nbgrader submission
notebook with the answers written in plain words, which `course collect` and
`course grade` take like any other.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

from ..html_safe import script_json
from ..paths import package_dir
from .items import assignment
from .kinds import KINDS

FORM_JS = package_dir() / "static" / "exercise-form.js"
SITE_FORM_URL = "assets/exercise-form.js"
_md = MarkdownIt("commonmark", {"html": False, "typographer": True})
_TAGS = {"p", "em", "strong", "ul", "ol", "li", "br", "code", "blockquote"}


def _html(text: str, inline: bool = False) -> str:
    rendered = _md.renderInline(text) if inline else _md.render(text)
    return nh3.clean(rendered.strip(), tags=_TAGS, attributes={})


def public_item(item: dict) -> dict:
    """What the form needs to show one item and to say whether its answer is complete."""
    kind = KINDS[item["kind"]]
    out = {
        "id": item["id"],
        "kind": item["kind"],
        "form": kind.form,  # the form's control: radio, checkboxes, order, match or text
        "points": item["points"],
        "competencies": item["competencies"],
        "prompt": _html(item["prompt"]),
        # the controls say how to answer; only prose needs a word of advice
        "how": kind.how(item) if kind.form == "prose" else "",
        "optional": not kind.auto,
    }
    if item.get("vignette"):
        out["vignette"] = _html(item["vignette"])
    for key in ("options", "steps", "statements"):
        if key in item:
            out[key] = [[k, _html(v, inline=True)] for k, v in sorted(item[key].items())]
    if "categories" in item:
        out["categories"] = list(item["categories"])
    return out


def public_assignment(slug: str) -> dict:
    data = assignment(slug)
    return {
        "assignment": slug,
        "title": data["title"],
        "notebook": f"exercises/{slug}.ipynb",
        "items": [public_item(i) for i in data["items"]],
    }


def exercise_html(slug: str) -> str:
    """The exercise form for the website: its data as JSON and the module that mounts it."""
    data = public_assignment(slug)
    payload = script_json(data)
    data_id = f"fce-{slug}"
    return (
        f'<div class="fc-exercise" data-exercise="{slug}" data-fc-data="{data_id}">'
        "<p>The exercise form needs JavaScript. You can also download the exercise notebook "
        f'(<a href="{data["notebook"]}">{slug}.ipynb</a>) and answer it in JupyterLab.</p>'
        "</div>"
        f'<script type="application/json" id="{data_id}">{payload}</script>'
        f'<script type="module">import {{ mountExercises }} from "./{SITE_FORM_URL}"; '
        "mountExercises();</script>"
    )


def practice_html(data: dict) -> str:
    """Practice questions with instant feedback: keys and feedback are in the page, since
    practice is not graded."""
    questions = []
    for q in data["questions"]:
        public = public_item({**q, "points": 1})
        public["answer"] = q["answer"]
        public["principle"] = q["principle"]
        public["model"] = q.get("model", "")
        public["feedback"] = {k: _html(v, inline=True) for k, v in q.get("feedback", {}).items()}
        questions.append(public)
    slug = data["module"]
    payload = script_json({"module": slug, "items": questions})
    data_id = f"fcp-{slug}"
    return (
        f'<div class="fc-exercise" data-practice="{slug}" data-fc-data="{data_id}">'
        "<p>The practice questions need JavaScript.</p></div>"
        f'<script type="application/json" id="{data_id}">{payload}</script>'
        f'<script type="module">import {{ mountPractice }} from "./{SITE_FORM_URL}"; '
        "mountPractice();</script>"
    )
