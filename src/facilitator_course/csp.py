"""A Content-Security-Policy for every page of the built site, that the site itself
passes: scripts only from the site itself, or the inline scripts and handlers that the
theme and the course write, hashed when the site is built; nothing from any other host.

Only known inline code is hashed: a script or handler that reached a page any other way
(a value that escaped its escaping) is not, so the browser refuses to run it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
HANDLER = re.compile(r"""\son[a-z]+=(?:"([^"]*)"|'([^']*)')""", re.I)
DATA_TYPES = ("application/json", "text/x-thebe-config", "application/vnd.jupyter")
# The inline code of Sphinx 7.4, pydata-sphinx-theme 0.17, sphinx-book-theme 1.3,
# sphinx-togglebutton and myst-nb pages, and the course's own loaders (player.py,
# grading/web.py), with runs of white space as one space.
KNOWN_CODE = re.compile(
    "|".join(
        [
            r'document\.documentElement\.dataset\.mode = localStorage\.getItem\("mode"\) \|\| '
            r'"light"; document\.documentElement\.dataset\.theme = localStorage\.getItem\('
            r'"theme"\) \|\| "light";',
            r"let toggleHint(?:Show|Hide) = 'Click to (?:show|hide)';",
            r"let toggleOpenOnPrint = 'true';",
            r"var togglebuttonSelector = '\.toggle, \.admonition\.dropdown';",
            r"DOCUMENTATION_OPTIONS\.pagename = '[\w./-]*';",
            r"DOCUMENTATION_OPTIONS\.search_as_you_type = false;",
            r"kernelName = 'python3'",
            r"// Activate the search field on page load let searchInput = document\.querySelector"
            r'\("form\.bd-search input"\); if \(searchInput\) \{ searchInput\.focus\(\); '
            r'searchInput\.select\(\); console\.log\("\[PST\]: Set focus on search field\."\); \}',
            r'import \{ mount(?:All|Exercises|Practice) \} from "\./assets/'
            r'(?:scenario-player|exercise-form)\.js"; mount(?:All|Exercises|Practice)\(\);',
            r"toggleFullScreen\(\)",
            r"window\.print\(\)",
        ]
    )
)


def known(code: str) -> bool:
    """Is `code` inline code the theme or the course writes?"""
    return KNOWN_CODE.fullmatch(" ".join(code.split())) is not None


def inline_code(html: str) -> tuple[list[str], list[str]]:
    """The inline scripts (not data) and the event handlers in a page."""
    scripts = [
        body
        for attrs, body in INLINE_SCRIPT.findall(html)
        if not any(t in attrs for t in DATA_TYPES)
    ]
    return scripts, [a or b for a, b in HANDLER.findall(html)]


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def policy(html: str) -> str:
    """The policy for one page: its known inline scripts and handlers, by hash."""
    found, handlers_found = inline_code(html)
    scripts = {_hash(body) for body in found if known(body)}
    handlers = {_hash(code) for code in handlers_found if known(code)}
    script_src = " ".join(["'self'", *sorted(scripts)])
    if handlers:
        script_src += " 'unsafe-hashes' " + " ".join(sorted(handlers))
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script_src}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def add_policy(html: str) -> str:
    """`html` with its policy as the first element of <head>."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    return re.sub(r"<head(\s[^>]*)?>", lambda m: m.group(0) + meta, html, count=1)


def protect_site(folder: Path) -> list[str]:
    """Add a policy to every HTML page under `folder`; the inline code it refuses, by page."""
    refused = []
    for page in folder.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "Content-Security-Policy" not in text:
            page.write_text(add_policy(text), encoding="utf-8")
        scripts, handlers = inline_code(text)
        name = page.relative_to(folder)
        refused += [
            f"{name}: {' '.join(c.split())[:80]}" for c in scripts + handlers if not known(c)
        ]
    return refused
