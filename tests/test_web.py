import os
import socket
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import EXAMPLES
from detente import CODER_VERSION, code_documents, read_inputs
from detente.store import open_store
from detente.web import create_app

CHROMIUM = "/usr/bin/chromium"
XSS = "<script>window.__xss = 1</script>"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, coder):
    folder = tmp_path_factory.mktemp("web")
    hostile = folder / "hostile.txt"
    hostile.write_text(f"Russian jets bombed an American outpost near Tanf on Tuesday {XSS}, officials said.\n")
    db = folder / "demo.duckdb"
    with open_store(db) as store:
        store.ingest(code_documents(read_inputs([EXAMPLES]), coder=coder, workers=1), coder_version=CODER_VERSION)
        store.ingest(code_documents(read_inputs([hostile], published=date(2023, 4, 20)), coder=coder, workers=1),
                     coder_version=CODER_VERSION)
    return db


@pytest.fixture(scope="module")
def client(demo_db):
    return TestClient(create_app(demo_db))


def test_api_routes(client):
    dyads = client.get("/api/dyads").json()["dyads"]
    assert (dyads[0]["a"], dyads[0]["b"]) == ("RUS", "USA")
    timeline = client.get("/api/timeline", params={"a": "RUS", "b": "USA"}).json()
    both = [p for p in timeline["periods"] if p["direction"] == "both"]
    assert both and all(-1 <= p["tension"] <= 1 for p in both if p["tension"] is not None)
    events = client.get("/api/events", params={"a": "RUS", "b": "USA", "period": "2023-04-01"}).json()["events"]
    assert events and all(e["event_date"].startswith("2023-04") for e in events)
    page = client.get("/api/events", params={"limit": 2, "offset": 1}).json()
    assert len(page["events"]) == 2 and page["offset"] == 1
    graph = client.get("/api/graph").json()
    assert {n["id"] for n in graph["nodes"]} >= {"USA", "RUS"}
    assert "alerts" in client.get("/api/alerts").json()
    assert client.get("/openapi.json").json()["paths"].keys() >= {"/api/dyads", "/api/timeline", "/api/events", "/api/alerts", "/api/graph"}


@pytest.mark.parametrize(
    "url",
    ["/api/timeline?a=rus&b=USA", "/api/timeline?a=RUS", "/api/events?limit=0", "/api/events?limit=100000",
     "/api/events?type=HUG", "/api/events?period=last-week", "/api/events?a=RUS", "/api/timeline?a=RUS&b=USA&freq=decade",
     "/api/dyads?offset=-1", "/api/events?a=RU'--&b=USA",
     # beyond INT64 and past the last representable period: once 500s from inside DuckDB and datetime
     "/api/dyads?offset=9223372036854775808", "/api/events?offset=99999999999999999999",
     "/api/events?period=9999-12-31", "/api/events?period=9999-12-31&freq=year", "/api/graph?until=0001-01-01",
     "/api/dyads?since=9999-12-31"],
)
def test_malformed_parameters_are_422_not_500(client, url):
    response = client.get(url)
    assert response.status_code == 422 and "detail" in response.json()


def test_static_assets_are_served_locally(client):
    html = client.get("/").text
    assert "/static/d3.min.js" in html and "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    for asset in ("d3.min.js", "topojson-client.min.js", "countries-110m.json", "app.js"):
        assert client.get(f"/static/{asset}").status_code == 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(demo_db):
    import uvicorn

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(demo_db), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.mark.browser
def test_dashboard_in_a_real_browser(server, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(server + "/")
        page.wait_for_selector("body[data-ready='1']", timeout=20000)
        idle = "document.body.dataset.busy === '0'"
        page.select_option("#dyad", "RUS-USA")
        page.wait_for_function(idle)
        page.wait_for_selector("rect.bar[data-period='2023-04-01']")
        page.locator("rect.bar[data-period='2023-04-01']").first.click()
        page.wait_for_function("document.querySelector('#evidence-title').textContent.includes('2023-04-01')")
        rows = page.locator("#evidence tbody tr")
        assert rows.count() >= 1
        dates = rows.locator("td:first-child").all_text_contents()
        assert dates and all(d.startswith("2023-04") for d in dates)
        assert any("drone" in s for s in rows.locator("td.sentence").all_text_contents())
        assert page.locator("#evidence mark").count() >= 1
        page.wait_for_function(idle)
        assert page.locator("#map circle.event").count() >= 1
        # Hostile article text is shown as text and never runs.
        page.select_option("#freq", "year")
        page.wait_for_function(idle)
        page.wait_for_selector("rect.bar")
        page.locator("rect.bar").last.click()
        page.wait_for_function("document.querySelector('#evidence-title').textContent.includes('year')")
        sentences = page.locator("#evidence td.sentence").all_text_contents()
        assert any(XSS in s for s in sentences)
        assert page.evaluate("window.__xss") is None
        assert page.locator("#evidence script").count() == 0
        page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
        assert (tmp_path / "dashboard.png").stat().st_size > 10_000
        assert not errors, errors
        browser.close()


def _browser(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                                                             "--disable-background-networking", "--disable-component-update",
                                                             "--disable-sync"])


