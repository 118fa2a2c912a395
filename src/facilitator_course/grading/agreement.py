"""Agreement between the rubric scorer and a trainer's hand scores."""

from __future__ import annotations

from pathlib import Path

import yaml

from .items import item, load_rubric
from .rubric import score_text

QWK_THRESHOLD = 0.8


def quadratic_weighted_kappa(a: list[int], b: list[int], low: int, high: int) -> float:
    """Cohen's kappa with quadratic weights for two raters' integer scores in [low, high]."""
    n = high - low + 1
    observed = [[0.0] * n for _ in range(n)]
    for x, y in zip(a, b, strict=True):
        observed[x - low][y - low] += 1
    total = len(a)
    row = [sum(r) for r in observed]
    col = [sum(observed[i][j] for i in range(n)) for j in range(n)]
    num = den = 0.0
    for i in range(n):
        for j in range(n):
            w = (i - j) ** 2 / (n - 1) ** 2 if n > 1 else 0.0
            num += w * observed[i][j]
            den += w * row[i] * col[j] / total
    return 1.0 - num / den if den else 1.0


def calibration(path: Path) -> dict:
    """Scorer vs. hand totals for one calibration file."""
    data = yaml.safe_load(path.read_text())
    rubric = load_rubric(data["rubric"])
    prompt = item(data["item"])["prompt"]
    top = sum(c["points"] for c in rubric["criteria"])
    hand, machine, exact_criteria, criteria = [], [], 0, 0
    for answer in data["answers"]:
        result = score_text(rubric, answer["text"], prompt)
        hand.append(int(sum(answer["scores"].values())))
        machine.append(int(round(result.points)))
        for c in result.criteria:
            criteria += 1
            exact_criteria += c.points == answer["scores"].get(c.id, 0)
    return {
        "rubric": data["rubric"],
        "n": len(hand),
        "qwk": quadratic_weighted_kappa(hand, machine, 0, top),
        "exact": sum(h == m for h, m in zip(hand, machine, strict=True)) / len(hand),
        "criterion_exact": exact_criteria / criteria,
        "range": (min(hand), max(hand), top),
    }
