"""Chart images (SVG and PNG) rendered offline by kaleido 1.x driving an installed Chromium.

Images are cached by a hash of everything drawn, so a rebuild with unchanged data renders
none. All missing images are rendered in one browser session.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import json
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from dmoves_site import charts as ch
from dmoves_site import citing, plotlytext, routes
from dmoves_site import narrow as nw
from dmoves_site.problems import Problem
from dmoves_site.render import NARROW_IMAGE, THEME, SiteModel

WIDTH, HEIGHT, SCALE = 900, 560, 2
TOP, BOTTOM = 95, 150
NARROW_TOP, NARROW_BOTTOM = 120, 170
PLOTLY_FILE = THEME / "static" / "vendor" / "plotly-basic-4.1.1.min.js"
BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
FIX = ("Chromium installieren (Debian: apt-get install chromium) und 'pip install kaleido' "
       "ausführen, oder ohne Bilder bauen: dmoves-site build --no-images")


def image_figure(chart: ch.Chart, site_title: str, publisher: str, model: SiteModel,
                 narrow: bool = False) -> dict[str, Any]:
    """The chart's figure with title, 'Stand' and source line drawn into the image;
    `narrow`: the phone-width variant (see narrow.py)."""
    fig = nw.narrow_figure(chart.figure) if narrow else copy.deepcopy(chart.figure)
    # one short line; the chart page lists every source in full
    parts = [model.t("cite.image_as_of", date=chart.as_of.german()),
             citing.source_line(chart, model.source_title, model.t),
             f"{publisher}, {site_title}"]
    line = " · ".join(p for p in parts if p)
    layout = fig["layout"]
    top, bottom, height = (NARROW_TOP, NARROW_BOTTOM, nw.HEIGHT) if narrow else (
        TOP, BOTTOM, HEIGHT)
    plot_height = height - top - bottom
    layout["margin"] = {**layout.get("margin", {}), "t": top, "b": bottom}
    layout["legend"] = {"orientation": "h", "y": -70 / plot_height, "yanchor": "top", "x": 0,
                        "traceorder": "normal"}
    # title and source line start at the image's left edge (not the plot area's), so a
    # wide axis label never pushes them out of the picture
    title = layout.get("title", {})
    layout["title"] = {**title, "xref": "container", "x": 0.015, "xanchor": "left",
                       "yref": "container", "y": 0.985, "yanchor": "top",
                       **(_narrow_title(title) if narrow else {}),
                       "subtitle": {"text": _wrap(plotlytext.escape(line), 60 if narrow else 120),
                                    "font": {"size": 11 if narrow else 12, "color": "#333333"}}}
    for index, trace in enumerate(fig["data"]):
        trace["uid"] = f"{chart.id}-{index}"
    return fig


def _narrow_title(title: dict[str, Any]) -> dict[str, Any]:
    """One line where it fits: plotly.js grows a wrapped title upwards, out of the image."""
    text = str(title.get("text", ""))
    size = 15 if len(text) <= 36 else 13
    return {"text": _wrap(text, 50), "font": {**title.get("font", {}), "size": size}}


def _wrap(text: str, width: int) -> str:
    words, lines, current = text.split(" "), [], ""
    for word in words:
        if len(current) + len(word) + 1 > width and current:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    return "<br>".join(lines)


_PLOT_UID = re.compile(rb'id="defs-([0-9a-f]{6})"')


def stable_svg(svg: bytes, key: str) -> bytes:
    """Replace plotly.js's random plot uid (used in clip-path ids) by one derived from key."""
    match = _PLOT_UID.search(svg)
    if not match:
        return svg
    stable = hashlib.sha256(key.encode()).hexdigest()[:6].encode()
    return svg.replace(match.group(1), stable)


def figure_key(fig: dict[str, Any], width: int = 0, height: int = 0) -> str:
    blob = json.dumps(fig, sort_keys=True, ensure_ascii=False, default=str)
    blob += f"|{width or WIDTH}x{height or HEIGHT}@{SCALE}|{PLOTLY_FILE.name}"
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]


