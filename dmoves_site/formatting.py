"""German formatting of numbers, money, percentages and dates."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from dmoves_site.model import EURO_FACTORS, PartialDate

UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slug(text: str) -> str:
    """'Bürgerbüro: Straße & Co.' → 'buergerbuero-strasse-co' (ASCII)."""
    lowered = text.lower().translate(UMLAUTS)
    plain = "".join(c for c in unicodedata.normalize("NFKD", lowered)
                    if not unicodedata.combining(c))   # é → e
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def number(value: Decimal | float | int | None, decimals: int | None = None) -> str:
    """1234.5 → '1.234,5'; keeps the decimals a Decimal was written with."""
    if value is None:
        return "–"
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    if decimals is None:
        exponent = amount.as_tuple().exponent
        decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    quantum = Decimal(1).scaleb(-decimals)
    rounded = amount.quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{abs(rounded):,.{decimals}f}"
    text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return f"−{text}" if rounded < 0 else text


def money(value: Decimal | float | int | None, unit: str = "TEUR") -> str:
    """16780 TEUR → '16.780 TEUR'."""
    return "–" if value is None else f"{number(value)}\u00a0{unit}"


def millions(value: Decimal | float | int | None, unit: str = "TEUR", decimals: int = 1) -> str:
    """16780 TEUR → '16,8 Mio. €'."""
    if value is None:
        return "–"
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    in_millions = amount * EURO_FACTORS[unit] / EURO_FACTORS["Mio. EUR"]
    return f"{number(in_millions, decimals)}\u00a0Mio.\u00a0€"


def percent(value: Decimal | float | int | None, decimals: int = 0) -> str:
    """64 → '64 %'."""
    return "–" if value is None else f"{number(value, decimals)}\u00a0%"


def date(value: PartialDate | None) -> str:
    """2021-07-06 → '06.07.2021'; keeps month and quarter precision."""
    return "–" if value is None else value.german()


def count_text(count: int, singular: str, plural: str) -> str:
    """'1 Maßnahme', '3 Maßnahmen', '1.200 Maßnahmen'."""
    return f"{number(Decimal(count))} {singular if count == 1 else plural}"
