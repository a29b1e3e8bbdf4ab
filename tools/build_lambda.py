#!/usr/bin/env python3
"""Build the AWS Lambda bundle: dist/lambda/ (a folder) and dist/lambda.zip (the same, zipped).

    python tools/build_lambda.py [--out dist] [--constraints constraints.txt]
    python tools/build_lambda.py --download [--wheel-cache build/lambda-wheels] [--no-pin]
        [--constraints constraints.txt]

What goes in, and nothing else:
- lambda_function.py at the root (handler string `lambda_function.lambda_handler`);
- the parts of the `skill` package Lambda runs (skill.core, skill.alexa and their YAML/JSON data),
  so not skill/web (the Flask host), not the command line (skill/cli.py, skill/__main__.py, which
  can load skill.web), and no other subpackage;
- lambda/requirements.txt (ask-sdk-core, pyyaml) and their dependencies, pure Python only, so the
  same folder runs on Lambda (python3.12, arm64 as lambda/template.yaml deploys it, or x86_64)
  and under any CPython >= 3.11.

Where the dependencies come from:
- by default, the distributions installed in the interpreter running this script (the virtualenv
  the tests run against): the requirement closure of lambda/requirements.txt is walked through
  each distribution's metadata (environment markers evaluated with `packaging` when it can be
  imported, else with a small evaluator of its own; requirements behind an extra that was not asked
  for are left out), and the distributions' installed files are copied as they are, without
  bytecode, install records (RECORD, direct_url.json) or anything outside site-packages (console
  scripts). No network, no pip, and the bundle holds exactly the code the tests ran against. A
  requirement whose marker holds on python3.12 but not here, and that is not installed here, fails
  the build: use --download then. With --constraints (as `make lambda` runs it), every bundled
  distribution must be installed at the version the constraints file pins, or the build fails.
- with --download, wheels for the Lambda runtime (python3.12) resolved by `pip download` into a
  wheel cache (build/lambda-wheels), pinned to the versions in --constraints, else to the ones
  installed here unless --no-pin, and pip-installed into the bundle. Later builds take them from
  the cache; the first needs the package index.

Compiled extensions are removed where the package works without them: PyYAML's libyaml binding
(yaml/_yaml*.so: PyYAML then uses its pure-Python parser; the skill only calls yaml.safe_load) and
charset-normalizer's mypyc builds of md.py and cd.py (charset_normalizer/md*.so, cd*.so and its
md__mypyc*.so runtime: the .py modules stay and are used). The build fails if any other compiled
file, or a Flask-side package, would end up inside.

The skill's YAML files are also shipped parsed, as one JSON file (skill/data_snapshot.json, written
by skill.core.loader.write_snapshot): the bundle has no libyaml, and the loader reads the snapshot
in about a millisecond where PyYAML's pure-Python parser takes some 190 ms at every cold start.
The YAML stays in the bundle as the source. Then the bundle is checked in this process, with its
own `skill` package imported from the bundle folder: build_skill() loads and validates everything
(from the snapshot alone: parsing any YAML then fails the build) and answers a LaunchRequest.

The zip is reproducible: entries sorted, fixed timestamps and permissions. dist/lambda/ has no
requirements.txt on purpose: the ASK CLI then zips it as it is ("zip-only" build flow) instead of
pip-installing again for the machine it runs on.
"""

from __future__ import annotations

import argparse
import copy
import fnmatch
import importlib.metadata
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

try:  # the reference implementation of PEP 508; a small evaluator below stands in without it
    from packaging.markers import Marker, default_environment
    from packaging.requirements import InvalidRequirement
    from packaging.requirements import Requirement as PackagingRequirement
    from packaging.version import InvalidVersion, Version

    HAVE_PACKAGING = True
except ImportError:  # pragma: no cover - the test virtualenv has packaging (pytest needs it)
    HAVE_PACKAGING = False

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "lambda" / "requirements.txt"
HANDLER_FILE = ROOT / "lambda" / "lambda_function.py"
DEFAULT_OUT = ROOT / "dist"
DEFAULT_WHEEL_CACHE = ROOT / "build" / "lambda-wheels"

