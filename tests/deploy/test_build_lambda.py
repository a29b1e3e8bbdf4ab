"""tools/build_lambda.py in parts: the requirements and their markers, the closure, the stripping.

All offline: the build reads the installed distributions, nothing is downloaded.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest
from deploy_support import build_lambda

HERE, ON_LAMBDA = build_lambda.HERE, build_lambda.ON_LAMBDA


def closure_names(requirements: list[str]) -> list[str]:
    return [
        build_lambda.normalize(dist.metadata["Name"])
        for dist in build_lambda.installed_closure(requirements)
    ]


def test_requirements_are_read_with_extras_and_markers() -> None:
    model = build_lambda.parse_requirement("ask-sdk-model (>=1.0.0)")
    assert (model.name, model.extras, model.marker) == ("ask-sdk-model", set(), None)
    requests = build_lambda.parse_requirement(
        "Requests[SOCKS,use_chardet] >=2; python_version >= '3'"
    )
    assert (requests.name, requests.extras) == ("Requests", {"SOCKS", "use_chardet"})
    assert build_lambda.applies(requests, HERE) is build_lambda.applies(requests, ON_LAMBDA) is True


def test_markers_are_read_here_and_for_the_lambda_runtime() -> None:
    lambda_only = build_lambda.parse_requirement(
        f'thing; python_version == "{build_lambda.PYTHON_VERSION}"'
    )
    assert build_lambda.applies(lambda_only, ON_LAMBDA)
    assert build_lambda.applies(lambda_only, HERE) is (
        HERE["python_version"] == build_lambda.PYTHON_VERSION
    )
    windows = build_lambda.parse_requirement('thing; sys_platform == "win32" or os_name == "nt"')
    assert not build_lambda.applies(windows, ON_LAMBDA)
    socks = build_lambda.parse_requirement('PySocks; extra == "socks"')
    assert not build_lambda.applies(socks, HERE)
    assert build_lambda.applies(socks, HERE, ["use_chardet_on_py3", "socks"])


def test_an_unreadable_requirement_fails_the_build() -> None:
    with pytest.raises(build_lambda.BuildError, match="cannot read the requirement"):
        build_lambda.installed_closure(['thing; extra == "x" and platform.odd(1)'])


def test_the_closure_is_the_lambda_requirements_and_their_dependencies() -> None:
    names = closure_names(build_lambda.read_requirements())
    assert names == sorted(names)
    assert {"ask_sdk_core", "ask_sdk_model", "ask_sdk_runtime", "pyyaml", "requests", "six"} <= set(
        names
    )
    # requests' optional extras (socks, use-chardet-on-py3) are not asked for.
    assert not {"pysocks", "chardet"} & set(names)
    assert not build_lambda.FORBIDDEN & set(names)


@pytest.mark.parametrize(
    ("requirement", "message"),
    [
        ("no-such-distribution-for-the-lambda", "no-such-distribution-for-the-lambda"),
        ("flask", "must not be in the Lambda bundle"),
        ("pyyaml<1", "asks for <1"),
    ],
)
def test_the_closure_refuses_what_it_cannot_or_must_not_pack(
    requirement: str, message: str
) -> None:
    with pytest.raises(build_lambda.BuildError, match=message):
        build_lambda.installed_closure([requirement])


def test_a_dependency_only_the_lambda_runtime_needs_must_be_installed() -> None:
    marker = " or ".join(f'python_version == "{v}"' for v in ("2.7", build_lambda.PYTHON_VERSION))
    with pytest.raises(build_lambda.BuildError, match="no-such-distribution-for-the-lambda"):
        build_lambda.installed_closure([f"no-such-distribution-for-the-lambda; {marker}"])
    # Needed nowhere: left out.
    assert build_lambda.installed_closure(['no-such-distribution; python_version == "2.7"']) == []


def test_installed_files_are_copied_without_bytecode_records_or_scripts(tmp_path: Path) -> None:
    dists = build_lambda.installed_closure(["charset-normalizer", "pyyaml"])
    build_lambda.copy_installed(dists, tmp_path)
    names = [name for name, _ in build_lambda.bundle_files(tmp_path)]
    assert "charset_normalizer/md.py" in names and "yaml/__init__.py" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert not [n for n in names if n.endswith(("/RECORD", "/direct_url.json"))]
    assert not [n for n in names if n.startswith(("bin/", "../"))]
    infos = sorted(tmp_path.glob("*.dist-info"))
    assert len(infos) == len(dists) == 2
    for info in infos:
        copied = importlib.metadata.PathDistribution(info)
        assert copied.version == importlib.metadata.version(copied.metadata["Name"])


def make_files(folder: Path, names: list[str]) -> None:
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"")


def test_extensions_with_a_pure_python_fallback_are_stripped(tmp_path: Path) -> None:
    compiled = [
        "yaml/_yaml.cpython-312-x86_64-linux-gnu.so",
        "charset_normalizer/md.cpython-311-x86_64-linux-gnu.so",
        "charset_normalizer/cd.cpython-311-darwin.so",
        "md__mypyc.cpython-312-x86_64-linux-gnu.so",
    ]
    kept = ["yaml/__init__.py", "charset_normalizer/md.py", "charset_normalizer/cd.py"]
    make_files(tmp_path, [*compiled, *kept, "charset_normalizer/__pycache__/md.cpython-311.pyc"])
    build_lambda._tidy(tmp_path)
    assert [name for name, _ in build_lambda.bundle_files(tmp_path)] == sorted(kept)


@pytest.mark.parametrize(
    "files",
    [
        ["requests/_speedups.cpython-311-x86_64-linux-gnu.so", "requests/__init__.py"],
        ["charset_normalizer/md.cpython-311-x86_64-linux-gnu.so"],  # no md.py to fall back on
        ["charset_normalizer/utils.cpython-311-x86_64-linux-gnu.so", "charset_normalizer/md.py"],
        ["_cffi_backend.cpython-311-x86_64-linux-gnu.so"],
        ["yaml/_yaml.pyd"],  # no yaml/__init__.py
    ],
)
def test_any_other_compiled_file_fails_the_build(tmp_path: Path, files: list[str]) -> None:
    make_files(tmp_path, files)
    with pytest.raises(build_lambda.BuildError):
        build_lambda._tidy(tmp_path)
