"""flask-ask-sdk imports on this machine despite oscrypto's OpenSSL version check."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from skill.web import compat

REPO = Path(__file__).resolve().parents[2]


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_import_skill_web_app_works_in_a_fresh_interpreter() -> None:
    result = _run("import skill.web.app, skill.web.serve; print('imported')")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "imported"


def test_half_imported_oscrypto_is_cleaned_up_first() -> None:
    """A failed `import certvalidator` leaves oscrypto modules behind; compat removes them."""
    result = _run(
        """
        import sys
        try:
            import certvalidator
            real = True
        except Exception:
            real = False
        from skill.web.compat import import_skill_adapter, placeholder_active
        adapter = import_skill_adapter()
        leftovers = sorted(m for m in sys.modules if m.split(".")[0] == "oscrypto")
        print(real, placeholder_active(), adapter.__module__, bool(leftovers) == real)
        """
    )
    assert result.returncode == 0, result.stderr
    real, placeholder, module, consistent = result.stdout.split()
    assert placeholder == str(real == "False")
    assert module == "flask_ask_sdk.skill_adapter"
    assert consistent == "True"


def test_placeholder_refuses_to_validate() -> None:
    compat.ensure_certvalidator()
    if not compat.placeholder_active():
        pytest.skip("the real certvalidator works on this machine")
    import certvalidator
    from certvalidator.errors import PathError, ValidationError

    assert issubclass(ValidationError, Exception) and issubclass(PathError, Exception)
    with pytest.raises(RuntimeError, match=r"use skill\.web\.verification"):
        certvalidator.CertificateValidator(b"certificate")


def test_ensure_is_idempotent() -> None:
    compat.ensure_certvalidator()
    first = sys.modules["certvalidator"]
    compat.ensure_certvalidator()
    assert sys.modules["certvalidator"] is first


def test_skill_adapter_is_flask_ask_sdks() -> None:
    adapter = compat.import_skill_adapter()
    assert adapter.__name__ == "SkillAdapter"
    assert adapter.__module__ == "flask_ask_sdk.skill_adapter"
