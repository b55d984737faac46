"""Share images (PNG, 1200 × 630): a figure's value, Stand and source; one card per site.

Drawn with Pillow in DejaVu Sans (Debian's fonts-dejavu-core, which fontconfig and so
Chromium pull in) or Liberation Sans; the bytes depend only on the text, the font file and
the Pillow version, so builds stay deterministic and need no browser. Without either font,
Pillow's own font is used (it lacks umlauts).
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from dmoves_site import model as m

WIDTH, HEIGHT, PAD = 1200, 630, 60
INK, MUTED, WHITE = "#1a1a1a", "#4a4a4a", "#ffffff"
DEFAULT_PRIMARY = "#1d3f6e"
FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
         "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
         "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf")


@cache
def font_file() -> str | None:
    return next((f for f in FONTS if Path(f).is_file()), None)


@cache
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = font_file()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)


def _fit(draw: ImageDraw.ImageDraw, text: str, size: int) -> str:
    """`text` cut to one line of the card's width, ending with '…' where cut."""
    if draw.textlength(text, font=font(size)) <= WIDTH - 2 * PAD:
        return text
    while text and draw.textlength(text + " …", font=font(size)) > WIDTH - 2 * PAD:
        text = text[:-1]
    return text.rstrip() + " …"


def _wrap(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and draw.textlength(trial, font=font(size)) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current] if current else lines


def _text(draw: ImageDraw.ImageDraw, y: int, text: str, size: int, color: str,
          max_lines: int = 2) -> int:
    """Draw wrapped text from `y`; return the y below it (long text ends with '…')."""
    lines = _wrap(draw, text, size, WIDTH - 2 * PAD)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1] + " …"]
    for line in lines:
        draw.text((PAD, y), line, font=font(size), fill=color)
        y += int(size * 1.25)
    return y


def _canvas(site: m.Site) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    draw = ImageDraw.Draw(image)
    primary = site.colors.get("primary", DEFAULT_PRIMARY)
    draw.rectangle((0, 0, WIDTH, 96), fill=primary)
    draw.text((PAD, 28), _fit(draw, f"{site.publisher} · {site.title}", 28), font=font(28),
              fill=WHITE)
    draw.rectangle((0, HEIGHT - 12, WIDTH, HEIGHT), fill=primary)
    return image, draw


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)  # fast: zlib dominates the cost
    return out.getvalue()


def figure_card(site: m.Site, title: str, value: str, as_of: str, source: str,
                url: str) -> bytes:
    """The card of one figure: title, the value large, Stand, source and address (`as_of`
    and `source`: the lines as printed, 'Stand: …', 'Quelle: …')."""
    image, draw = _canvas(site)
    primary = site.colors.get("primary", DEFAULT_PRIMARY)
    y = _text(draw, 130, title, 40, INK)
    y = _text(draw, y + 16, value, 100, primary, max_lines=1)
    y = _text(draw, y + 16, as_of, 34, INK, max_lines=1)
    _text(draw, y + 8, source, 26, MUTED)
    draw.text((PAD, HEIGHT - 58), _fit(draw, url, 22), font=font(22), fill=MUTED)
    return _png(image)


def site_card(site: m.Site, as_of: str) -> bytes:
    """The card of pages without a chart or figure: the site, its publisher and Stand
    (`as_of`: the line as printed, 'Stand der Daten: …')."""
    image, draw = _canvas(site)
    primary = site.colors.get("primary", DEFAULT_PRIMARY)
    y = _text(draw, 150, site.title, 64, primary, max_lines=3)
    y = _text(draw, y + 20, as_of, 34, INK, max_lines=1)
    if site.description:
        _text(draw, y + 12, site.description, 28, MUTED, max_lines=3)
    draw.text((PAD, HEIGHT - 58), _fit(draw, site.base_url, 22), font=font(22), fill=MUTED)
    return _png(image)
