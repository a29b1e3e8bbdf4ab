#!/usr/bin/env python3
"""Print constraints.txt: the production set pinned, as installed in this interpreter.

    python tools/pin_constraints.py > constraints.txt      (what `make constraints` runs)

The production set is what `pip install 'care-compass[serve]'` brings: the project's runtime
dependencies, the `serve` extra (gunicorn), and all of theirs, walked through the installed
distributions' metadata (environment markers evaluated for this interpreter and for the Lambda
runtime, so a dependency only python3.12 needs is pinned too when it is installed). Development
tools are not in it. Everything that installs the skill for real uses the file:

- `make` (the virtualenv the tests run against): `pip install -c constraints.txt -e '.[dev]'`;
- `make lambda`: tools/build_lambda.py --constraints constraints.txt refuses to bundle a version
  other than the pinned one;
- a production host: `pip install -c constraints.txt '.[serve]'` (docs/deployment.md).

To move a pin: `pip install -c constraints.txt -U <name>` is refused by design; edit the pin, run
`make` (which reinstalls), then `make constraints` to pin the rest of the closure again.
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "care-compass"
EXTRAS = ("serve",)
HEADER = """\
# The production set, pinned: care-compass[serve] and everything it needs, as tested.
# Written by `make constraints` (tools/pin_constraints.py); used by `make` (the test virtualenv),
# `make lambda` (the bundle must hold exactly these versions) and production installs:
#     pip install -c constraints.txt '.[serve]'
# Floors that matter: cryptography>=50 (advisories against its X.509 verifier before 50),
# gunicorn>=23 (request smuggling before 23). Development tools are not pinned here.
"""
LAMBDA_RUNTIME = {
    "python_version": "3.12",
    "python_full_version": "3.12.0",
    "implementation_version": "3.12.0",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "platform_machine": "aarch64",
    "os_name": "posix",
    "sys_platform": "linux",
    "platform_system": "Linux",
}


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _applies(requirement: Requirement, extras: Iterable[str], *, lambda_too: bool = True) -> bool:
    """Whether the requirement's marker holds here (or, with lambda_too, on the Lambda runtime)."""
    if requirement.marker is None:
        return True
    here = {key: str(value) for key, value in default_environment().items()}
    environments = (here, {**here, **LAMBDA_RUNTIME}) if lambda_too else (here,)
    return any(
        requirement.marker.evaluate({**environment, "extra": extra})
        for environment in environments
        for extra in ("", *extras)
    )


def production_closure(
    project: str = PROJECT, extras: Iterable[str] = EXTRAS
) -> dict[str, importlib.metadata.Distribution]:
    """normalized name -> installed distribution, for everything `project[extras]` needs."""
    root = importlib.metadata.distribution(project)
    found: dict[str, importlib.metadata.Distribution] = {}
    walked: dict[str, frozenset[str]] = {}
    queue = [(Requirement(text), frozenset(extras)) for text in root.requires or []]
    while queue:
        requirement, parent_extras = queue.pop(0)
        if not _applies(requirement, parent_extras):
            continue
        try:
            dist = importlib.metadata.distribution(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            if _applies(requirement, parent_extras, lambda_too=False):
                raise SystemExit(f"{requirement} is needed here but not installed") from None
            continue  # needed only on the Lambda runtime, and not installed here
        key = normalize(dist.metadata["Name"])
        asked = walked.get(key, frozenset()) | frozenset(requirement.extras)
        if key in found and asked == walked[key]:
            continue
        found[key], walked[key] = dist, asked
        queue += [(Requirement(text), asked) for text in dist.requires or []]
    found.pop(normalize(project), None)
    return dict(sorted(found.items()))


def render(closure: dict[str, importlib.metadata.Distribution]) -> str:
    pins = [f"{dist.metadata['Name']}=={dist.version}" for dist in closure.values()]
    return HEADER + "\n".join(pins) + "\n"


def read_pins(path: Path = ROOT / "constraints.txt") -> dict[str, str]:
    """normalized name -> pinned version, from a constraints file."""
    pins = {}
    for line in path.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[normalize(name)] = version.strip()
    return pins


def main() -> int:
    sys.stdout.write(render(production_closure()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
