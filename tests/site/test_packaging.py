"""The wheel carries the theme and the starter, so a non-editable install builds a site."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_wheel_contains_every_theme_file(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "-q", "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("dmoves_site-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "dmoves_site"
    # the theme (templates, assets, message catalogue) and the files of `init`
    expected = {p.relative_to(ROOT).as_posix() for folder in ("theme", "starter")
                for p in (package / folder).rglob("*") if p.is_file()}
    assert expected and expected <= names, sorted(expected - names)
    # setuptools must not leave its files in build/, the site's output folder
    site_out = ROOT / "build"
    assert not site_out.exists() or (site_out / ".dmoves-site").is_file()