def _jobs(cache: Path, fig: dict[str, Any], key: str, formats: tuple[str, ...], width: int,
          height: int) -> list[dict[str, Any]]:
    """Render jobs for the formats of one figure that the cache lacks."""
    return [{"fig": fig, "path": str(cache / f"{key}.{fmt_}.part"),
             "opts": {"format": fmt_, "width": width, "height": height,
                      "scale": SCALE if fmt_ == "png" else 1}}
            for fmt_ in formats if not (cache / f"{key}.{fmt_}").is_file()]


def cache_dir(model_site: Path, options: Any) -> Path:
    return Path(options.image_cache) if options.image_cache else model_site / ".cache" / "images"


def find_browser() -> str | None:
    env = os.environ.get("BROWSER_PATH")
    if env and Path(env).is_file():
        return env
    return next((b for b in BROWSERS if Path(b).is_file()), shutil.which("chromium"))


def render_images(model: SiteModel, options: Any) -> list[Problem]:
    """Fill the cache with every chart image that is missing; record them in model.images."""
    cache = cache_dir(options.site, options)
    cache.mkdir(parents=True, exist_ok=True)
    jobs: list[dict[str, Any]] = []
    keys: dict[str, str] = {}
    narrow_keys: dict[str, str] = {}
    c = model.content
    for chart in model.charts:
        fig = image_figure(chart, c.site.title, c.site.publisher, model)
        keys[chart.id] = figure_key(fig)
        jobs += _jobs(cache, fig, keys[chart.id], ("svg", "png"), WIDTH, HEIGHT)
        small = image_figure(chart, c.site.title, c.site.publisher, model, narrow=True)
        narrow_keys[chart.id] = figure_key(small, nw.WIDTH, nw.HEIGHT)
        jobs += _jobs(cache, small, narrow_keys[chart.id], ("svg",), nw.WIDTH, nw.HEIGHT)
    if jobs:
        problem = _render(jobs)
        if problem:
            return [Problem("grafiken", 0, "bilder", problem, "error", FIX)]
        for job in jobs:
            part = Path(job["path"])
            final = part.with_suffix("")
            if final.suffix == ".svg":
                part.write_bytes(stable_svg(part.read_bytes(), final.stem))
            part.replace(final)
    model.images.update(keys)
    model.narrow_images.update(narrow_keys)
    return []


def _render(jobs: list[dict[str, Any]]) -> str:
    browser = find_browser()
    if browser is None:
        return "kein Chromium gefunden, Grafiken können nicht als Bild erzeugt werden"
    try:
        import kaleido
    except ImportError:
        return "Paket 'kaleido' ist nicht installiert"
    os.environ.setdefault("BROWSER_PATH", browser)
    try:
        # a thread of its own: the caller may already run an event loop (e.g. Playwright)
        with ThreadPoolExecutor(max_workers=1) as pool:
            errors = pool.submit(asyncio.run, _render_all(kaleido, jobs)).result()
    except Exception as exc:  # kaleido/choreographer raise many kinds
        return f"Bilderzeugung fehlgeschlagen: {type(exc).__name__}: {exc}"
    if errors:
        return f"Bilderzeugung fehlgeschlagen: {errors[0]}"
    missing = [j["path"] for j in jobs if not Path(j["path"]).is_file()]
    return f"Bild fehlt nach dem Rendern: {missing[0]}" if missing else ""


async def _render_all(kaleido: Any, jobs: list[dict[str, Any]]) -> list[Any]:
    async with kaleido.Kaleido(n=1, timeout=120, plotlyjs=str(PLOTLY_FILE), mathjax=False) as k:
        result = await k.write_fig_from_object(jobs, cancel_on_error=False)
    return list(result or [])


def image_files(model: SiteModel, options: Any) -> dict[str, bytes]:
    """Output path → bytes of every cached chart image."""
    cache = cache_dir(options.site, options)
    files = {}
    for chart_id, key in sorted(model.images.items()):
        for fmt_ in ("svg", "png"):
            files[routes.chart_file(chart_id, f".{fmt_}")] = (cache / f"{key}.{fmt_}").read_bytes()
    for chart_id, key in sorted(model.narrow_images.items()):
        files[routes.chart_file(chart_id, NARROW_IMAGE)] = (cache / f"{key}.svg").read_bytes()
    return files
