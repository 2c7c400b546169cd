"""Real image files for tests, without an imaging library."""

from __future__ import annotations

import struct
import zlib


def png(width: int, height: int, *, padding: int = 0) -> bytes:
    """A valid black RGB PNG of `width` x `height`; `padding` bytes of
    text chunk make it as large as a test needs (a decoder skips them)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\x00" * width * 3 for _ in range(height))
    text = chunk(b"tEXt", b"Comment\x00" + b"x" * padding) if padding else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + text
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
