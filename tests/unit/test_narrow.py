"""Phone-width chart variants: wrapped labels, long category labels turn bars sideways."""

from __future__ import annotations

import copy

from dmoves_site import narrow


def bars(labels: list[str]) -> dict:  # type: ignore[type-arg]
    return {"data": [{"type": "bar", "name": "Mittel je Programm und Jahr im Überblick",
                      "x": labels, "y": [1, 2, 3], "textposition": "outside",
                      "hovertemplate": "%{x}: %{y:,} TEUR<extra></extra>"}],
            "layout": {"xaxis": {"type": "category"}, "yaxis": {"title": {"text": "TEUR"}}}}


def test_long_category_labels_turn_vertical_bars_sideways() -> None:
    figure = bars(["Digitale Bürgerservices", "Digitale Verwaltung", "Moderne Arbeitswelt"])
    before = copy.deepcopy(figure)
    small = narrow.narrow_figure(figure)
    assert figure == before                                   # the original stays
    trace = small["data"][0]
    assert trace["orientation"] == "h"
    assert trace["x"] == [1, 2, 3]
    assert trace["y"] == ["Digitale<br>Bürgerservices", "Digitale<br>Verwaltung",
                          "Moderne<br>Arbeitswelt"]
    assert trace["hovertemplate"] == "%{y}: %{x:,} TEUR<extra></extra>"
    assert small["layout"]["xaxis"] == {"title": {"text": "TEUR"}}
    assert small["layout"]["yaxis"]["autorange"] == "reversed"
    assert small["layout"]["margin"]["r"] > small["layout"]["margin"]["l"]  # room for values
    assert trace["name"] == "Mittel je Programm und Jahr im<br>Überblick"


def test_short_labels_such_as_years_stay_vertical() -> None:
    small = narrow.narrow_figure(bars(["2022", "2023", "2024"]))
    assert small["data"][0].get("orientation") != "h"
    assert small["data"][0]["x"] == ["2022", "2023", "2024"]


def test_wrap_keeps_words_whole() -> None:
    assert narrow.wrap("Telekommunikation und Netze", 14) == "Telekommunikation<br>und Netze"
    assert narrow.wrap("kurz", 14) == "kurz"
    assert narrow.wrap(42, 1) == 42
