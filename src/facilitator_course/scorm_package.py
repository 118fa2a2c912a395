"""The course as a SCORM 1.2 package for an organization's LMS, and a check of any
package against the SCORM 1.2 manifest rules.

One SCO holds the whole course. Progress, the competency grid and completion are
course-wide (a trainee's score is the mean over every scenario of the course, and
completion needs every module, scenario and exercise), so one SCO reports one status
and one score the LMS can show and certify; a SCO per module would give the LMS eight
partial records that none of the course's rules is written for, and eight sessions
whose suspend data would each hold part of one progress record.

The package is the website as `course build` makes it, plus a launch page
(scorm.html, the SCO's entry point): it opens the one LMS session and shows the course
in a full-window frame, so the session lasts across page loads (static/scorm.js).
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, unquote, urlparse
from xml.etree import ElementTree as ET

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .errors import CourseError, Problem
from .paths import package_dir, project_root
from .profile import Profile, load_profile

LAUNCH_PAGE = "scorm.html"
LAUNCH_FILES = ("scorm-launch.js", "scorm-launch.css")  # from static/, beside the page
MANIFEST = "imsmanifest.xml"
DEFAULT_NAME = "facilitator-course-scorm.zip"

IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
NS = {"cp": IMSCP, "adlcp": ADLCP}
SCORMTYPE = f"{{{ADLCP}}}scormtype"
ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # the same course gives the same bytes


# ---- writing a package -------------------------------------------------------------------


def package_scorm(
    profile_path: Path | str | None = None,
    out: Path | str | None = None,
    say: Callable[[str], None] = print,
) -> Path:
    """Build the website for a profile and write it as a SCORM 1.2 zip; return its path."""
    from .site_build import build_site

    profile = load_profile(profile_path)
    out = _out_path(out)
    with tempfile.TemporaryDirectory(prefix="course-scorm-") as tmp:
        # build_site keeps its cache per profile, so a site that is current builds quickly
        site = build_site(profile.path, Path(tmp) / "site", say=_without_preview(say))
        say("Writing the SCORM 1.2 package...")
        write_package(site, profile, out)
    say("Checking it against the SCORM 1.2 manifest rules...")
    problems = validate_package(out)
    if problems:
        raise CourseError(problems)
    size = out.stat().st_size / 1_000_000
    say(f"SCORM package: {out} ({size:.1f} MB)")
    say("Upload it to your LMS as a SCORM 1.2 package (README: Running it in your LMS).")
    return out


def _without_preview(say: Callable[[str], None]) -> Callable[[str], None]:
    """build_site's lines, less where the temporary site is and how to preview it."""

    def forward(text: str) -> None:
        kept = [
            line for line in text.splitlines() if not line.startswith(("Site built:", "Preview"))
        ]
        if kept:
            say("\n".join(kept))

    return forward


