"""A Content-Security-Policy for every page of the built site, that the site itself
passes: scripts only from the site itself, or inline scripts and handlers whose exact
text was hashed when the site was built; nothing from any other host."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
HANDLER = re.compile(r"""\son[a-z]+=(?:"([^"]*)"|'([^']*)')""", re.I)
DATA_TYPES = ("application/json", "text/x-thebe-config", "application/vnd.jupyter")


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def policy(html: str) -> str:
    """The policy for one page: its own inline scripts and handlers, by hash."""
    scripts = {
        _hash(body)
        for attrs, body in INLINE_SCRIPT.findall(html)
        if not any(t in attrs for t in DATA_TYPES)
    }
    handlers = {_hash(a or b) for a, b in HANDLER.findall(html)}
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


def protect_site(folder: Path) -> int:
    """Add a policy to every HTML page under `folder`; how many pages."""
    count = 0
    for page in folder.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "Content-Security-Policy" not in text:
            page.write_text(add_policy(text), encoding="utf-8")
            count += 1
    return count
