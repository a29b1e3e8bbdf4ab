"""Make the pack: gather its data, render its pages, compare with an earlier pack, write it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from skill.review.collect import PACK_FORMAT, collect
from skill.review.pages import render_site
from skill.review.paths import ReviewError, relative
from skill.review.version import changes

__all__ = ["STYLESHEET", "build_site", "load_pack", "write_pack"]

STYLESHEET = "style.css"
PACK_DATA = "pack.json"


def load_pack(folder: Path) -> dict[str, Any]:
    """An earlier pack's data (its pack.json); ReviewError says why it cannot be used."""
    path = folder / PACK_DATA
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReviewError(f"{relative(path)}: no pack.json there (give a pack's folder)") from None
    except (OSError, ValueError) as error:
        raise ReviewError(f"{relative(path)}: cannot be read ({error})") from None
    if not isinstance(data, dict) or data.get("format") != PACK_FORMAT:
        raise ReviewError(f"{relative(path)}: not a review pack of format {PACK_FORMAT}")
    return data


def stylesheet() -> str:
    return resources.files("skill.review").joinpath(STYLESHEET).read_text(encoding="utf-8")


def build_site(
    data: Mapping[str, Any] | None = None, since: Mapping[str, Any] | None = None
) -> dict[str, bytes]:
    """{file name: bytes}: every page, the stylesheet and pack.json."""
    data = dict(data if data is not None else collect())
    found = changes(since, data) if since is not None else None
    site = {name: page.encode("utf-8") for name, page in render_site(data, since, found).items()}
    site[STYLESHEET] = stylesheet().encode("utf-8")
    record = {
        **data,
        "since": since["fingerprint"]["sha256"] if since is not None else None,
        "changes": found,
    }
    site[PACK_DATA] = (json.dumps(record, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    return site


def write_pack(out: Path, since: Path | None = None) -> dict[str, bytes]:
    """Write the pack to `out` (its earlier pages and data replaced; screenshots/ kept)."""
    earlier = load_pack(since) if since is not None else None
    site = build_site(since=earlier)
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("*.html"), out / STYLESHEET, out / PACK_DATA]:
        old.unlink(missing_ok=True)
    for name, content in site.items():
        (out / name).write_bytes(content)
    return site
