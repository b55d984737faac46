"""Tables in Markdown bodies scroll inside their own region and right-align numbers."""

import re

from dmoves_site.mdrender import render

TABLE = """| Position | 2022 | Anteil |
|---|---:|---|
| Breitbandausbau | 3.150 | 75 % |
| Summe | 0,3 Mio. € | ca. 1,3 |
| Hinweis | 1 | siehe Text |
| Zeitraum | 2 | 2022/2023 |
"""


def test_a_markdown_table_gets_a_named_focusable_scroll_region() -> None:
    html = render(TABLE)
    assert html.startswith('<div class="table-scroll" tabindex="0" role="region" '
                           'aria-label="Tabelle: Position, 2022, Anteil"><table>')
    assert html.rstrip().endswith("</table></div>")


def test_two_tables_with_the_same_headings_get_distinct_names() -> None:
    names = re.findall(r'aria-label="([^"]*)"', render(TABLE + "\ntext\n\n" + TABLE))
    assert names == ["Tabelle: Position, 2022, Anteil", "Tabelle: Position, 2022, Anteil (2)"]


def test_right_aligned_columns_and_number_cells_are_marked_as_numbers() -> None:
    html = render(TABLE)
    assert '<th class="num">2022</th>' in html
    assert '<td class="num">3.150</td>' in html        # column aligned with ---:
    assert '<td class="num">75 %</td>' in html          # a number in a left column
    assert '<td class="num">ca. 1,3</td>' in html
    assert "<td>siehe Text</td>" in html and "<td>2022/2023</td>" in html
    assert "style=" not in html


def test_heading_text_in_the_region_name_is_escaped() -> None:
    html = render('| A "b" & <c> |\n|---|\n| x |\n')
    assert 'aria-label="Tabelle: A &quot;b&quot; &amp; &lt;c&gt;"' in html
