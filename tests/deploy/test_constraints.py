"""constraints.txt: the production set pinned, complete, installed, and used by make lambda.

pyproject.toml keeps floors (cryptography>=50 for the advisories against its X.509 verifier,
gunicorn>=23 in the `serve` extra); constraints.txt pins every distribution that
`pip install 'care-compass[serve]'` brings, at the versions the tests run against.
"""

from __future__ import annotations

import importlib.metadata
import sys
import tomllib
from pathlib import Path

import pytest
from deploy_support import ROOT, TOOLS, build_lambda
from packaging.requirements import Requirement
from packaging.version import Version

if str(TOOLS) not in sys.path:  # pragma: no cover - deploy_support puts it there
    sys.path.insert(0, str(TOOLS))
import pin_constraints

CONSTRAINTS = ROOT / "constraints.txt"


def pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def test_constraints_pin_exactly_the_installed_production_set() -> None:
    """Stale pins, or a new dependency nobody pinned: `make constraints` writes the file again."""
    expected = pin_constraints.render(pin_constraints.production_closure())
    assert CONSTRAINTS.read_text("utf-8") == expected


def test_every_pin_is_installed_at_its_version() -> None:
    for name, version in pin_constraints.read_pins(CONSTRAINTS).items():
        assert importlib.metadata.version(name) == version, name


def test_the_floors_that_matter() -> None:
    project = pyproject()["project"]
    assert isinstance(project, dict)
    requirements = {Requirement(text).name: Requirement(text) for text in project["dependencies"]}
    assert requirements["cryptography"].specifier.contains("50.0.0")
    assert not requirements["cryptography"].specifier.contains("49.0.0")
    serve = [Requirement(text) for text in project["optional-dependencies"]["serve"]]
    assert [r.name for r in serve] == ["gunicorn"]
    assert not serve[0].specifier.contains("22.0.0") and serve[0].specifier.contains("23.0.0")
    pins = pin_constraints.read_pins(CONSTRAINTS)
    assert Version(pins["cryptography"]) >= Version("50")
    assert Version(pins["gunicorn"]) >= Version("23")


def test_the_lambda_bundle_s_distributions_are_all_pinned() -> None:
    pins = build_lambda.read_constraints(CONSTRAINTS)
    dists = build_lambda.installed_closure(build_lambda.read_requirements())
    build_lambda.check_pinned(dists, pins, CONSTRAINTS.name)  # raises if not


def test_make_lambda_refuses_a_version_other_than_the_pinned_one() -> None:
    dists = build_lambda.installed_closure(["pyyaml"])
    with pytest.raises(build_lambda.BuildError, match=r"pins 1\.0"):
        build_lambda.check_pinned(dists, {"pyyaml": "1.0"}, "constraints.txt")
    with pytest.raises(build_lambda.BuildError, match="does not pin it"):
        build_lambda.check_pinned(dists, {}, "constraints.txt")


def test_a_broken_constraints_file_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "constraints.txt"
    broken.write_text("pyyaml>=6\n", "utf-8")
    with pytest.raises(build_lambda.BuildError, match="not a `name==version` pin"):
        build_lambda.read_constraints(broken)


def test_make_uses_the_constraints() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "tools/build_lambda.py --constraints constraints.txt" in makefile
    assert "pip install --quiet -c constraints.txt -e '.[dev]'" in makefile
    assert "--wheel-dir $(WHEELS) -r constraints.txt" in makefile
