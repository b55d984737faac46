"""Reading tables for the importers: encodings, delimiters, German numbers, YAML text."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from dmoves_site.importers import records
from dmoves_site.importers.columns import date_text, find_header, normalise
from dmoves_site.importers.tables import Row, Sheet, TableError, parse_number, read_csv
from dmoves_site.problems import Problems
from dmoves_site.reader import parse_yaml


@pytest.mark.parametrize(("text", "expected"), [
    ("1.234,56", Decimal("1234.56")), ("-1.234", Decimal("-1234")), ("1,5", Decimal("1.5")),
    ("1234", Decimal("1234")), ("12.345.678", Decimal("12345678")), ("0,25 €", Decimal("0.25")),
    ("\u22127", Decimal("-7")), ("1234.5", Decimal("1234.5")), (3.0, Decimal("3.0")),
])
def test_german_numbers(text: str | float, expected: Decimal) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("empty", ["", "-", "–", "  ", None])
def test_empty_cells_are_none(empty: str | None) -> None:
    assert parse_number(empty) is None


def test_text_is_no_number() -> None:
    with pytest.raises(ValueError, match="keine Zahl"):
        parse_number("zwölf")


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("data", "encoding"), [
    ("Straße;Betrag\nKönigstraße;1.234,5\n".encode(), "UTF-8"),
    (b"\xef\xbb\xbf" + "Straße;Betrag\nKönigstraße;1.234,5\n".encode(), "UTF-8 mit BOM"),
    ("Straße;Betrag\nKönigstraße;1.234,5\n".encode("cp1252"), "Windows-1252"),
])
def test_encodings(tmp_path: Path, data: bytes, encoding: str) -> None:
    sheet = read_csv(write(tmp_path, data))
    assert sheet.encoding == encoding
    assert sheet.rows[0].cells == ("Straße", "Betrag")   # no BOM left in the first heading
    assert sheet.rows[1].cells == ("Königstraße", "1.234,5")


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_delimiters(tmp_path: Path, delimiter: str) -> None:
    text = delimiter.join(["Titel", "Status", "Ende"]) + "\n" + \
        delimiter.join(["A", "geplant", "2021"]) + "\n"
    sheet = read_csv(write(tmp_path, text.encode()))
    assert sheet.rows[1].cells == ("A", "geplant", "2021")


def test_row_numbers_count_lines_of_quoted_cells(tmp_path: Path) -> None:
    sheet = read_csv(write(tmp_path, b'Titel;Text\nA;"zwei\nZeilen"\nB;x\n'))
    assert [r.number for r in sheet.rows] == [1, 2, 4]


def test_two_row_header_is_joined() -> None:
    sheet = Sheet("s", (Row(1, ("", "Plan", "Plan")), Row(2, ("Bezeichnung", "2024", "2025")),
                        Row(3, ("A", "1", "2"))))
    header = find_header(sheet, {"label": ("Bezeichnung",), "a": ("Plan 2024",),
                                 "b": ("Plan 2025",)}, ("label", "a"), {})
    assert header.row == 2 and header.columns == {"label": 0, "a": 1, "b": 2}


def test_missing_columns_name_what_is_wanted() -> None:
    sheet = Sheet("s", (Row(1, ("Foo", "Bar")),))
    with pytest.raises(TableError, match="--map"):
        find_header(sheet, {"title": ("Titel",)}, ("title",), {})


def test_normalise_and_dates() -> None:
    assert normalise("Leistungs\u00adbündel (Bund)") == "leistungsbuendel bund"
    assert date_text("06.07.2021") == "2021-07-06"
    assert date_text("07/2021") == "2021-07"
    assert date_text("3. Quartal 2021") == "2021-Q3"
    assert date_text("2015-03-02T10:00:00+01:00") == "2015-03-02"


def test_yaml_text_reads_back_as_written() -> None:
    record = {"title": "Straße: Umbau #1", "id": "a-b", "n": Decimal("1234.50"),
              "ozg_id": "10001", "yes": "ja", "flag": True, "none": None,
              "list": ["a, b", "c"], "refs": [{"source": "x", "section": "1.1"}]}
    text = "\n".join(records.dump(record)) + "\n"
    data = parse_yaml(text, "t.yaml", Problems())
    assert data is not None
    assert dict(data) == {"title": "Straße: Umbau #1", "id": "a-b", "n": 1234.5,
                          "ozg_id": "10001", "yes": "ja", "flag": True, "none": None,
                          "list": ["a, b", "c"], "refs": [{"source": "x", "section": "1.1"}]}


def test_marker_detects_edits() -> None:
    text = records.yaml_file("ozg", "k.csv", {"services": []})
    assert not records.was_edited(text)
    assert records.was_edited(text.replace("services: []", "services: [] # x"))
    assert records.was_edited("services: []\n")   # written by hand
