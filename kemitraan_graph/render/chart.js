/* kemitraan-graph chart page (timeline, map, query charts).
 * Reads a Vega spec per language from the JSON data block (id "chart-data") and draws it with Vega's
 * SVG renderer (labels become text nodes). Vega parses the spec with ast: true and evaluates its
 * expressions with vega-interpreter, so no code is generated at run time (the CSP forbids eval).
 * The notes are set with textContent. No request leaves the page.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var UI = { en: { lang: "Language", chart: "Chart" }, id: { lang: "Bahasa", chart: "Grafik" } };
  var state = { lang: data.lang === "id" ? "id" : "en" };
  var view = null;

  function pick(pair) { return (pair && (state.lang === "id" ? pair[0] || pair[1] : pair[1] || pair[0])) || ""; }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

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
  translate();
  var api = {
    data: data,
    ready: null,
    setLang: setLang,
    view: function () { return view; },
    state: function () { return { lang: state.lang }; }
  };
  window.kemitraanView = api;
  api.ready = draw().then(function () {
    document.documentElement.setAttribute("data-ready", "1");
    return true;
  });
})();
