/* kemitraan-graph overview page: builds the introduction, counts and view links from the JSON
 * data block (id "overview-data") with createElement and textContent. Links are relative file names. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("overview-data").textContent);
  var UI = {
    en: { counts: "The graph in numbers", views: "Views", cases: "Partnerships", actors: "Actors",
          triples: "Triples", lang: "Language" },
    id: { counts: "Graf dalam angka", views: "Tampilan", cases: "Kemitraan", actors: "Aktor",
          triples: "Tripel", lang: "Bahasa" }
  };
  var state = { lang: data.lang === "id" ? "id" : "en" };

  function pick(pair) { return (pair && (state.lang === "id" ? pair[0] || pair[1] : pair[1] || pair[0])) || ""; }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function row(label, n, cls) {
    var tr = el("tr", null, cls);
    var th = el("th", label);
    th.scope = "row";
    tr.appendChild(th);
    tr.appendChild(el("td", n, "n"));
    return tr;
  }

  function draw() {
    var L = UI[state.lang];
    document.documentElement.lang = state.lang;
    var title = pick(data.title);
    document.title = title;
    document.getElementById("title").textContent = title;
    document.getElementById("langs").setAttribute("aria-label", L.lang);
    ["id", "en"].forEach(function (l) {
      document.getElementById("lang-" + l).setAttribute("aria-pressed", String(l === state.lang));
    });
    var intro = document.getElementById("intro");
    clear(intro);
    (data.intro[state.lang === "id" ? 0 : 1] || []).forEach(function (p) { intro.appendChild(el("p", p)); });
    document.getElementById("counts-title").textContent = L.counts;
    var table = document.getElementById("counts");
    clear(table);
    table.appendChild(row(L.cases, data.counts.cases, "total"));
    data.kinds.forEach(function (k) { table.appendChild(row(pick(k.l), k.n, "kind")); });
    table.appendChild(row(L.actors, data.counts.actors, "total"));
    table.appendChild(row(L.triples, data.counts.triples, "total"));
    document.getElementById("views-title").textContent = L.views;
    var list = document.getElementById("views");
    clear(list);
    data.links.forEach(function (x) {
      var li = el("li");
      var a = el("a", pick(x.t));
      a.setAttribute("href", "./" + encodeURIComponent(x.file));
      li.appendChild(a);
      li.appendChild(el("div", pick(x.a), "about"));
      list.appendChild(li);
    });
  }

  function setLang(lang) { state.lang = lang === "id" ? "id" : "en"; draw(); }
  ["id", "en"].forEach(function (l) {
    document.getElementById("lang-" + l).addEventListener("click", function () { setLang(l); });
  });
  draw();
  window.kemitraanView = { data: data, ready: Promise.resolve(true), setLang: setLang,
    state: function () { return { lang: state.lang }; } };
})();
