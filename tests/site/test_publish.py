"""`dmoves-site publish`: build, check, then swap in; a failed check leaves TARGET as it was."""

from __future__ import annotations

import hashlib
import os
import signal
from collections.abc import Callable
from pathlib import Path

import brotli
import pytest

from dmoves_site import output, sitecheck
from dmoves_site import publish as pb
from tests.conftest import run_cli

MakeSite = Callable[[dict[str, str | bytes | None]], Path]
ABOUT: dict[str, str | bytes | None] = {"pages/ueber.md": "---\ntitle: Über\n---\nText.\n"}


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_missing_required_page_is_a_content_error(make_site: MakeSite,
                                                   tmp_path: Path) -> None:
    """Reported once at site.yaml, not as a broken link on every page."""
    site = make_site({"pages/leichte-sprache.md": None})  # None: not written
    code, out = publish(site, tmp_path / "www")
    assert code == 1
    assert ("content/site.yaml:1: pages.easy_language: Pflichtseite "
            "content/pages/leichte-sprache.md fehlt") in out
    assert "führt ins Leere" not in out
    assert not (tmp_path / "www").exists()


def publish(site: Path, target: Path | str, *extra: str) -> tuple[int, str]:
    result = run_cli("--site", str(site), "publish", str(target), "--no-images", "--no-search",
                     *extra)
    return result.exit_code, result.output


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_publish_to_a_folder_then_update_it(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site(ABOUT)
    target = tmp_path / "www" / "digital-moves"
    code, out = publish(site, target)
    assert code == 0, out
    assert (target / "index.html").is_file() and (target / output.MARKER).is_file()
    assert "  + index.html" in out and "  + aktuelles/start/index.html" in out
    added = sum(1 for p in target.rglob("*") if p.is_file())
    assert f"{added} neu, 0 geändert, 0 entfernt." in out
    assert f"Veröffentlicht: {target}" in out
    assert leftovers(target.parent) == []

    update = site / "content/updates/2021-07-06-start.md"
    update.write_text(update.read_text(encoding="utf-8").replace("title: Start",
                      "title: Startschuss"), encoding="utf-8")
    (site / "content/pages/ueber.md").unlink()
    code, out = publish(site, target)
    assert code == 0, out
    assert "Geändert (" in out and "  ~ aktuelles/start/index.html" in out
    assert "Entfernt (" in out and "  - ueber/index.html" in out
    assert "Startschuss" in (target / "aktuelles/start/index.html").read_text(encoding="utf-8")
    assert not (target / "ueber").exists()
    assert leftovers(target.parent) == []

    code, out = publish(site, target)
    assert code == 0, out
    assert "0 neu, 0 geändert, 0 entfernt." in out and "schon aktuell" in out


def test_dry_run_changes_nothing(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({})
    target = tmp_path / "www"
    assert publish(site, target)[0] == 0
    before = tree_digest(target)
    update = site / "content/updates/2021-07-06-start.md"
    update.write_text(update.read_text(encoding="utf-8").replace("Es geht los.",
                      "Es geht jetzt los."), encoding="utf-8")
    code, out = publish(site, target, "--dry-run")
    assert code == 0, out
    assert "  ~ aktuelles/start/index.html" in out
    assert "Probelauf: nichts veröffentlicht" in out
    assert tree_digest(target) == before
    assert leftovers(tmp_path) == []
    code, out = publish(site, tmp_path / "neu", "--dry-run")
    assert code == 0 and "  + index.html" in out
    assert not (tmp_path / "neu").exists()


def test_content_error_publishes_nothing(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({})
    target = tmp_path / "www"
    assert publish(site, target)[0] == 0
    before = tree_digest(target)
    (site / "content/updates/2021-07-06-start.md").write_text(
        "---\ntitle: Start\nmeasures: [online-termn]\n---\n", encoding="utf-8")
    code, out = publish(site, target)
    assert code == 1
    assert "content/updates/2021-07-06-start.md:2: date: Pflichtfeld fehlt" in out
    assert "meinten Sie 'online-termin'?" in out
    assert f"nichts veröffentlicht, {target} ist unverändert" in out
    assert tree_digest(target) == before
    assert leftovers(tmp_path) == []


def override(site: Path, name: str, old: str, new: str) -> None:
    theme = Path(pb.__file__).parent / "theme" / "templates" / name
    text = theme.read_text(encoding="utf-8")
    assert old in text
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates" / name).write_text(text.replace(old, new, 1), encoding="utf-8")


def test_broken_link_in_a_template_publishes_nothing(make_site: MakeSite,
                                                     tmp_path: Path) -> None:
    site = make_site({})
    target = tmp_path / "www"
    assert publish(site, target)[0] == 0
    before = tree_digest(target)
    override(site, "update.html", "{% block main %}",
             '{% block main %}<a href="{{ root }}aktuell/">Alle Meldungen</a>'
             '<img src="{{ root }}assets/site.css">')
    code, out = publish(site, target)
    assert code == 1
    assert ("aktuelles/start/index.html:" in out
            and "href: Link '../../aktuell/' führt ins Leere" in out)
    assert "img: Bild ohne Alternativtext (alt)" in out
    assert "nichts veröffentlicht" in out
    assert tree_digest(target) == before
    assert leftovers(tmp_path) == []


def test_broken_feed_publishes_nothing(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({})
    override(site, "feed.xml", '  <link rel="self"', '  <link rel="myself"')
    target = tmp_path / "www"
    code, out = publish(site, target)
    assert code == 1
    assert 'aktuelles/feed.xml: feed: Link mit rel="self" fehlt' in out
    assert not target.exists()


def test_refuses_a_folder_that_is_not_ours(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({})
    target = tmp_path / "documents"
    target.mkdir()
    (target / "wichtig.txt").write_text("bitte nicht löschen", encoding="utf-8")
    code, out = publish(site, target)
    assert code == 2
    assert "ist nicht leer und enthält keine dmoves-site-Ausgabe" in out
    assert (target / "wichtig.txt").read_text(encoding="utf-8") == "bitte nicht löschen"
    assert leftovers(tmp_path) == []
    file = tmp_path / "datei"
    file.write_text("x", encoding="utf-8")
    code, out = publish(site, file)
    assert code == 2 and "ist eine Datei" in out


def test_drafts_are_named_and_left_out(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"updates/2021-08-01-entwurf.md":
                      "---\ntitle: Entwurf\ndate: 2021-08-01\ndraft: true\n---\nText.\n"})
    target = tmp_path / "www"
    code, out = publish(site, target)
    assert code == 0, out
    assert ("Nicht veröffentlicht, weil Entwurf (draft: true): "
            "content/updates/2021-08-01-entwurf.md") in out
    assert not (target / "aktuelles/entwurf").exists()


def test_the_bundled_site_passes_the_checks(built_site: Path) -> None:
    from dmoves_site.build import check

    content, _report = check(Path(__file__).resolve().parents[2])
    assert content is not None
    assert sitecheck.check_site(built_site, content.site.base_url) == []


# --- unit: links, feed ------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "url", "expected"), [
    ("massnahmen/x/index.html", "../../assets/site.css", "assets/site.css"),
    ("massnahmen/x/index.html", "../", "massnahmen/index.html"),
    ("index.html", "./", "index.html"),
    ("index.html", "https://example.org/d/quellen/", "quellen/index.html"),
    ("404.html", "/d/massnahmen/", "massnahmen/index.html"),
    ("a/index.html", "?programm=x#top", "a/index.html"),
    ("index.html", "quellen/a%20b.txt", "quellen/a b.txt"),
    ("index.html", "#inhalt", None),
    ("index.html", "https://www.stuttgart.de/", None),
    ("index.html", "mailto:presse@example.org", None),
    ("index.html", "../../ausserhalb/", ""),
])
def test_link_targets(page: str, url: str, expected: str | None) -> None:
    assert sitecheck.link_target(page, url, "https://example.org/d/") == expected


def test_feed_checks(tmp_path: Path) -> None:
    feed = tmp_path / "aktuelles" / "feed.xml"
    feed.parent.mkdir()
    feed.write_text("<feed", encoding="utf-8")
    assert "kein gültiges XML" in sitecheck.check_feed(tmp_path)[0].message
    feed.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
                    "<id>/relativ/</id><entry><title>E</title></entry></feed>",
                    encoding="utf-8")
    messages = [p.format() for p in sitecheck.check_feed(tmp_path)]
    assert "aktuelles/feed.xml: feed: <updated> fehlt oder ist leer" in messages
    assert "aktuelles/feed.xml: feed: <author/name> fehlt oder ist leer" in messages
    assert 'aktuelles/feed.xml: feed: Link mit rel="self" fehlt' in messages
    assert "aktuelles/feed.xml: entry[1]: <id> fehlt oder ist leer" in messages
    assert any("ist keine vollständige Adresse" in m for m in messages)


def test_build_without_a_required_page_warns_and_links_nowhere(make_site: MakeSite,
                                                               tmp_path: Path) -> None:
    """`build` (and the preview) still work; only `check` and `publish` refuse."""
    site = make_site({"pages/leichte-sprache.md": None})
    out = tmp_path / "out"
    result = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                     "--no-search")
    assert result.exit_code == 0, result.output
    assert ("content/site.yaml:1: pages.easy_language: Warnung: Pflichtseite "
            "content/pages/leichte-sprache.md fehlt") in result.output
    pages = sorted(out.rglob("*.html"))
    assert pages
    assert not any("/leichte-sprache/" in p.read_text("utf-8") for p in pages)
    assert run_cli("--site", str(site), "check").exit_code == 1