# The Lambda runtime: the wheels --download chooses, and the environment markers are checked for.
PYTHON_VERSION = "3.12"
PURE_TARGET = ("--platform", "any", "--implementation", "py", "--abi", "none")
# The compiled wheels --download takes are for lambda/template.yaml's arm64; their extensions are
# stripped (STRIP_EXTENSIONS), so the bundle runs on x86_64 as well.
LINUX_TARGET = ("--platform", "manylinux2014_aarch64", "--implementation", "cp", "--abi", "cp312")
LAMBDA_MARKERS = {
    "python_version": PYTHON_VERSION,
    "python_full_version": f"{PYTHON_VERSION}.0",
    "implementation_version": f"{PYTHON_VERSION}.0",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "os_name": "posix",
    "sys_platform": "linux",
    "platform_system": "Linux",
}

# Compiled extensions left out because the package runs without them: normalized distribution
# name -> (pattern of the compiled file's name in the bundle, the file that runs instead). The
# build fails if that file is missing.
STRIP_EXTENSIONS = {
    # The libyaml binding: yaml/__init__.py falls back to the pure-Python parser without it.
    "pyyaml": (("yaml/_yaml.*", "yaml/__init__.py"),),
    # mypyc builds of md.py and cd.py, and mypyc's runtime library they share.
    "charset_normalizer": (
        ("charset_normalizer/md.*", "charset_normalizer/md.py"),
        ("charset_normalizer/cd.*", "charset_normalizer/cd.py"),
        ("md__mypyc.*", "charset_normalizer/md.py"),
    ),
}
# Install records not copied from installed distributions: RECORD lists the files left out (and
# their hashes), direct_url.json can name a folder on this machine. METADATA stays, so
# importlib.metadata works in the bundle.
SKIPPED_RECORDS = frozenset({"RECORD", "direct_url.json"})

# The parts of the skill package the Lambda function runs, and which files are code or data. Left
# out: skill/web (the Flask host), skill/cli.py and __main__.py (the command line, which can load
# skill.web), and any other subpackage (development tools such as a simulator).
SKILL_DIR = ROOT / "skill"
SKILL_PARTS = ("__init__.py", "core/", "alexa/", "knowledge/", "content/")
SKILL_SUFFIXES = (".py", ".yaml", ".yml", ".json")
# Written into the bundle's skill folder by skill.core.loader.write_snapshot; never in the
# repository (.gitignore), whose tests must read the YAML itself.
SNAPSHOT_NAME = "data_snapshot.json"

# Importable names (top-level folders/modules, dist-info names) that must never be in the bundle.
FORBIDDEN = frozenset(
    {
        "flask",
        "flask_ask_sdk",
        "werkzeug",
        "jinja2",
        "itsdangerous",
        "click",
        "blinker",
        "markupsafe",
        "cryptography",
        "cffi",
        "ask_sdk_webservice_support",
        "gunicorn",
        "pytest",
        "_pytest",
        "pluggy",
        "hypothesis",
        "mypy",
        "ruff",
    }
)
FLASK_IMPORT = re.compile(
    r"^\s*(?:from|import)\s+(flask|werkzeug|cryptography|skill\.web)\b", re.MULTILINE
)
COMPILED_SUFFIXES = (".so", ".pyd", ".dylib")
BYTECODE_SUFFIXES = (".pyc", ".pyo")

# Reproducible zip entries: the earliest date a zip can hold, rw-r--r-- regular files, Unix host.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
ZIP_FILE_MODE = 0o100644


class BuildError(RuntimeError):
    """The bundle would be wrong; the message says why."""


@dataclass(frozen=True)
class Bundle:
    folder: Path
    zip_path: Path
    files: int
    zip_bytes: int
    unzipped_bytes: int
    dependencies: tuple[str, ...] = ()  # name==version of every distribution inside, sorted

    def summary(self) -> str:
        return (
            f"{self.zip_path}: {self.zip_bytes / 1e6:.2f} MB zipped ({self.zip_bytes} bytes), "
            f"{self.files} files, {self.unzipped_bytes / 1e6:.2f} MB unzipped"
        )


def normalize(name: str) -> str:
    """PEP 503 name normalization, and '-' to '_' so it also compares with import names."""
    return re.sub(r"[-_.]+", "_", name).lower()


def read_requirements(path: Path = REQUIREMENTS) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return [line for line in lines if line]


def requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    if not match:
        raise BuildError(f"cannot read the requirement {requirement!r}")
    return normalize(match.group(1))