@pytest.mark.browser
def test_dashboard_keeps_its_view_in_the_url_and_shows_precision_and_a_legend(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        page.goto(server + "/?dyad=RUS-USA&freq=month&period=2023-04-01")
        page.wait_for_selector("body[data-ready='1']", timeout=20000)
        page.wait_for_function("document.body.dataset.busy === '0'")
        assert page.input_value("#dyad") == "RUS-USA"
        assert "2023-04-01" in page.text_content("#evidence-title")
        page.select_option("#freq", "year")
        page.wait_for_function("document.body.dataset.busy === '0'")
        assert "freq=year" in page.url and "dyad=RUS-USA" in page.url
        dates = page.locator("#evidence tbody td:first-child").all_text_contents()
        assert any(d.endswith("(week)") for d in dates), dates
        assert page.locator("#map .legend text").count() == 4
        # Whole words only: a name is never marked inside a longer word.
        marked = page.evaluate("""() => [...document.querySelectorAll('#evidence mark')].map((m) => [
            (m.previousSibling ? m.previousSibling.textContent : ' ').slice(-1) || ' ',
            (m.nextSibling ? m.nextSibling.textContent : ' ').slice(0, 1) || ' '])""")
        assert marked and all(not (b.isalnum() or a.isalnum()) for b, a in marked)
        browser.close()


def _typed_values(name: str):
    """Values of a parameter's own type at any magnitude: what passes a type check but may still
    break a query (an offset past INT64, the last day of year 9999)."""
    from hypothesis import strategies as st

    integers = st.integers(min_value=-2**70, max_value=2**70) | st.sampled_from([2**63 - 1, 2**63, 10**20])
    days = st.dates() | st.sampled_from([date.max, date.min])
    countries = st.sampled_from(["USA", "RUS", "TUR", "SYR", "IRN", "XXX"])
    kinds = {"limit": integers, "offset": integers, "since": days, "until": days, "period": days, "a": countries,
             "b": countries, "freq": st.sampled_from(["day", "week", "month", "year"]),
             "type": st.sampled_from(["ASSAULT", "AGREE", "COERCE"]), "all": st.booleans()}
    return kinds[name].map(lambda v: str(v).lower() if isinstance(v, bool) else str(v))


ENDPOINT_PARAMS = {
    "/api/dyads": ["limit", "offset", "since"],
    "/api/timeline": ["a", "b", "freq", "all"],
    "/api/events": ["a", "b", "period", "freq", "type", "since", "until", "all", "limit", "offset"],
    "/api/alerts": ["a", "b", "since", "freq"],
    "/api/graph": ["since", "until"],
    "/api/intake": [],
}


def test_no_parameter_values_make_a_server_error(demo_db):
    from hypothesis import HealthCheck, given, settings, strategies as st

    client = TestClient(create_app(demo_db), raise_server_exceptions=False)
    junk = st.text(max_size=12) | st.sampled_from(["1e309", "NaN", "%ff", "\x00", "-0", "2023-02-30", "usa"])

    def requests(values):
        return st.sampled_from(sorted(ENDPOINT_PARAMS)).flatmap(lambda url: st.tuples(
            st.just(url), st.fixed_dictionaries({}, optional={name: values(name) for name in ENDPOINT_PARAMS[url]})))

    @settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
    @given(requests(_typed_values) | requests(lambda name: _typed_values(name) | junk))
    def check(request):
        url, params = request
        response = client.get(url, params=params)
        assert response.status_code < 500, (url, params, response.text)

    check()


def test_responses_follow_the_store_as_it_changes(tmp_path, coder):
    story = tmp_path / "a.txt"
    story.write_text("Russian jets bombed rebel positions near Idlib on Tuesday, monitors said.\n")
    db = tmp_path / "c.duckdb"
    with open_store(db) as store:
        store.ingest(code_documents(read_inputs([story], published=date(2023, 4, 20)), coder=coder, workers=1),
                     coder_version=CODER_VERSION)
    client = TestClient(create_app(db))
    assert client.get("/api/events").json()["events"][0]["event_type"] == "ASSAULT"
    story.write_text("Turkey and Russia agreed on a ceasefire in Idlib on Thursday, officials said.\n")
    with open_store(db) as store:
        store.ingest(code_documents(read_inputs([story], published=date(2023, 4, 20)), coder=coder, workers=1),
                     coder_version=CODER_VERSION)
    assert [e["event_type"] for e in client.get("/api/events").json()["events"]] == ["AGREE"]


def test_intake_health_without_a_watched_folder(client):
    assert client.get("/api/intake").json() == {"watching": None}


def test_api_docs_are_a_page_served_offline(client):
    page = client.get("/docs")
    assert page.status_code == 200 and "/api/timeline" in page.text and "freq" in page.text
    assert "cdn" not in page.text.lower() and "https://" not in page.text


def test_timelines_take_organisations_and_say_what_a_daily_series_leaves_out(client):
    timeline = client.get("/api/timeline", params={"a": "RUS", "b": "USA", "freq": "day"}).json()
    assert timeline["left_out"].get("week", 0) >= 1
    assert client.get("/api/timeline", params={"a": "EU", "b": "RUS"}).status_code == 200
    unknown = client.get("/api/timeline", params={"a": "ZZZ", "b": "USA"})
    assert unknown.status_code == 422 and "did you mean" in unknown.json()["detail"]
