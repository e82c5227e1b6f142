#!/usr/bin/env python3
"""Writes the pictures the browser test of the gallery and the hall map uploads (argument: a
folder): two photos and a hall plan as PNG, made with the standard library at test time (so
no image is committed), and a photo cut off in the middle (refused, named in the page); and
the example exhibitor list (docs/examples/aussteller.csv) with the fair's day added, which an
import needs when no session names the day."""
import struct
import sys
import zlib
from pathlib import Path


def png(width, height, pixel):
    """A truecolour PNG whose pixel (x, y) is pixel(x, y) -> (r, g, b)."""
    rows = b"".join(
        b"\0" + bytes(c for x in range(width) for c in pixel(x, y)) for y in range(height)
    )

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def main():
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    opening = png(480, 320, lambda x, y: (11 + x // 3, 79 + y // 4, 138))
    hall = png(480, 320, lambda x, y: (200 - y // 2, 120 + x // 8, 40))
    (folder / "eroeffnung.png").write_bytes(opening)
    (folder / "markthalle.png").write_bytes(hall)
    (folder / "abgeschnitten.png").write_bytes(opening[: len(opening) // 2])
    # The plan: 800 x 400, a light floor with a darker grid every 100 pixels.
    grid = lambda x, y: (120, 120, 120) if x % 100 == 0 or y % 100 == 0 else (236, 240, 244)
    (folder / "hallenplan.png").write_bytes(png(800, 400, grid))
    rows = Path("docs/examples/aussteller.csv").read_text(encoding="utf-8").splitlines()
    dated = [rows[0] + ";Datum"] + [row + ";04.03.2027" for row in rows[1:] if row.strip()]
    (folder / "aussteller.csv").write_text("\n".join(dated) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
