/* kemitraan-graph chart page (timeline, map, query charts).
 * Reads a Vega spec per language from the JSON data block (id "chart-data") and draws it with Vega's
 * SVG renderer (labels become text nodes). Vega parses the spec with ast: true and evaluates its
 * expressions with vega-interpreter, so no code is generated at run time (the CSP forbids eval).
 * The notes are set with textContent. A click on a timeline's bar, or on a map's country or place,
 * lists its cases with their sources in the side panel (data.panel), built with createElement and
 * textContent: no data is ever parsed as HTML. No request leaves the page; sources become links
 * only for http(s) and are followed only when clicked.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var UI = {
    en: {
      lang: "Language", chart: "Chart", sources: "Sources", noSources: "no source given",
      hint: { timeline: "Click a bar to list the cases of that year and their sources.",
              map: "Click a country or a place to list its cases and their sources." },
      cases: function (n) { return n === 1 ? "1 case" : n + " cases"; },
      bar: function (event, year) { return event + " in " + year; },
      none: "No case here."
    },
    id: {
      lang: "Bahasa", chart: "Grafik", sources: "Sumber", noSources: "tidak ada sumber",
      hint: { timeline: "Klik batang untuk melihat daftar kasus pada tahun itu dan sumbernya.",
              map: "Klik negara atau tempat untuk melihat daftar kasusnya dan sumbernya." },
      cases: function (n) { return n + " kasus"; },
      bar: function (event, year) { return event + " pada " + year; },
      none: "Tidak ada kasus di sini."
    }
  };
  var panel = data.panel || null;
  var state = { lang: data.lang === "id" ? "id" : "en", selected: null };
  var view = null;

  function pick(pair) { return (pair && (state.lang === "id" ? pair[0] || pair[1] : pair[1] || pair[0])) || ""; }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function own(obj, key) { return obj && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined; }
  function safeHref(value) {
    try {
      var url = new URL(String(value));
      if (url.protocol === "http:" || url.protocol === "https:") return url.href;
    } catch (err) { /* not a URL */ }
    return null;
  }

  // --- the case list a click shows ------------------------------------------------------
  // selected: {type: "bar", event, year} | {type: "country", id} | {type: "place", i}
  function members(sel) {
    if (!panel || !sel) return null;
    if (sel.type === "bar") {
      var byYear = own(panel.groups, sel.event);
      var list = own(byYear, String(sel.year));
      return list ? { title: UI[state.lang].bar(pick(panel.events[sel.event]), sel.year), cases: list } : null;
    }
    if (sel.type === "country") {
      var c = own(panel.countries, String(sel.id));
      return c ? { title: pick(c.l), cases: c.c } : null;
    }
    if (sel.type === "place") {
      var p = panel.places[sel.i];
      return p ? { title: pick(p.l), cases: p.c } : null;
    }
    return null;
  }

  function sourceItem(value) {
    var li = el("li");
    var href = safeHref(value);
    if (!href) {
      li.appendChild(el("span", value));
      return li;
    }
    var a = el("a", value);
    a.href = href;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    li.appendChild(a);
    return li;
  }

  function showDetails() {
    if (!panel) return;
    var box = document.getElementById("details"), L = UI[state.lang];
    clear(box);
    var found = members(state.selected);
    if (!found) {
      var hint = el("p", L.hint[panel.kind] || "");
      hint.id = "details-hint";
      box.appendChild(hint);
      return;
    }
    var h = el("h2", found.title);
    h.id = "details-title";
    box.appendChild(h);
    var summary = el("p", L.cases(found.cases.length), "summary");
    summary.id = "details-summary";
    box.appendChild(summary);
    if (!found.cases.length) {
      box.appendChild(el("p", L.none));
      return;
    }
    var list = el("ol");
    list.id = "case-list";
    found.cases.forEach(function (i) {
      var k = panel.cases[i], li = el("li");
      li.setAttribute("data-iri", k.iri);
      li.appendChild(el("div", pick(k.l), "case"));
      if (panel.kinds && k.k >= 0 && panel.kinds[k.k]) li.appendChild(el("div", pick(panel.kinds[k.k]), "kind"));
      li.appendChild(el("div", k.iri, "iri"));
      li.appendChild(el("div", L.sources + ":", "sources-title"));
      var ul = el("ul", null, "sources");
      if (k.s.length) k.s.forEach(function (s) { ul.appendChild(sourceItem(s)); });
      else ul.appendChild(el("li", L.noSources));
      li.appendChild(ul);
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function select(sel) {
    state.selected = sel && members(sel) ? sel : null;
    showDetails();
    return state.selected !== null;
  }

  // a clicked mark -> what it stands for (the datum's fields are the spec's: e/year, id, i)
  function clicked(event, item) {
    if (!panel || !item || !item.datum) return;
    var d = item.datum;
    if (panel.kind === "timeline" && d.year !== undefined && d.e !== undefined) {
      var names = Object.keys(panel.events).filter(function (e) {
        return panel.events[e].indexOf(d.e) >= 0;
      });
      if (names.length) select({ type: "bar", event: names[0], year: d.year });
    } else if (panel.kind === "map") {
      if (typeof d.i === "number") select({ type: "place", i: d.i });
      else if (d.id !== undefined && own(panel.countries, String(d.id))) select({ type: "country", id: String(d.id) });
    }
  }

  function draw() {
    if (view) { view.finalize(); view = null; }
    var box = document.getElementById("chart");
    clear(box);
    var runtime = vega.parse(data.specs[state.lang], null, { ast: true });
    view = new vega.View(runtime, {
      expr: vega.expressionInterpreter,
      renderer: "svg",
      container: box,
      hover: true
    });
    if (panel) view.addEventListener("click", clicked);
    return view.runAsync();
  }

  function translate() {
    var L = UI[state.lang];
    document.documentElement.lang = state.lang;
    var title = pick(data.title);
    document.title = title;
    document.getElementById("title").textContent = title;
    document.getElementById("langs").setAttribute("aria-label", L.lang);
    document.getElementById("chart").setAttribute("aria-label", title);
    ["id", "en"].forEach(function (l) {
      document.getElementById("lang-" + l).setAttribute("aria-pressed", String(l === state.lang));
    });
    var notes = document.getElementById("notes");
    clear(notes);
    (data.notes[state.lang] || []).forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      notes.appendChild(li);
    });
    showDetails();
  }

  function setLang(lang) {
    state.lang = lang === "id" ? "id" : "en";
    translate();
    api.ready = draw().then(function () { return true; });
    return api.ready;
  }

  ["id", "en"].forEach(function (l) {
    document.getElementById("lang-" + l).addEventListener("click", function () { setLang(l); });
  });
  if (panel) {
    document.body.classList.add("with-panel");
    document.getElementById("details").hidden = false;
  }
  translate();
  var api = {
    data: data,
    ready: null,
    setLang: setLang,
    select: select,
    view: function () { return view; },
    state: function () { return { lang: state.lang, selected: state.selected }; }
  };
  window.kemitraanView = api;
  api.ready = draw().then(function () {
    document.documentElement.setAttribute("data-ready", "1");
    return true;
  });
})();
