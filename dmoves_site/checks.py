"""Checks of single field values: each returns the typed value or raises Invalid (German)."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from dmoves_site import model as m
from dmoves_site.reader import RawList, RawMap

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
SAFE_PATH_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./-]*$")
URL_RE = re.compile(r"^https?://[^\s<>\"']+$")
MAX_TEXT = 2000
MAX_ID = 100  # ids become file and folder names: far below the usual 255-byte limit
# names Windows reserves for devices: such a folder cannot be copied to a Windows share
RESERVED_NAMES = {"con", "prn", "aux", "nul",
                  *(f"{device}{n}" for device in ("com", "lpt") for n in range(10))}
MAX_NUMBER = 10**15  # larger amounts are typing errors (and beyond exact decimal arithmetic)


class Invalid(Exception):
    """A field value is invalid: message and hint in German."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


Check = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a record kind: how to check it and whether it is required.

    `check` None: a nested list or mapping (source references, table lines) that the
    kind's validation reads itself.
    """

    check: Check | None
    required: bool = False


# --- value checks -------------------------------------------------------------------


def text(value: Any) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (RawMap, RawList)):
        raise Invalid("Text erwartet", "Wert als Text schreiben, ggf. in Anführungszeichen")
    result = str(value).strip()
    if not result:
        raise Invalid("darf nicht leer sein")
    return result


def short_text(value: Any) -> str:
    result = text(value)
    if len(result) > MAX_TEXT:
        raise Invalid(f"zu lang ({len(result)} Zeichen, höchstens {MAX_TEXT})")
    return result


def markdown(value: Any) -> str:
    return text(value)


def slug(value: Any) -> str:
    result = text(value)
    if not SLUG_RE.match(result):
        raise Invalid(f"ungültige Kennung {result[:MAX_ID]!r}",
                      "nur Kleinbuchstaben a–z, Ziffern und Bindestriche (ä → ae, ß → ss)")
    if len(result) > MAX_ID:
        raise Invalid(f"eine zu lange Kennung ({len(result)} Zeichen)", f"höchstens {MAX_ID} "
                      "Zeichen: die Kennung wird Teil von Dateinamen")
    if result in RESERVED_NAMES:
        raise Invalid(f"die unter Windows reservierte Kennung {result!r}",
                      "eine andere Kennung wählen, z. B. mit einem weiteren Wort")
    return result


def integer(low: int, high: int | None = None) -> Check:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"ganze Zahl erwartet, nicht {value!r}")
        if value < low or (high is not None and value > high):
            bounds = f"{low} bis {high}" if high is not None else f"mindestens {low}"
            raise Invalid(f"{value} liegt außerhalb des erlaubten Bereichs ({bounds})")
        return value

    return check


def number(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid(f"Zahl erwartet, nicht {value!r:.80}",
                      "Zahlen ohne Tausenderpunkt, Dezimalpunkt statt Komma: 1376 oder 6.4")
    if not math.isfinite(value) or abs(value) >= MAX_NUMBER:
        raise Invalid("Zahl ist zu groß", "höchstens 15 Stellen vor dem Komma; Einheit prüfen "
                      "(z. B. TEUR statt EUR)")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:  # pragma: no cover - floats always convert
        raise Invalid(f"Zahl erwartet, nicht {value!r}") from exc


def optional_number(value: Any) -> Decimal | None:
    return None if value is None else number(value)


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"true oder false erwartet, nicht {value!r}")
    return value


def date(value: Any) -> m.PartialDate:
    raw = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(raw, str):
        raise Invalid(f"Datum erwartet, nicht {value!r}")
    try:
        return m.PartialDate.parse(raw)
    except ValueError as exc:
        raise Invalid(f"ungültiges Datum {raw!r}",
                      "Format JJJJ-MM-TT, JJJJ-MM, JJJJ-Qn oder JJJJ (z. B. 2021-07-06)") from exc


def full_date(value: Any) -> m.PartialDate:
    result = date(value)
    if result.precision != "day":
        raise Invalid(f"vollständiges Datum erwartet, nicht {result.iso()!r}",
                      "Format JJJJ-MM-TT, z. B. 2021-07-06")
    return result


# Words editors use for a status, mapped to the vocabulary (for the hint only).
STATUS_SYNONYMS = {
    "fertig": "abgeschlossen", "erledigt": "abgeschlossen", "umgesetzt": "abgeschlossen",
    "beendet": "abgeschlossen", "done": "abgeschlossen", "live": "abgeschlossen",
    "in arbeit": "in_umsetzung", "laufend": "in_umsetzung", "läuft": "in_umsetzung",
    "in bearbeitung": "in_umsetzung", "begonnen": "in_umsetzung", "aktiv": "in_umsetzung",
    "offen": "geplant", "vorgesehen": "geplant", "neu": "geplant", "planung": "geplant",
    "pausiert": "zurueckgestellt", "gestoppt": "eingestellt", "abgebrochen": "eingestellt",
    "verworfen": "eingestellt",
    "zurückgestellt": "zurueckgestellt", "verschoben": "zurueckgestellt",
}


def choice(options: tuple[str, ...], what: str = "Wert") -> Check:
    def check(value: Any) -> str:
        result = str(value).strip() if value is not None else ""
        if result not in options:
            shown = ", ".join(options)
            hint = f"erlaubt sind: {shown}"
            key = result.lower()
            close = STATUS_SYNONYMS.get(key) if STATUS_SYNONYMS.get(key) in options else ""
            close = close or closest(key.replace(" ", "_"), options)
            if close:
                hint += f" (meinten Sie {close!r}?)"
            raise Invalid(f"{what} {result!r} ist unbekannt", hint)
        return result

    return check


def color(value: Any) -> str:
    result = text(value)
    if not COLOR_RE.match(result):
        raise Invalid(f"ungültige Farbe {result!r}", "Format #rrggbb, z. B. #1f5a96")
    return result.lower()


def url(value: Any) -> str:
    result = text(value)
    if not URL_RE.match(result):
        raise Invalid(f"ungültige Adresse {result!r}", "vollständige Adresse mit https://")
    return result


def rel_path(value: Any) -> str:
    result = text(value)
    parts = result.split("/")
    if not SAFE_PATH_RE.match(result) or ".." in parts or "\\" in result:
        raise Invalid(f"ungültiger Pfad {result!r}",
                      "relativer Pfad innerhalb von content/, ohne '..'")
    return result


def mapping(value: Any) -> dict[str, Any]:
    """Any mapping, kept as it is (the fields of another system under `extra:`)."""
    if not isinstance(value, RawMap):
        raise Invalid("Zuordnung erwartet", "extra:\n  feld: wert")
    return dict(value)


def list_of(item: Check) -> Check:
    def check(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            example = value if isinstance(value, (str, int)) else "a, b"
            raise Invalid("Liste erwartet", f"in eckige Klammern setzen: [{example}]")
        return tuple(item(entry) for entry in value)

    return check


def closest(word: str, options: Any) -> str:
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return matches[0] if matches else ""


def missing_hint(key: str, spec: Field) -> str:
    if spec.check is full_date:
        return f"'{key}: JJJJ-MM-TT' ergänzen, z. B. {key}: 2021-07-06"
    if spec.check is date:
        return f"'{key}: …' ergänzen: JJJJ-MM-TT, JJJJ-MM, JJJJ-Qn oder JJJJ"
    return f"'{key}: …' ergänzen"


ID = Field(slug)
