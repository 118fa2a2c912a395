"""pyproject.toml is the source of pins; environment.yml mirrors it exactly."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_every_dependency_is_pinned_exactly_and_mirrored():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = project["dependencies"] + project["optional-dependencies"]["dev"]
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9][\w.]*", p) for p in pins), pins
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    mirrored = [p for p in pip if "==" in p]
    assert sorted(p.lower() for p in mirrored) == sorted(p.lower() for p in pins)


def test_npm_packages_are_pinned_exactly():
    import json

    package = json.loads((ROOT / "package.json").read_text())
    versions = {**package.get("dependencies", {}), **package.get("devDependencies", {})}
    assert versions and all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in versions.values())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    for name, version in versions.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
