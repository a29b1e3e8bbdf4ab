"""The app gunicorn serves in the endpoint benchmark: ``gunicorn bench.wsgi_app:app``.

Environment:
    BENCH_APP          ours-verify, ours-noverify or bare
    BENCH_CERT_DIR     the test CA's certificate chains (skill.web's CERT_DIR)
    BENCH_TRUST_ROOTS  the test CA's root, a PEM file (skill.web's TRUST_ROOTS)
    ALEXA_SKILL_ID     the skill id every request must carry

All three are our ``create_app`` with the timestamp and skill-id checks on; they differ only in
the signature check and in the skill behind it (ours, or the bare SDK skill).
"""

from __future__ import annotations

import os
from typing import Any

from skill.web.app import create_app


def build(kind: str, *, skill_id: str, cert_dir: str = "", trust_root: str = "") -> Any:
    """Our app as ``kind`` (also used in process by the bench)."""
    config: dict[str, Any] = {"ALEXA_SKILL_ID": skill_id}
    skill = None
    if kind == "ours-verify":
        config.update(VERIFY_SIGNATURE=True, CERT_DIR=cert_dir, TRUST_ROOTS=[trust_root])
    elif kind in ("ours-noverify", "bare"):
        config["VERIFY_SIGNATURE"] = False
        if kind == "bare":
            from bench.bare import build_bare_skill

            skill = build_bare_skill()
    else:
        raise ValueError(f"BENCH_APP={kind!r}: expected ours-verify, ours-noverify or bare")
    return create_app(config, skill=skill)


if os.environ.get("BENCH_APP"):  # under gunicorn
    app = build(
        os.environ["BENCH_APP"],
        skill_id=os.environ["ALEXA_SKILL_ID"],
        cert_dir=os.environ.get("BENCH_CERT_DIR", ""),
        trust_root=os.environ.get("BENCH_TRUST_ROOTS", ""),
    )
