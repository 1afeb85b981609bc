// A resource page (/id/..., /ontology): the data comes as JSON and is drawn with textContent only.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("resource-data").textContent);
  const root = document.getElementById("resource");
  const L = data.lang === "id"
    ? {types: "Jenis", statements: "Pernyataan", incoming: "Tautan masuk", cases: "Kemitraan yang diikuti",
       sources: "Sumber", terms: "Istilah", role: "peran", as: "Unduh sebagai", none: "(tidak ada)"}
    : {types: "Types", statements: "Statements", incoming: "Incoming links", cases: "Partnerships it takes part in",
       sources: "Sources", terms: "Terms", role: "role", as: "Download as", none: "(none)"};

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function safeHref(href) {
    return typeof href === "string" && (href.startsWith("/") || href.startsWith("https://") ||
      href.startsWith("http://") || href.startsWith("?")) ? href : "";
  }
  function term(t) {
    if (!t) return el("span", "");
    if (t.kind === "iri") {
      const href = safeHref(t.href);
      const a = el(href ? "a" : "span", t.label, "iri");
      if (href) a.href = href;
      a.title = t.iri;
      return a;
    }
    const span = el("span", t.label, t.kind);
    if (t.lang) span.appendChild(el("sup", "@" + t.lang, "tag"));
    if (t.datatype) span.appendChild(el("sup", "^^" + t.datatype, "tag"));
    return span;
  }
  function section(title, items, draw) {
    const s = el("section");
    s.appendChild(el("h2", title));
    if (!items.length) { s.appendChild(el("p", L.none, "none")); return s; }
    const ul = el("ul");
    items.forEach(function (item) { const li = el("li"); draw(li, item); ul.appendChild(li); });
    s.appendChild(ul);
    return s;
  }
  function statements(list) {
    const table = el("table", null, "statements");
    list.forEach(function (st) {
      const tr = el("tr");
      const th = el("th"); th.appendChild(term(st.p)); tr.appendChild(th);
      const td = el("td"); td.appendChild(term(st.o));
      if (st.parts && st.parts.length) td.appendChild(statements(st.parts));
      tr.appendChild(td);
      table.appendChild(tr);
    });
    return table;
  }
  function head(d, level) {
    const box = el("header");
    box.appendChild(el(level, d.label));
    const other = Object.keys(d.labels).filter(function (k) { return k !== d.lang && d.labels[k] && d.labels[k] !== d.label; });
    other.forEach(function (k) { const p = el("p", d.labels[k], "other-label"); p.appendChild(el("sup", "@" + k, "tag")); box.appendChild(p); });
    const iri = el("p", d.iri, "iri-text"); box.appendChild(iri);
    d.definitions.forEach(function (text) { box.appendChild(el("p", text, "definition")); });
    if (d.types.length) {
      const p = el("p", L.types + ": ", "types");
      d.types.forEach(function (t, i) { if (i) p.appendChild(document.createTextNode(", ")); p.appendChild(term(t)); });
      box.appendChild(p);
    }
    return box;
  }

  document.title = data.label + " · Kemitraan Graph";
  const nav = el("nav");
  data.langs.forEach(function (l) {
    const a = el(l.current ? "strong" : "a", l.code.toUpperCase());
    if (!l.current) a.href = safeHref(l.href);
    nav.appendChild(a); nav.appendChild(document.createTextNode(" "));
  });
  nav.appendChild(document.createTextNode("· " + L.as + ": "));
  data.formats.forEach(function (f) { const a = el("a", f.name); a.href = safeHref(f.href); nav.appendChild(a); nav.appendChild(document.createTextNode(" ")); });
  root.appendChild(nav);
  root.appendChild(head(data, "h1"));
  const st = el("section"); st.appendChild(el("h2", L.statements)); st.appendChild(statements(data.statements)); root.appendChild(st);
  if (data.terms) {
    const ts = el("section"); ts.appendChild(el("h2", L.terms));
    data.terms.forEach(function (t) {
      const art = el("article"); art.id = t.anchor;
      art.appendChild(head(t, "h3"));
      art.appendChild(statements(t.statements));
      ts.appendChild(art);
    });
    root.appendChild(ts);
    if (location.hash) { const target = document.getElementById(decodeURIComponent(location.hash.slice(1))); if (target) target.scrollIntoView(); }
  }
  if (data.cases) root.appendChild(section(L.cases, data.cases, function (li, c) {
    li.appendChild(term(c.case));
    if (c.role) { li.appendChild(document.createTextNode(" — " + L.role + ": ")); li.appendChild(term(c.role)); }
  }));
  if (data.sources) root.appendChild(section(L.sources, data.sources, function (li, s) { li.appendChild(term(s)); }));
  if (data.incoming) root.appendChild(section(L.incoming, data.incoming, function (li, i) {
    li.appendChild(term(i.s)); li.appendChild(document.createTextNode(" ")); li.appendChild(term(i.p));
  }));
})();