def test_build_precompresses_when_asked_and_publish_always(make_site: MakeSite,
                                                           tmp_path: Path) -> None:
    """`build` writes no .gz/.br of its own unless `--precompress`; `publish` writes them
    for every page, whether rendered or reused from the last build."""
    site = make_site(ABOUT)

    def packed(folder: Path) -> set[str]:
        return {p.relative_to(folder).as_posix() for p in folder.rglob("*.html.gz")}

    def pages(folder: Path) -> set[str]:
        return {p.relative_to(folder).as_posix() + ".gz" for p in folder.rglob("*.html")}

    plain, packed_out = tmp_path / "plain", tmp_path / "packed"
    for out, extra in ((plain, ()), (packed_out, ("--precompress",))):
        result = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                         "--no-search", *extra)
        assert result.exit_code == 0, result.output
    assert pages(plain) and not packed(plain)
    assert packed(packed_out) == pages(packed_out)
    page = next(packed_out.rglob("index.html"))
    assert brotli.decompress(page.with_name("index.html.br").read_bytes()) == page.read_bytes()
    code, out = publish(site, tmp_path / "www")
    assert code == 0, out
    assert packed(tmp_path / "www") == pages(tmp_path / "www")


def test_a_ctrl_c_after_the_work_does_not_cut_off_the_report(
        make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C between the swap and the report: the report still says what is live."""
    site = make_site({})
    target = tmp_path / "www"
    done = pb.publish

    def publish_then_ctrl_c(request: pb.Request) -> pb.Result:
        result = done(request)
        os.kill(os.getpid(), signal.SIGINT)  # handled at once, if it is handled at all
        return result

    monkeypatch.setattr(pb, "publish", publish_then_ctrl_c)
    before = signal.getsignal(signal.SIGINT)
    code, out = publish(site, target)
    assert code == 0, out
    assert f"Veröffentlicht: {target}" in out and f"Live: {target} (die soeben" in out
    assert signal.getsignal(signal.SIGINT) is before  # Ctrl-C works again afterwards
    assert (target / "index.html").is_file()
