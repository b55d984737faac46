"""Publishing to a web server over ssh: upload a new release, then switch a symlink.

The site at `user@host:/srv/www/site` becomes a symlink to a folder in
`/srv/www/.site-releases/`. A publication uploads into a hidden folder there, renames it
to the release's name, and then replaces the symlink with one `rename` (`mv -T`): the web
server sees the old site or the new one, never a mixture. The previous release is kept for
`publish --rollback`; older ones and uploads of interrupted runs are removed.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

Runner = Callable[[list[str]], "subprocess.CompletedProcess[str]"]

USER = r"[A-Za-z0-9_][A-Za-z0-9._-]*"
HOST = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
REMOTE_RE = re.compile(rf"^(?P<login>(?:{USER}@)?{HOST}):(?P<path>[^\x00-\x1f\x7f]*)$")
LOOKS_REMOTE_RE = re.compile(r"^[^/]*(?:@|:)")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
LEGACY = "00000000T000000Z-vorher"  # the folder that was live before releases were used
HINT = "Form: benutzer@rechner:/pfad/zur/website, z. B. redaktion@web.example:/srv/www/site"


class TargetRefused(Exception):
    """TARGET must not be replaced: the message (German) says why."""


@dataclass(frozen=True, slots=True)
class Remote:
    """An ssh destination `user@host:path`; the live site is `path`."""

    login: str     # "user@host" or "host"
    path: str      # without trailing slash; relative paths start in the login's home

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name

    @property
    def parent(self) -> str:
        return str(PurePosixPath(self.path).parent)

    @property
    def releases(self) -> str:
        """The folder beside the site that holds its releases."""
        return str(PurePosixPath(self.parent) / f".{self.name}-releases")

    def link_value(self, release: str) -> str:
        """What the site's symlink holds: relative, so it survives a moved or chrooted tree."""
        return f".{self.name}-releases/{release}"

    def spec(self, path: str) -> str:
        """`path` as rsync names a remote folder (trailing slash: 'into')."""
        return f"{self.login}:{path}/"


def parse_target(target: str) -> Remote | None:
    """`user@host:path` → Remote; a local folder → None; anything in between is refused.

    Local paths start with `/`, `.` or `~`, or have neither `@` nor `:` before the first
    `/`. A target with a control character (a newline) is always refused.
    """
    if CONTROL_RE.search(target):
        raise TargetRefused(f"{target!r}: das Ziel enthält ein Steuerzeichen (z. B. einen "
                            "Zeilenumbruch) – nichts veröffentlicht")
    if target.startswith(("/", ".", "~")) or not LOOKS_REMOTE_RE.match(target):
        return None
    match = REMOTE_RE.match(target)
    if match is None:
        raise TargetRefused(f"{target}: kein gültiges Ziel auf einem Webserver – nichts "
                            f"veröffentlicht. {HINT}. Ein lokaler Ordner beginnt mit ./ "
                            "oder /")
    path = match["path"].strip()
    if path.startswith("~/"):
        path = path[2:]  # the login's home is where ssh starts
    path = path.rstrip("/")
    if path in ("", "~", ".") or PurePosixPath(path).name in ("..", "."):
        raise TargetRefused(f"{target}: kein Zielordner angegeben – den Ordner der Website "
                            "nennen, z. B. user@host:/var/www/digital-moves")
    return Remote(match["login"], path)


# --- commands on the server -------------------------------------------------------------------

# One POSIX sh script; its first argument names the step. `mv -T` renames the new symlink
# over the old one in one step (rename(2)); GNU coreutils and busybox have it.
SCRIPT = r"""
set -eu
step=$1; live=$2; releases=$3
case $step in
probe)
  if [ -L "$live" ]; then echo "live=link"; echo "link=$(readlink "$live")"
  elif [ -d "$live" ]; then echo "live=dir"
    [ -f "$live/.dmoves-site" ] && echo "marker=yes"
    [ -z "$(ls -A "$live")" ] && echo "empty=yes"
  elif [ -e "$live" ]; then echo "live=other"
  else echo "live=absent"; fi
  if [ -d "$releases" ]; then
    for entry in "$releases"/*; do [ -d "$entry" ] && echo "release=${entry##*/}"; done
  fi
  exit 0 ;;
prepare)
  mkdir -p "$(dirname "$live")"
  mkdir -p -m "$4" "$releases"
  for entry in "$releases"/.incoming-* "$live".dmoves-link-*; do
    if [ -e "$entry" ] || [ -L "$entry" ]; then rm -rf "$entry"; fi
  done
  exit 0 ;;
switch)
  new=$4; link="$live.dmoves-link-$$"
  mv -T "$releases/.incoming-$new" "$releases/$new"
  ln -s "$5" "$link"
  if [ -d "$live" ] && [ ! -L "$live" ]; then mv -T "$live" "$releases/$6"; fi
  mv -T "$link" "$live"
  echo "link=$(readlink "$live")"
  exit 0 ;;
link)
  link="$live.dmoves-link-$$"
  ln -s "$4" "$link"
  mv -T "$link" "$live"
  echo "link=$(readlink "$live")"
  exit 0 ;;
clean)
  shift 3
  for entry in "$releases"/* "$releases"/.incoming-*; do
    [ -e "$entry" ] || continue
    keep=no; for name in "$@"; do [ "${entry##*/}" = "$name" ] && keep=yes; done
    [ $keep = yes ] || rm -rf "$entry"
  done
  exit 0 ;;
esac
echo "unknown step $step" >&2; exit 2
"""


