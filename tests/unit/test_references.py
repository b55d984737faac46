"""Unknown references: one error each, with the closest id as long as the hint budget
lasts (a renamed folder of thousands of records must not take minutes of hints)."""

from __future__ import annotations

import pytest

from dmoves_site import references
from dmoves_site.kinds import KINDS
from dmoves_site.problems import Problems
from dmoves_site.schema import Reference, Validator


def check(targets: list[str], known: list[str]) -> list[str]:
    problems = Problems()
    validator = Validator(problems)
    validator.refs += [Reference("measure", t, f"content/updates/u{i}.md", 3, "measures")
                       for i, t in enumerate(targets)]
    groups: dict[str, list[object]] = {kind.name: [] for kind in KINDS}
    groups["measure"] = [type("M", (), {"id": k})() for k in known]
    references.References(problems).check(groups, {}, validator)
    return [p.hint for p in problems.items]


def test_an_unknown_id_names_the_closest_one() -> None:
    hints = check(["e-akte-neu"], ["e-akte-neu2", "wlan"])
    assert hints == ["meinten Sie 'e-akte-neu2'?"]


def test_hints_stop_suggesting_when_the_budget_is_spent(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    known = [f"massnahme-{i:04d}" for i in range(100)]
    monkeypatch.setattr(references, "SUGGESTION_BUDGET", 250)  # two searches of 100 ids
    targets = ["massnahme-00x1", "massnahme-00x2", "massnahme-00x1", "massnahme-00x3"]
    hints = check(targets, known)
    assert len(hints) == 4
    assert hints[0].startswith("meinten Sie 'massnahme-00")
    assert hints[1].startswith("meinten Sie 'massnahme-00")
    assert hints[2] == hints[0]  # the same id again: its hint, at no cost
    assert hints[3] == "die Kennung ist der Dateiname ohne Endung"