# --- Environment markers -------------------------------------------------------------------------


def marker_environment(*, lambda_runtime: bool = False) -> dict[str, str]:
    """PEP 508 marker variables of this interpreter, or of the Lambda runtime (as far as known)."""
    if HAVE_PACKAGING:
        environment = {key: str(value) for key, value in default_environment().items()}
    else:
        implementation = sys.implementation.version
        environment = {
            "implementation_name": sys.implementation.name,
            "implementation_version": (
                f"{implementation.major}.{implementation.minor}.{implementation.micro}"
            ),
            "os_name": os.name,
            "platform_machine": platform.machine(),
            "platform_python_implementation": platform.python_implementation(),
            "platform_release": platform.release(),
            "platform_system": platform.system(),
            "platform_version": platform.version(),
            "python_full_version": platform.python_version(),
            "python_version": ".".join(platform.python_version_tuple()[:2]),
            "sys_platform": sys.platform,
        }
    if lambda_runtime:
        environment.update(LAMBDA_MARKERS)
    return environment


_MARKER_TOKEN = re.compile(
    r"""\s*(?:
        (?P<paren>[()])
      | (?P<boolean>and|or)\b
      | (?P<left>[A-Za-z_][A-Za-z0-9_.]*|'[^']*'|"[^"]*")
        \s*(?P<op>===|==|!=|<=|>=|~=|<|>|not\s+in\b|in\b)\s*
        (?P<right>[A-Za-z_][A-Za-z0-9_.]*|'[^']*'|"[^"]*")
    )\s*""",
    re.VERBOSE,
)
_VERSION_VARIABLES = frozenset({"python_version", "python_full_version", "implementation_version"})


def _version_tuple(text: str) -> tuple[int, ...] | None:
    if not re.fullmatch(r"\d+(?:\.\d+)*", text):
        return None
    return tuple(int(part) for part in text.split("."))


def _compare(left: str, op: str, right: str, environment: Mapping[str, str]) -> bool | None:
    """One marker comparison, or None if it cannot be told."""
    values = []
    for side in (left, right):
        if side[0] in "'\"":
            values.append(side[1:-1])
        elif side in environment:
            values.append(environment[side])
        else:
            return None
    lhs, rhs = values
    if "extra" in (left, right):
        lhs, rhs = normalize(lhs), normalize(rhs)
    op = " ".join(op.split())
    if op == "in":
        return lhs in rhs
    if op == "not in":
        return lhs not in rhs
    if op == "===":
        return lhs == rhs
    a, b = _version_tuple(lhs), _version_tuple(rhs)
    if (left in _VERSION_VARIABLES or right in _VERSION_VARIABLES) and a and b:
        prefix = len(b) - 1  # for ~=: the release segments that must match
        width = max(len(a), len(b))
        a, b = a + (0,) * (width - len(a)), b + (0,) * (width - len(b))
        if op == "~=":
            return prefix > 0 and a >= b and a[:prefix] == b[:prefix]
        return {
            "==": a == b,
            "!=": a != b,
            "<": a < b,
            "<=": a <= b,
            ">": a > b,
            ">=": a >= b,
        }[op]
    if op == "==":
        return lhs == rhs
    if op == "!=":
        return lhs != rhs
    return None


def _evaluate_marker(marker: str, environment: Mapping[str, str]) -> bool | None:
    """A PEP 508 marker without `packaging`: comparisons joined by and/or, in parentheses or not.

    None if the marker uses anything else (or a comparison cannot be told).
    """
    tokens: list[str | bool | None] = []
    position = 0
    while position < len(marker):
        match = _MARKER_TOKEN.match(marker, position)
        if not match or match.end() == position:
            return None
        position = match.end()
        if match["paren"] or match["boolean"]:
            tokens.append(match["paren"] or match["boolean"])
        else:
            tokens.append(_compare(match["left"], match["op"], match["right"], environment))

    def expression(index: int, level: str) -> tuple[bool | None, int]:
        # or-expression: and-expression ("or" and-expression)*; and-expression: atom ("and" atom)*
        if level in ("or", "and"):
            inner, decisive = ("and", True) if level == "or" else ("atom", False)
            value, index = expression(index, inner)
            while index < len(tokens) and tokens[index] == level:
                other, index = expression(index + 1, inner)
                both = (value, other)
                value = decisive if decisive in both else (None if None in both else not decisive)
            return value, index
        if index >= len(tokens) or tokens[index] in ("and", "or", ")"):
            raise ValueError(marker)
        if tokens[index] == "(":
            value, index = expression(index + 1, "or")
            if index >= len(tokens) or tokens[index] != ")":
                raise ValueError(marker)
            return value, index + 1
        atom = tokens[index]
        return (atom if atom is None else bool(atom)), index + 1

    try:
        value, end = expression(0, "or")
    except ValueError:
        return None
    return value if end == len(tokens) else None


