"""Certificates for trainees who meet the completion rules, and the register that
verifies them.

`course certificates` writes, per qualifying trainee, a one-page certificate as HTML and
as PDF (made offline with fpdf2; a Unicode font from the system when there is one) in
exercises/certificates/, and lists every code in exercises/certificates/register.csv.
A trainee keeps the same code when certificates are made again. `course verify CODE`
answers from the register.
"""

from __future__ import annotations

import csv
import secrets
from datetime import date
from pathlib import Path

from .completion import Rules, Status, completion, rules
from .errors import CourseError, Problem

REGISTER_FIELDS = ["code", "trainee", "name", "date", "trainer", "organization"]
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread
FONTS = [  # a Unicode font for names in any script; the first that exists is used
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
]


def certificates_dir() -> Path:
    from .grading.items import exercises_dir

    return exercises_dir() / "certificates"


def register_path() -> Path:
    return certificates_dir() / "register.csv"


def read_register() -> list[dict]:
    path = register_path()
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"FC-{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def verify(code: str) -> dict | None:
    """The register's line for `code` (spaces and case do not matter), or None."""
    wanted = code.strip().upper().replace(" ", "")
    return next((row for row in read_register() if row["code"] == wanted), None)


def make_certificates(
    trainer: str | None = None, say=print, rule: Rules | None = None
) -> list[tuple[Path, Path]]:
    """HTML and PDF certificates for every trainee who has completed the course."""
    from .grading.nbgrader_api import private
    from .profile import load_profile

    rule = rule or rules()
    signer = (trainer or rule.trainer).strip()
    if not signer:
        raise CourseError(
            Problem(
                "course.yml",
                0,
                "no trainer's name to sign the certificates.",
                "add `trainer:` under `completion:` in course.yml, or pass --trainer NAME.",
            )
        )
    profile = load_profile()
    statuses = [s for s in completion(rule) if s.complete]
    out = certificates_dir()
    out.mkdir(parents=True, exist_ok=True)
    register = read_register()
    codes = {row["trainee"]: row for row in register}
    made = []
    for n, status in enumerate(statuses, 1):
        row = codes.get(status.trainee) or {
            "code": new_code(),
            "trainee": status.trainee,
            "name": status.name,
            "date": date.today().isoformat(),
            "trainer": signer,
            "organization": profile.name,
        }
        if status.trainee not in codes:
            register.append(row)
            codes[status.trainee] = row
        page = _context(status, row, rule, profile)
        html = out / f"{status.trainee}-certificate.html"
        html.write_text(_html(page))
        pdf = out / f"{status.trainee}-certificate.pdf"
        _pdf(page, pdf)
        made.append((html, pdf))
        say(f"[{n}/{len(statuses)}] {status.trainee}: {pdf.name} (code {row['code']})")
    with register_path().open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, REGISTER_FIELDS)
        writer.writeheader()
        writer.writerows(register)
    private(out)
    say(f"{len(made)} certificate(s) in {out}; register: {register_path()}.")
    return made


def _context(status: Status, row: dict, rule: Rules, profile) -> dict:
    from .curriculum import competency_ids

    names = {cid: module.competencies[cid] for cid, module in competency_ids().items()}
    logo = profile.logo
    return {
        "trainee": status.name,
        "organization": profile.name,
        "colour": profile.colour,
        "logo": _data_uri(logo) if logo and logo.is_file() else "",
        "logo_path": logo if logo and logo.is_file() else None,
        "course": "Facilitating peer support groups",
        "date": row["date"],
        "sessions": rule.sessions,
        "competencies": [{"id": c, "name": names.get(c, "")} for c in status.competencies],
        "trainer": row["trainer"],
        "code": row["code"],
        "paper": rule.paper,
    }


def _data_uri(path: Path) -> str:
    import base64

    kind = {".svg": "image/svg+xml", ".png": "image/png"}.get(path.suffix.lower(), "image/jpeg")
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"


