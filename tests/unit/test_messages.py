"""The message catalogue: one file per language, terms as parameters, no text left in code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dmoves_site import messages
from tests.conftest import ROOT

TEMPLATES = ROOT / "dmoves_site" / "theme" / "templates"


def test_texts_are_looked_up_by_dotted_key() -> None:
    t = messages.catalogue("de")
    assert t("nav.home") == "Start"
    assert t("status.in_umsetzung") == "in Umsetzung"


def test_terms_fill_every_text_that_names_them() -> None:
    t = messages.catalogue("de", {"program": "Handlungsfeld", "programs": "Handlungsfelder"})
    assert t("nav.programs") == "Handlungsfelder"
    assert t("chart.status_by_program.title") == "Umsetzungsstand je Handlungsfeld"
    # parameters given by the caller win over nothing: both are filled
    assert t("home.card_meta", total=3, done=1) == "3 Maßnahmen, davon 1 abgeschlossen"


def test_unknown_key_fails_loudly() -> None:
    with pytest.raises(KeyError, match=r"nav\.hom"):
        messages.catalogue("de")("nav.hom")


def test_site_overrides_single_texts(tmp_path: Path) -> None:
    (tmp_path / "messages").mkdir()
    (tmp_path / "messages" / "de.yaml").write_text("nav:\n  home: Übersicht\n", encoding="utf-8")
    t = messages.catalogue("de", site_dir=tmp_path)
    assert t("nav.home") == "Übersicht"
    assert t("nav.search") == "Suche"    # the rest stays the theme's


def test_every_key_used_by_a_template_exists() -> None:
    t = messages.catalogue("de")
    used = set()
    for path in TEMPLATES.iterdir():
        used |= set(re.findall(r"""\bt\("([a-z_.]+)"[,)]""", path.read_text(encoding="utf-8")))
    assert used, "templates use the catalogue"
    missing = sorted(k for k in used if not t.has(k))
    assert not missing


def test_every_text_formats_with_the_terms() -> None:
    """No catalogue text names a parameter by a typo of a term (a KeyError at build time)."""
    t = messages.catalogue("de")
    for key, text in t.texts.items():
        names = set(re.findall(r"\{(\w+)\}", text))
        if names <= set(messages.TERM_KEYS):
            assert "{" not in t(key), key
