"""Change detection: poll the mtimes of the site's folders (stdlib only)."""

from __future__ import annotations

import os
import time
from pathlib import Path

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


class Watcher:
    """Remembers the last snapshot of `roots` and reports what changed since."""

    def __init__(self, roots: list[Path]) -> None:
        self.roots = roots
        self.seen: Snapshot = {}

    def start(self) -> None:
        self.seen = snapshot(self.roots)

    def changes(self) -> list[str]:
        """Files changed since the last call, once a save in progress has settled."""
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
