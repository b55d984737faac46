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
from dmoves_site import plotlytext, routes
from dmoves_site.problems import Problem
from dmoves_site.render import THEME, SiteModel

WIDTH, HEIGHT, SCALE = 900, 560, 2
TOP, BOTTOM = 70, 190
PLOTLY_FILE = THEME / "static" / "vendor" / "plotly-basic-4.1.1.min.js"
BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
FIX = ("Chromium installieren (Debian: apt-get install chromium) und 'pip install kaleido' "
       "ausführen, oder ohne Bilder bauen: dmoves-site build --no-images")


def image_figure(chart: ch.Chart, site_title: str, publisher: str, model: SiteModel
                 ) -> dict[str, Any]:
    """The chart's figure with title, 'Stand' and source line drawn into the image."""
    fig = copy.deepcopy(chart.figure)
    names = []
    groups = ch.group_refs(chart.sources)
    for source_id, sections in groups[:2]:
        src = model.sources.get(source_id)
        title = model.source_title(src) if src else source_id
        shown = ch.sections_label(sections[:6]) + (" u. a." if len(sections) > 6 else "")
        names.append(f"{title}, {shown}")
    more = f" u. {len(groups) - 2} weitere Quellen" if len(groups) > 2 else ""
    line = (f"Stand: {chart.as_of.german()} · Quelle: {'; '.join(names)}{more} · "
            f"{publisher}, {site_title}")
    layout = fig["layout"]
    plot_height = HEIGHT - TOP - BOTTOM
    layout["margin"] = {**layout.get("margin", {}), "t": TOP, "b": BOTTOM}
    layout["legend"] = {"orientation": "h", "y": -70 / plot_height, "yanchor": "top", "x": 0,
                        "traceorder": "normal"}
    layout["annotations"] = [*layout.get("annotations", []), {
        "text": _wrap(plotlytext.escape(line), 130), "xref": "paper", "yref": "paper", "x": 0,
        "y": -(BOTTOM - 8) / plot_height, "xanchor": "left", "yanchor": "bottom",
        "showarrow": False, "align": "left", "font": {"size": 11, "color": "#333333"}}]
    for index, trace in enumerate(fig["data"]):
        trace["uid"] = f"{chart.id}-{index}"
    return fig


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


def figure_key(fig: dict[str, Any]) -> str:
    blob = json.dumps(fig, sort_keys=True, ensure_ascii=False, default=str)
    blob += f"|{WIDTH}x{HEIGHT}@{SCALE}|{PLOTLY_FILE.name}"
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]


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
    c = model.content
    for chart in model.charts:
        fig = image_figure(chart, c.site.title, c.site.publisher, model)
        key = figure_key(fig)
        keys[chart.id] = key
        for fmt_ in ("svg", "png"):
            if not (cache / f"{key}.{fmt_}").is_file():
                jobs.append({"fig": fig, "path": str(cache / f"{key}.{fmt_}.part"),
                             "opts": {"format": fmt_, "width": WIDTH, "height": HEIGHT,
                                      "scale": SCALE if fmt_ == "png" else 1}})
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
    return files
