"""charts.show: the same chart as st.altair_chart, built once per distinct key."""

import json

import numpy as np
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from playground import charts

ROWS = [{"word": "cat", "probability": 0.4}, {"word": "dog", "probability": 0.3}]


def counting(build):
    calls = []

    def counted():
        calls.append(1)
        return build()

    return counted, calls


def without_data_names(spec: dict) -> str:
    """The spec with its datasets' names and bytes left out (they are Arrow)."""
    text = json.dumps({k: v for k, v in spec.items() if k != "datasets"})
    for name in spec.get("datasets", {}):
        text = text.replace(name, "DATA")
    return text


def test_the_spec_is_streamlits_own_conversion():
    build = lambda: charts.probability_bars(ROWS, title="Both")  # noqa: E731
    cached = charts.chart_spec(build, ("test", "same", ROWS))
    direct = _convert_altair_to_vega_lite_spec(build())
    assert without_data_names(cached) == without_data_names(direct)
    assert [type(v) for v in cached["datasets"].values()] == [bytes]


def test_each_distinct_key_is_built_once():
    build, calls = counting(lambda: charts.probability_bars(ROWS))
    first = charts.chart_spec(build, ("test", "once", ROWS))
    again = charts.chart_spec(build, ("test", "once", ROWS))
    assert len(calls) == 1 and first == again
    charts.chart_spec(build, ("test", "once", ROWS[:1]))  # other data: built
    assert len(calls) == 2


def test_a_caller_cannot_spoil_the_cache():
    build, calls = counting(lambda: charts.probability_bars(ROWS))
    spec = charts.chart_spec(build, ("test", "spoil"))
    spec.pop("datasets")  # Streamlit moves the data out like this
    assert "datasets" in charts.chart_spec(build, ("test", "spoil"))


def test_numpy_values_are_keys_and_odd_keys_are_not_cached():
    build, calls = counting(lambda: charts.probability_bars(ROWS))
    charts.chart_spec(build, ("test", np.float32(0.5), np.arange(3)))
    charts.chart_spec(build, ("test", np.float32(0.5), np.arange(3)))
    assert len(calls) == 1
    charts.chart_spec(build, ("test", object()))
    charts.chart_spec(build, ("test", object()))
    assert len(calls) == 3


def test_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(charts, "SPEC_CACHE_SIZE", 3)
    build, calls = counting(lambda: charts.probability_bars(ROWS))
    for n in range(10):
        charts.chart_spec(build, ("test", "bounded", n))
    assert len(charts._specs) <= 3