@dataclass(frozen=True)
class Requirement:
    """One requirement: from lambda/requirements.txt, or from a distribution's Requires-Dist."""

    text: str
    name: str  # normalized
    extras: frozenset[str]  # normalized
    marker: str | None

    @classmethod
    def parse(cls, text: str) -> Requirement:
        if HAVE_PACKAGING:
            try:
                parsed = PackagingRequirement(text)
            except InvalidRequirement as error:
                raise BuildError(f"cannot read the requirement {text!r}: {error}") from error
            marker = str(parsed.marker) if parsed.marker else None
            extras = frozenset(normalize(extra) for extra in parsed.extras)
            return cls(text, normalize(parsed.name), extras, marker)
        head, _, marker_text = text.partition(";")
        extras_match = re.search(r"\[([^\]]*)\]", head)
        extras = frozenset(
            normalize(extra) for extra in (extras_match[1] if extras_match else "").split(",")
        ) - {""}
        return cls(text, requirement_name(head), extras, marker_text.strip() or None)

    def applies(self, environment: Mapping[str, str], extras: Iterable[str] = ()) -> bool | None:
        """Whether the marker holds with these extras asked for; None if it cannot be told."""
        if self.marker is None:
            return True
        results: list[bool | None] = []
        for extra in ("", *extras):
            if HAVE_PACKAGING:
                results.append(Marker(self.marker).evaluate({**environment, "extra": extra}))
            else:
                results.append(_evaluate_marker(self.marker, {**environment, "extra": extra}))
        if True in results:
            return True
        if None in results:
            # Cannot be told: conservatively, left out if it needs an extra.
            return False if re.search(r"\bextra\b", self.marker) else None
        return False

    def version_problem(self, version: str) -> str | None:
        """Why `version` does not satisfy this requirement (None if it does, or cannot be told)."""
        if not HAVE_PACKAGING:
            return None
        specifier = PackagingRequirement(self.text).specifier
        try:
            if specifier.contains(Version(version), prereleases=True):
                return None
        except InvalidVersion:
            return None
        return f"{version} is installed, {self.text!r} asks for {specifier}"


# --- Dependencies from the installed distributions (the default) ---------------------------------


