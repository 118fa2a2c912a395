"""Is an SVG a plain picture? An SVG opened on its own is a page that can run script, so
a logo may hold shapes, text and styles only: no script, handler, embedded page,
javascript: URL or reference to another file or host. The file is parsed as XML (as
a browser does), so no spelling, namespace prefix or character reference hides any of
them."""

from __future__ import annotations

import re
from xml.parsers import expat

SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"
REFUSED_ELEMENTS = {
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "handler",
    "listener",
    "audio",
    "video",
}
LOCAL_REFERENCE = re.compile(r"#|data:image/(?:png|jpeg|gif);", re.I)
STYLE_REFERENCE = re.compile(r"@import|url\((?!\s*['\"]?\s*#)", re.I)
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f]+")


class _Refused(Exception):
    pass


def svg_problem(data: bytes) -> str | None:
    """What makes `data` more than a plain SVG picture, with its line; None if nothing."""
    parser = expat.ParserCreate(namespace_separator=" ")
    stack: list[str] = []

    def refuse(what: str) -> None:
        raise _Refused(f"line {parser.CurrentLineNumber}: {what}")

    def start(name: str, attrs: dict) -> None:
        uri, _, local = name.rpartition(" ")
        tag = f"<{local}>"
        if not stack and (uri, local) != (SVG_NS, "svg"):
            refuse(f"the root element is {tag}, so it is not an SVG image")
        if local.lower() in REFUSED_ELEMENTS or uri == XHTML_NS:
            refuse(f"{tag} is not allowed")
        for key, value in attrs.items():
            attr = key.rpartition(" ")[2]
            plain = _INVISIBLE.sub("", value).lower()
            if attr.lower().startswith("on"):
                refuse(f"{tag} has the event handler {attr}")
            if "javascript:" in plain or "vbscript:" in plain:
                refuse(f"{tag} {attr} holds a javascript: URL")
            if attr in ("href", "src") and not LOCAL_REFERENCE.match(plain):
                refuse(f"{tag} {attr} refers to {value!r}, outside the file")
            if attr == "style" and STYLE_REFERENCE.search(value):
                refuse(f"{tag} style refers to another file")
            if attr == "attributeName" and (plain.endswith("href") or plain.startswith("on")):
                refuse(f"{tag} animates {value}")
        stack.append(local)

    def text(data: str) -> None:
        if stack and stack[-1] == "style" and STYLE_REFERENCE.search(data):
            refuse("<style> refers to another file")

    def doctype(*_) -> None:
        refuse("a DOCTYPE (its entities can hide script) is not allowed")

    def instruction(target: str, _data: str) -> None:
        refuse(f"the instruction <?{target}?> is not allowed")

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda _: stack.pop()
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.ProcessingInstructionHandler = instruction
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        return str(refused)
    except expat.ExpatError as error:
        return f"line {error.lineno}: not well-formed XML ({expat.ErrorString(error.code)})"
    return None
