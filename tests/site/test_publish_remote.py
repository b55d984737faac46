"""Publishing to a web server: releases switched in one step, over a fake ssh.

`fake_ssh.sh` stands in for ssh (RSYNC_RSH): it runs rsync's remote side and the server
steps of `publish` on this machine, so the "server" folder is a temporary folder here.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dmoves_site import remote as rm
from tests.conftest import ROOT, run_cli, write_site

MakeSite = Callable[[dict[str, str | bytes | None]], Path]
FAKE_SSH = Path(__file__).with_name("fake_ssh.sh")
REQUIRED_PAGES: dict[str, str | bytes | None] = {
    "pages/leichte-sprache.md": "---\ntitle: Leichte Sprache\n---\nText.\n",
    "pages/barrierefreiheit.md": "---\ntitle: Barrierefreiheit\n---\n## Feedback\n",
}


@pytest.fixture(autouse=True)
def fake_ssh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RSYNC_RSH", str(FAKE_SSH))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", REQUIRED_PAGES)


def publish(site: Path, target: str, *extra: str) -> tuple[int, str]:
    result = run_cli("--site", str(site), "publish", str(target), "--no-images", "--no-search",
                     *extra)
    return result.exit_code, result.output


def digest(root: Path) -> dict[str, str]:
    """Every file under `root` (following the site's symlink) by content."""
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in files}


def retitle(site: Path, title: str) -> None:
    """Change the site title: every page changes."""
    config = site / "content/site.yaml"
    text = re.sub(r"(?m)^title: .*$", f"title: {title}", config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")


def reference(site: Path, out: Path) -> dict[str, str]:
    """What a publication of the site must put live: a build of the same content."""
    result = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                     "--no-search", "--precompress")
    assert result.exit_code == 0, result.output
    return digest(out)


def link(path: Path) -> str:
    return str(path.readlink())


def modes(root: Path) -> Iterator[tuple[str, int]]:
    for path in [root, *root.rglob("*")]:
        yield path.relative_to(root).as_posix(), stat.S_IMODE(path.stat().st_mode)


def test_remote_site_is_readable_by_the_web_server(site: Path, tmp_path: Path) -> None:
    live = tmp_path / "www" / "site"
    code, out = publish(site, f"redaktion@web.example:{live}")
    assert code == 0, out
    dirs = {rel: mode for rel, mode in modes(live.resolve()) if (live / rel).is_dir()}
    files = {rel: mode for rel, mode in modes(live.resolve()) if (live / rel).is_file()}
    assert set(dirs.values()) == {0o755}, dirs  # the test runs with umask 022
    assert set(files.values()) == {0o644}
    assert "index.html" in files


def test_releases_switch_keep_one_previous_and_roll_back(site: Path, tmp_path: Path) -> None:
    live = tmp_path / "www" / "site"
    target = f"redaktion@web.example:{live}"
    releases = tmp_path / "www" / ".site-releases"
    assert publish(site, target)[0] == 0
    first = link(live)
    assert first.startswith(".site-releases/") and (live / "index.html").is_file()

    code, out = publish(site, target)
    assert code == 0, out
    assert "0 neu, 0 geändert, 0 entfernt." in out and "schon aktuell" in out
    assert link(live) == first
    assert f"Live: {target} → Fassung {first.split('/')[1]} (unverändert)." in out

    retitle(site, "Zweite Fassung")
    code, out = publish(site, target)
    assert code == 0, out
    second = link(live)
    assert second != first and "Zweite Fassung" in (live / "index.html").read_text("utf-8")
    assert "  ~ index.html" in out and "0 neu," in out
    assert f"Live: {target} → Fassung {second.split('/')[1]} (neu)." in out
    retitle(site, "Dritte Fassung")
    assert publish(site, target)[0] == 0
    third = link(live)
    assert sorted(p.name for p in releases.iterdir()) == sorted(
        [second.split("/")[1], third.split("/")[1]])  # the first one is cleaned away

    code, out = publish(site, target, "--rollback")
    assert code == 0, out
    assert link(live) == second
    assert "Zweite Fassung" in (live / "index.html").read_text("utf-8")
    assert "(zurückgeschaltet)" in out
    code, out = publish(site, target, "--rollback")
    assert code == 2 and "keine frühere Fassung" in out
    assert link(live) == second


