"""The rubric scorer agrees with hand scores on labelled calibration answers."""

from __future__ import annotations

import pytest

from facilitator_course.grading.agreement import (
    QWK_THRESHOLD,
    calibration,
    quadratic_weighted_kappa,
)

from .conftest import DATA

FILES = sorted((DATA / "calibration").glob("*.yaml"))


def test_kappa_matches_hand_computed_values():
    assert quadratic_weighted_kappa([0, 1, 2], [0, 1, 2], 0, 2) == 1.0
    # weights (i-j)^2/4; observed weighted disagreement 1 * 1/4 = 0.25; expected from the
    # margins (rows 2,0,2; columns 1,1,2; n=4): 0.125 + 1.0 + 0.5 + 0.125 = 1.75
    assert quadratic_weighted_kappa([0, 0, 2, 2], [0, 1, 2, 2], 0, 2) == pytest.approx(6 / 7)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_calibration_agreement(path):
    result = calibration(path)
    assert result["n"] >= 12
    low, high, top = result["range"]
    assert low == 0 and high == top, "the answers must cover the whole score range"
    assert result["qwk"] >= QWK_THRESHOLD, result


def test_held_out_set_is_unchanged_since_it_was_scored_by_hand():
    """The held-out answers are never tuned against: their checksums hold."""
    import hashlib

    from .conftest import ROOT

    lines = (DATA / "calibration-heldout" / "SHA256SUMS").read_text().splitlines()
    assert len(lines) == 8
    for line in lines:
        digest, name = line.split(maxsplit=1)
        path = ROOT / name.strip().lstrip("*")
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, name
