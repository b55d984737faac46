"""Ten typical mistakes in a copy of the bundled content: ten problem lines, exit 1."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from tests.conftest import ROOT, run_cli


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(root).as_posix().encode() + p.read_bytes())
    return h.hexdigest()


def test_ten_injected_mistakes_give_ten_lines_and_keep_build(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    out = site / "build"
    assert run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                   "--no-search").exit_code == 0
    before = digest(out)
    c = site / "content"
    edit(c / "measures/e-akte.md", "status: in_umsetzung", "status: in Umsetzung")
    edit(c / "measures/dms.md", "program:", "programm:")
    edit(c / "measures/vpn.md", "program: digitale-infrastruktur", "program: infrastruktur")
    edit(c / "measures/mobiles-arbeiten.md", "kpis: [", "kpis: [mobile-arbeitsplaetz, ")
    edit(c / "measures/isms.md", "start: 2020-02", "start: 2020-13")
    edit(c / "updates/2020-08-04-relaunch-stuttgart-de.md", "\ntitle:", "\ntitel:")
    edit(c / "kpis/webcams.yaml", "\nunit:", "\n\tunit:")
    edit(c / "pages/impressum.md", "\n---\n", "\n")
    edit(c / "sources/grdrs-288-2018.yaml", "\nkind:", "\ntitle: doppelt\nkind:")
    edit(c / "budgets/basis-imp.yaml", "source: mitteilungsvorlage-2021",
         "source: mitteilungsvorlage-2012")

    result = run_cli("--site", str(site), "check")
    assert result.exit_code == 1
    problems = [ln for ln in result.output.splitlines()
                if re.match(r"^content/\S+:\d+: [^:]+: ", ln) and "Warnung" not in ln]
    assert len(problems) == 10, "\n".join(problems)
    files = {ln.split(":", 1)[0] for ln in problems}
    assert len(files) == 10

    build = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                    "--no-search")
    assert build.exit_code == 1
    assert digest(out) == before
