"""Read PDFs the way a person would: text, fonts, and pixels of a rendered page."""

from __future__ import annotations

import re
import subprocess
import tempfile
from html import unescape
from pathlib import Path

from PIL import Image, ImageChops


def pdf_text(pdf: bytes) -> str:
    """pdftotext of the whole document (layout kept)."""
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def pdf_fonts(pdf: bytes) -> list[str]:
    """Names of the embedded fonts (pdffonts)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run(["pdffonts", f.name], capture_output=True, check=True).stdout
    return [line.split()[0] for line in out.decode().splitlines()[2:] if line.strip()]


def page_count(pdf: bytes) -> int:
    """Pages, from pdfinfo."""
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    line = next(x for x in out.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def render_page(pdf: bytes, page: int = 1, dpi: int = 60) -> Image.Image:
    """Rasterise one page with pdftoppm, as a greyscale image."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                "-png",
                "-f",
                str(page),
                "-l",
                str(page),
                str(src),
                str(Path(tmp) / "p"),
            ],
            check=True,
        )
        png = next(Path(tmp).glob("p*.png"))
        return Image.open(png).convert("L").copy()


def ink(image: Image.Image) -> float:
    """Share of pixels that are not (near) white."""
    histogram = image.histogram()
    dark = sum(histogram[:200])
    return dark / (image.width * image.height)


def difference(a: Image.Image, b: Image.Image, tolerance: int = 60) -> float:
    """Share of pixels whose grey levels differ by more than `tolerance` (of 255): small
    anti-aliasing shifts stay under it, a moved line or a missing word does not."""
    diff = ImageChops.difference(a, b).point(lambda v: 255 if v > tolerance else 0)
    return diff.histogram()[255] / (a.width * a.height)


def words_with_boxes(pdf: bytes, page: int = 1) -> list[tuple[str, float, float, float, float]]:
    """Every word of a page with its box (xMin, yMin, xMax, yMax), from pdftotext -bbox."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    pattern = re.compile(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    return [
        (
            unescape(m.group(5)),
            float(m.group(1)),
            float(m.group(2)),
            float(m.group(3)),
            float(m.group(4)),
        )
        for m in pattern.finditer(html)
    ]
