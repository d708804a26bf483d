// detente dashboard. All article text goes into the page with textContent, never innerHTML.
(function () {
  "use strict";
  const $ = (sel) => document.querySelector(sel);
  const QUADS = ["q2", "q1", "q3", "q4"];
  const QUAD_COLOURS = { 1: "#7fbf7b", 2: "#1b7837", 3: "#f1a340", 4: "#b2182b" };
  const QUAD_NAMES = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };
  const state = { a: null, b: null, freq: "month", all: false, period: null };

  async function getJSON(url) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(url + ": " + res.status);
    return res.json();
  }

  function params(extra) {
    const p = new URLSearchParams({ a: state.a, b: state.b, freq: state.freq, all: state.all });
    for (const [k, v] of Object.entries(extra || {})) p.set(k, v);
    return p.toString();
  }

  // The dyad, period length, options and chosen period live in the page's URL, so a view can be
  // bookmarked, shared and reloaded.
  function saveView() {
    const view = new URLSearchParams({ dyad: state.a + "-" + state.b, freq: state.freq });
    if (state.all) view.set("all", "1");
    if (state.period) view.set("period", state.period);
    history.replaceState(null, "", "?" + view.toString());
  }

  function addDyadOption(value, label) {
    const opt = document.createElement("option");
    opt.value = value;
    opt.textContent = label;
    $("#dyad").appendChild(opt);
  }

  async function loadDyads() {
    const data = await getJSON("/api/dyads?limit=50");
    const select = $("#dyad");
    select.textContent = "";
    for (const d of data.dyads) addDyadOption(d.a + "-" + d.b, d.a + " – " + d.b + " (" + d.events + ")");
    const view = new URLSearchParams(location.search);
    const wanted = view.get("dyad");
    if (wanted && /^[A-Z0-9]{2,12}-[A-Z0-9]{2,12}$/.test(wanted) && ![...select.options].some((o) => o.value === wanted)) {
      addDyadOption(wanted, wanted.replace("-", " – "));
    }
    if (view.get("freq") && [...$("#freq").options].some((o) => o.value === view.get("freq"))) state.freq = $("#freq").value = view.get("freq");
    state.all = $("#all").checked = view.get("all") === "1";
    if (!select.options.length) return;
    select.value = wanted && [...select.options].some((o) => o.value === wanted) ? wanted : select.options[0].value;
    await selectDyad(view.get("period"));
  }

  let busy = 0;
  async function track(promise) {
    document.body.dataset.busy = String(++busy);
    try { return await promise; } finally { document.body.dataset.busy = String(--busy); }
  }

  async function selectDyad(period) { return track(renderDyad(typeof period === "string" ? period : null)); }

  async function renderDyad(period) {
    [state.a, state.b] = $("#dyad").value.split("-");
    state.period = null;
    $("#chart-title").textContent = "Timeline " + state.a + " – " + state.b;
    const data = await getJSON("/api/timeline?" + params());
    drawChart(data);
    drawAlerts(data.alerts);
    showLeftOut(data.left_out || {});
    saveView();
    if (period) await selectPeriod(period);
    else await loadEvents(null);
    await drawMap();
  }

  // Events whose date is coarser than the period (a week-dated event in a daily timeline) are not
  // in the bars: say how many.
  function showLeftOut(leftOut) {
    const parts = Object.entries(leftOut).map(([p, n]) => n + (p === "none" ? " undated" : " dated only to the " + p));
    $("#left-out").textContent = parts.length ? "Not in these " + state.freq + "s: " + parts.join(", ") + "." : "";
  }

  function dateText(ev) {
    if (!ev.event_date) return "";
    return ev.date_precision && ev.date_precision !== "day" ? ev.event_date + " (" + ev.date_precision + ")" : ev.event_date;
  }

  function drawChart(data) {
    const svg = d3.select("#chart");
    svg.selectAll("*").remove();
    const periods = data.periods.filter((p) => p.direction === "both");
    const W = +svg.attr("width"), H = +svg.attr("height"), m = { t: 10, r: 50, b: 60, l: 40 };
    const x = d3.scaleBand().domain(periods.map((p) => p.period)).range([m.l, W - m.r]).padding(0.15);
    const maxY = d3.max(periods, (p) => p.q1 + p.q2 + p.q3 + p.q4) || 1;
    const y = d3.scaleLinear().domain([0, maxY]).nice().range([H - m.b, m.t]);
    const yt = d3.scaleLinear().domain([-1, 1]).range([H - m.b, m.t]);
    for (const p of periods) {
      let base = 0;
      for (const q of QUADS) {
        const n = p[q];
        if (!n) continue;
        svg.append("rect").attr("class", "bar " + q).attr("data-period", p.period).attr("data-quad", q)
          .attr("x", x(p.period)).attr("width", x.bandwidth())
          .attr("y", y(base + n)).attr("height", y(base) - y(base + n))
          .on("click", () => selectPeriod(p.period))
          .append("title").text(p.period + ": " + n + " " + q);
        base += n;
      }
      // A transparent column over the whole period, under the bars, so quiet periods are clickable too.
      svg.insert("rect", ":first-child").attr("class", "hit").attr("data-period", p.period).attr("fill", "transparent")
        .attr("x", x(p.period)).attr("width", x.bandwidth()).attr("y", m.t).attr("height", H - m.b - m.t)
        .style("cursor", "pointer").on("click", () => selectPeriod(p.period));
    }
    const line = d3.line().defined((p) => p.tension_smoothed !== null)
      .x((p) => x(p.period) + x.bandwidth() / 2).y((p) => yt(p.tension_smoothed));
    svg.append("path").datum(periods).attr("fill", "none").attr("stroke", "#000").attr("stroke-width", 1.5).attr("d", line);
    svg.append("line").attr("x1", m.l).attr("x2", W - m.r).attr("y1", yt(0)).attr("y2", yt(0)).attr("stroke", "#bbb");
    for (const al of data.alerts) {
      if (x(al.period) === undefined) continue;
      svg.append("line").attr("class", "alert").attr("x1", x(al.period)).attr("x2", x(al.period))
        .attr("y1", m.t).attr("y2", H - m.b).attr("stroke", al.size > 0 ? "#b2182b" : "#1b7837").attr("stroke-dasharray", "4 3");
    }
    svg.append("g").attr("transform", `translate(0,${H - m.b})`).call(d3.axisBottom(x))
      .selectAll("text").attr("transform", "rotate(-45)").style("text-anchor", "end");
    svg.append("g").attr("transform", `translate(${m.l},0)`).call(d3.axisLeft(y).ticks(5));
    svg.append("g").attr("transform", `translate(${W - m.r},0)`).call(d3.axisRight(yt).ticks(5));
  }

  function drawAlerts(alerts) {
    const ul = $("#alerts");
    ul.textContent = "";
    for (const al of alerts) {
      const li = document.createElement("li");
      li.className = al.size > 0 ? "conflict" : "cooperation";
      li.textContent = al.period + ": " + al.direction + " (" + (al.size > 0 ? "+" : "") + al.size.toFixed(2) + ")";
      ul.appendChild(li);
    }
  }

  async function selectPeriod(period) {
    state.period = period;
    saveView();
    d3.selectAll("rect.bar").classed("selected", function () { return this.dataset.period === period; });
    await track(loadEvents(period));
  }

  // Where `name` first occurs in `text` as whole words ("US" not inside "USSR" or "business").
  const WORD_CHAR = /[\p{L}\p{N}]/u;
  function wordIndex(text, name) {
    for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
      const before = i > 0 ? text[i - 1] : "", after = text[i + name.length] || "";
      if (!WORD_CHAR.test(before) && !WORD_CHAR.test(after)) return i;
    }
    return -1;
  }

  // The sentence with actor names marked, built from text nodes only.
  function highlighted(sentence, ev) {
    const span = document.createElement("span");
    const marks = [];
    for (const [role, actors] of [["source", ev.source], ["target", ev.target]]) {
      for (const a of actors || []) {
        const i = a.name ? wordIndex(sentence, a.name) : -1;
        if (i >= 0) marks.push([i, i + a.name.length, role]);
      }
    }
    marks.sort((p, q) => p[0] - q[0]);
    let pos = 0;
    for (const [start, end, role] of marks) {
      if (start < pos) continue;
      span.appendChild(document.createTextNode(sentence.slice(pos, start)));
      const mark = document.createElement("mark");
      mark.className = role;
      mark.textContent = sentence.slice(start, end);
      span.appendChild(mark);
      pos = end;
    }
    span.appendChild(document.createTextNode(sentence.slice(pos)));
    return span;
  }

  function actorsText(actors) {
    return (actors || []).map((a) => a.code || a.country || a.name).join(", ") || "–";
  }

  let eventsRequest = 0;  // only the newest request may fill the table
  async function loadEvents(period) {
    const mine = ++eventsRequest;
    const extra = period ? { period: period, limit: 200 } : { limit: 50 };
    const data = await getJSON("/api/events?" + params(extra));
    if (mine !== eventsRequest) return;
    $("#evidence-title").textContent = "Evidence" + (period ? " — " + state.freq + " of " + period : " — latest");
    const tbody = $("#evidence tbody");
    tbody.textContent = "";
    for (const ev of data.events) {
      const tr = document.createElement("tr");
      tr.dataset.eventId = ev.event_id;
      const cells = [dateText(ev), ev.event_type, actorsText(ev.source) + " → " + actorsText(ev.target),
                     ev.factuality, ev.confidence.toFixed(2), ev.place_name || ""];
      for (const text of cells) { const td = document.createElement("td"); td.textContent = text; tr.appendChild(td); }
      const td = document.createElement("td");
      td.className = "sentence";
      td.appendChild(highlighted(ev.sentence, ev));
      tr.appendChild(td);
      const src = document.createElement("td");
      if (ev.url && /^https?:\/\//.test(ev.url)) {
        const a = document.createElement("a");
        a.setAttribute("href", ev.url);
        a.setAttribute("rel", "noopener noreferrer");
        a.textContent = ev.outlet || "source";
        src.appendChild(a);
      }
      tr.appendChild(src);
      tbody.appendChild(tr);
    }
  }

  let world = null;
  async function drawMap() {
    const svg = d3.select("#map");
    svg.selectAll("*").remove();
    world = world || await getJSON("/static/countries-110m.json");
    const W = +svg.attr("width"), H = +svg.attr("height");
    const projection = d3.geoNaturalEarth1().fitSize([W, H], { type: "Sphere" });
    const path = d3.geoPath(projection);
    svg.append("g").selectAll("path").data(topojson.feature(world, world.objects.countries).features)
      .join("path").attr("class", "country").attr("d", path);
    const data = await getJSON("/api/events?" + params({ limit: 500 }));
    const placed = data.events.filter((e) => e.lat !== null && e.lon !== null);
    svg.append("g").selectAll("circle").data(placed).join("circle").attr("class", "event")
      .attr("r", 4).attr("cx", (e) => projection([e.lon, e.lat])[0]).attr("cy", (e) => projection([e.lon, e.lat])[1])
      .attr("fill", (e) => QUAD_COLOURS[e.quad_class])
      .append("title").text((e) => dateText(e) + " " + e.event_type + " @ " + e.place_name);
    drawLegend(svg, H);
  }

  function drawLegend(svg, H) {
    const legend = svg.append("g").attr("class", "legend").attr("transform", `translate(12,${H - 88})`);
    Object.entries(QUAD_NAMES).forEach(([q, name], i) => {
      const row = legend.append("g").attr("transform", `translate(0,${i * 18})`);
      row.append("circle").attr("r", 5).attr("cx", 5).attr("cy", 0).attr("fill", QUAD_COLOURS[q]);
      row.append("text").attr("x", 16).attr("y", 4).text(name);
    });
  }

  // serve --watch: how the folder intake is doing, so that stale data never passes for fresh.
  const INTAKE_POLL_MS = 10000;
  async function showIntake() {
    const health = await getJSON("/api/intake");
    const el = $("#intake");
    if (!health.watching) return;
    el.hidden = false;
    el.className = health.state === "running" && !health.recent_errors.length ? "ok" : "trouble";
    el.textContent = "intake " + health.state + " · last pass " + (health.last_pass || "not yet") + " · " +
      health.files + " files, " + health.failures + " failed" + (health.restarts ? ", " + health.restarts + " restarts" : "");
    el.title = health.recent_errors.join("\n");
    setTimeout(showIntake, INTAKE_POLL_MS);
  }
  showIntake();

  $("#dyad").addEventListener("change", () => selectDyad());
  $("#freq").addEventListener("change", () => { state.freq = $("#freq").value; selectDyad(); });
  $("#all").addEventListener("change", () => { state.all = $("#all").checked; selectDyad(); });
  loadDyads().then(() => { document.body.dataset.ready = "1"; });
})();
