"use strict";
(function () {
  var data = JSON.parse(document.getElementById("docs-data").textContent);
  var lang = data.lang;
  var W = data.words;
  function t(pair) { if (!pair) return ""; return (lang === "id" ? pair[0] || pair[1] : pair[1] || pair[0]) || ""; }
  function w(key) { return t(W[key]); }
  function el(tag, text, cls) { var e = document.createElement(tag); if (text) e.textContent = text; if (cls) e.className = cls; return e; }
  function link(anchor, text) { var a = el("a", text); a.href = "#" + anchor; return a; }
  function termLinks(list) {
    var span = el("span");
    list.forEach(function (iri, i) {
      var term = data.index[iri];
      if (i) span.appendChild(document.createTextNode(", "));
      var a = term ? link(term.anchor, t(term.label) || term.curie) : el("span", iri, "iri");
      if (term && term.external) a.href = term.iri;  // a case: its own IRI
      span.appendChild(a);
    });
    return span;
  }
  function row(dl, key, content) {
    if (!content || (content.childNodes && !content.childNodes.length && !content.textContent)) return;
    dl.appendChild(el("dt", w(key)));
    var dd = el("dd");
    if (typeof content === "string") dd.textContent = content; else dd.appendChild(content);
    dl.appendChild(dd);
  }
  function draw() {
    document.documentElement.lang = lang;
    document.title = t(data.title);
    document.getElementById("title").textContent = t(data.title);
    ["id", "en"].forEach(function (l) { document.getElementById("lang-" + l).setAttribute("aria-pressed", String(l === lang)); });
    var toc = document.getElementById("toc"); toc.textContent = "";
    var main = document.getElementById("main"); main.textContent = "";
    data.sections.forEach(function (sec) {
      toc.appendChild(link("section-" + sec.key, w(sec.key) + " (" + sec.terms.length + ")"));
      var h = el("h2", w(sec.key)); h.id = "section-" + sec.key; main.appendChild(h);
      sec.terms.forEach(function (iri) {
        var term = data.index[iri];
        var s = el("section", null, "term"); s.id = term.anchor;
        s.appendChild(el("h3", t(term.label) || term.curie));
        s.appendChild(el("div", term.iri, "iri"));
        var dl = el("dl");
        row(dl, "definition", t(term.definition));
        var other = lang === "id" ? term.label[1] : term.label[0];
        if (other && other !== t(term.label)) row(dl, "otherLabel", other);
        if (term.parents.length) row(dl, "parents", termLinks(term.parents));
        if (term.children.length) row(dl, "children", termLinks(term.children));
        if (term.domain.length) row(dl, "domain", termLinks(term.domain));
        if (term.range.length) row(dl, "range", termLinks(term.range));
        if (term.scheme.length) row(dl, "scheme", termLinks(term.scheme));
        if (term.shapes.length) row(dl, "shapes", term.shapes.join(", "));
        row(dl, "uses", String(term.uses));
        if (term.examples.length) row(dl, "examples", termLinks(term.examples));
        s.appendChild(dl);
        main.appendChild(s);
      });
    });
    toc.appendChild(link("section-questions", w("questions") + " (" + data.queries.length + ")"));
    var hq = el("h2", w("questions")); hq.id = "section-questions"; main.appendChild(hq);
    data.queries.forEach(function (q) {
      var s = el("section", null, "term"); s.id = "query-" + q.name;
      s.appendChild(el("h3", t(q.title) || q.name));
      s.appendChild(el("p", t(q.description)));
      s.appendChild(el("pre", q.text));
      main.appendChild(s);
    });
    if (location.hash) { var target = document.getElementById(decodeURIComponent(location.hash.slice(1))); if (target) target.scrollIntoView(); }
  }
  ["id", "en"].forEach(function (l) {
    document.getElementById("lang-" + l).addEventListener("click", function () { lang = l; draw(); });
  });
  draw();
  window.kemitraanView = { ready: Promise.resolve(true), setLang: function (l) { lang = l; draw(); } };
})();
