import random
from datetime import date

import pytest

from detente import analysis


def _row(event_id, cluster, src, tgt, day, goldstein, *, quad=None, factuality="asserted", confidence=1.0, article=None, outlet=None):
    quad = quad or (4 if goldstein <= -5 else 3 if goldstein < 0 else 1)
    return {"event_id": event_id, "cluster_id": cluster, "src": src, "tgt": tgt, "event_date": day, "date_precision": "day",
            "goldstein": goldstein, "quad_class": quad, "event_type": "ASSAULT" if goldstein < 0 else "CONSULT",
            "factuality": factuality, "confidence": confidence, "article_id": article or event_id, "outlet": outlet,
            "sentence": f"sentence {event_id}", "url": None}


def test_a_cluster_reported_by_several_articles_counts_once():
    rows = [_row(f"e{i}", "c1", "RUS", "USA", date(2023, 4, 5), -10, article=f"a{i}", outlet=f"outlet{i % 2}") for i in range(3)]
    rows.append(_row("e9", "c2", "USA", "RUS", date(2023, 4, 6), 1.0))
    [both] = [p for p in analysis.series_from_rows(rows, "USA", "RUS") if p.direction == "both"]
    assert both.clusters == 2 and both.events == 4
    assert both.num_articles == 4 and both.num_sources == 3
    assert both.q4 == 1 and both.q1 == 1


def test_tension_index_formula_and_bounds():
    rows = [_row("a", "c1", "RUS", "USA", date(2023, 4, 5), -10.0, confidence=1.0),
            _row("b", "c2", "USA", "RUS", date(2023, 4, 6), 5.0, confidence=0.5)]
    [both] = [p for p in analysis.series_from_rows(rows, "USA", "RUS") if p.direction == "both"]
    # (1.0 * 1.0 + 0.5 * -0.5) / 1.5
    assert both.tension == pytest.approx(0.5, abs=1e-3)
    assert -1 <= both.tension <= 1


def test_sparse_periods_get_no_tension_and_gaps_are_filled():
    rows = [_row("a", "c1", "RUS", "USA", date(2023, 1, 5), -10.0), _row("b", "c2", "RUS", "USA", date(2023, 1, 9), -10.0),
            _row("c", "c3", "RUS", "USA", date(2023, 3, 5), -10.0)]
    both = [p for p in analysis.series_from_rows(rows, "USA", "RUS") if p.direction == "both"]
    assert [p.period for p in both] == [date(2023, 1, 1), date(2023, 2, 1), date(2023, 3, 1)]
    assert both[0].tension == 1.0 and not both[0].sparse
    assert both[1].tension is None and both[1].sparse and both[2].tension is None
    assert both[2].tension_smoothed == 1.0  # smoothing carries the last known level, never invents one


@pytest.mark.parametrize("factuality, counted", [("asserted", True), ("reported", True), ("alleged", True), ("denied", False), ("negated", False)])
def test_denied_and_negated_events_do_not_count(factuality, counted):
    rows = [_row("a", "c1", "RUS", "USA", date(2023, 4, 5), -10.0, factuality=factuality)]
    [both] = [p for p in analysis.series_from_rows(rows, "USA", "RUS") if p.direction == "both"]
    assert (both.clusters == 1) is counted
    [both_all] = [p for p in analysis.series_from_rows(rows, "USA", "RUS", include_all=True) if p.direction == "both"]
    assert both_all.clusters == 1


def test_year_precision_events_stay_off_a_monthly_timeline():
    row = _row("a", "c1", "RUS", "USA", date(2015, 1, 1), -10.0)
    row["date_precision"] = "year"
    assert analysis.series_from_rows([row], "USA", "RUS", "month") == []
    assert analysis.series_from_rows([row], "USA", "RUS", "year")


def _periods(values):
    out = []
    for i, v in enumerate(values):
        p = analysis.Period(date(2022 + i // 12, i % 12 + 1, 1), "both", clusters=5, tension=v, sparse=False)
        out.append(p)
    return out


def test_alert_detector_finds_a_known_break():
    rng = random.Random(7)
    values = [rng.gauss(-0.3, 0.1) for _ in range(8)] + [rng.gauss(0.35, 0.1) for _ in range(8)]
    [alert] = analysis.swing_alerts(_periods(values), "USA-RUS")
    assert alert.period == date(2022, 9, 1) and alert.direction == "toward conflict" and alert.size > 0.5


def test_alert_detector_finds_two_breaks_both_ways():
    values = [-0.4] * 5 + [0.5] * 5 + [-0.2] * 5
    found = analysis.swing_alerts(_periods(values), "USA-RUS")
    assert [(a.period.month, a.direction) for a in found] == [(6, "toward conflict"), (11, "toward cooperation")]


def test_noise_alone_raises_no_alert():
    rng = random.Random(3)
    for _ in range(20):
        assert analysis.swing_alerts(_periods([rng.gauss(0, 0.1) for _ in range(16)]), "USA-RUS") == []


def test_demo_store_alerts_graph_and_plot(tmp_path, coder):
    from conftest import EXAMPLES
    from detente import CODER_VERSION, api, code_documents, read_inputs
    from detente.plot import plot_series
    from detente.store import open_store

    db = tmp_path / "demo.duckdb"
    with open_store(db) as store:
        store.ingest(code_documents(read_inputs([EXAMPLES]), coder=coder, workers=1), coder_version=CODER_VERSION)
    with open_store(db, read_only=True) as store:
        alerts = api.alerts(store)
        graph = api.graph(store)
        found = api.dyad_timeline(store, "USA", "RUS")
    assert alerts and all(a["evidence"] for a in alerts)
    assert graph.has_edge("USA", "RUS") and graph["USA"]["RUS"]["weight"] >= 1
    for fmt in ("graphml", "gexf", "json"):
        analysis.write_graph(graph, tmp_path / f"g.{fmt}", fmt)
        assert (tmp_path / f"g.{fmt}").stat().st_size > 100
    plot_series(found.periods, found.alerts, "USA–RUS", tmp_path / "t.png")
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"
