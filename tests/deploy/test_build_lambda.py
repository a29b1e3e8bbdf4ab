"""tools/build_lambda.py in parts: the requirement closure, the marker evaluation, the stripping.

All offline: the default build reads the installed distributions, nothing is downloaded.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest
from deploy_support import build_lambda

HERE = build_lambda.marker_environment()
ON_LAMBDA = build_lambda.marker_environment(lambda_runtime=True)

MARKERS = [
    'python_version == "2.7"',
    "python_version >= '3.8'",
    'python_version < "3.12"',
    'python_version ~= "3.11"',
    'python_full_version >= "3.11.0" and python_version < "4"',
    "(platform_python_implementation == 'CPython') and extra == 'brotli'",
    "(python_version < \"3.14\") and extra == 'zstd'",
    'extra == "socks"',
    'extra == "use-chardet-on-py3"',
    'sys_platform == "win32" or os_name == "nt"',
    'sys_platform != "win32" and (python_version >= "3" or implementation_name == "pypy")',
    '"linux" in sys_platform',
    'platform_system not in "Windows Darwin"',
]


def closure_names(requirements: list[str]) -> list[str]:
    return [
        build_lambda.normalize(dist.metadata["Name"])
        for dist in build_lambda.installed_closure(requirements)
    ]


@pytest.mark.parametrize("marker", MARKERS)
@pytest.mark.parametrize("extras", [(), ("socks",), ("use_chardet_on_py3", "brotli")])
def test_the_small_marker_evaluator_agrees_with_packaging(
    marker: str, extras: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    requirement = build_lambda.Requirement.parse(f"something; {marker}")
    expected = [requirement.applies(env, extras) for env in (HERE, ON_LAMBDA)]
    assert None not in expected
    monkeypatch.setattr(build_lambda, "HAVE_PACKAGING", False)
    fallback = build_lambda.Requirement.parse(f"something; {marker}")
    assert fallback.name == "something"
    assert [fallback.applies(env, extras) for env in (HERE, ON_LAMBDA)] == expected


def test_an_unreadable_marker_with_an_extra_leaves_the_requirement_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(build_lambda, "HAVE_PACKAGING", False)
    odd = build_lambda.Requirement.parse('thing; extra == "x" and platform.odd(1)')
    assert odd.applies(HERE, ["x"]) is False
    unknown = build_lambda.Requirement.parse("thing; platform.odd(1)")
    assert unknown.applies(HERE) is None  # then: in the bundle only if it is installed


def test_requirements_are_read_with_extras_and_markers(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["ask-sdk-model (>=1.0.0)", "Requests[SOCKS,use_chardet] >=2; python_version >= '3'"]
    for have_packaging in (True, False):
        monkeypatch.setattr(build_lambda, "HAVE_PACKAGING", have_packaging)
        model, requests = (build_lambda.Requirement.parse(text) for text in texts)
        assert (model.name, model.extras, model.marker) == ("ask_sdk_model", set(), None)
        assert (requests.name, requests.extras) == ("requests", {"socks", "use_chardet"})
        assert requests.applies(HERE) is requests.applies(ON_LAMBDA) is True


def test_the_closure_is_the_lambda_requirements_and_their_dependencies() -> None:
    names = closure_names(build_lambda.read_requirements())
    assert names == sorted(names)
    assert {"ask_sdk_core", "ask_sdk_model", "ask_sdk_runtime", "pyyaml", "requests", "six"} <= set(
        names
    )
    # requests' optional extras (socks, use-chardet-on-py3) are not asked for.
    assert not {"pysocks", "chardet"} & set(names)
    assert not build_lambda.FORBIDDEN & set(names)


def test_the_closure_is_the_same_without_packaging(monkeypatch: pytest.MonkeyPatch) -> None:
    requirements = build_lambda.read_requirements()
    expected = closure_names(requirements)
    monkeypatch.setattr(build_lambda, "HAVE_PACKAGING", False)
    assert closure_names(requirements) == expected


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


def test_wheel_options_only_go_with_download(capsys: pytest.CaptureFixture[str]) -> None:
    for options in (["--no-pin"], ["--wheel-cache", "somewhere"]):
        with pytest.raises(SystemExit) as exit_info:
            build_lambda.main(options)
        assert exit_info.value.code == 2
        assert "only go with --download" in capsys.readouterr().err
