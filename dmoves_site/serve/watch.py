"""Change detection: file system notifications (watchfiles), polling mtimes as fallback.

Polling walks every file five times a second: on 20.000 files that is most of a core
while the preview sits idle. Notifications cost nothing until a file changes. Where they
are not available (no watchfiles, no inotify, a file system without events) the watcher
polls as before.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

try:
    import watchfiles
except ImportError:  # pragma: no cover - a dependency; polling still works without it
    watchfiles = None  # type: ignore[assignment]  # the module or nothing: checked before use

POLL_SECONDS = 0.2
SETTLE_SECONDS = 0.03          # a save that is still being written settles within this

Snapshot = dict[str, tuple[int, int, int]]


def snapshot(roots: list[Path]) -> Snapshot:
    """mtime, size and inode of every file under `roots` (symlinked folders followed)."""
    found: Snapshot = {}
    for root in roots:
        for dirpath, _dirs, names in os.walk(root, followlinks=True):
            for name in names:
                path = Path(dirpath, name)
                try:
                    st = path.stat()
                except OSError:  # removed while we looked
                    continue
                found[str(path)] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return found


def changed_paths(old: Snapshot, new: Snapshot) -> list[str]:
    """Files added, removed or modified between two snapshots."""
    return sorted(p for p in old.keys() | new.keys() if old.get(p) != new.get(p))


class Notifications:
    """Collects the paths that file system events name, in a background thread."""

    def __init__(self, roots: list[Path]) -> None:
        self.roots = [root for root in roots if root.is_dir()]
        self.missing = [root for root in roots if not root.is_dir()]
        self.pending: set[str] = set()
        self.lock = threading.Lock()
        self.ready = threading.Event()
        self.stop_event = threading.Event()
        self.failed = False
        self.thread = threading.Thread(target=self.run, name="preview-notify", daemon=True)

    def start(self) -> bool:
        """Start watching; False when notifications are not available here."""
        if watchfiles is None or not self.roots:
            return False
        self.thread.start()
        self.ready.wait(5)
        return not self.failed

    def run(self) -> None:
        assert watchfiles is not None
        try:
            for batch in watchfiles.watch(*self.roots, debounce=50, step=20, rust_timeout=500,
                                          yield_on_timeout=True, stop_event=self.stop_event,
                                          raise_interrupt=False, watch_filter=None,
                                          force_polling=False):
                self.ready.set()
                with self.lock:
                    self.pending.update(path for _change, path in batch)
        except Exception:  # no inotify, too many watches, …: the watcher polls instead
            self.failed = True
        self.ready.set()

    def alive(self) -> bool:
        """Still watching, and every folder that was missing is still missing."""
        return not self.failed and not any(root.is_dir() for root in self.missing)

    def drain(self) -> list[str]:
        with self.lock:
            changed, self.pending = sorted(self.pending), set()
        return changed

    def stop(self) -> None:
        self.stop_event.set()


class Watcher:
    """Reports the files changed under `roots` since the last call."""

    def __init__(self, roots: list[Path]) -> None:
        self.roots = roots
        self.seen: Snapshot = {}
        self.notifications: Notifications | None = None

    def start(self) -> None:
        notifications = Notifications(self.roots)
        if notifications.start():
            self.notifications = notifications
        else:
            self.seen = snapshot(self.roots)

    def stop(self) -> None:
        if self.notifications is not None:
            self.notifications.stop()

    def changes(self) -> list[str]:
        """Files changed since the last call, once a save in progress has settled."""
        if self.notifications is not None:
            if self.notifications.alive():
                return self.notifications.drain()
            return self.fall_back()
        return self.polled()

    def fall_back(self) -> list[str]:
        """Notifications stopped (or a watched folder appeared): poll from now on."""
        assert self.notifications is not None
        self.notifications.stop()
        self.notifications = None
        self.seen = snapshot(self.roots)
        return sorted(self.seen)  # anything may have changed meanwhile

    def polled(self) -> list[str]:
        """Changes found by comparing snapshots of every file's mtime, size and inode."""
        now = snapshot(self.roots)
        changed = changed_paths(self.seen, now)
        if not changed:
            return []
        for _ in range(30):  # let a save that is still being written finish
            time.sleep(SETTLE_SECONDS)
            settled = snapshot(self.roots)
            if settled == now:
                break
            changed = sorted(set(changed) | set(changed_paths(now, settled)))
            now = settled
        self.seen = now
        return changed
