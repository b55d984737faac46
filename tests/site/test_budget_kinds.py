"""Budget tables: balance lines (`difference_of`) and the table `kind` that picks the chart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dmoves_site import figures, tablecharts
from dmoves_site import model as m
from dmoves_site.build import check
from dmoves_site.messages import catalogue

MakeSite = Callable[[dict[str, str | bytes | None]], Path]
PLAN = """\
    title: Teilplan
    unit: EUR
    years: [2024, 2025]
    kind: {kind}
    sources:
      - {{source: vorlage, section: "1.1"}}
    lines:
      - {{id: ertraege, label: Erträge, kind: subtotal, values: [100, 120]}}
      - {{id: aufwendungen, label: Aufwendungen, kind: subtotal, values: [80, 130]}}
      - {{id: ergebnis, label: Ergebnis, kind: total, values: [20, -10],
         difference_of: {difference}}}
    """


def load(make_site: MakeSite, kind: str = "plan",
         difference: str = "[ertraege, aufwendungen]") -> tuple[m.Content | None, list[str]]:
    site = make_site({"budgets/plan.yaml": PLAN.format(kind=kind, difference=difference)})
    content, report = check(site)
    return content, [p.format() for p in report.problems if "plan.yaml" in p.path]


def plan_of(content: m.Content | None) -> tuple[m.Content, m.Budget]:
    assert content is not None
    return content, next(b for b in content.budgets if b.id == "plan")


def test_balance_line_is_checked(make_site: MakeSite) -> None:
    _content, problems = load(make_site)
    assert problems == []                                 # 100 − 80 = 20, 120 − 130 = −10
    site = make_site({"budgets/plan.yaml": PLAN.format(
        kind="plan", difference="[ertraege, aufwendungen]").replace("[20, -10]", "[20, 10]")})
    _content, report = check(site)
    warnings = [p for p in report.warnings if "plan.yaml" in p.path]
    assert len(warnings) == 1 and warnings[0].line == 10
    assert "2025: angegeben 10, berechnet −10" in warnings[0].message


def test_bad_difference_of_is_an_error_with_its_line(make_site: MakeSite) -> None:
    _content, problems = load(make_site, difference="[ertraege, aufwand]")
    assert problems == ["content/budgets/plan.yaml:10: difference_of: Zeile 'aufwand' gibt es "
                        "in dieser Tabelle nicht – meinten Sie 'aufwendungen'?"]
    _content, problems = load(make_site, difference="[ertraege]")
    assert len(problems) == 1 and "genau zwei Zeilen" in problems[0]


def test_unknown_table_kind_is_an_error(make_site: MakeSite) -> None:
    _content, problems = load(make_site, kind="haushalt")
    assert len(problems) == 1
    assert problems[0].startswith("content/budgets/plan.yaml:4: kind: Tabellenart 'haushalt'")


T = catalogue()   # the default German texts


def test_plan_chart_puts_income_and_expense_side_by_side(make_site: MakeSite) -> None:
    content, budget = plan_of(load(make_site)[0])
    chart = tablecharts.table_chart(content, budget, figures.sum_differences(content.budgets), T)
    assert chart is not None
    bars = [t for t in chart.figure["data"] if t["type"] == "bar"]
    lines = [t for t in chart.figure["data"] if t["type"] == "scatter"]
    assert [t["name"] for t in bars] == ["Erträge", "Aufwendungen"]
    assert chart.figure["layout"]["barmode"] == "group"
    assert [t["name"] for t in lines] == ["Ergebnis"] and lines[0]["y"] == [20.0, -10.0]
    assert chart.figure["layout"]["yaxis"]["automargin"] is True


def test_costs_chart_has_one_bar_per_item(make_site: MakeSite) -> None:
    content, budget = plan_of(load(make_site, kind="costs")[0])
    chart = tablecharts.table_chart(content, budget, [], T)
    assert chart is None        # the table has no items: nothing to draw
    site = make_site({"budgets/kosten.yaml": """\
        title: Kosten
        unit: TEUR
        years: [2024, 2025]
        kind: costs
        sources:
          - {source: vorlage, section: "1.1"}
        lines:
          - {id: lizenzen, label: Lizenzen, kind: item, values: [10, 20]}
          - {id: hardware, label: Hardware, kind: item, values: [5, null], total: 6}
        """})
    loaded, _report = check(site)
    assert loaded is not None
    kosten = next(b for b in loaded.budgets if b.id == "kosten")
    chart = tablecharts.table_chart(loaded, kosten, [], T)
    assert chart is not None
    (trace,) = chart.figure["data"]
    assert trace["orientation"] == "h" and trace["y"] == ["Lizenzen", "Hardware"]
    assert trace["x"] == [30.0, 6.0]            # the row sum, or the printed total
