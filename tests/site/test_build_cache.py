"""The persistent build cache: a rebuild re-renders only what changed, and its output is
byte for byte the output of a clean build of the same content."""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import brotli
import pytest

from dmoves_site import build as b
from dmoves_site import data, output, routes
from dmoves_site.buildcache import BuildCache
from dmoves_site.load import file_stamp

ROOT = Path(__file__).resolve().parents[2]
STORES = Path(".cache/build")


def bundled_copy(tmp_path: Path) -> Path:
    site = tmp_path / "bundled"
    shutil.copytree(ROOT / "content", site / "content")
    return site


def build(site: Path, out: Path, cache: bool = True) -> b.Report:
    report = b.build(b.Options(site, out, images=False, search=False, cache=cache))
    assert report.written, report.errors[:3]
    return report


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def assert_same_as_clean(site: Path, out: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    build(site, fresh, cache=False)
    cached, clean = tree(out), tree(fresh)
    assert sorted(cached) == sorted(clean)
    stale = [rel for rel in clean if cached[rel] != clean[rel]]
    assert not stale, stale[:5]


def record_stores(site: Path) -> tuple[Path, Path]:
    """The records store and the store of the results changed since it was written."""
    return site / STORES / "records.pickle", site / STORES / "records-changed.pickle"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


MEASURE = "content/measures/e-akte.md"
# (file, text, replacement): one edit of each kind of record, then the site settings
EDITS = [
    (MEASURE, "status: in_umsetzung", "status: abgeschlossen"),
    (MEASURE, "title: Einführung der stadtweiten E-Akte", "title: Stadtweite E-Akte"),
    ("content/updates/2021-09-07-wlan-im-rathaus.md", "Im Dezember 2019",
     "Schon im Dezember 2019"),
    ("content/kpis/notebooks.yaml", "title: Notebooks", "title: Neue Notebooks"),
    ("content/programs/digitale-verwaltung.yaml", "title: Digitale Verwaltung",
     "title: Die digitale Verwaltung"),
    ("content/site.yaml", "publisher: Landeshauptstadt Stuttgart",
     "publisher: Stadt Stuttgart"),
]


def test_rebuild_without_changes_renders_nothing_and_changes_nothing(tmp_path: Path) -> None:
    site = bundled_copy(tmp_path)
    out = site / "build"
    first = build(site, out)
    assert first.rendered == first.pages  # nothing to reuse yet
    before = tree(out)
    again = build(site, out)
    assert again.rendered == 0
    assert again.pages == first.pages
    assert tree(out) == before


def test_every_kind_of_edit_gives_the_clean_build(tmp_path: Path) -> None:
    site = bundled_copy(tmp_path)
    out = site / "build"
    total = build(site, out).pages
    rendered = []
    for rel, old, new in EDITS:
        edit(site / rel, old, new)
        rendered.append(build(site, out).rendered)
        assert_same_as_clean(site, out, tmp_path)
    assert 0 < rendered[0] < total / 4  # one measure: its page, lists, program, home, ...
    assert rendered[-1] == total       # the publisher is named on every page


def test_added_and_removed_records_and_templates(tmp_path: Path) -> None:
    site = bundled_copy(tmp_path)
    out = site / "build"
    total = build(site, out).pages
    measure = site / MEASURE
    copy = site / "content/measures/e-akte-zwei.md"
    copy.write_text(measure.read_text(encoding="utf-8").replace(
        "title: Einführung der stadtweiten E-Akte", "title: Zweite E-Akte"), encoding="utf-8")
    assert build(site, out).pages == total + 1
    assert_same_as_clean(site, out, tmp_path)
    copy.unlink()
    assert build(site, out).pages == total
    assert not (out / "massnahmen/e-akte-zwei").exists()
    assert_same_as_clean(site, out, tmp_path)
    theme = ROOT / "dmoves_site/theme/templates/_footer.html"
    (site / "templates").mkdir()
    (site / "templates/_footer.html").write_text(
        theme.read_text(encoding="utf-8") + "<!-- eigene Fußzeile -->\n", encoding="utf-8")
    assert build(site, out).rendered == total
    assert b"eigene Fu" in (out / "index.html").read_bytes()
    assert_same_as_clean(site, out, tmp_path)


def test_the_sites_own_wording_is_an_input_of_every_page(tmp_path: Path) -> None:
    """messages/de.yaml overrides the theme's texts: adding, changing and removing it
    renders the pages again, as a clean build would."""
    site = bundled_copy(tmp_path)
    out = site / "build"
    total = build(site, out).pages
    own = site / "messages" / "de.yaml"
    own.parent.mkdir()
    for text in ("Zum Inhalt (eigene Fassung)", "Direkt zum Inhalt"):
        own.write_text(f'base:\n  skip_link: "{text}"\n', encoding="utf-8")
        assert build(site, out).rendered == total  # the skip link is on every page
        assert text.encode() in (out / "massnahmen/index.html").read_bytes()
        assert_same_as_clean(site, out, tmp_path)
    own.unlink()
    assert build(site, out).rendered == total
    assert_same_as_clean(site, out, tmp_path)


def test_a_changed_output_file_is_written_again(tmp_path: Path) -> None:
    site = bundled_copy(tmp_path)
    out = site / "build"
    build(site, out)
    page = out / "massnahmen/e-akte/index.html"
    good = page.read_bytes()
    page.write_bytes(b"von Hand geaendert")
    report = build(site, out)
    assert report.rendered == 1
    assert page.read_bytes() == good


@pytest.mark.parametrize(("name", "damage"), [
    ("records.pickle", b""), ("records.pickle", b"kein pickle"), ("pages.pickle", b""),
    ("pages.pickle", b"kein pickle"), ("records-changed.pickle", b"kein pickle"), ("", None)])
def test_a_damaged_or_missing_cache_is_ignored(tmp_path: Path, name: str,
                                               damage: bytes | None) -> None:
    site = bundled_copy(tmp_path)
    out = site / "build"
    total = build(site, out).pages
    assert (site / ".cache/build/records.pickle").is_file()
    assert (site / ".cache/build/pages.pickle").is_file()
    if damage is None:
        shutil.rmtree(site / ".cache")
    else:
        (site / ".cache/build" / name).write_bytes(damage)
    expected = 0 if name.startswith("records") else total  # pages: rendered from the records
    assert build(site, out).rendered == expected
    assert_same_as_clean(site, out, tmp_path)


def test_another_output_folder_does_not_reuse_pages(tmp_path: Path) -> None:
    site = bundled_copy(tmp_path)
    total = build(site, site / "build").pages
    other = tmp_path / "other"
    assert build(site, other).rendered == total
    assert tree(other) == tree(site / "build")


def test_no_cache_renders_everything(tmp_path: Path) -> None:
    site = bundled_copy(tmp_path)
    out = site / "build"
    total = build(site, out).pages
    assert build(site, out, cache=False).rendered == total


def folders(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir())


def test_the_next_build_stages_into_the_tree_it_replaced(tmp_path: Path) -> None:
    """The swapped-out tree is kept and becomes the next staging tree: a page unchanged in
    the last two builds stays there as the live site's very file; pages no longer built
    and folders left empty are gone from the output."""
    site = bundled_copy(tmp_path)
    out = site / "build"
    build(site, out)
    build(site, out)  # the first tree is kept now
    spare = site / ".cache" / "build" / "tree"
    page = "massnahmen/e-akte/index.html"
    assert (spare / page).stat().st_ino == (out / page).stat().st_ino
    (site / "content/measures/aemterspezifische-massnahmen.md").unlink()  # named nowhere
    build(site, out)
    assert not (out / "massnahmen/aemterspezifische-massnahmen").exists()
    assert (spare / "massnahmen/aemterspezifische-massnahmen/index.html").is_file()
    assert_same_as_clean(site, out, tmp_path)
    fresh = tmp_path / "fresh"
    assert folders(out) == folders(fresh)


def test_writing_into_the_kept_tree_never_touches_the_live_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The kept tree shares its files with the live site: a build that replaces every page
    and then fails before the swap leaves every live file as it was."""
    site = bundled_copy(tmp_path)
    out = site / "build"
    build(site, out)
    build(site, out)
    before = tree(out)
    edit(site / "content/site.yaml", "publisher: Landeshauptstadt Stuttgart",
         "publisher: Stadt Stuttgart")  # named on every page: every page is written anew

    def fail(staged: Path, target: Path) -> Path | None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output, "swap", fail)
    report = b.build(b.Options(site, out, images=False, search=False))
    assert not report.written
    assert tree(out) == before


def test_a_measures_feed_is_linked_until_what_it_shows_changes(tmp_path: Path) -> None:
    site = bundled_copy(tmp_path)
    out = site / "build"
    build(site, out)
    edited = out / "massnahmen/e-akte/feed.xml"
    other = out / "massnahmen/wlan-liegenschaften/feed.xml"
    assert other.is_file()
    other_inode = other.stat().st_ino
    edit(site / MEASURE, "title: Einführung der stadtweiten E-Akte", "title: Stadtweite E-Akte")
    build(site, out)
    assert other.stat().st_ino == other_inode  # linked from the last build, not written
    assert "Änderungen: Stadtweite E-Akte" in edited.read_text(encoding="utf-8")
    good = other.read_bytes()
    other.write_bytes(b"von Hand geaendert")
    build(site, out)
    assert other.read_bytes() == good
    assert_same_as_clean(site, out, tmp_path)


def test_precompressed_copies_follow_their_files_through_cached_builds(tmp_path: Path
                                                                       ) -> None:
    """Plain and precompressing builds in turn, with edits: every .gz and .br holds its
    file, none is left over, and the tree is the clean build's."""
    site = bundled_copy(tmp_path)
    out = site / "build"

    def packed_build() -> None:
        assert b.build(b.Options(site, out, images=False, search=False,
                                 precompress=True)).written

    packed_build()
    edit(site / MEASURE, "status: in_umsetzung", "status: abgeschlossen")
    build(site, out)  # plain: no copies
    assert not list(out.rglob("*.html.gz"))
    edit(site / MEASURE, "title: Einführung der stadtweiten E-Akte", "title: Stadtweite E-Akte")
    packed_build()
    packed_build()
    files = tree(out)
    copies = [rel for rel in files if rel.endswith((".gz", ".br"))]
    assert "massnahmen/e-akte/index.html.gz" in copies
    for rel in copies:
        plain = files[rel[:-3]]
        unpack = gzip.decompress if rel.endswith(".gz") else brotli.decompress
        assert unpack(files[rel]) == plain, rel
    fresh = tmp_path / "fresh"
    assert b.build(b.Options(site, fresh, images=False, search=False, cache=False,
                             precompress=True)).written
    assert sorted(tree(fresh)) == sorted(files)


def test_chart_downloads_and_cards_are_linked_until_what_they_show_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = bundled_copy(tmp_path)
    out = site / "build"
    build(site, out)
    edited = out / "grafiken/kennzahl-notebooks/kennzahl-notebooks.csv"
    others = [out / "grafiken/kennzahl-headsets/kennzahl-headsets.csv",
              out / "grafiken/kennzahl-headsets/kennzahl-headsets.zip", out / routes.SITE_CARD]
    inodes = [p.stat().st_ino for p in others]
    made: list[str] = []
    real = data.chart_files
    monkeypatch.setattr(data, "chart_files",
                        lambda chart, *rest: made.append(chart.id) or real(chart, *rest))
    build(site, out)
    assert made == []  # nothing changed: every chart's downloads are linked, none made
    edit(site / "content/kpis/notebooks.yaml", "value: 6000", "value: 6500")
    build(site, out)
    assert "kennzahl-notebooks" in made and "kennzahl-headsets" not in made
    assert [p.stat().st_ino for p in others] == inodes
    assert "6500" in edited.read_text(encoding="utf-8")
    assert_same_as_clean(site, out, tmp_path)


def test_open_data_files_are_linked_until_their_rows_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = bundled_copy(tmp_path)
    out = site / "build"
    build(site, out)
    kpis, measures = out / "daten/kennzahlen.csv", out / "daten/massnahmen.json"
    kept = measures.stat().st_ino
    made: list[str] = []
    real = data.dataset_files
    monkeypatch.setattr(data, "dataset_files", lambda ds: made.append(ds.name) or real(ds))
    build(site, out)
    assert made == []  # nothing changed: every dataset's files are linked, none made
    edit(site / "content/kpis/notebooks.yaml", "value: 6000", "value: 6500")
    build(site, out)
    assert made == ["kennzahlen"]  # the one dataset that shows the value
    assert measures.stat().st_ino == kept
    assert "6500" in kpis.read_text(encoding="utf-8")
    assert_same_as_clean(site, out, tmp_path)


def test_the_records_store_is_written_only_when_a_file_changed(tmp_path: Path) -> None:
    site = bundled_copy(tmp_path)
    store, changed = record_stores(site)
    out = site / "build"
    build(site, out)
    written = store.stat().st_ino
    build(site, out)
    assert store.stat().st_ino == written  # the very results it holds: not written again
    assert not changed.exists()
    edit(site / MEASURE, "title: Einführung der stadtweiten E-Akte", "title: Stadtweite E-Akte")
    build(site, out)
    assert store.stat().st_ino == written  # one result of many differs: only it is written
    assert b"Stadtweite E-Akte" in changed.read_bytes()
    assert b"wlan-im-rathaus" not in changed.read_bytes()
    measure = site / MEASURE
    kept = BuildCache(site).record_cache().get(str(measure))  # read on top of the store
    assert kept is not None and kept.stamp == file_stamp(measure.stat())
    (site / "content/updates/2021-09-07-wlan-im-rathaus.md").unlink()  # one result fewer
    build(site, out)
    assert store.stat().st_ino == written and b"wlan-im-rathaus" in changed.read_bytes()
    assert_same_as_clean(site, out, tmp_path)


def test_many_changed_results_rewrite_the_whole_records_store(tmp_path: Path) -> None:
    site = bundled_copy(tmp_path)
    store, changed = record_stores(site)
    out = site / "build"
    build(site, out)
    edit(site / MEASURE, "title: Einführung der stadtweiten E-Akte", "title: Stadtweite E-Akte")
    build(site, out)
    written = store.stat().st_ino
    files = sorted((site / "content/measures").glob("*.md"))
    assert len(files) > len(list((site / "content").rglob("*.*"))) * 0.125
    for file in files:  # a new stamp for each: read again, a new result for each
        file.write_bytes(file.read_bytes())
    build(site, out)
    assert store.stat().st_ino != written and not changed.exists()
    assert b"Stadtweite E-Akte" in store.read_bytes()
    assert build(site, out).rendered == 0
    assert_same_as_clean(site, out, tmp_path)


def test_a_fresh_checkout_with_the_cache_restored_renders_nothing(tmp_path: Path) -> None:
    """CI: the content is checked out anew (new files, new times), `.cache/` and the
    output come back from a CI cache as copies that keep their times."""
    site = bundled_copy(tmp_path)
    out = site / "build"
    first = build(site, out)
    before = tree(out)
    kept = tmp_path / "kept"
    site.rename(kept)
    shutil.copytree(kept / "content", site / "content", copy_function=shutil.copy)
    shutil.copytree(kept / ".cache", site / ".cache")  # copy2: the files' times kept
    shutil.copytree(kept / "build", out)
    again = build(site, out)
    assert first.rendered == first.pages and again.rendered == 0
    assert tree(out) == before
    edit(site / MEASURE, "title: Einführung der stadtweiten E-Akte", "title: Stadtweite E-Akte")
    assert 0 < build(site, out).rendered < first.pages
    assert_same_as_clean(site, out, tmp_path)


def test_a_cached_build_into_a_fresh_tree_makes_the_folders_before_the_workers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no tree kept, the page folders are made by the main process, one after the
    other, not by the workers side by side (they then only link and write files)."""
    site = bundled_copy(tmp_path)
    out = site / "build"
    monkeypatch.setattr(b, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(b, "workers", lambda: 2)
    pages = build(site, out).pages
    assert not (site / STORES / "tree").exists()  # the first build replaced no tree
    edit(site / MEASURE, "title: Einführung der stadtweiten E-Akte", "title: Stadtweite E-Akte")
    log, real = tmp_path / "folders.log", output.Writer.make_folder

    def logged(self: output.Writer, folder: str) -> None:
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {folder}\n")
        real(self, folder)

    monkeypatch.setattr(output.Writer, "make_folder", logged)
    assert 0 < build(site, out).rendered < pages
    makers = {line.split(" ", 1)[0] for line in log.read_text(encoding="utf-8").splitlines()}
    assert makers == {str(os.getpid())}
    assert_same_as_clean(site, out, tmp_path)
