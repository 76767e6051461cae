"""Image dimensions from file headers, so pages reserve space for images and do not jump while loading.

Only the few bytes of the header are read; formats: PNG, GIF, JPEG, WebP, SVG (width/height or viewBox).
"""

from __future__ import annotations

import re
import struct
from functools import lru_cache
from pathlib import Path

_SVG_SIZE = re.compile(rb'<svg\b[^>]*?\bwidth="([\d.]+)(?:px)?"[^>]*?\bheight="([\d.]+)(?:px)?"', re.DOTALL)
_SVG_VIEWBOX = re.compile(rb'<svg\b[^>]*?\bviewBox="[\d.+-]+[ ,]+[\d.+-]+[ ,]+([\d.]+)[ ,]+([\d.]+)"', re.DOTALL)


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in pixels, or None when the format is unknown or the file is damaged."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _cached_size(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4096)
def _cached_size(path: str, _size: int, _mtime: int) -> tuple[int, int] | None:
    with open(path, "rb") as f:
        head = f.read(64 * 1024)
    try:
        return _from_header(head)
    except (struct.error, ValueError, IndexError):
        return None


def _from_header(head: bytes) -> tuple[int, int] | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return struct.unpack(">II", head[16:24])
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", head[6:10])
    if head.startswith(b"\xff\xd8"):
        return _jpeg_size(head)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _webp_size(head)
    if b"<svg" in head[:4096]:
        m = _SVG_SIZE.search(head) or _SVG_VIEWBOX.search(head)
        if m:
            return round(float(m.group(1))), round(float(m.group(2)))
    return None


def _jpeg_size(head: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(head):
        if head[i] != 0xFF:
            i += 1
            continue
        marker = head[i + 1]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height, width = struct.unpack(">HH", head[i + 5:i + 9])
            return width, height
        length = struct.unpack(">H", head[i + 2:i + 4])[0]
        i += 2 + length
    return None


def _webp_size(head: bytes) -> tuple[int, int] | None:
    chunk = head[12:16]
    if chunk == b"VP8 ":
        w, h = struct.unpack("<HH", head[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L":
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        return int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1
    return None
