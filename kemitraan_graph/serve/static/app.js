// The query page: every value from the server is drawn with textContent, never parsed as HTML.
// The editor is CodeMirror 5 (static/vendor/); without it the plain textarea still works.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let lang = (navigator.language || "en").toLowerCase().startsWith("id") ? "id" : "en";
  let library = [];
  let prefixes = {};
  let editor = null;
  let last = null; // {data, text, kind} of the last answer
  let ready;
  const readyPromise = new Promise((resolve) => { ready = resolve; });

  function getText() { return editor ? editor.getValue() : $("query").value; }
  function setText(text) { if (editor) editor.setValue(text); else $("query").value = text; }
  function setReadOnly(flag) {
    if (editor) editor.setOption("readOnly", flag);
    $("query").disabled = flag;
  }

  function setStatus(text, isError) {
    const s = $("status");
    s.textContent = text;
    s.className = isError ? "error" : "";
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function cell(tag, text, cls) {
    const el = document.createElement(tag);
    el.textContent = text;
    if (cls) el.className = cls;
    return el;
  }

  // --- prefixes: completion and CURIEs ------------------------------------------------------
  function curie(iri) {
    let best = null;
    Object.keys(prefixes).forEach((p) => {
      const ns = prefixes[p];
      if (iri.startsWith(ns) && (!best || ns.length > prefixes[best].length)) best = p;
    });
    return best === null ? iri : best + ":" + iri.slice(prefixes[best].length);
  }

  function prefixHint(cm) {
    const cur = cm.getCursor(), line = cm.getLine(cur.line);
    let start = cur.ch;
    while (start > 0 && /[\w\-]/.test(line.charAt(start - 1))) start--;
    const word = line.slice(start, cur.ch), before = line.slice(0, start);
    if (/[?$<":#]$/.test(before)) return null; // a variable, an IRI, a string, a local name
    const declaring = /PREFIX\s+$/i.test(before);
    const list = Object.keys(prefixes).filter((p) => p.startsWith(word)).sort().map((p) => ({
      text: declaring ? p + ": <" + prefixes[p] + ">" : p + ":",
      displayText: p + ":  <" + prefixes[p] + ">",
    }));
    return list.length ? { list: list, from: CodeMirror.Pos(cur.line, start), to: cur } : null;
  }

  function setupEditor() {
    if (typeof window.CodeMirror !== "function") return;
    editor = CodeMirror.fromTextArea($("query"), {
      mode: "application/sparql-query", lineNumbers: true, indentUnit: 2,
      extraKeys: { "Ctrl-Space": (cm) => cm.showHint({ hint: prefixHint, completeSingle: false }) },
    });
    editor.on("inputRead", (cm, change) => {
      if (cm.state.completionActive || cm.getOption("readOnly")) return;
      if (change.origin === "+input" && /^[A-Za-z]$/.test(change.text.join(""))) {
        const tok = cm.getTokenAt(cm.getCursor());
        if (!/string|comment|variable/.test(tok.type || "")) {
          cm.showHint({ hint: prefixHint, completeSingle: false });
        }
      }
    });
  }

  // --- results ----------------------------------------------------------------------------
  function safeHref(href) {
    return typeof href === "string" && (/^\/(?!\/)/.test(href) || /^https?:\/\//i.test(href)) ? href : null;
  }

  function termCell(t, labels) {
    const td = document.createElement("td");
    if (!t) return td;
    if (t.type === "uri") {
      const info = labels[t.value] || {};
      const text = info.label || curie(t.value);
      const href = safeHref(info.href);
      const el = href ? document.createElement("a") : document.createElement("span");
      el.textContent = text;
      el.title = t.value;
      if (href) el.href = href;
      td.className = info.label ? "uri labelled" : "uri";
      td.appendChild(el);
    } else if (t.type === "bnode") {
      td.textContent = "_:" + t.value;
    } else {
      td.textContent = t.value + (t["xml:lang"] ? " @" + t["xml:lang"] : "");
    }
    return td;
  }

  async function fetchLabels(data) {
    const iris = new Set();
    ((data.results || {}).bindings || []).forEach((b) => {
      Object.keys(b).forEach((v) => { if (b[v].type === "uri") iris.add(b[v].value); });
    });
    if (!iris.size) return {};
    try {
      const resp = await fetch("/labels?lang=" + lang, {
        method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(Array.from(iris).slice(0, 5000)),
      });
      return resp.ok ? await resp.json() : {};
    } catch (err) {
      return {};
    }
  }

  function draw(data, labels) {
    const head = $("results").tHead, body = $("results").tBodies[0];
    clear(head); clear(body);
    $("graph-result").hidden = true;
    if (typeof data.boolean === "boolean") {
      const tr = document.createElement("tr");
      tr.appendChild(cell("th", "boolean"));
      head.appendChild(tr);
      const row = document.createElement("tr");
      row.appendChild(cell("td", String(data.boolean)));
      body.appendChild(row);
      return 1;
    }
    const vars = data.head.vars || [];
    const tr = document.createElement("tr");
    vars.forEach((v) => tr.appendChild(cell("th", v)));
    head.appendChild(tr);
    data.results.bindings.forEach((b) => {
      const row = document.createElement("tr");
      vars.forEach((v) => row.appendChild(termCell(b[v], labels)));
      body.appendChild(row);
    });
    return data.results.bindings.length;
  }

  function drawGraph(text) {
    clear($("results").tHead); clear($("results").tBodies[0]);
    const pre = $("graph-result");
    pre.textContent = text;
    pre.hidden = false;
  }

  // --- downloads --------------------------------------------------------------------------
  function csvField(s) {
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function toCsv(data) {
    if (typeof data.boolean === "boolean") return "boolean\r\n" + String(data.boolean) + "\r\n";
    const vars = data.head.vars || [];
    const lines = [vars.map(csvField).join(",")];
    data.results.bindings.forEach((b) => {
      lines.push(vars.map((v) => csvField(b[v] ? b[v].value : "")).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type: type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30000);
  }

  // --- share and network links --------------------------------------------------------------
  function currentParams() {
    const params = new URLSearchParams();
    $("params").querySelectorAll("input").forEach((i) => { if (i.value !== "") params.set(i.name, i.value); });
    return params;
  }

  function shareSearch() {
    const name = $("library").value;
    const s = name ? currentParams() : new URLSearchParams();
    if (name) s.set("name", name); else s.set("query", getText());
    s.set("lang", lang);
    return s;
  }

  function updateLinks(drawable) {
    const share = shareSearch();
    const a = $("share");
    a.href = "/?" + share.toString();
    a.title = location.origin + a.getAttribute("href");
    const v = $("view-network");
    v.href = "/view?" + share.toString();
    v.hidden = !drawable;
    $("actions").hidden = false;
    const isTable = last && last.kind !== "graph";
    $("download-csv").disabled = !isTable;
    $("download-json").disabled = !isTable;
  }

  // --- running ----------------------------------------------------------------------------
  async function run(url, init) {
    setStatus("running…", false);
    const started = performance.now();
    try {
      const resp = await fetch(url, init);
      const text = await resp.text();
      if (!resp.ok) { setStatus(resp.status + ": " + text, true); return; }
      const type = (resp.headers.get("Content-Type") || "").split(";")[0].trim();
      let n, drawable;
      if (type === "application/sparql-results+json") {
        const data = JSON.parse(text);
        const labels = await fetchLabels(data);
        last = { data: data, text: text, kind: "table" };
        n = draw(data, labels);
        const vars = (data.head && data.head.vars) || [];
        const picked = library.find((x) => x.name === $("library").value);
        drawable = (vars.indexOf("source") >= 0 && vars.indexOf("target") >= 0) || Boolean(picked && picked.view === "graph");
      } else {
        last = { data: null, text: text, kind: "graph" };
        drawGraph(text);
        n = text.split("\n").filter((l) => l.trim() && !/^\s*@?prefix/i.test(l)).length;
        drawable = true;
      }
      updateLinks(drawable);
      const cut = resp.headers.get("X-Kemitraan-Truncated") === "true" ? " (cut at the server's row limit)" : "";
      setStatus(n + (last.kind === "graph" ? " line(s)" : " row(s)") + " in "
                + Math.round(performance.now() - started) + " ms" + cut, false);
    } catch (err) {
      setStatus(String(err), true);
    }
  }

  function runQuery() {
    const accept = { Accept: "application/sparql-results+json, text/turtle;q=0.9" };
    const name = $("library").value;
    if (name) {
      return run("/queries/" + encodeURIComponent(name) + "?" + currentParams().toString(), { headers: accept });
    }
    return run("/sparql", {
      method: "POST",
      headers: Object.assign({ "Content-Type": "application/sparql-query" }, accept),
      body: getText(),
    });
  }

  // --- the library ------------------------------------------------------------------------
  function pick(given) {
    const q = library.find((x) => x.name === $("library").value);
    const box = $("params");
    clear(box);
    $("library-description").textContent = q ? q.description[lang] || "" : "";
    setReadOnly(Boolean(q));
    if (!q) return;
    if (q.text) setText(q.text);
    q.params.forEach((p) => {
      const div = document.createElement("div");
      const label = cell("label", p.name + " (" + p.type + ")");
      const input = document.createElement("input");
      input.name = p.name;
      input.id = "param-" + p.name;
      input.value = given && given.has(p.name) ? given.get(p.name) : p.default || "";
      label.htmlFor = input.id;
      div.appendChild(label); div.appendChild(input);
      box.appendChild(div);
    });
  }

  function fillLibrary() {
    const sel = $("library"), chosen = sel.value;
    while (sel.options.length > 1) sel.remove(1);
    library.forEach((q) => {
      const opt = document.createElement("option");
      opt.value = q.name;
      opt.textContent = q.title[lang] || q.name;
      sel.appendChild(opt);
    });
    sel.value = chosen;
  }

  async function getJson(url, fallback) {
    try {
      const resp = await fetch(url, { headers: { Accept: "application/json" } });
      return resp.ok ? await resp.json() : fallback;
    } catch (err) {
      return fallback;
    }
  }

  async function start() {
    setupEditor();
    const search = new URLSearchParams(location.search);
    if (search.get("lang") === "id" || search.get("lang") === "en") lang = search.get("lang");
    $("lang").value = lang;
    document.documentElement.lang = lang;
    [library, prefixes] = await Promise.all([getJson("/queries", []), getJson("/prefixes", {})]);
    fillLibrary();
    $("run").addEventListener("click", runQuery);
    $("library").addEventListener("change", () => pick(null));
    $("lang").addEventListener("change", () => {
      lang = $("lang").value;
      document.documentElement.lang = lang;
      fillLibrary();
      const desc = library.find((x) => x.name === $("library").value);
      $("library-description").textContent = desc ? desc.description[lang] || "" : "";
    });
    $("download-csv").addEventListener("click", () => {
      if (last && last.data) download("results.csv", "text/csv;charset=utf-8", toCsv(last.data));
    });
    $("download-json").addEventListener("click", () => {
      if (last && last.data) download("results.json", "application/sparql-results+json", last.text);
    });
    let pending = null;
    const name = search.get("name");
    if (name && library.some((q) => q.name === name)) {
      $("library").value = name;
      pick(search);
      pending = runQuery();
    } else if (search.has("query")) {
      setText(search.get("query"));
      pending = runQuery();
    }
    if (pending) await pending;
    ready(true);
  }

  window.kemitraanQuery = { ready: readyPromise, getText: getText, run: runQuery };
  document.addEventListener("DOMContentLoaded", start);
})();
