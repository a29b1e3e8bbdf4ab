#!/usr/bin/env python3
"""Build the AWS Lambda bundle: dist/lambda/ (a folder) and dist/lambda.zip (the same, zipped).

    python tools/build_lambda.py [--out dist] [--constraints constraints.txt]

In it, and nothing else: lambda/lambda_function.py; the parts of `skill` Lambda runs, their YAML
also parsed into skill/data_snapshot.json (a cold start parses none); lambda/requirements.txt and
all it needs, copied from the distributions installed here, which the tests ran against (no
network, no pip). It is pure Python, so it runs on arm64 and x86_64, and it answers a LaunchRequest
from its own files before it is written out. It has no requirements.txt, so the ASK CLI deploys it
as it is instead of pip-installing again.
"""

from __future__ import annotations

import argparse
import fnmatch
import importlib
import os
import re
import shutil
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import Distribution, PackageNotFoundError, distribution
from pathlib import Path
from typing import Any
from unittest import mock

from packaging.markers import default_environment
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "lambda" / "requirements.txt"
HANDLER_FILE = ROOT / "lambda" / "lambda_function.py"
DEFAULT_OUT = ROOT / "dist"
if str(ROOT) not in sys.path:  # the data snapshot and the self-check use this repository's skill
    sys.path.append(str(ROOT))

# PEP 508 marker variables here, and on the Lambda runtime (as far as markers can tell it apart).
PYTHON_VERSION = "3.12"
HERE = {key: str(value) for key, value in default_environment().items()}
ON_LAMBDA = {
    **HERE,
    "python_version": PYTHON_VERSION,
    "python_full_version": f"{PYTHON_VERSION}.0",
    "implementation_version": f"{PYTHON_VERSION}.0",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "os_name": "posix",
    "sys_platform": "linux",
    "platform_system": "Linux",
}

# Compiled files left out, each with the file that runs instead (the build fails if it is missing).
STRIP_EXTENSIONS = (
    ("yaml/_yaml.*", "yaml/__init__.py"),  # PyYAML's libyaml binding: its pure-Python parser runs
    ("charset_normalizer/md.*", "charset_normalizer/md.py"),  # charset-normalizer's mypyc builds
    ("charset_normalizer/cd.*", "charset_normalizer/cd.py"),
    ("md__mypyc.*", "charset_normalizer/md.py"),  # and the mypyc runtime they share
)
# Install records not copied: RECORD lists the files left out (and their hashes), direct_url.json
# can name a folder on this machine. METADATA stays, so importlib.metadata works in the bundle.
SKIPPED_RECORDS = frozenset({"RECORD", "direct_url.json"})

# The parts of the skill package the Lambda function runs, and which files are code or data.
SKILL_DIR = ROOT / "skill"
SKILL_PARTS = ("__init__.py", "core/", "alexa/", "knowledge/", "content/")
SKILL_SUFFIXES = (".py", ".yaml", ".yml", ".json")

# Importable names (top-level folders/modules, dist-info names) that must never be in the bundle.
FORBIDDEN = frozenset({
    "flask", "flask_ask_sdk", "werkzeug", "jinja2", "itsdangerous", "click", "blinker",
    "markupsafe", "cryptography", "cffi", "ask_sdk_webservice_support", "gunicorn",  # the web host
    "pytest", "_pytest", "pluggy", "hypothesis", "mypy", "ruff",  # development tools
})  # fmt: skip
FLASK_IMPORT = re.compile(
    r"^\s*(?:from|import)\s+(flask|werkzeug|cryptography|skill\.web)\b", re.MULTILINE
)

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
    dependencies: tuple[str, ...]  # name==version of every distribution inside, sorted

    def summary(self) -> str:
        return (
            f"{self.zip_path}: {self.zip_bytes / 1e6:.2f} MB zipped ({self.zip_bytes} bytes), "
            f"{self.files} files, {self.unzipped_bytes / 1e6:.2f} MB unzipped"
        )


def normalize(name: str) -> str:
    """The PEP 503 name, with '_' for '-' so that it also compares with import names."""
    return canonicalize_name(name).replace("-", "_")


def read_requirements(path: Path = REQUIREMENTS) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return [line for line in lines if line]


def parse_requirement(text: str) -> Requirement:
    try:
        return Requirement(text)
    except InvalidRequirement as error:
        raise BuildError(f"cannot read the requirement {text!r}: {error}") from None


def applies(requirement: Requirement, env: Mapping[str, str], extras: Iterable[str] = ()) -> bool:
    """Whether the requirement's marker holds in `env` with these extras asked for."""
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({**env, "extra": extra}) for extra in ("", *extras))


