"""Import flask-ask-sdk on machines where oscrypto cannot start.

Why this module exists: ``flask_ask_sdk.skill_adapter`` imports
``ask_sdk_webservice_support.verifier``, which imports ``certvalidator`` at module level, which
imports ``oscrypto``. oscrypto 1.3.0 reads the OpenSSL version with a regular expression that cannot
match two-digit patch numbers (OpenSSL 3.0.10 and later, e.g. 3.0.19), so the import dies with
``LibraryNotFoundError: Error detecting the version of libcrypto`` (wbond/oscrypto issues 75 and 78)
before any setting can turn the SDK's checks off.

This project never uses the SDK's ``RequestVerifier`` (the only user of certvalidator): it verifies
requests with :mod:`skill.web.verification`, built on ``cryptography``. So, only when the real
``certvalidator`` cannot be imported, a small placeholder ``certvalidator`` package is registered in
``sys.modules`` first. The placeholder satisfies the SDK's module-level imports and fails loudly if
anything ever tries to validate a certificate with it. Installed packages are not modified and the
real module is always preferred when it works.
"""

from __future__ import annotations

import importlib.machinery
import logging
import sys
import threading
import types
from typing import TYPE_CHECKING, Any, NoReturn, cast

if TYPE_CHECKING:
    from flask_ask_sdk.skill_adapter import SkillAdapter

__all__ = ["PLACEHOLDER_MARK", "ensure_certvalidator", "import_skill_adapter", "placeholder_active"]

log = logging.getLogger("skill.web")

#: Attribute set on the placeholder modules so they can be recognised.
PLACEHOLDER_MARK = "__care_compass_placeholder__"

_PURGED_PACKAGES = ("oscrypto", "certvalidator")
_lock = threading.Lock()

_UNAVAILABLE = (
    "certvalidator is unavailable here (oscrypto cannot read this OpenSSL's version); "
    "the SDK's RequestVerifier cannot run: use skill.web.verification instead"
)


class CertificateValidator:
    """Stand-in for ``certvalidator.CertificateValidator``: refuses to be used."""

    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        _refuse()


def _refuse() -> NoReturn:
    raise RuntimeError(_UNAVAILABLE)


def _new_module(name: str) -> types.ModuleType:
    module = types.ModuleType(name, "Placeholder installed by skill.web.compat; see its docstring.")
    module.__spec__ = importlib.machinery.ModuleSpec(name, loader=None)
    setattr(module, PLACEHOLDER_MARK, True)
    return module


def _build_placeholder() -> tuple[types.ModuleType, types.ModuleType]:
    errors = _new_module("certvalidator.errors")

    class ValidationError(Exception):
        """Stand-in for ``certvalidator.errors.ValidationError``."""

    class PathError(Exception):
        """Stand-in for ``certvalidator.errors.PathError``."""

    class PathBuildingError(PathError):
        """Stand-in for ``certvalidator.errors.PathBuildingError``."""

    class InvalidCertificateError(ValidationError):
        """Stand-in for ``certvalidator.errors.InvalidCertificateError``."""

    for cls in (ValidationError, PathError, PathBuildingError, InvalidCertificateError):
        cls.__module__ = errors.__name__
        setattr(errors, cls.__name__, cls)

    package = _new_module("certvalidator")
    package.__path__ = []
    package.CertificateValidator = CertificateValidator  # type: ignore[attr-defined]
    package.errors = errors  # type: ignore[attr-defined]
    package.ValidationError = errors.ValidationError  # type: ignore[attr-defined]
    package.PathBuildingError = errors.PathBuildingError  # type: ignore[attr-defined]
    package.InvalidCertificateError = errors.InvalidCertificateError  # type: ignore[attr-defined]
    return package, errors


def _purge_half_imported() -> None:
    for name in list(sys.modules):
        if any(name == pkg or name.startswith(pkg + ".") for pkg in _PURGED_PACKAGES):
            del sys.modules[name]


def placeholder_active() -> bool:
    """True when the placeholder ``certvalidator`` stands in for the real one."""
    return bool(getattr(sys.modules.get("certvalidator"), PLACEHOLDER_MARK, False))


def ensure_certvalidator() -> None:
    """Make ``import certvalidator`` succeed: the real module if it loads, else the placeholder."""
    with _lock:
        if "certvalidator" in sys.modules:
            return
        try:
            import certvalidator
            import certvalidator.errors  # noqa: F401
        except Exception as exc:  # oscrypto raises LibraryNotFoundError, not ImportError
            _purge_half_imported()
            package, errors = _build_placeholder()
            sys.modules["certvalidator"] = package
            sys.modules["certvalidator.errors"] = errors
            log.debug("certvalidator unavailable (%s): placeholder installed", type(exc).__name__)


def import_skill_adapter() -> type[SkillAdapter]:
    """Return flask-ask-sdk's ``SkillAdapter`` class, importable even where oscrypto is broken."""
    ensure_certvalidator()
    from flask_ask_sdk import skill_adapter

    return cast("type[SkillAdapter]", skill_adapter.SkillAdapter)