def installed_closure(
    requirements: Sequence[str],
) -> list[importlib.metadata.Distribution]:
    """The installed distributions `requirements` need, with theirs, and so on (sorted by name)."""
    here = marker_environment()
    on_lambda = marker_environment(lambda_runtime=True)
    found: dict[str, importlib.metadata.Distribution] = {}
    extras_walked: dict[str, frozenset[str]] = {}
    queue: list[tuple[Requirement, frozenset[str], str]] = [
        (Requirement.parse(text), frozenset(), REQUIREMENTS.relative_to(ROOT).as_posix())
        for text in requirements
    ]
    while queue:
        requirement, parent_extras, wanted_by = queue.pop(0)
        needed_here = requirement.applies(here, parent_extras)
        needed_on_lambda = requirement.applies(on_lambda, parent_extras)
        if needed_here is False and needed_on_lambda is False:
            continue
        what = f"{requirement.text!r} (wanted by {wanted_by})"
        if requirement.name in FORBIDDEN:
            raise BuildError(f"{what} must not be in the Lambda bundle")
        try:
            dist = importlib.metadata.distribution(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            if needed_here:
                raise BuildError(f"{what} is not installed in {sys.executable}") from None
            if needed_on_lambda:
                raise BuildError(
                    f"python{PYTHON_VERSION} on Lambda needs {what}, which {sys.executable} does "
                    "not have: build with --download"
                ) from None
            continue  # a marker that cannot be told, and nothing installed: left out
        if problem := requirement.version_problem(dist.version):
            raise BuildError(f"{dist.metadata['Name']}: {problem} (wanted by {wanted_by})")
        key = normalize(dist.metadata["Name"])
        extras = extras_walked.get(key, frozenset()) | requirement.extras
        if key in found and extras == extras_walked[key]:
            continue
        found[key], extras_walked[key] = dist, extras
        queue.extend((Requirement.parse(text), extras, key) for text in dist.requires or [])
    return [found[key] for key in sorted(found)]


def copy_installed(dists: Iterable[importlib.metadata.Distribution], staging: Path) -> None:
    """Copy the installed files of `dists` into `staging`, laid out as in site-packages."""
    owners: dict[str, str] = {}
    for dist in dists:
        name = f"{dist.metadata['Name']} {dist.version}"
        if dist.files is None:
            raise BuildError(f"{name} does not list its files (no RECORD): reinstall it with pip")
        root = Path(os.path.abspath(str(dist.locate_file(""))))
        for file in dist.files:
            source = Path(os.path.normpath(os.path.abspath(str(dist.locate_file(file)))))
            if not source.is_relative_to(root):
                continue  # console scripts, headers, data files outside site-packages
            relative = source.relative_to(root)
            archive_name = relative.as_posix()
            if "__pycache__" in relative.parts or archive_name.endswith(BYTECODE_SUFFIXES):
                continue
            if relative.parent.name.endswith(".dist-info") and relative.name in SKIPPED_RECORDS:
                continue
            if archive_name.endswith(".pth") or archive_name.startswith("__editable__"):
                raise BuildError(
                    f"{name} installs {archive_name}, which Lambda would not process (an editable "
                    "install? its code is then not in site-packages): install it normally, or "
                    "build with --download"
                )
            if not source.is_file():
                raise BuildError(f"{name} lists {archive_name}, which is missing: reinstall it")
            target = staging / relative
            if archive_name in owners:
                if target.read_bytes() != source.read_bytes():
                    raise BuildError(
                        f"{name} and {owners[archive_name]} both install {archive_name}"
                    )
                continue
            owners[archive_name] = name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


def read_constraints(path: Path) -> dict[str, str]:
    """normalized name -> pinned version, from a pip constraints file of `name==version` lines."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as error:
        raise BuildError(f"cannot read the constraints file {path}: {error.strerror}") from None
    pins = {}
    for number, raw in enumerate(lines, 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, equals, version = line.partition("==")
        if not equals or not name.strip() or not version.strip():
            raise BuildError(f"{path}:{number}: not a `name==version` pin: {raw!r}")
        pins[normalize(name.strip())] = version.strip()
    return pins


def check_pinned(
    dists: Iterable[importlib.metadata.Distribution], pins: Mapping[str, str], where: str
) -> None:
    """Every distribution is installed at the version `pins` gives it, or BuildError."""
    for dist in dists:
        name, version = dist.metadata["Name"], dist.version
        pinned = pins.get(normalize(name))
        if pinned is None:
            raise BuildError(
                f"{name} {version} would go into the bundle, but {where} does not pin it "
                "(`make constraints` pins the installed set)"
            )
        if pinned != version:
            raise BuildError(
                f"{name} {version} is installed, but {where} pins {pinned}: run `make` "
                "(it installs the pinned set) or move the pin"
            )


def vendor_installed(staging: Path, constraints: Path | None = None) -> None:
    """Copy lambda/requirements.txt and its dependencies, as installed here, into `staging`;
    with `constraints`, only if each is installed at its pinned version."""
    dists = installed_closure(read_requirements())
    if constraints is not None:
        check_pinned(dists, read_constraints(constraints), constraints.name)
    copy_installed(dists, staging)
    _tidy(staging)


# --- Dependencies downloaded for the Lambda runtime (--download) ---------------------------------


def installed_pins() -> list[str]:
    """`name==version` for every distribution the running interpreter has (sorted, unique)."""
    pins: dict[str, str] = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name and dist.version:
            pins.setdefault(normalize(name), f"{name}=={dist.version}")
    return [pins[key] for key in sorted(pins)]


def _pip(args: Sequence[str], *, quiet: bool) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", *args]
    if quiet:
        command.append("--quiet")
    return subprocess.run(command, capture_output=quiet, text=True, check=False)


def _pip_checked(args: Sequence[str], *, quiet: bool, what: str) -> None:
    result = _pip(args, quiet=quiet)
    if result.returncode != 0:
        raise BuildError(f"pip failed to {what}:\n{result.stdout or ''}{result.stderr or ''}")


def vendor_dependencies(
    staging: Path, cache: Path, constraints: Path | None, *, quiet: bool = True
) -> None:
    """Install lambda/requirements.txt into `staging` from wheels for the Lambda runtime."""
    requirements = read_requirements()
    stripped = [r for r in requirements if requirement_name(r) in STRIP_EXTENSIONS]
    pure = [r for r in requirements if r not in stripped]
    cache.mkdir(parents=True, exist_ok=True)
    common = ["--only-binary=:all:", "--python-version", PYTHON_VERSION]
    if constraints is not None:
        common += ["--constraint", str(constraints)]
    # Pure wheels with their dependencies; the others alone (PyYAML depends on nothing).
    groups = [(pure, [*PURE_TARGET, *common]), (stripped, [*LINUX_TARGET, *common, "--no-deps"])]
    for names, flags in groups:
        if not names:
            continue
        offline = ["--no-index", "--find-links", str(cache)]
        # The cache first; the package index only for what it does not hold yet.
        if _pip(
            ["download", "--dest", str(cache), *offline, *flags, *names], quiet=True
        ).returncode:
            _pip_checked(
                ["download", "--dest", str(cache), "--find-links", str(cache), *flags, *names],
                quiet=quiet,
                what=f"download {' '.join(names)} for python{PYTHON_VERSION}",
            )
        _pip_checked(
            ["install", "--target", str(staging), "--no-compile", *offline, *flags, *names],
            quiet=quiet,
            what=f"install {' '.join(names)} into {staging}",
        )
    _tidy(staging)


# --- Both ---------------------------------------------------------------------------------------


def strip_extensions(staging: Path) -> list[str]:
    """Remove the compiled files STRIP_EXTENSIONS names; return their names in the bundle."""
    patterns = [pair for pairs in STRIP_EXTENSIONS.values() for pair in pairs]
    removed = []
    for name, path in bundle_files(staging):
        if not name.endswith(COMPILED_SUFFIXES):
            continue
        for pattern, fallback in patterns:
            if fnmatch.fnmatchcase(name, pattern):
                if not (staging / fallback).is_file():
                    raise BuildError(f"{name} cannot be left out: {fallback} is not there")
                path.unlink()
                removed.append(name)
                break
    return removed


def _tidy(staging: Path) -> None:
    """Drop what Lambda never runs, strip the optional extensions, refuse any other binary."""
    shutil.rmtree(staging / "bin", ignore_errors=True)
    for cache_dir in sorted(staging.rglob("__pycache__")):
        shutil.rmtree(cache_dir)
    for record in staging.glob("*.dist-info/RECORD"):
        record.unlink()  # lists the files stripped below; nothing at run time reads it
    strip_extensions(staging)
    left = [name for name, _ in bundle_files(staging) if name.endswith(COMPILED_SUFFIXES)]
    if left:
        raise BuildError(f"compiled extensions would only run on one Python: {left}")


def bundled_distributions(staging: Path) -> tuple[str, ...]:
    """`name==version` of the distributions in `staging`, from their METADATA."""
    found = []
    for info in staging.glob("*.dist-info"):
        dist = importlib.metadata.PathDistribution(info)
        found.append((normalize(dist.metadata["Name"]), f"{dist.metadata['Name']}=={dist.version}"))
    return tuple(pin for _, pin in sorted(found))


def copy_skill(staging: Path) -> list[Path]:
    """Copy the parts of the skill package in SKILL_PARTS into `staging`."""
    copied = []
    for path in sorted(SKILL_DIR.rglob("*")):
        relative = path.relative_to(SKILL_DIR).as_posix()
        if (
            not path.is_file()
            or "__pycache__" in path.parts
            or not path.name.endswith(SKILL_SUFFIXES)
            or not relative.startswith(SKILL_PARTS)
        ):
            continue
        if path.suffix == ".py" and (match := FLASK_IMPORT.search(path.read_text("utf-8"))):
            raise BuildError(f"skill/{relative} imports {match.group(1)}: Lambda has no Flask")
        target = staging / "skill" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copied.append(target)
    if not copied:
        raise BuildError(f"nothing to copy from {SKILL_DIR}")
    return copied


def _repository_loader() -> ModuleType:
    """skill.core.loader of this repository (importable without installing the project)."""
    if str(ROOT) not in sys.path:
        sys.path.append(str(ROOT))
    import skill.core.loader as loader

    if not Path(loader.__file__).resolve().is_relative_to(SKILL_DIR):
        raise BuildError(f"skill.core.loader comes from {loader.__file__}, not from {SKILL_DIR}")
    return loader


def write_data_snapshot(staging: Path) -> Path:
    """Write the parsed data of the bundle's YAML files to skill/data_snapshot.json."""
    loader = _repository_loader()
    if not hasattr(loader, "write_snapshot"):
        raise BuildError("skill.core.loader has no write_snapshot(): cannot ship parsed data")
    out = staging / "skill" / SNAPSHOT_NAME
    try:
        loader.write_snapshot(staging / "skill", out)
    except loader.KnowledgeError as error:
        raise BuildError(f"the skill's data does not load: {error}") from None
    return out


#: A LaunchRequest, as the bundle check answers it.
_CHECK_EVENT = {
    "version": "1.0",
    "session": {
        "new": True,
        "sessionId": "amzn1.echo-api.session.build-check",
        "application": {"applicationId": "amzn1.ask.skill.build-check"},
        "attributes": {},
        "user": {"userId": "amzn1.ask.account.BUILDCHECK"},
    },
    "context": {
        "System": {
            "application": {"applicationId": "amzn1.ask.skill.build-check"},
            "user": {"userId": "amzn1.ask.account.BUILDCHECK"},
            "device": {"deviceId": "amzn1.ask.device.BUILDCHECK", "supportedInterfaces": {}},
            "apiEndpoint": "https://api.amazonalexa.com",
        }
    },
    "request": {
        "type": "LaunchRequest",
        "requestId": "amzn1.echo-api.request.build-check",
        "timestamp": "2025-01-01T12:00:00Z",
        "locale": "en-US",
    },
}


@contextmanager
def _modules_from(folder: Path) -> Iterator[None]:
    """Import from `folder` first, and put every module back as it was afterwards.

    The `skill` package already imported (this repository's) is set aside, so `import skill`
    finds the bundle's; modules first imported meanwhile (from the bundle or not) are dropped
    again, so nothing of the bundle outlives the check. No bytecode is written into the bundle.
    """
    modules = dict(sys.modules)
    path, dont_write = list(sys.path), sys.dont_write_bytecode
    for name in [n for n in sys.modules if n == "skill" or n.startswith("skill.")]:
        del sys.modules[name]
    sys.path.insert(0, str(folder))
    sys.dont_write_bytecode = True
    importlib.invalidate_caches()
    try:
        yield
    finally:
        for name in [n for n in sys.modules if modules.get(n) is not sys.modules[n]]:
            del sys.modules[name]
        sys.modules.update(modules)
        sys.path[:] = path
        sys.dont_write_bytecode = dont_write
        sys.path_importer_cache.pop(str(folder), None)


def check_bundle_runs(staging: Path) -> None:
    """Load the bundle's skill from the bundle's files and snapshot, and answer a LaunchRequest.

    Every knowledge, content and voice file must come from the snapshot: parsing YAML fails here.
    """
    with _modules_from(staging):
        try:
            import skill
            import skill.core.loader as loader

            if not Path(skill.__file__).resolve().is_relative_to(staging.resolve()):
                raise BuildError(f"the bundle check imported {skill.__file__}")
            if not loader.SNAPSHOT_FILE.is_file():
                raise BuildError(f"the bundle has no {SNAPSHOT_NAME}")

            def no_yaml(path: Path) -> Any:
                raise BuildError(f"{path} is not in the data snapshot (it was parsed as YAML)")

            loader.parse_yaml = no_yaml  # the bundle's own module, dropped after the check
            from skill.alexa import build_skill
            from skill.alexa.entry import make_event_handler

            answer = make_event_handler(build_skill())(copy.deepcopy(_CHECK_EVENT), None)
        except BuildError:
            raise
        except Exception as error:
            raise BuildError(
                f"the bundle does not start: {type(error).__name__}: {error}"
            ) from None
    speech = (answer.get("response") or {}).get("outputSpeech") or {}
    if not str(speech.get("ssml", "")).startswith("<speak>"):
        raise BuildError("the bundle answered a LaunchRequest without speech")


def check_forbidden(staging: Path) -> None:
    found = sorted(
        entry.name
        for entry in staging.iterdir()
        if normalize(entry.name.split("-", 1)[0].removesuffix(".py")) in FORBIDDEN
    )
    if (staging / "skill" / "web").exists():
        found.append("skill/web")
    if found:
        raise BuildError(f"the Lambda bundle must not contain {found}")


def bundle_files(folder: Path) -> list[tuple[str, Path]]:
    """(archive name, path) of every file under `folder`, sorted by archive name."""
    files = ((p.relative_to(folder).as_posix(), p) for p in folder.rglob("*") if p.is_file())
    return sorted(files)


def write_zip(folder: Path, zip_path: Path) -> int:
    """Zip `folder` reproducibly (same files in, same bytes out); return the number of files."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    partial = zip_path.with_name(zip_path.name + ".partial")
    files = bundle_files(folder)
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, path in files:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so external_attr means the same everywhere
            info.external_attr = ZIP_FILE_MODE << 16
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    os.replace(partial, zip_path)
    return len(files)


def build(
    out: Path = DEFAULT_OUT,
    *,
    download: bool = False,
    wheel_cache: Path = DEFAULT_WHEEL_CACHE,
    pin: bool = True,
    quiet: bool = True,
    constraints: Path | None = None,
) -> Bundle:
    """Build `out`/lambda/ and `out`/lambda.zip; return what was built.

    The dependencies are the installed ones (at the versions `constraints` pins, if given), unless
    `download` (then `wheel_cache`, and `constraints` or else `pin`, apply).
    """
    out = out.resolve()
    folder, zip_path = out / "lambda", out / "lambda.zip"
    with tempfile.TemporaryDirectory(prefix="lambda-build-") as tmp:
        staging = Path(tmp) / "lambda"
        staging.mkdir()
        if download:
            if constraints is not None:
                read_constraints(constraints)  # a broken file fails here, not inside pip
            elif pin:
                constraints = Path(tmp) / "constraints.txt"
                constraints.write_text("\n".join(installed_pins()) + "\n", "utf-8")
            vendor_dependencies(staging, wheel_cache.resolve(), constraints, quiet=quiet)
        else:
            vendor_installed(staging, constraints)
        dependencies = bundled_distributions(staging)
        copy_skill(staging)
        write_data_snapshot(staging)
        shutil.copyfile(HANDLER_FILE, staging / HANDLER_FILE.name)
        check_forbidden(staging)
        check_bundle_runs(staging)
        out.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(staging, folder)
    files = write_zip(folder, zip_path)
    unzipped = sum(path.stat().st_size for _, path in bundle_files(folder))
    return Bundle(folder, zip_path, files, zip_path.stat().st_size, unzipped, dependencies)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (dist)")
    parser.add_argument(
        "--download",
        action="store_true",
        help=f"pip-download wheels for python{PYTHON_VERSION} instead of copying the installed "
        "distributions (needs the package index for wheels not in the cache yet)",
    )
    parser.add_argument(
        "--wheel-cache",
        type=Path,
        help=f"with --download: where wheels are kept ({DEFAULT_WHEEL_CACHE.relative_to(ROOT)})",
    )
    parser.add_argument(
        "--no-pin",
        dest="pin",
        action="store_false",
        help="with --download: the newest versions, not the ones installed here",
    )
    parser.add_argument(
        "--constraints",
        type=Path,
        help="pip constraints file (constraints.txt): the bundle holds exactly its pinned versions",
    )
    parser.add_argument("--verbose", action="store_true", help="show pip's output (--download)")
    args = parser.parse_args(None if argv is None else list(argv))
    if not args.download and (args.wheel_cache is not None or not args.pin):
        parser.error("--wheel-cache and --no-pin only go with --download")
    try:
        bundle = build(
            args.out,
            download=args.download,
            wheel_cache=args.wheel_cache or DEFAULT_WHEEL_CACHE,
            pin=args.pin,
            quiet=not args.verbose,
            constraints=args.constraints,
        )
    except BuildError as error:
        print(f"build_lambda: {error}", file=sys.stderr)
        return 1
    print(bundle.summary())
    print("dependencies:", " ".join(bundle.dependencies))
    return 0


if __name__ == "__main__":
    sys.exit(main())