def _html(page: dict) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from .paths import package_dir

    env = Environment(
        loader=FileSystemLoader(package_dir() / "templates" / "certificate"),
        autoescape=select_autoescape(["html"]),
    )
    return env.get_template("certificate.html").render(**page)


def _pdf(page: dict, out: Path) -> None:
    """A one-page PDF of the certificate, laid out to fit one page whatever the length
    of the names (the text shrinks before it would overflow)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format=page["paper"])
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 18, 20)
    pdf.add_page()
    pdf.set_title(f"Certificate: {page['trainee']}")
    pdf.set_author(page["organization"])
    font = _font(pdf, page)
    red, green, blue = (int(page["colour"][i : i + 2], 16) for i in (1, 3, 5))
    width, height = pdf.w, pdf.h
    pdf.set_draw_color(red, green, blue)
    pdf.set_line_width(1.2)
    pdf.rect(12, 12, width - 24, height - 24)
    y = 22.0
    if page["logo_path"] is not None:
        try:
            pdf.image(str(page["logo_path"]), x=(width - 30) / 2, y=y, h=18)
            y += 22
        except Exception:  # noqa: BLE001 - a logo fpdf2 cannot draw is left out, not fatal
            pass
    inner = width - 40

    def line(text: str, size: float, style: str = "", gap: float = 2.0, colour=None) -> None:
        nonlocal y
        pdf.set_font(font, style if font == "Helvetica" or not style else "", size)
        pdf.set_text_color(*(colour or (26, 26, 26)))
        pdf.set_xy(20, y)
        pdf.multi_cell(inner, size * 0.45, text, align="C")
        y = pdf.get_y() + gap

    line(page["organization"], 12)
    line("Certificate of completion", 24, "B", 4, (red, green, blue))
    line("This certifies that", 12)
    line(page["trainee"], 22 if len(page["trainee"]) < 40 else 16, "B", 4)
    line(
        f"has completed the course {page['course']} for facilitators of peer support "
        f"groups on {page['date']}, including {page['sessions']} co-facilitated session(s) "
        "signed off by an experienced facilitator.",
        11,
        gap=5,
    )
    line("Competencies assessed", 12, "B")
    items = [f"{c['id']}: {c['name']}" for c in page["competencies"]]
    size = 8.0
    while size > 5 and _lines(pdf, font, size, items, inner) * size * 0.4 > height - y - 60:
        size -= 0.5
    pdf.set_font(font, "", size)
    for text in items:
        pdf.set_xy(20, y)
        pdf.multi_cell(inner, size * 0.4, text, align="L")
        y = pdf.get_y() + 0.6
    y = max(y + 4, height - 58)
    line(f"Signed: {page['trainer']}, trainer", 11, gap=4)
    line(f"Verification code: {page['code']}", 11, "B")
    line(
        f"{page['organization']} can confirm this code from its register of certificates. "
        "This certificate records peer-support facilitator training; it is not a clinical "
        "qualification.",
        8,
    )
    pdf.output(str(out))


def _lines(pdf, font: str, size: float, items: list[str], width: float) -> int:
    pdf.set_font(font, "", size)
    return sum(
        len(pdf.multi_cell(width, size * 0.4, t, dry_run=True, output="LINES")) for t in items
    )


def _font(pdf, page: dict) -> str:
    """A Unicode system font if there is one; otherwise the built-in Helvetica, which
    covers Western European names only (a clear error for any other)."""
    for path in FONTS:
        if Path(path).is_file():
            pdf.add_font("Body", "", path)
            return "Body"
    text = " ".join(str(v) for v in page.values() if isinstance(v, str))
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        raise CourseError(
            Problem(
                "certificates",
                0,
                "a name on a certificate uses letters the built-in PDF font cannot show.",
                "install a Unicode font (Debian: `apt-get install fonts-dejavu-core`) and run "
                "`course certificates` again; the HTML certificates are already correct.",
            )
        ) from None
    return "Helvetica"
