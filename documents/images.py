"""Logos and seals as a printed page needs them: no more pixels than print shows, and a seal's
colour flattened, so a letter carries kilobytes of image, not a scanner's megabytes.

A seal scan is one ink on transparent paper; its anti-aliased edge pixels carry arbitrary
colours under partial transparency, which compress badly. Where the opaque pixels are all one
colour, the whole colour plane is set to it and the shape is left to the transparency alone:
the printed seal looks the same (cleaner at the edges) at a fraction of the size.
"""

from __future__ import annotations

import dataclasses
import io
from functools import lru_cache

from PIL import Image, ImageStat

from documents.models import Letterhead, Picture

MAX_PIXELS = 320  #: the long side: a 40 mm seal or a 20 mm logo at about 200 dpi
STAMP_SPREAD = 28  #: colour standard deviation below which opaque pixels count as one ink
OPAQUE = 200  #: alpha from which a pixel counts as ink


@lru_cache(maxsize=16)
def _prepared(media_type: str, data: bytes) -> tuple[str, bytes]:
    try:
        image: Image.Image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, ValueError):  # not an image we can read: embed as uploaded
        return media_type, data
    changed = False
    if max(image.size) > MAX_PIXELS:
        image.thumbnail((MAX_PIXELS, MAX_PIXELS), Image.Resampling.LANCZOS)
        changed = True
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        image = image.convert("RGBA")
        alpha = image.getchannel("A")
        ink = alpha.point(lambda v: 255 if v >= OPAQUE else 0)
        if ink.getbbox() is not None:
            stats = ImageStat.Stat(image.convert("RGB"), ink)
            if max(stats.stddev) < STAMP_SPREAD:
                colour = tuple(int(c) for c in stats.mean)
                image = Image.new("RGB", image.size, colour)
                image.putalpha(alpha)
                changed = True
    if not changed:
        return media_type, data
    out = io.BytesIO()
    if image.mode == "RGBA" or media_type == "image/png":
        image.save(out, "PNG", optimize=True)
        return "image/png", out.getvalue()
    image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    return "image/jpeg", out.getvalue()


def print_ready(picture: Picture | None) -> Picture | None:
    """The picture at print resolution, a one-ink seal flattened (cached: one seal, many pages)."""
    if picture is None:
        return None
    media_type, data = _prepared(picture.media_type, picture.data)
    return Picture(media_type, data)


def letterhead_ready(head: Letterhead) -> Letterhead:
    """A letterhead with its logo at print resolution."""
    return dataclasses.replace(head, logo=print_ready(head.logo))
