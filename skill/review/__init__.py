"""The clinician review pack: everything a clinician signs off, as a static site.

`python -m skill review [--out DIR] [--since OLD_PACK_DIR]` (`make review-pack`) writes HTML
pages, their stylesheet and pack.json (the data of everything shown) to dist/review/. A development
tool: it reads the repository's tests and templates, is never part of the Lambda bundle, and the
local endpoint serves it at /review in --dev mode only. docs/review-pack.md says what it holds.
"""

from skill.review.build import build_site, load_pack, write_pack
from skill.review.paths import ReviewError

__all__ = ["ReviewError", "build_site", "load_pack", "write_pack"]
