#!/usr/bin/env python3
"""Write the skill's placeholder icons: tools/icons/small.png (108 x 108) and large.png (512 x 512).

Plain and neutral on purpose: a muted teal disc with a thin off-white ring on a pale background,
no letters, no words, no imagery of the topic (the icon shows in the household's Alexa app).
Amazon asks for PNG icons of exactly these sizes; tools/build_skill_package.py refuses others.
Standard library only (zlib); the output is the same bytes on every run.

    python tools/make_icons.py [--out tools/icons]
"""

from __future__ import annotations

import argparse
import struct
import sys
import zlib
from pathlib import Path

SIZES = {"small.png": 108, "large.png": 512}
BACKGROUND = (244, 241, 236)  # warm off-white
DISC = (63, 122, 128)  # muted teal
RING = (236, 242, 241)


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def _pixel(x: float, y: float, size: int) -> tuple[int, int, int]:
    centre = size / 2
    distance = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5 / size
    if distance < 0.40:
        return RING if 0.27 < distance < 0.30 else DISC
    return BACKGROUND


def png(size: int) -> bytes:
    """An opaque RGB PNG of size x size pixels (2 x 2 supersampled edges)."""
    rows = []
    for y in range(size):
        row = bytearray(b"\x00")  # filter: none
        for x in range(size):
            samples = [_pixel(x + dx, y + dy, size) for dx in (0.25, 0.75) for dy in (0.25, 0.75)]
            row += bytes(sum(s[i] for s in samples) // 4 for i in range(3))
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "icons")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, size in SIZES.items():
        (args.out / name).write_bytes(png(size))
        print(f"wrote {args.out / name} ({size} x {size})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
