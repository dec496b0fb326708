"""A small log-log line chart of seconds against articles, written as PNG with zlib + struct only
(matplotlib is not a dependency of the project). Text uses a built-in 5x7 bitmap font."""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

# 5x7 glyphs, one string of 5 cells per row ('#' = ink). Lower-case text is drawn upper-case.
_FONT = {
    " ": ".....|.....|.....|.....|.....|.....|.....",
    "0": ".###.|#...#|#..##|#.#.#|##..#|#...#|.###.",
    "1": "..#..|.##..|..#..|..#..|..#..|..#..|.###.",
    "2": ".###.|#...#|....#|...#.|..#..|.#...|#####",
    "3": "####.|....#|....#|.###.|....#|....#|####.",
    "4": "...#.|..##.|.#.#.|#..#.|#####|...#.|...#.",
    "5": "#####|#....|####.|....#|....#|#...#|.###.",
    "6": ".###.|#....|#....|####.|#...#|#...#|.###.",
    "7": "#####|....#|...#.|..#..|.#...|.#...|.#...",
    "8": ".###.|#...#|#...#|.###.|#...#|#...#|.###.",
    "9": ".###.|#...#|#...#|.####|....#|....#|.###.",
    "A": ".###.|#...#|#...#|#####|#...#|#...#|#...#",
    "B": "####.|#...#|#...#|####.|#...#|#...#|####.",
    "C": ".###.|#...#|#....|#....|#....|#...#|.###.",
    "D": "####.|#...#|#...#|#...#|#...#|#...#|####.",
    "E": "#####|#....|#....|####.|#....|#....|#####",
    "F": "#####|#....|#....|####.|#....|#....|#....",
    "G": ".###.|#...#|#....|#.###|#...#|#...#|.####",
    "H": "#...#|#...#|#...#|#####|#...#|#...#|#...#",
    "I": ".###.|..#..|..#..|..#..|..#..|..#..|.###.",
    "J": "..###|...#.|...#.|...#.|...#.|#..#.|.##..",
    "K": "#...#|#..#.|#.#..|##...|#.#..|#..#.|#...#",
    "L": "#....|#....|#....|#....|#....|#....|#####",
    "M": "#...#|##.##|#.#.#|#.#.#|#...#|#...#|#...#",
    "N": "#...#|#...#|##..#|#.#.#|#..##|#...#|#...#",
    "O": ".###.|#...#|#...#|#...#|#...#|#...#|.###.",
    "P": "####.|#...#|#...#|####.|#....|#....|#....",
    "Q": ".###.|#...#|#...#|#...#|#.#.#|#..#.|.##.#",
    "R": "####.|#...#|#...#|####.|#.#..|#..#.|#...#",
    "S": ".####|#....|#....|.###.|....#|....#|####.",
    "T": "#####|..#..|..#..|..#..|..#..|..#..|..#..",
    "U": "#...#|#...#|#...#|#...#|#...#|#...#|.###.",
    "V": "#...#|#...#|#...#|#...#|#...#|.#.#.|..#..",
    "W": "#...#|#...#|#...#|#.#.#|#.#.#|#.#.#|.#.#.",
    "X": "#...#|#...#|.#.#.|..#..|.#.#.|#...#|#...#",
    "Y": "#...#|#...#|.#.#.|..#..|..#..|..#..|..#..",
    "Z": "#####|....#|...#.|..#..|.#...|#....|#####",
    ".": ".....|.....|.....|.....|.....|.##..|.##..",
    ",": ".....|.....|.....|.....|.##..|..#..|.#...",
    "-": ".....|.....|.....|.###.|.....|.....|.....",
    "+": ".....|..#..|..#..|#####|..#..|..#..|.....",
    "/": "....#|....#|...#.|..#..|.#...|#....|#....",
    "(": "...#.|..#..|.#...|.#...|.#...|..#..|...#.",
    ")": ".#...|..#..|...#.|...#.|...#.|..#..|.#...",
    "%": "##..#|##..#|...#.|..#..|.#...|#..##|#..##",
    ":": ".....|.##..|.##..|.....|.##..|.##..|.....",
    "=": ".....|.....|#####|.....|#####|.....|.....",
    "?": ".###.|#...#|....#|...#.|..#..|.....|..#..",
}
_GLYPHS = {ch: [row for row in rows.split("|")] for ch, rows in _FONT.items()}

PALETTE = [
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (127, 127, 127),
    (23, 190, 207),
]