def test_a_path_in_the_login_home_publishes_each_new_release_whole(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A relative path starts in the login's home (here: the working folder); rsync reads
    its basis folder relative to the upload, which some rsync builds reject."""
    monkeypatch.chdir(tmp_path)
    target = "redaktion@web.example:www/site"
    assert publish(site, target)[0] == 0
    retitle(site, "Zweite Fassung")
    code, out = publish(site, target)
    assert code == 0, out
    live = tmp_path / "www" / "site"
    assert "Zweite Fassung" in (live / "index.html").read_text("utf-8")
    assert digest(live) == reference(site, tmp_path / "reference")


def test_a_folder_published_before_becomes_the_previous_release(site: Path,
                                                                tmp_path: Path) -> None:
    live = tmp_path / "www" / "site"
    live.mkdir(parents=True)
    (live / ".dmoves-site").write_text("dmoves-site output folder\n", encoding="utf-8")
    (live / "alt.html").write_text("alt", encoding="utf-8")
    code, out = publish(site, f"web.example:{live}")
    assert code == 0, out
    assert live.is_symlink() and (live / "index.html").is_file()
    assert "  - alt.html" in out
    kept = tmp_path / "www" / ".site-releases" / rm.LEGACY / "alt.html"
    assert kept.read_text(encoding="utf-8") == "alt"
    code, out = publish(site, f"web.example:{live}", "--rollback")
    assert code == 0, out
    assert (live / "alt.html").is_file()


def test_remote_folders_that_are_not_ours_are_refused(site: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "urlaubsfotos.jpg").write_bytes(b"\xff\xd8")
    code, out = publish(site, f"u@web.example:{home}")
    assert code == 2 and "enthält keine dmoves-site-Ausgabe" in out
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "link").symlink_to(elsewhere)
    code, out = publish(site, f"u@web.example:{tmp_path / 'link'}")
    assert code == 2 and "symbolischer Link" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere", "home", "link", "site"]


@pytest.mark.parametrize("target", [
    "redaktion@web server.example:/srv/www",
    "redaktion@[::1]:/srv/www",
    "u@s@localhost:x",
    "redaktion@web.example:/srv/www\n",
    "redaktion@web.example:/srv/\nwww",
    "--log-file=@localhost:x",
    "-e@host:x",
    "@host:/srv",
    "user@-host:/srv",
    "user@host.:/srv",
])
def test_malformed_targets_are_errors(site: Path, tmp_path: Path, target: str,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(rm.TargetRefused):
        rm.parse_target(target)
    result = run_cli("--site", str(site), "publish", "--no-images", "--no-search", "--",
                     target)
    assert result.exit_code == 2, result.output
    assert "Veröffentlicht" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # nothing written here


def test_well_formed_targets() -> None:
    assert rm.parse_target("user@host:/var/www/site/") == rm.Remote("user@host",
                                                                     "/var/www/site")
    assert rm.parse_target("host.example.org:www") == rm.Remote("host.example.org", "www")
    assert rm.parse_target("u@h:~/www") == rm.Remote("u@h", "www")
    for local in ("/tmp/a:b", "./a:b", "build", "~/www", "www/a@b", "a b/c"):
        assert rm.parse_target(local) is None, local
    for empty in ("user@host:", "user@host:/", "user@host:~", "user@host:~/"):
        with pytest.raises(rm.TargetRefused, match="kein Zielordner"):
            rm.parse_target(empty)


def test_paths_come_after_double_dash() -> None:
    remote = rm.Remote("u@h", "/srv/-x")
    command = rm.rsync_command(Path("/tmp/-stage"), remote, "/srv/-x")
    assert command[-3:] == ["--", "/tmp/-stage/", "u@h:/srv/-x/"]
    assert "-a" not in command and "--checksum" in command  # contents, not times


def test_server_steps_quote_their_arguments(tmp_path: Path) -> None:
    live = tmp_path / "a b; touch pwned" / "site"
    remote = rm.Remote("u@h", str(live))
    done = subprocess.run(rm.remote_command(remote, "probe"), capture_output=True,
                          text=True, check=True, env={**os.environ, "RSYNC_RSH": str(FAKE_SSH)})
    assert rm.parse_state(done.stdout).live == "absent"
    assert not (Path.cwd() / "pwned").exists() and not (tmp_path / "pwned").exists()


# --- interrupted publications ------------------------------------------------------------------


def start_publish(site: Path, target: str, log: Path) -> subprocess.Popen[bytes]:
    """`publish` in its own process group; the fake ssh notes each call in `log`."""
    env = {**os.environ, "RSYNC_RSH": f"{FAKE_SSH}", "FAKE_SSH_LOG": str(log),
           "PYTHONPATH": str(ROOT)}
    with log.with_suffix(".out").open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "dmoves_site", "--site", str(site),
                                 "publish", "--no-images", "--no-search", target],
                                env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def wait_for_calls(log: Path, count: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if log.exists() and len(log.read_text(encoding="utf-8").splitlines()) >= count:
            return
        time.sleep(0.005)


def interrupt(site: Path, target: str, log: Path, calls: int, delay: float,
              signum: signal.Signals) -> None:
    """Start `publish`, then signal its process group `delay` s after the n-th ssh call."""
    process = start_publish(site, target, log)
    try:
        wait_for_calls(log, calls, process)  # 1 probe, 2 dry run, 3 prepare, 4 upload, 5 switch
        time.sleep(delay)
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass  # it had finished
    finally:
        process.wait(60)


def published_once(tmp_path: Path) -> tuple[Path, Path, str]:
    """A site published once to a fresh server folder: (site, live path, target)."""
    site = write_site(tmp_path / "site", REQUIRED_PAGES)
    live = tmp_path / "www" / "site"
    target = f"redaktion@web.example:{live}"
    assert publish(site, target)[0] == 0
    return site, live, target


def test_killed_publications_leave_the_old_or_the_new_site(tmp_path: Path) -> None:
    """20 publications killed (SIGKILL to the whole process group) at random points."""
    rng = random.Random(13)
    site, live, target = published_once(tmp_path)
    old, outcomes = digest(live), []
    for trial in range(20):
        retitle(site, f"Fassung {trial}")
        new = reference(site, tmp_path / f"ref-{trial}")
        assert new != old
        interrupt(site, target, tmp_path / f"ssh-{trial}.log", rng.randint(1, 5),
                  rng.uniform(0, 0.1), signal.SIGKILL)
        now = digest(live)
        assert now in (old, new), f"trial {trial}: the live site is a mixture"
        outcomes.append("new" if now == new else "old")
        old = now
    code, out = publish(site, target)  # a later publication cleans up after killed ones
    assert code == 0, out
    assert sorted(p.name for p in (tmp_path / "www").iterdir()) == [".site-releases", "site"]
    assert len(list((tmp_path / "www" / ".site-releases").iterdir())) <= 2
    assert {"old", "new"} <= set(outcomes), outcomes  # the kills hit both sides of the switch


def test_ctrl_c_says_truthfully_what_is_live(tmp_path: Path) -> None:
    rng = random.Random(7)
    site, live, target = published_once(tmp_path)
    for trial in range(4):
        before = link(live)
        retitle(site, f"Testseite {trial}")
        log = tmp_path / f"int-{trial}.log"
        # SIGINT to the whole group, as the terminal sends it on Ctrl-C
        interrupt(site, target, log, rng.randint(2, 5), rng.uniform(0, 0.1), signal.SIGINT)
        out = log.with_suffix(".out").read_text(encoding="utf-8")
        now = link(live)
        release = now.split("/")[1]
        assert f"→ Fassung {release} " in out, out
        if now == before:
            assert "Veröffentlicht" not in out, out
        else:
            assert "Nichts veröffentlicht" not in out and "Veröffentlicht" in out, out


def test_release_names_made_in_one_second_sort_in_their_order() -> None:
    """`--rollback` takes the release whose name sorts just before the live one."""
    from dmoves_site import remote as rm

    names = [rm.release_name() for _ in range(200)]
    assert names == sorted(names) and len(set(names)) == len(names)
    assert all(name > rm.LEGACY for name in names)