def rsh() -> list[str]:
    """The remote shell, as rsync uses it (RSYNC_RSH, else ssh)."""
    return shlex.split(os.environ.get("RSYNC_RSH", "")) or ["ssh"]


def remote_command(remote: Remote, step: str, *args: str) -> list[str]:
    """Run one step of SCRIPT on the server (ssh joins its arguments into one line)."""
    words = ["sh", "-c", SCRIPT, "dmoves-site", step, remote.path, remote.releases, *args]
    return [*rsh(), remote.login, " ".join(shlex.quote(word) for word in words)]


def rsync_command(staged: Path, remote: Remote, dest: str, *extra: str) -> list[str]:
    """Copy the staged site into `dest`: contents compared, not times; modes as staged."""
    return ["rsync", "-rlp", "--checksum", "--delete", "--itemize-changes", *extra, "--",
            f"{staged}/", remote.spec(dest)]


# --- state of the server ----------------------------------------------------------------------


@dataclass(slots=True)
class State:
    """What the probe found at the site's path."""

    live: str = "absent"        # absent | link | dir | other
    link: str = ""
    marker: bool = False
    empty: bool = False
    releases: list[str] = field(default_factory=list)

    def current(self, remote: Remote) -> str:
        """The live release's name ('' when the site is no symlink into our releases)."""
        prefix = remote.link_value("")
        if self.live == "link" and self.link.startswith(prefix):
            return self.link[len(prefix):]
        return ""


def parse_state(text: str) -> State:
    state = State()
    for line in text.splitlines():
        key, _sep, value = line.partition("=")
        if key == "live":
            state.live = value
        elif key == "link":
            state.link = value
        elif key in ("marker", "empty"):
            setattr(state, key, value == "yes")
        elif key == "release" and not value.startswith("."):
            state.releases.append(value)
    state.releases.sort()
    return state


def probe(remote: Remote, run: Runner) -> State:
    """What is at the site's path on the server; TargetRefused when unreachable."""
    done = run(remote_command(remote, "probe"))
    if done.returncode != 0:
        raise TargetRefused(f"{remote.login}:{remote.path} ist nicht erreichbar (ssh "
                            f"{done.returncode}): {(done.stderr or '').strip()[-500:]}")
    return parse_state(done.stdout)


def refusal(remote: Remote, state: State) -> str:
    """Why the site's path must not be replaced ('' when it may)."""
    where = f"{remote.login}:{remote.path}"
    if state.live == "other":
        return f"{where} ist eine Datei, kein Ordner – nichts veröffentlicht"
    if state.live == "dir" and not (state.marker or state.empty):
        return (f"{where} ist nicht leer und enthält keine dmoves-site-Ausgabe (Datei "
                ".dmoves-site fehlt) – nichts veröffentlicht")
    if state.live == "link" and not state.current(remote):
        return (f"{where} ist ein symbolischer Link auf {state.link}, nicht auf eine "
                "Veröffentlichung von dmoves-site – nichts veröffentlicht")
    return ""


def release_name() -> str:
    """A new release's name: sorts by time, unique per run."""
    now = time.time_ns()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 10**9))
    # to the nanosecond: two publications in one second must still sort in their order,
    # or `--rollback` would take the newer for the older
    return f"{stamp}.{now % 10**9:09d}Z-{os.urandom(3).hex()}"


def failure(what: str, done: subprocess.CompletedProcess[str]) -> str:
    return f"{what} ist gescheitert ({done.returncode}): {(done.stderr or '').strip()[-1000:]}"
