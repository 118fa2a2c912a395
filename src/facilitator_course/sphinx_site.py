"""A Sphinx extension for the course site: drop what the pages must not load.

Jupyter Book 1 always loads sphinx-thebe (live code from a remote kernel), whose
inline script is also added twice and throws on every page. The course has no
live code, so its scripts and styles are removed from every page.
"""

from __future__ import annotations

UNWANTED = ("thebe",)


def _unwanted(asset) -> bool:
    attrs = getattr(asset, "attributes", {}) or {}
    text = f"{getattr(asset, 'filename', '') or ''} {attrs.get('body', '')}"
    return any(word in text.lower() for word in UNWANTED)


def _prune(app, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _unwanted(a)]


def setup(app):
    app.connect("html-page-context", _prune, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
