"""Incremental rendering: reuse every page whose recorded inputs are unchanged."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2

from dmoves_site.problems import Problem
from dmoves_site.render import PageSpec, Renderer, SiteModel, make_env


def same(a: Any, b: Any) -> bool:
    """Deep equality that also tells apart values printed differently (1 and 1.0, 6.4 and 6.40).

    Used to decide whether a page can be reused: a false "different" costs a re-render,
    a false "same" would show a stale page, so unknown objects compare by `==`.
    """
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(v, b[k]) for k, v in a.items())
    if isinstance(a, Decimal):
        return bool(a.as_tuple() == b.as_tuple())
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return all(same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    return bool(a == b)


@dataclass(slots=True)
class CachedPage:
    """One rendered page and everything it was rendered from."""

    spec: PageSpec
    charts: list[Any]
    parts: dict[tuple[str, ...], Any]       # shared parts it used (Renderer.record_dependency)
    html: bytes


class PageCache:
    """Renders pages, reusing the previous bytes of every page whose inputs are unchanged.

    A page's inputs are its PageSpec (typed context, title, crumbs), its charts, the
    context shared by all pages (site, programs, free pages, drafts, the lookups by id)
    and the shared parts it used, header and footer, which the renderer records with
    `record_dependency` while the page renders.
    A template change re-renders all pages.
    """

    def __init__(self, site: Path) -> None:
        self.site = site
        self.env: jinja2.Environment | None = None
        self.pages: dict[str, CachedPage] = {}
        self.previous: dict[str, CachedPage] = {}
        self.common: dict[str, Any] | None = None
        self.renderer: Renderer | None = None
        self.full = True
        self.rendered = 0
        self.drafts: set[str] = set()

    def templates_changed(self) -> None:
        """Forget the compiled templates and every rendered page."""
        self.env = None
        self.pages = {}

    def begin(self, model: SiteModel) -> None:
        """Start a rebuild for `model`."""
        if self.env is None:
            self.env = make_env(self.site / "templates")
        self.renderer = Renderer(model, self.env)
        common = dict(self.renderer.common)
        self.full = self.common is None or not same(self.common, common)
        self.common = common
        self.rendered = 0
        self.drafts = set()
        self.previous, self.pages = self.pages, {}

    def render(self, _renderer: Renderer, spec: PageSpec) -> bytes:
        """The hook for `build.render_files`: reuse or render one page."""
        renderer = self.renderer
        assert renderer is not None, "begin() first"
        charts = [renderer.model.chart_by_id[c] for c in spec.charts]
        if any(getattr(v, "draft", False) is True for v in spec.context.variables().values()):
            self.drafts.add(spec.path)
        old = self.previous.get(spec.path)
        if old is not None and self.reusable(old, spec, charts):
            self.pages[spec.path] = old
            return old.html
        parts: dict[tuple[str, ...], Any] = {}
        renderer.recorder = parts.__setitem__
        try:
            html_bytes = renderer.render(spec)
        finally:
            renderer.recorder = None
        self.pages[spec.path] = CachedPage(spec, charts, parts, html_bytes)
        self.rendered += 1
        return html_bytes

    def reusable(self, old: CachedPage, spec: PageSpec, charts: list[Any]) -> bool:
        if self.full or not same(old.spec, spec) or not same(old.charts, charts):
            return False
        renderer = self.renderer
        assert renderer is not None
        return all(renderer.dependency(key) == value for key, value in old.parts.items())


class StaticFiles:
    """Reads static files (theme assets, documents, images), re-reading only changed ones."""

    def __init__(self) -> None:
        self.cache: dict[Path, tuple[tuple[int, int], bytes]] = {}

    def read(self, sources: dict[str, Path]) -> tuple[dict[str, bytes], list[Problem]]:
        files: dict[str, bytes] = {}
        problems: list[Problem] = []
        for rel, path in sources.items():
            try:
                st = path.stat()
                stamp = (st.st_mtime_ns, st.st_size)
                cached = self.cache.get(path)
                if cached is None or cached[0] != stamp:
                    cached = (stamp, path.read_bytes())
                    self.cache[path] = cached
                files[rel] = cached[1]
            except OSError as exc:
                problems.append(Problem(str(path), 0, "datei", f"nicht lesbar: {exc.strerror}",
                                        "error", "Pfad in content/ prüfen"))
        return files, problems
