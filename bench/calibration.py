"""Agreement of the rubric scorer with hand scores on the held-out calibration set.

Run: .venv/bin/python bench/calibration.py
The held-out answers (tests/data/calibration-heldout/) were written and scored by hand
before the scorer saw them, and are never used to tune rubrics; SHA256SUMS beside them
shows they have not changed since. Writes bench/results/calibration.md.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "tests" / "data" / "calibration-heldout"


def checksums_hold() -> bool:
    for line in (HELDOUT / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        path = ROOT / name.strip().lstrip("*")
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            return False
    return True


def main() -> int:
    if not (HELDOUT / "SHA256SUMS").is_file():
        print(f"No held-out calibration set yet in {HELDOUT.relative_to(ROOT)}: write the answers")
        print("and their hand scores first (see the docstring), then run this again.")
        return 2
    from facilitator_course.grading.agreement import quadratic_weighted_kappa
    from facilitator_course.grading.items import item, load_rubric
    from facilitator_course.grading.rubric import score_text

    rows, per_rubric = [], {}
    for path in sorted(HELDOUT.glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        rubric = load_rubric(data["rubric"])
        prompt = item(data["item"])["prompt"]
        top = sum(c["points"] for c in rubric["criteria"])
        hand, machine = [], []
        for answer in data["answers"]:
            result = score_text(rubric, answer["text"], prompt)
            h = max(0.0, float(sum(answer["scores"].values())))
            m = float(result.points)
            rows.append((data["rubric"], answer["type"], h, m, bool(result.red_flags), top))
            hand.append(round(h))
            machine.append(round(m))
        per_rubric[data["rubric"]] = (len(hand), quadratic_weighted_kappa(hand, machine, 0, top))
    top = max(r[5] for r in rows)
    qwk = quadratic_weighted_kappa([round(r[2]) for r in rows], [round(r[3]) for r in rows], 0, top)
    exact = sum(round(r[2]) == round(r[3]) for r in rows) / len(rows)
    bias = defaultdict(list)
    for _, kind, h, m, _, _ in rows:
        bias[kind].append(m - h)
    harmful = [r for r in rows if r[1] == "harmful"]
    harmful_ok = sum(r[3] <= 1 and r[4] for r in harmful)
    negated = [max(0.0, r[3] - r[2]) for r in rows if r[1] == "negated"]
    terse = [max(0.0, r[2] - r[3]) for r in rows if r[1] == "terse"]
    lines = [
        "# Rubric scorer on the held-out calibration set",
        "",
        f"Measured {time.strftime('%Y-%m-%d')}; rerun: `.venv/bin/python bench/calibration.py`. "
        f"Checksums of the held-out files hold: {'yes' if checksums_hold() else 'NO'}.",
        "",
        f"- {len(rows)} answers, {len(per_rubric)} rubrics; QWK overall {qwk:.2f} "
        f"(target 0.85), exact totals {exact:.0%}.",
        f"- Harmful answers scored 1 or lower and flagged: {harmful_ok} of {len(harmful)} "
        "(target: all).",
        f"- Mean over-credit on negated answers: {sum(negated) / max(len(negated), 1):+.2f} "
        "points (target at most +0.3).",
        f"- Mean loss on terse correct answers: {sum(terse) / max(len(terse), 1):.2f} points "
        "(target at most 0.5).",
        "",
        "| answer type | answers | mean machine minus hand |",
        "| --- | ---: | ---: |",
        *[f"| {k} | {len(v)} | {sum(v) / len(v):+.2f} |" for k, v in sorted(bias.items())],
        "",
        "| rubric | answers | QWK |",
        "| --- | ---: | ---: |",
        *[f"| {k} | {n} | {q:.2f} |" for k, (n, q) in per_rubric.items()],
        "",
    ]
    out = ROOT / "bench" / "results" / "calibration.md"
    out.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
