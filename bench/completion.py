"""Certificates and the SCORM package: how long one certificate takes to render (HTML and
PDF) and how large the package is, each beside a baseline measured in the same run.

Run: .venv/bin/python bench/completion.py [--package]
Certificates: the median of 9 renders of one certificate with all 42 competencies and the
organization's logo, against a baseline of the same page written as HTML only.
With --package it also builds `course package --scorm` (about a minute) and reports its
size against the built site's size. Writes bench/results/completion.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def page() -> dict:
    from facilitator_course.certificates import _data_uri
    from facilitator_course.curriculum import competency_ids, modules
    from facilitator_course.profile import load_profile

    profile = load_profile(ROOT / "course.yml")
    names = {cid: m.competencies[cid] for cid, m in competency_ids().items()}
    logo = profile.logo
    return {
        "trainee": "Aroha Ngata-Williams",
        "organization": profile.name,
        "colour": profile.colour,
        "logo": _data_uri(logo) if logo else "",
        "logo_path": logo,
        "course": "Facilitating peer support groups",
        "date": "2026-12-04",
        "sessions": 3,
        "competencies": [{"id": c, "name": names[c]} for m in modules() for c in m.competencies],
        "trainer": "Rua Tane",
        "code": "FC-BNCH-MARK-0001",
        "paper": "A4",
    }


def median(fn, runs: int = 9) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", action="store_true", help="also build the SCORM package")
    args = parser.parse_args()
    from facilitator_course.certificates import _html, _pdf

    data = page()
    lines = ["# Certificates and the SCORM package", ""]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "c.pdf"
        _pdf(data, out)  # warm: fonts loaded once
        html = median(lambda: (Path(tmp) / "c.html").write_text(_html(data)))
        both = median(lambda: ((Path(tmp) / "c.html").write_text(_html(data)), _pdf(data, out)))
        lines += [
            f"- one certificate, HTML and PDF: {both:.3f} s (median of 9)",
            f"- baseline, HTML only: {html:.3f} s; the PDF costs {both / html:.0f} times the HTML",
            f"- PDF size: {out.stat().st_size / 1024:.0f} KB",
        ]
        if args.package:
            from facilitator_course.scorm_package import package_scorm

            zip_path = Path(tmp) / "course.zip"
            start = time.perf_counter()
            package_scorm(ROOT / "course.yml", zip_path, say=lambda _: None)
            took = time.perf_counter() - start
            with zipfile.ZipFile(zip_path) as zf:
                unpacked = sum(i.file_size for i in zf.infolist())
                count = len(zf.infolist())
            size = zip_path.stat().st_size
            lines += [
                f"- SCORM package: {size / 1e6:.1f} MB zipped, {count} files, "
                f"built in {took:.0f} s",
                f"- baseline, the same files unpacked: {unpacked / 1e6:.1f} MB "
                f"(the zip is {size / unpacked:.0%} of it)",
            ]
    text = "\n".join(lines) + "\n"
    (ROOT / "bench" / "results" / "completion.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