def installed_closure(requirements: Sequence[str]) -> list[Distribution]:
    """The installed distributions `requirements` need, with theirs, and so on (sorted by name)."""
    found: dict[str, Distribution] = {}
    extras_walked: dict[str, frozenset[str]] = {}
    queue: list[tuple[Requirement, frozenset[str], str]] = [
        (parse_requirement(text), frozenset(), REQUIREMENTS.relative_to(ROOT).as_posix())
        for text in requirements
    ]
    while queue:
        requirement, parent_extras, wanted_by = queue.pop(0)
        needed_here = applies(requirement, HERE, parent_extras)
        if not needed_here and not applies(requirement, ON_LAMBDA, parent_extras):
            continue
        what = f"{str(requirement)!r} (wanted by {wanted_by})"
        if normalize(requirement.name) in FORBIDDEN:
            raise BuildError(f"{what} must not be in the Lambda bundle")
        try:
            dist = distribution(requirement.name)
        except PackageNotFoundError:
            where = "" if needed_here else f"python{PYTHON_VERSION} on Lambda needs it and "
            raise BuildError(f"{what}: {where}it is not installed in {sys.executable}") from None
        if not requirement.specifier.contains(dist.version, prereleases=True):
            raise BuildError(
                f"{what} asks for {requirement.specifier}: {dist.version} is installed"
            )
        key = normalize(dist.metadata["Name"])
        extras = extras_walked.get(key, frozenset()) | {normalize(e) for e in requirement.extras}
        if key in found and extras == extras_walked[key]:
            continue
        found[key], extras_walked[key] = dist, extras
        queue.extend((parse_requirement(text), extras, key) for text in dist.requires or [])
    return [found[key] for key in sorted(found)]


def copy_installed(dists: Iterable[Distribution], staging: Path) -> None:
    """Copy the installed files of `dists` into `staging`, laid out as in site-packages."""
    for dist in dists:
        name = f"{dist.metadata['Name']} {dist.version}"
        if dist.files is None:
            raise BuildError(f"{name} does not list its files (no RECORD): reinstall it with pip")
        root = Path(os.path.abspath(str(dist.locate_file(""))))
        for file in dist.files:
            source = Path(os.path.abspath(str(dist.locate_file(file))))
            if not source.is_relative_to(root):
                continue  # console scripts, headers, data files outside site-packages
            relative = source.relative_to(root)
            archive_name = relative.as_posix()
            if "__pycache__" in relative.parts or archive_name.endswith((".pyc", ".pyo")):
                continue
            if relative.parent.name.endswith(".dist-info") and relative.name in SKIPPED_RECORDS:
                continue
            if archive_name.endswith(".pth") or archive_name.startswith("__editable__"):
                raise BuildError(
                    f"{name} installs {archive_name}, which Lambda would not process (an editable "
                    "install? its code is then not in site-packages): install it normally"
                )
            if not source.is_file():
                raise BuildError(f"{name} lists {archive_name}, which is missing: reinstall it")
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


def read_constraints(path: Path) -> dict[str, str]:
    """normalized name -> pinned version, from a pip constraints file of `name==version` lines."""
    try:
        lines = read_requirements(path)
    except OSError as error:
        raise BuildError(f"cannot read the constraints file {path}: {error.strerror}") from None
    pins = {}
    for line in lines:
        name, equals, version = (part.strip() for part in line.partition("=="))
        if not (name and equals and version):
            raise BuildError(f"{path}: not a `name==version` pin: {line!r}")
        pins[normalize(name)] = version
    return pins


def check_pinned(dists: Iterable[Distribution], pins: Mapping[str, str], where: str) -> None:
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


def _tidy(staging: Path) -> None:
    """Drop bytecode and the compiled files STRIP_EXTENSIONS names; refuse any other binary."""
    for cache_dir in sorted(staging.rglob("__pycache__")):
        shutil.rmtree(cache_dir)
    left = []
    for name, path in bundle_files(staging):
        if not name.endswith((".so", ".pyd", ".dylib")):
            continue
        fallbacks = [f for glob, f in STRIP_EXTENSIONS if fnmatch.fnmatchcase(name, glob)]
        if not fallbacks:
            left.append(name)
        elif not (staging / fallbacks[0]).is_file():
            raise BuildError(f"{name} cannot be left out: {fallbacks[0]} is not there")
        else:
            path.unlink()
    if left:
        raise BuildError(f"compiled extensions would only run on one Python: {left}")


def copy_skill(staging: Path) -> None:
    """Copy the parts of the skill package in SKILL_PARTS into `staging`."""
    copied = 0
    for path in sorted(SKILL_DIR.rglob("*")):
        relative = path.relative_to(SKILL_DIR).as_posix()
        if (
            not path.is_file()
            or not path.name.endswith(SKILL_SUFFIXES)
            or not relative.startswith(SKILL_PARTS)
        ):
            continue
        if path.suffix == ".py" and (match := FLASK_IMPORT.search(path.read_text("utf-8"))):
            raise BuildError(f"skill/{relative} imports {match.group(1)}: Lambda has no Flask")
        target = staging / "skill" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copied += 1
    if not copied:
        raise BuildError(f"nothing to copy from {SKILL_DIR}")


