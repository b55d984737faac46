"""Problems found in content: data, sorted and formatted as `path:line: field: message`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` safe for a terminal: control characters (ESC, BEL, …) shown as \\xNN."""
    return CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One problem of one file; `line` is 0 when no line is known."""

    path: str
    line: int
    field: str
    message: str
    severity: Severity = "error"
    hint: str = ""

    def format(self) -> str:
        """Return the one-line form `path:line: field: message`."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "" if self.severity == "error" else "Warnung: "
        text = f"{where}: {self.field}: {prefix}{self.message}"
        return printable(f"{text} – {self.hint}" if self.hint else text)

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-friendly mapping."""
        return {
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "severity": self.severity,
            "hint": self.hint,
        }


@dataclass(slots=True)
class Problems:
    """A collector that validators append to."""

    items: list[Problem] = field(default_factory=list)

    def error(self, path: str, line: int, fld: str, message: str, hint: str = "") -> None:
        self.items.append(Problem(path, line, fld, message, "error", hint))

    def warn(self, path: str, line: int, fld: str, message: str, hint: str = "") -> None:
        self.items.append(Problem(path, line, fld, message, "warning", hint))

    def extend(self, other: list[Problem]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity == "error")

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity == "warning")
