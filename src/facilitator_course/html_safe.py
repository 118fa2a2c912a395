"""Putting values from a profile, a scenario or a trainee into HTML safely."""

from __future__ import annotations

import json
from html import escape

__all__ = ["escape", "script_json"]

_IN_SCRIPT = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(data) -> str:
    """JSON to put inside <script type="application/json">: no `</script>`, `<!--` or
    line separator in it can end the script or change how the page is parsed."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return "".join(_IN_SCRIPT.get(ch, ch) for ch in text)
