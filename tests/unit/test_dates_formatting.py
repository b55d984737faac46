"""PartialDate keeps source precision; German number, money and date formats."""

from decimal import Decimal

import pytest

from dmoves_site import formatting as fmt
from dmoves_site.model import PartialDate


@pytest.mark.parametrize(("text", "german", "precision"), [
    ("2021", "2021", "year"),
    ("2021-07", "Juli 2021", "month"),
    ("2021-Q2", "2. Quartal 2021", "quarter"),
    ("2021-07-06", "06.07.2021", "day"),
])
def test_partial_date_prints_in_german(text: str, german: str, precision: str) -> None:
    date = PartialDate.parse(text)
    assert date.german() == german
    assert date.precision == precision
    assert date.iso() == text


@pytest.mark.parametrize("text", ["2021-13", "2021-02-30", "21-07", "2021-Q5", "Juli 2021", ""])
def test_partial_date_rejects_invalid(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_partial_dates_sort_by_start_coarse_first() -> None:
    dates = [PartialDate.parse(t) for t in ("2021-07-06", "2021-Q3", "2020", "2021-07", "2021")]
    ordered = [d.iso() for d in sorted(dates, key=PartialDate.sort_key)]
    assert ordered == ["2020", "2021", "2021-Q3", "2021-07", "2021-07-06"]


def test_quarter_midpoint_lies_inside_quarter() -> None:
    mid = PartialDate.parse("2021-Q2").midpoint()
    assert (mid.year, mid.month) == (2021, 5)


@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("1234.5"), "1.234,5"), (1376, "1.376"), (Decimal("60.5"), "60,5"),
    (Decimal("0.54"), "0,54"), (184476, "184.476"), (Decimal("-3"), "−3"),
])
def test_number_german(value: Decimal | int, expected: str) -> None:
    assert fmt.number(value) == expected


def test_money_and_millions() -> None:
    assert fmt.money(16780, "TEUR") == "16.780\u00a0TEUR"
    assert fmt.millions(16780, "TEUR") == "16,8\u00a0Mio.\u00a0€"
    assert fmt.percent(64) == "64\u00a0%"
    assert fmt.date(PartialDate.parse("2021-07-06")) == "06.07.2021"


def test_a_date_text_is_parsed_into_one_shared_object() -> None:
    """Records of a Land name the same dates thousands of times: they share one object."""
    first, again = PartialDate.parse("2021-07"), PartialDate.parse("2021-07")
    assert first is again and first == PartialDate(2021, 7)
    assert PartialDate.parse("2021-Q3") is not first

