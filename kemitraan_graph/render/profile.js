/* kemitraan-graph partnership profile page.
 * Reads the profile from the JSON data block (id "profile-data") and builds the heatmap table and
 * the case list with createElement and textContent: no data is ever parsed as HTML. No request
 * leaves the page; sources become links only for http(s) and are followed only when clicked.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("profile-data").textContent);
  var UI = {
    en: {
      cases: "Cases", benefit: "Benefits claimed", characteristic: "Characteristics evidenced",
      hint: "Click a cell to list its cases and their sources.",
      intro: function (n) {
        return "Each cell: the share of the row's partnerships that claim the benefit or evidence the " +
          "characteristic (on the partnership or one of its agreements); hover for the counts. " + n +
          " partnerships in all.";
      },
      scale: "Share of the row's cases: 0% to 100%",
      cell: function (k, n, pct) { return k + " of " + n + " cases (" + pct + ")"; },
      sources: "Sources", noSources: "no source given", none: "No case in this cell.",
      empty: "No partnership to profile.", lang: "Language"
    },
    id: {
      cases: "Kasus", benefit: "Manfaat yang diklaim", characteristic: "Karakteristik yang dibuktikan",
      hint: "Klik sel untuk melihat daftar kasus dan sumbernya.",
      intro: function (n) {
        return "Setiap sel: persentase kemitraan pada baris itu yang mengklaim manfaat atau membuktikan " +
          "karakteristik (pada kemitraan atau salah satu perjanjiannya); arahkan penunjuk untuk melihat " +
          "jumlahnya. Seluruhnya " + n + " kemitraan.";
      },
      scale: "Persentase kasus pada baris: 0% sampai 100%",
      cell: function (k, n, pct) { return k + " dari " + n + " kasus (" + pct + ")"; },
      sources: "Sumber", noSources: "tidak ada sumber", none: "Tidak ada kasus di sel ini.",
      empty: "Tidak ada kemitraan untuk diprofilkan.", lang: "Bahasa"
    }
  };
  var state = { lang: data.lang === "id" ? "id" : "en", selected: null };
  var cellEls = [];

  function t() { return UI[state.lang]; }
  function pick(pair) { return (pair && (state.lang === "id" ? pair[0] || pair[1] : pair[1] || pair[0])) || ""; }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function safeHref(value) {
    try {
      var url = new URL(String(value));
      if (url.protocol === "http:" || url.protocol === "https:") return url.href;
    } catch (err) { /* not a URL */ }
    return null;
  }
  function percent(share) {
    var p = share * 100;
    return (p === 0 || p === 100 || p >= 10 ? Math.round(p) : Math.round(p * 10) / 10) + "%";
  }
  // white -> dark blue; text turns white on the darker half
  var LOW = [247, 251, 255], HIGH = [8, 69, 148];
  function shade(share) {
    var c = LOW.map(function (lo, i) { return Math.round(lo + (HIGH[i] - lo) * share); });
    return "rgb(" + c.join(",") + ")";
  }
  function share(r, c) {
    var n = data.rows[r].n;
    return n ? data.cells[r][c].length / n : 0;
  }

  // --- the table (built once; words are filled in by translate()) ------------------------
  function build() {
    var table = document.getElementById("heatmap");
    clear(table);
    var head = el("thead"), top = el("tr"), sub = el("tr");
    var byHead = el("th", null, "by");
    byHead.id = "by-head";
    byHead.rowSpan = 2;
    byHead.scope = "col";
    var nHead = el("th", null, "n");
    nHead.id = "n-head";
    nHead.rowSpan = 2;
    nHead.scope = "col";
    top.appendChild(byHead);
    top.appendChild(nHead);
    var groups = [];
    data.columns.forEach(function (col) {
      var last = groups[groups.length - 1];
      if (last && last.g === col.g) last.span += 1;
      else groups.push({ g: col.g, span: 1 });
    });
    groups.forEach(function (g) {
      var th = el("th", null, "group");
      th.colSpan = g.span;
      th.scope = "colgroup";
      th.setAttribute("data-group", g.g);
      top.appendChild(th);
    });
    data.columns.forEach(function (col, c) {
      var th = el("th", null, "col");
      th.scope = "col";
      th.setAttribute("data-col", String(c));
      sub.appendChild(th);
    });
    head.appendChild(top);
    head.appendChild(sub);
    table.appendChild(head);

    var body = el("tbody");
    cellEls = [];
    data.rows.forEach(function (row, r) {
      var tr = el("tr");
      var th = el("th");
      th.scope = "row";
      th.setAttribute("data-row", String(r));
      tr.appendChild(th);
      tr.appendChild(el("td", row.n, "n"));
      var line = [];
      data.columns.forEach(function (col, c) {
        var s = share(r, c), k = data.cells[r][c].length;
        var td = el("td", row.n ? percent(s) : "\u2013", "cell" + (k ? "" : " empty"));
        td.setAttribute("data-row", String(r));
        td.setAttribute("data-col", String(c));
        td.setAttribute("data-count", String(k));
        td.tabIndex = 0;
        td.setAttribute("role", "button");
        td.style.backgroundColor = shade(s);
        td.style.color = s > 0.55 ? "#fff" : "#222";
        td.addEventListener("click", function () { select(r, c); });
        td.addEventListener("keydown", function (ev) {
          if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); select(r, c); }
        });
        line.push(td);
        tr.appendChild(td);
      });
      cellEls.push(line);
      body.appendChild(tr);
    });
    table.appendChild(body);
    document.getElementById("scale-bar").style.background =
      "linear-gradient(to right, " + shade(0) + ", " + shade(1) + ")";
  }

  function translate() {
    var L = t();
    document.documentElement.lang = state.lang;
    var title = pick(data.title);
    document.title = title;
    document.getElementById("title").textContent = title;
    document.getElementById("intro").textContent = data.rows.length ? L.intro(data.total) : L.empty;
    document.getElementById("scale-label").textContent = L.scale;
    document.getElementById("langs").setAttribute("aria-label", L.lang);
    ["id", "en"].forEach(function (l) {
      document.getElementById("lang-" + l).setAttribute("aria-pressed", String(l === state.lang));
    });
    var byHead = document.getElementById("by-head");
    byHead.textContent = pick(data.byLabel);
    document.getElementById("n-head").textContent = L.cases;
    Array.prototype.forEach.call(document.querySelectorAll("#heatmap th.group"), function (th) {
      th.textContent = L[th.getAttribute("data-group")] || th.getAttribute("data-group");
    });
    Array.prototype.forEach.call(document.querySelectorAll("#heatmap th.col"), function (th) {
      th.textContent = pick(data.columns[Number(th.getAttribute("data-col"))].l);
    });
    Array.prototype.forEach.call(document.querySelectorAll("#heatmap tbody th"), function (th) {
      th.textContent = pick(data.rows[Number(th.getAttribute("data-row"))].l);
    });
    cellEls.forEach(function (line, r) {
      line.forEach(function (td, c) {
        var row = data.rows[r], k = data.cells[r][c].length;
        td.title = pick(row.l) + " \u00d7 " + pick(data.columns[c].l) + ": " + L.cell(k, row.n, percent(share(r, c)));
      });
    });
    showDetails();
  }

  function select(r, c) {
    if (state.selected) {
      var old = cellEls[state.selected[0]][state.selected[1]];
      old.classList.remove("selected");
      old.removeAttribute("aria-pressed");
    }
    state.selected = [r, c];
    cellEls[r][c].classList.add("selected");
    cellEls[r][c].setAttribute("aria-pressed", "true");
    showDetails();
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
    var box = document.getElementById("details"), L = t();
    clear(box);
    if (!state.selected) {
      var hint = el("p", L.hint);
      hint.id = "details-hint";
      box.appendChild(hint);
      return;
    }
    var r = state.selected[0], c = state.selected[1];
    var row = data.rows[r], col = data.columns[c], members = data.cells[r][c];
    var h = el("h2", pick(col.l) + " \u00d7 " + pick(row.l));
    h.id = "details-title";
    box.appendChild(h);
    var summary = el("p", L.cell(members.length, row.n, percent(share(r, c))), "summary");
    summary.id = "details-summary";
    box.appendChild(summary);
    if (!members.length) {
      box.appendChild(el("p", L.none));
      return;
    }
    var list = el("ol");
    list.id = "case-list";
    members.forEach(function (i) {
      var k = data.cases[i], li = el("li");
      li.setAttribute("data-iri", k.iri);
      li.appendChild(el("div", pick(k.l), "case"));
      li.appendChild(el("div", k.iri, "iri"));
      var src = el("div", L.sources + ":", "sources-title");
      li.appendChild(src);
      var ul = el("ul", null, "sources");
      if (k.s.length) k.s.forEach(function (s) { ul.appendChild(sourceItem(s)); });
      else ul.appendChild(el("li", L.noSources));
      li.appendChild(ul);
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function setLang(lang) {
    state.lang = lang === "id" ? "id" : "en";
    translate();
  }

  ["id", "en"].forEach(function (l) {
    document.getElementById("lang-" + l).addEventListener("click", function () { setLang(l); });
  });
  build();
  translate();
  document.documentElement.setAttribute("data-ready", "1");

  window.kemitraanView = {
    data: data,
    ready: Promise.resolve(true),
    select: select,
    setLang: setLang,
    state: function () { return { lang: state.lang, selected: state.selected }; }
  };
})();