def _out_path(out: Path | str | None) -> Path:
    path = Path(out) if out else project_root() / "book" / "_build" / DEFAULT_NAME
    path = path.resolve()
    if path.suffix.lower() != ".zip":
        raise CourseError(
            Problem(out or path, 0, "a SCORM package is a .zip file.", "give --out NAME.zip.")
        )
    if path.is_dir():
        raise CourseError(
            Problem(path, 0, "is a folder.", "give --out a file name ending in .zip.")
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def launch_page(profile: Profile) -> str:
    """The SCO's launch page for a profile (the organization's name escaped)."""
    env = Environment(
        loader=FileSystemLoader(package_dir() / "templates" / "scorm"),
        autoescape=select_autoescape(["html"]),
    )
    return env.get_template(LAUNCH_PAGE).render(title=course_title(profile))


def course_title(profile: Profile) -> str:
    return f"{profile.name}: Facilitator course"


def write_package(site: Path, profile: Profile, out: Path) -> Path:
    """Write the built site in `site`, the launch page and the manifest as a zip at `out`."""
    members: dict[str, bytes | Path] = {
        p.relative_to(site).as_posix(): p
        for p in sorted(site.rglob("*"))
        if p.is_file() and not p.name.startswith(".")  # .course-site, .buildinfo
    }
    clash = [n for n in (LAUNCH_PAGE, *LAUNCH_FILES, MANIFEST) if n in members]
    if clash:
        raise CourseError(
            Problem(
                site / clash[0],
                0,
                "the site has a file the package needs for itself.",
                "rename that page of the site.",
            )
        )
    members[LAUNCH_PAGE] = launch_page(profile).encode()
    static = package_dir() / "static"
    for name in LAUNCH_FILES:
        members[name] = static / name
    manifest = manifest_xml(profile, sorted(members))
    partial = out.with_name(out.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        _put(zf, MANIFEST, manifest)
        for name in sorted(members):
            data = members[name]
            _put(zf, name, data.read_bytes() if isinstance(data, Path) else data)
    partial.replace(out)
    return out


def _put(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


def _identifier(text: str) -> str:
    """An XML ID (a letter first; letters, digits, - _ .) from any text."""
    word = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.") or "course"
    return word if re.match(r"[A-Za-z_]", word) else f"c-{word}"


def manifest_xml(profile: Profile, files: list[str]) -> bytes:
    """imsmanifest.xml: one organization, one item, one SCO resource listing every file."""
    ET.register_namespace("", IMSCP)
    ET.register_namespace("adlcp", ADLCP)
    base = _identifier(f"facilitator-course-{profile.short_name}")
    title = course_title(profile)
    root = ET.Element(f"{{{IMSCP}}}manifest", identifier=base, version="1.0")
    metadata = ET.SubElement(root, f"{{{IMSCP}}}metadata")
    ET.SubElement(metadata, f"{{{IMSCP}}}schema").text = "ADL SCORM"
    ET.SubElement(metadata, f"{{{IMSCP}}}schemaversion").text = "1.2"
    orgs = ET.SubElement(root, f"{{{IMSCP}}}organizations", default=f"{base}-org")
    org = ET.SubElement(orgs, f"{{{IMSCP}}}organization", identifier=f"{base}-org")
    ET.SubElement(org, f"{{{IMSCP}}}title").text = title
    item = ET.SubElement(
        org,
        f"{{{IMSCP}}}item",
        identifier=f"{base}-course",
        identifierref=f"{base}-sco",
        isvisible="true",
    )
    ET.SubElement(item, f"{{{IMSCP}}}title").text = title
    resources = ET.SubElement(root, f"{{{IMSCP}}}resources")
    resource = ET.SubElement(
        resources,
        f"{{{IMSCP}}}resource",
        {
            "identifier": f"{base}-sco",
            "type": "webcontent",
            SCORMTYPE: "sco",
            "href": LAUNCH_PAGE,
        },
    )
    for name in [LAUNCH_PAGE, *(f for f in files if f != LAUNCH_PAGE)]:
        ET.SubElement(resource, f"{{{IMSCP}}}file", href=quote(name))
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'.encode()


# ---- checking a package ------------------------------------------------------------------

# What loads something when a page opens (plain reading links, <a href>, do not).
HTML_LOADS = re.compile(
    r"<(?:script|img|iframe|frame|source|audio|video|embed|input|track)\b[^>]*?"
    r"\s(?:src|poster)\s*=\s*[\"']?([^\"'\s>]+)"
    r"|<(?:img|source)\b[^>]*?\ssrcset\s*=\s*[\"']([^\"']+)"
    r"|<object\b[^>]*?\sdata\s*=\s*[\"']?([^\"'\s>]+)"
    r"|<(?:image|use|feImage|script)\b[^>]*?\s(?:xlink:)?href\s*=\s*[\"']?([^\"'\s>]+)",
    re.I,
)
LINK_TAG = re.compile(r"<link\b[^>]*>", re.I)
LINK_HREF = re.compile(r"\shref\s*=\s*[\"']?([^\"'\s>]+)", re.I)
LINK_LOADS = re.compile(
    r"\srel\s*=\s*[\"']?[^\"'>]*\b(?:stylesheet|preload|modulepreload|icon|manifest|prefetch"
    r"|dns-prefetch|preconnect|prerender|import)\b",
    re.I,
)
CSS_LOADS = re.compile(r"url\(\s*[\"']?([^\"')\s]+)|@import\s+[\"']([^\"']+)", re.I)
JS_LOADS = re.compile(
    r"\bimport\s*\(\s*[\"'`]([^\"'`]+)"
    r"|\b(?:import|export)\b[\w\s{},*$]*?\bfrom\s*[\"']([^\"']+)"
    r"|\bimport\s*[\"']([^\"']+)"
    r"|\bimportScripts\s*\(\s*[\"']([^\"']+)",
)
PAGE_TYPES = (".html", ".htm", ".xhtml", ".svg")
SCANNED = {**dict.fromkeys(PAGE_TYPES, "page"), ".css": "css", ".js": "js", ".mjs": "js"}


def _remote(url: str) -> bool:
    url = url.strip()
    return url.startswith("//") or urlparse(url).scheme.lower() in ("http", "https")


def remote_loads(text: str, kind: str) -> list[tuple[int, str]]:
    """(line, URL) of everything `text` loads from another host; `kind` is page, css or js."""
    found: list[tuple[int, str]] = []

    def add(pos: int, url: str) -> None:
        if _remote(url):
            found.append((text.count("\n", 0, pos) + 1, url.strip()))

    if kind == "page":
        for m in HTML_LOADS.finditer(text):
            srcset = m.group(2)
            urls = [c.split()[0] for c in srcset.split(",") if c.split()] if srcset else []
            for url in urls or [g for g in m.groups() if g]:
                add(m.start(), url)
        for m in LINK_TAG.finditer(text):
            href = LINK_HREF.search(m.group(0))
            if href and LINK_LOADS.search(m.group(0)):
                add(m.start(), href.group(1))
    if kind in ("page", "css"):
        for m in CSS_LOADS.finditer(text):
            add(m.start(), m.group(1) or m.group(2))
    if kind in ("page", "js"):
        for m in JS_LOADS.finditer(text):
            add(m.start(), next(g for g in m.groups() if g))
    return found


def validate_package(path: Path | str) -> list[Problem]:
    """Every way the zip at `path` breaks the SCORM 1.2 manifest rules (required elements
    and attributes, every referenced file present, every file listed) or loads something
    from another host; an empty list for a good package."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if not n.endswith("/")]
            if MANIFEST not in names:
                return [
                    Problem(
                        path,
                        0,
                        f"no {MANIFEST} at the root of the package.",
                        "put the manifest at the top level of the zip, not in a folder.",
                    )
                ]
            manifest = zf.read(MANIFEST)
            problems = _check_manifest(path, manifest, set(names))
            for name in names:
                kind = SCANNED.get(Path(name).suffix.lower())
                if kind:
                    text = zf.read(name).decode("utf-8", errors="replace")
                    problems += [
                        Problem(
                            f"{path}:{name}",
                            line,
                            f"loads {url} from another host.",
                            "serve that file from inside the package.",
                        )
                        for line, url in remote_loads(text, kind)
                    ]
            return problems
    except (zipfile.BadZipFile, OSError) as exc:
        return [Problem(path, 0, f"not a readable zip file ({exc}).", "write the package again.")]


def _check_manifest(path: Path, manifest: bytes, names: set[str]) -> list[Problem]:
    where = f"{path}:{MANIFEST}"
    problems: list[Problem] = []

    def problem(message: str, fix: str) -> None:
        problems.append(Problem(where, 0, message, fix))

    try:
        root = ET.fromstring(manifest)
    except ET.ParseError as exc:
        return [Problem(where, exc.position[0], f"not well-formed XML ({exc}).", "fix the XML.")]
    if root.tag != f"{{{IMSCP}}}manifest":
        problem(
            f"the root element is {root.tag}, not <manifest> in the {IMSCP} namespace.",
            "write the manifest in the IMS Content Packaging 1.1.2 namespace.",
        )
        return problems
    if not root.get("identifier"):
        problem("<manifest> has no identifier attribute.", 'add identifier="...".')

    schema = root.findtext("cp:metadata/cp:schema", namespaces=NS)
    version = root.findtext("cp:metadata/cp:schemaversion", namespaces=NS)
    if root.find("cp:metadata", NS) is None:
        problem("no <metadata> element.", "add <metadata> with <schema> and <schemaversion>.")
    elif (schema or "").strip() != "ADL SCORM" or (version or "").strip() != "1.2":
        problem(
            f"<metadata> says schema {schema!r}, schemaversion {version!r}.",
            "use <schema>ADL SCORM</schema> and <schemaversion>1.2</schemaversion>.",
        )

    resources = {}
    resources_el = root.find("cp:resources", NS)
    if resources_el is None:
        problem("no <resources> element.", "add <resources> with the SCO's <resource>.")
    else:
        for res in resources_el.findall("cp:resource", NS):
            ident = res.get("identifier")
            if not ident:
                problem("a <resource> has no identifier attribute.", 'add identifier="...".')
                continue
            resources[ident] = res
            if not res.get("type"):
                problem(f"<resource {ident}> has no type attribute.", 'add type="webcontent".')
            if res.get(SCORMTYPE) not in ("sco", "asset"):
                problem(
                    f"<resource {ident}> has adlcp:scormtype={res.get(SCORMTYPE)!r}.",
                    'give adlcp:scormtype="sco" (or "asset").',
                )

    orgs = root.find("cp:organizations", NS)
    items = []
    if orgs is None:
        problem("no <organizations> element.", "add <organizations> with one <organization>.")
    else:
        organizations = orgs.findall("cp:organization", NS)
        if not organizations:
            problem("<organizations> has no <organization>.", "add one with a title and items.")
        default = orgs.get("default")
        if default and default not in {o.get("identifier") for o in organizations}:
            problem(
                f"<organizations default={default!r}> names no organization.",
                "make default the identifier of an <organization>.",
            )
        for org in organizations:
            ident = org.get("identifier") or "?"
            if not org.get("identifier"):
                problem("an <organization> has no identifier attribute.", 'add identifier="...".')
            if not (org.findtext("cp:title", namespaces=NS) or "").strip():
                problem(f"<organization {ident}> has no <title>.", "add a <title>.")
            found = org.findall(".//cp:item", NS)
            if not found:
                problem(f"<organization {ident}> has no <item>.", "add an <item> for the SCO.")
            items += found
    for item in items:
        ident = item.get("identifier") or "?"
        if not item.get("identifier"):
            problem("an <item> has no identifier attribute.", 'add identifier="...".')
        if not (item.findtext("cp:title", namespaces=NS) or "").strip():
            problem(f"<item {ident}> has no <title>.", "add a <title>.")
        ref = item.get("identifierref")
        leaf = item.find("cp:item", NS) is None
        if leaf and not ref:
            problem(f"<item {ident}> has no identifierref.", "point it at a <resource>.")
        elif ref and ref not in resources:
            problem(
                f"<item {ident}> has identifierref={ref!r}, which names no <resource>.",
                "use the identifier of a <resource>.",
            )
        elif ref and not resources[ref].get("href"):
            problem(f"<resource {ref}> has no href (the page the LMS opens).", 'add href="...".')

    listed: set[str] = set()
    for ident, res in resources.items():
        href = res.get("href")
        if href and _member(href) not in names:
            problem(f"<resource {ident}> href {href!r} is not in the package.", "add the file.")
        for f in res.findall("cp:file", NS):
            fhref = f.get("href")
            if not fhref:
                problem(f"a <file> of <resource {ident}> has no href.", 'add href="...".')
                continue
            listed.add(_member(fhref))
            if _member(fhref) not in names:
                problem(
                    f"<file href={fhref!r}> is not in the package.",
                    "add the file or drop the <file>.",
                )
        if href and _member(href) not in listed:
            problem(f"<resource {ident}> has no <file> for its href {href!r}.", "list it.")
    unlisted = sorted(names - listed - {MANIFEST})
    for name in unlisted[:20]:
        problem(f"{name} is in the package but in no <file> of the manifest.", "list it.")
    if len(unlisted) > 20:
        problem(f"{len(unlisted) - 20} more files are in no <file>.", "list them.")
    return problems


def _member(href: str) -> str:
    """A manifest href as the zip member it names."""
    return unquote(href.split("#")[0].split("?")[0]).removeprefix("./") if href else ""
