"""Fuzz `check` (and `build` of content that passes): hostile edits to every content file.

    python3 scripts/fuzz_check.py [--runs 1000] [--seed 13] [--build-every 10]

Each run copies the small test site, applies one to three random edits (a value replaced
by a hostile one, a line dropped, duplicated or cut, random bytes, a truncated file) and
runs `check` in this process with a time limit. Every tenth run whose content has no
errors is also built. Prints runs, problems, tracebacks and hangs; exits 1 on any
traceback or hang.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dmoves_site import build as b  # noqa: E402
from tests.conftest import write_site  # noqa: E402

LIMIT = 20  # seconds for one check (a hang)
VALUES = [
    "12345678901234567890123456789", "1.0e+308", "1.0e999", "-1.0e999", "9" * 5000, "-0",
    ".nan", ".inf", "0x1F", "1_000", "'&#14;'", "'&#x1b;[31m'", "\"\\e[31mrot\\a\"",
    "'<script>alert(1)</script>'", "'<a href=\"https://evil.example/\">x</a>'",
    "'Ende} @misc{x, title={y'", "'=HYPERLINK(\"https://evil.example\")'", "'@SUM(A1)'",
    "a" * 3000, "'" + "ä" * 300 + "'", "con", "nul", "a" * 240, "../../etc/passwd",
    "/etc/passwd", "documents/../../x", "2021-13-45", "2021-Q5", "0000-00-00", "99999",
    "[]", "{}", "[[[[[[[[[[]]]]]]]]]]", "{a: {b: {c: {d: {e: {f: 1}}}}}}", "null", "~",
    "true", "no", "yes", "'[[BITTE ERGÄNZEN: x]]'", "*alias", "&anker x", "!!python/object x",
    "|\n  mehrzeilig\n  text", "'\t'", "-", ": :", "'\u202e gespiegelt'", "'\ufeff'",
    "'\U0001f600'", "'#'", "'\"'", "\"'\"",
]


class Hang(Exception):
    pass


def on_alarm(_signum: int, _frame: FrameType | None) -> None:
    raise Hang


def mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    index = rng.randrange(len(lines))
    action = rng.choice(("value", "value", "value", "drop", "dup", "cut", "bytes", "truncate",
                         "indent", "key"))
    line = lines[index]
    if action == "value" and ":" in line:
        key = line.split(":", 1)[0]
        lines[index] = f"{key}: {rng.choice(VALUES)}"
    elif action == "drop":
        del lines[index]
    elif action == "dup":
        lines.insert(index, line)
    elif action == "cut":
        lines[index] = line[: rng.randrange(len(line) + 1)]
    elif action == "bytes":
        noise = "".join(chr(rng.randrange(0, 0x250)) for _ in range(rng.randint(1, 8)))
        at = rng.randrange(len(line) + 1)
        lines[index] = line[:at] + noise + line[at:]
    elif action == "truncate":
        return text[: rng.randrange(len(text) + 1)]
    elif action == "indent":
        lines[index] = rng.choice(("\t", "  ", "    ")) + line
    elif action == "key":
        lines.insert(index, f"{rng.choice(('title', 'id', 'extra', 'draft', 'image'))}: "
                     f"{rng.choice(VALUES)}")
    return "\n".join(lines)


def one_run(base: Path, rng: random.Random, work: Path, build: bool) -> tuple[str, int]:
    """('ok' | 'traceback' | 'hang', number of problems)."""
    site = work / "site"
    shutil.copytree(base, site)
    files = sorted(p for p in (site / "content").rglob("*") if p.suffix in (".md", ".yaml"))
    for _ in range(rng.randint(1, 3)):
        file = rng.choice(files)
        file.write_text(mutate(file.read_text("utf-8"), rng), encoding="utf-8",
                        errors="surrogatepass")
    signal.alarm(LIMIT)
    try:
        content, report = b.check(site, True)
        if build and content is not None and not report.errors:
            b.build(b.Options(site, work / "out", False, False, False))
    except Hang:
        return "hang", 0
    except Exception:  # the point of the run: any exception is a finding
        traceback.print_exc()
        return "traceback", 0
    finally:
        signal.alarm(0)
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
    return "ok", len(report.problems)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--build-every", type=int, default=10)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    signal.signal(signal.SIGALRM, on_alarm)
    counts = {"ok": 0, "traceback": 0, "hang": 0}
    problems = builds = 0
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        base = write_site(Path(tmp) / "base", {})
        work = Path(tmp) / "work"
        work.mkdir()
        for run in range(args.runs):
            build = run % args.build_every == 0
            builds += build
            outcome, found = one_run(base, rng, work, build)
            counts[outcome] += 1
            problems += found
    seconds = time.perf_counter() - start
    print(f"{args.runs} runs (seed {args.seed}, {builds} with a build when check passed) in "
          f"{seconds:.0f} s: {counts['traceback']} tracebacks, {counts['hang']} hangs "
          f"(> {LIMIT} s), {problems} problems reported")
    return 1 if counts["traceback"] or counts["hang"] else 0


if __name__ == "__main__":
    sys.exit(main())
