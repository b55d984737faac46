"""Message catalogue: every text of the theme and the charts, one YAML file per language.

The catalogue is `theme/messages/<language>.yaml`: nested mappings whose leaves are texts,
addressed by dotted keys (`nav.home`, `chart.status_by_program.title`). A text may name
parameters in braces, filled with `str.format` rules: `"{count} Maßnahmen"`. The site's own
words for its parts are always available as parameters (see `TERM_KEYS`): `{program}`,
`{programs}`, `{measure}`, `{measures}`, `{stage}`, `{stages}`; so the theme says
"{programs}" where one city says "Programme" and another "Handlungsfelder".

Use it from templates as the global `t`: `{{ t("nav.home") }}`, `{{ t("home.count",
count=n) }}`; from Python as `messages.catalogue(language, terms)("nav.home")`. A site may
override single texts with its own `messages/<language>.yaml` beside `content/`. A second
language is one more file here. An unknown key raises `KeyError`: a typo fails the build.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CATALOGUES = Path(__file__).parent / "theme" / "messages"
TERM_KEYS = ("program", "programs", "measure", "measures", "stage", "stages")


class Messages:
    """Texts of one language with the site's terms filled in; call it with a key."""

    def __init__(self, texts: Mapping[str, str], terms: Mapping[str, str]) -> None:
        self.texts = texts
        self.terms = dict(terms)

    def __call__(self, key: str, /, **params: Any) -> str:
        """The text for `key`, its `{parameters}` filled from `params` and the terms."""
        try:
            text = self.texts[key]
        except KeyError:
            raise KeyError(f"message {key!r} is not in the catalogue") from None
        if "{" not in text:
            return text
        return text.format_map({**self.terms, **params})

    def has(self, key: str) -> bool:
        return key in self.texts

    def parts(self) -> tuple[dict[str, str], dict[str, str]]:
        """All that the catalogue prints: its texts (with a site's own) and the terms."""
        return dict(self.texts), self.terms

    def __eq__(self, other: object) -> bool:   # the preview reuses pages of equal catalogues
        return isinstance(other, Messages) and self.parts() == other.parts()

    __hash__ = None  # type: ignore[assignment]


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


@lru_cache(maxsize=16)
def _texts(path: Path) -> Mapping[str, str]:
    """The flattened texts of one catalogue file, read once per process."""
    with path.open(encoding="utf-8") as handle:
        tree = yaml.safe_load(handle) or {}
    return _flatten(tree)


def catalogue(language: str = "de", terms: Mapping[str, str] | None = None,
              site_dir: Path | None = None) -> Messages:
    """The catalogue of `language`, with a site's own overrides and terms."""
    texts = dict(_texts(CATALOGUES / f"{language}.yaml"))
    own = site_dir / "messages" / f"{language}.yaml" if site_dir is not None else None
    if own is not None and own.is_file():   # not cached: the preview picks up each edit
        texts.update(_flatten(yaml.safe_load(own.read_text(encoding="utf-8")) or {}))
    defaults = {k: texts[f"terms.{k}"] for k in TERM_KEYS}
    return Messages(texts, {**defaults, **(terms or {})})