class Canvas:
    def __init__(self, width: int, height: int, background=(255, 255, 255)) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(background) * (width * height))

    def set(self, x: int, y: int, color) -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            i = 3 * (y * self.width + x)
            self.pixels[i : i + 3] = bytes(color)

    def rect(self, x0: int, y0: int, x1: int, y1: int, color) -> None:
        for y in range(max(0, y0), min(self.height, y1 + 1)):
            for x in range(max(0, x0), min(self.width, x1 + 1)):
                self.set(x, y, color)

    def line(self, x0: float, y0: float, x1: float, y1: float, color, width: int = 1, dash: int = 0) -> None:
        steps = int(max(abs(x1 - x0), abs(y1 - y0))) + 1
        for i in range(steps + 1):
            if dash and (i // dash) % 2:
                continue
            t = i / steps
            x, y = round(x0 + (x1 - x0) * t), round(y0 + (y1 - y0) * t)
            half = width // 2
            self.rect(x - half, y - half, x - half + width - 1, y - half + width - 1, color)

    def text(self, x: int, y: int, text: str, color=(0, 0, 0), scale: int = 1) -> None:
        for n, ch in enumerate(text.upper()):
            glyph = _GLYPHS.get(ch, _GLYPHS["?"])
            for row, cells in enumerate(glyph):
                for col, cell in enumerate(cells):
                    if cell == "#":
                        px, py = x + (n * 6 + col) * scale, y + row * scale
                        self.rect(px, py, px + scale - 1, py + scale - 1, color)

    def png(self) -> bytes:
        raw = b"".join(
            b"\x00" + bytes(self.pixels[3 * y * self.width : 3 * (y + 1) * self.width])
            for y in range(self.height)
        )

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b"")
        )


def text_width(text: str, scale: int = 1) -> int:
    return len(text) * 6 * scale


def _label(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 1000:
        return f"{value / 1000:g}K"
    return f"{value:g}"


def _decades(lo: float, hi: float) -> list[float]:
    return [10.0**e for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)]


def line_chart(
    path: Path,
    series: dict[str, list[tuple[float, float]]],
    title: str,
    x_label: str,
    y_label: str,
    hlines: dict[str, float] | None = None,
    width: int = 900,
    height: int = 560,
) -> Path:
    """Log-log chart of `series` (name -> [(x, y)]); `hlines` are dashed horizontal references."""
    hlines = hlines or {}
    points = [(x, y) for pts in series.values() for x, y in pts if x > 0 and y > 0]
    ys = [y for _, y in points] + [v for v in hlines.values() if v > 0]
    xs = [x for x, _ in points]
    if not points:
        xs, ys = [1.0, 10.0], [1.0, 10.0]
    x_ticks = _decades(min(xs), max(xs))
    y_ticks = _decades(min(ys), max(ys))
    x_lo, x_hi = x_ticks[0], x_ticks[-1] if x_ticks[-1] > x_ticks[0] else x_ticks[0] * 10
    y_lo, y_hi = y_ticks[0], y_ticks[-1] if y_ticks[-1] > y_ticks[0] else y_ticks[0] * 10
    left, right, top, bottom = 70, width - 230, 50, height - 60
    canvas = Canvas(width, height)

    def px(x: float) -> float:
        return left + (math.log10(x) - math.log10(x_lo)) / (math.log10(x_hi) - math.log10(x_lo)) * (
            right - left
        )

    def py(y: float) -> float:
        return bottom - (math.log10(y) - math.log10(y_lo)) / (math.log10(y_hi) - math.log10(y_lo)) * (
            bottom - top
        )

    grid, axis = (225, 225, 225), (60, 60, 60)
    for tick in x_ticks:
        if x_lo <= tick <= x_hi:
            canvas.line(px(tick), top, px(tick), bottom, grid)
            label = _label(tick)
            canvas.text(round(px(tick)) - text_width(label) // 2, bottom + 8, label, axis)
    for tick in y_ticks:
        if y_lo <= tick <= y_hi:
            canvas.line(left, py(tick), right, py(tick), grid)
            label = _label(tick)
            canvas.text(left - 8 - text_width(label), round(py(tick)) - 3, label, axis)
    canvas.line(left, bottom, right, bottom, axis)
    canvas.line(left, top, left, bottom, axis)
    canvas.text(left, 16, title, (0, 0, 0), scale=2)
    canvas.text((left + right) // 2 - text_width(x_label) // 2, bottom + 28, x_label, axis)
    canvas.text(8, top - 16, y_label, axis)

    legend_y = top
    for n, (name, pts) in enumerate(series.items()):
        color = PALETTE[n % len(PALETTE)]
        pts = sorted((x, y) for x, y in pts if x > 0 and y > 0)
        for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
            canvas.line(px(x0), py(y0), px(x1), py(y1), color, width=2)
        for x, y in pts:
            canvas.rect(round(px(x)) - 3, round(py(y)) - 3, round(px(x)) + 3, round(py(y)) + 3, color)
        canvas.rect(right + 20, legend_y, right + 34, legend_y + 6, color)
        canvas.text(right + 42, legend_y, name, (0, 0, 0))
        legend_y += 16
    for m, (name, value) in enumerate(hlines.items()):
        color = PALETTE[(len(series) + m) % len(PALETTE)]
        if value > 0:
            canvas.line(left, py(value), right, py(value), color, width=1, dash=6)
        canvas.line(right + 20, legend_y + 3, right + 34, legend_y + 3, color, dash=3)
        canvas.text(right + 42, legend_y, name, (0, 0, 0))
        legend_y += 16
    path.write_bytes(canvas.png())
    return path
