"""Budget sum checks report every difference and never change the published figure."""

from decimal import Decimal as D

from dmoves_site import figures as fg
from dmoves_site import model as m


def line(lid: str, values: list[int], kind: str = "item", total: int | None = None,
         sum_of: tuple[str, ...] = (), same_as: str = "") -> m.BudgetLine:
    return m.BudgetLine(lid, lid.upper(), kind, tuple(D(v) for v in values),  # type: ignore[arg-type]
                        D(total) if total is not None else None, sum_of, same_as)


def table(tid: str, lines: list[m.BudgetLine]) -> m.Budget:
    return m.Budget(tid, tid, "TEUR", ("2022", "2023"), tuple(lines), (), path=f"{tid}.yaml")


def test_sum_of_difference_names_line_year_stated_computed() -> None:
    t = table("tk", [line("a", [625, 625]), line("b", [750, 970]),
                     line("s", [1376, 1595], "subtotal", sum_of=("a", "b"))])
    diffs = fg.sum_differences((t,))
    assert [(d.table, d.line, d.column, d.stated, d.computed) for d in diffs] == [
        ("tk", "s", "2022", D(1376), D(1375))]
    assert t.line_by_id("s").values[0] == D(1376)  # published figure unchanged


def test_printed_row_total_checked() -> None:
    t = table("x", [line("a", [1, 2], total=4)])
    [diff] = fg.sum_differences((t,))
    assert (diff.column, diff.stated, diff.computed) == ("Gesamt", D(4), D(3))


def test_same_as_compares_across_tables() -> None:
    own = table("tk", [line("gesamt", [6182, 7152], "total")])
    overall = table("all", [line("tk", [6181, 7152], same_as="tk/gesamt")])
    [diff] = fg.sum_differences((own, overall))
    assert (diff.table, diff.column, diff.stated, diff.computed) == ("all", "2022", D(6181),
                                                                     D(6182))


def test_consistent_table_has_no_difference() -> None:
    t = table("ok", [line("a", [1, 2]), line("b", [3, 4]),
                     line("s", [4, 6], "total", total=10, sum_of=("a", "b"))])
    assert fg.sum_differences((t,)) == []



def test_same_as_compares_printed_row_totals() -> None:
    own = table("massnahmen", [line("einmalig", [10, 20], "subtotal", total=30)])
    overall = table("all", [line("einmalig", [10, 25], total=35, same_as="massnahmen/einmalig")])
    diffs = fg.sum_differences((own, overall))
    # each row adds up in its own table; the year 2023 and the two printed totals differ
    assert [(d.table, d.column, d.stated, d.computed) for d in diffs] == [
        ("all", "2023", D(25), D(20)), ("all", "Gesamt", D(35), D(30))]


def test_same_as_without_a_printed_total_there_compares_the_sum_of_its_years() -> None:
    own = table("tk", [line("gesamt", [6182, 7152], "total")])
    overall = table("all", [line("tk", [6181, 7152], total=13333, same_as="tk/gesamt")])
    diffs = fg.sum_differences((own, overall))
    assert [(d.column, d.stated, d.computed) for d in diffs] == [
        ("2022", D(6181), D(6182)), ("Gesamt", D(13333), D(13334))]
    assert diffs[1].basis.startswith("Summe der Jahreswerte")
