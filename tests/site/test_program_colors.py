"""Program accent colours of the bundled site stay apart from the status colours."""

from __future__ import annotations

import itertools
import re

from dmoves_site import charts
from dmoves_site.build import check
from tests.conftest import ROOT

CONTENT, _ = check(ROOT)
assert CONTENT is not None
CSS = (ROOT / "dmoves_site" / "theme" / "static" / "site.css").read_text("utf-8")
MIN_DELTA_E = 25  # CIE76; below about 20 two dark colours read as the same hue


def lab(hex_colour: str) -> tuple[float, float, float]:
    """sRGB hex → CIELAB (D65)."""
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    xyz = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
           0.2126 * r + 0.7152 * g + 0.0722 * b,
           (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
    fx, fy, fz = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: str, b: str) -> float:
    return float(sum((p - q) ** 2 for p, q in zip(lab(a), lab(b), strict=True)) ** 0.5)


def status_colours() -> set[str]:
    css = set(re.findall(r"--(?:done|doing|planned|paused): (#[0-9a-f]{6})", CSS))
    assert len(css) == 4
    return css | set(charts.STATUS_COLORS.values())


def test_lab_conversion_matches_a_known_value() -> None:
    # sRGB #ff0000 is L* 53,2, a* 80,1, b* 67,2
    assert [round(v, 1) for v in lab("#ff0000")] == [53.2, 80.1, 67.2]


def test_no_program_colour_is_close_to_a_status_colour() -> None:
    for program in CONTENT.programs:
        for status in status_colours():
            assert delta_e(program.color, status) >= MIN_DELTA_E, (program.id, status)


def test_program_colours_differ_from_each_other() -> None:
    for a, b in itertools.combinations(CONTENT.programs, 2):
        assert delta_e(a.color, b.color) >= MIN_DELTA_E, (a.id, b.id)
