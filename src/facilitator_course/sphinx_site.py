"""A Sphinx extension for the course site: drop what the pages must not load, and
give the theme the organization's name as text.

Jupyter Book 1 always loads sphinx-thebe (live code from a remote kernel), whose
inline script is also added twice and throws on every page. The course has no
live code, so its scripts and styles are removed from every page.

The theme prints the site title, author and copyright (the organization's name)
escaped in some places (the page title) and as raw HTML in others (the logo's alt
text, "By ..."). Each reaches the templates escaped and marked safe, so it is text
everywhere and escaped once.
"""

from __future__ import annotations

from markupsafe import escape

UNWANTED = ("thebe",)
# ES modules in _static: the trainee's progress (static/progress.js, on every page) and
# what it imports (inside an LMS, static/scorm.js; the course map). Jupyter Book adds
# every .js file in _static as a classic script too: those tags are removed.
SITE_MODULES = ("progress.js", "scorm.js")
COURSE_MAP = "course-map.js"
THEME_TEXT = ("docstitle", "shorttitle", "project", "author", "copyright")


def _unwanted(asset) -> bool:
    attrs = getattr(asset, "attributes", {}) or {}
    name = str(getattr(asset, "filename", "") or "")
    text = f"{name} {attrs.get('body', '')}"
    if name.split("?")[0].rsplit("/", 1)[-1] in (*SITE_MODULES, COURSE_MAP):
        return attrs.get("type") != "module"  # a module, loaded as a classic script
    return any(word in text.lower() for word in UNWANTED)


def _prune(app, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _unwanted(a)]
    for key in THEME_TEXT:
        if isinstance(context.get(key), str):
            context[key] = escape(context[key])  # Markup: a template's |e keeps it as it is


def setup(app):
    app.connect("html-page-context", _prune, priority=900)
    app.add_js_file("progress.js", type="module")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