def write_data_snapshot(staging: Path) -> None:
    """The bundle's YAML, parsed into skill/data_snapshot.json: in the bundle only, never in the
    repository (.gitignore), whose tests must read the YAML itself."""
    import skill.core.loader as loader
    from skill.core.model import KnowledgeError

    if not Path(loader.__file__).resolve().is_relative_to(SKILL_DIR):
        raise BuildError(f"skill.core.loader comes from {loader.__file__}, not from {SKILL_DIR}")
    try:
        loader.write_snapshot(staging / "skill", staging / "skill" / loader.SNAPSHOT_FILE.name)
    except KnowledgeError as error:
        raise BuildError(f"the skill's data does not load: {error}") from None


@contextmanager
def _modules_from(folder: Path) -> Iterator[None]:
    """Import from `folder` first, writing no bytecode into it; afterwards every module and
    import setting is as it was, so nothing of the bundle outlives the check."""
    with (
        mock.patch.dict(sys.modules),
        mock.patch.dict(sys.path_importer_cache),
        mock.patch.object(sys, "path", [str(folder), *sys.path]),
        mock.patch.object(sys, "dont_write_bytecode", True),
    ):
        # This repository's `skill`, set aside so that `import skill` finds the bundle's.
        for name in [n for n in sys.modules if n == "skill" or n.startswith("skill.")]:
            del sys.modules[name]
        importlib.invalidate_caches()
        yield


def check_bundle_runs(staging: Path) -> None:
    """Answer a LaunchRequest with the bundle's own skill, its data from the snapshot alone."""
    from skill.testing import launch  # this repository's, before the bundle's replaces it

    event = launch()
    # The bundle's third-party code is compiled afresh here (no bytecode written); a compile-time
    # warning in it (ask_sdk_core's invalid regex escapes: a DeprecationWarning on 3.11, a
    # SyntaxWarning later) is theirs, and Lambda does not raise it.
    with _modules_from(staging), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", SyntaxWarning)
        try:
            import skill
            import skill.core.loader as loader

            if not Path(skill.__file__).resolve().is_relative_to(staging.resolve()):
                raise BuildError(f"the bundle check imported {skill.__file__}")
            if not loader.SNAPSHOT_FILE.is_file():
                raise BuildError(f"the bundle has no {loader.SNAPSHOT_FILE.name}")

            def no_yaml(path: Path) -> Any:
                raise BuildError(f"{path} is not in the data snapshot (it was parsed as YAML)")

            loader.parse_yaml = no_yaml  # the bundle's own module, dropped after the check
            from skill.alexa import build_skill
            from skill.alexa.entry import make_event_handler

            answer = make_event_handler(build_skill())(event, None)
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
    return sorted((p.relative_to(folder).as_posix(), p) for p in folder.rglob("*") if p.is_file())


def write_zip(folder: Path, zip_path: Path) -> int:
    """Zip `folder` reproducibly (same files in, same bytes out); return the number of files."""
    files = bundle_files(folder)
    partial = zip_path.with_name(zip_path.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name, path in files:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3  # Unix, so external_attr means the same everywhere
            info.external_attr = ZIP_FILE_MODE << 16
            archive.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED, compresslevel=9)
    os.replace(partial, zip_path)
    return len(files)


def build(out: Path = DEFAULT_OUT, *, constraints: Path | None = None) -> Bundle:
    """`out`/lambda/ and `out`/lambda.zip; with `constraints`, only at the versions it pins."""
    out = out.resolve()
    folder, zip_path = out / "lambda", out / "lambda.zip"
    dists = installed_closure(read_requirements())
    if constraints is not None:
        check_pinned(dists, read_constraints(constraints), constraints.name)
    with tempfile.TemporaryDirectory(prefix="lambda-build-") as tmp:
        staging = Path(tmp) / "lambda"
        staging.mkdir()
        copy_installed(dists, staging)
        _tidy(staging)
        copy_skill(staging)
        write_data_snapshot(staging)
        shutil.copyfile(HANDLER_FILE, staging / HANDLER_FILE.name)
        check_forbidden(staging)
        check_bundle_runs(staging)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(staging, folder)
    files = write_zip(folder, zip_path)
    unzipped = sum(path.stat().st_size for _, path in bundle_files(folder))
    dependencies = tuple(f"{dist.metadata['Name']}=={dist.version}" for dist in dists)
    return Bundle(folder, zip_path, files, zip_path.stat().st_size, unzipped, dependencies)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n", 1)[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (dist)")
    parser.add_argument("--constraints", type=Path, help="the pins the bundle must hold")
    args = parser.parse_args(argv)
    try:
        bundle = build(args.out, constraints=args.constraints)
    except BuildError as error:
        print(f"build_lambda: {error}", file=sys.stderr)
        return 1
    print(bundle.summary())
    print("dependencies:", " ".join(bundle.dependencies))
    return 0


if __name__ == "__main__":
    sys.exit(main())
