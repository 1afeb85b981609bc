// The query page: every value from the server is drawn with textContent, never parsed as HTML.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const lang = (navigator.language || "en").toLowerCase().startsWith("id") ? "id" : "en";
  let library = [];

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

  function draw(data) {
    const head = $("results").tHead, body = $("results").tBodies[0];
    clear(head); clear(body);
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
      vars.forEach((v) => {
        const t = b[v];
        row.appendChild(cell("td", t ? t.value + (t["xml:lang"] ? " @" + t["xml:lang"] : "") : "",
                             t && t.type === "uri" ? "uri" : ""));
      });
      body.appendChild(row);
    });
    return data.results.bindings.length;
  }

  async function run(url, init) {
    setStatus("running…", false);
    const started = performance.now();
    try {
      const resp = await fetch(url, init);
      const text = await resp.text();
      if (!resp.ok) { setStatus(resp.status + ": " + text, true); return; }
      const n = draw(JSON.parse(text));
      const cut = resp.headers.get("X-Kemitraan-Truncated") === "true" ? " (cut at the server's row limit)" : "";
      setStatus(n + " row(s) in " + Math.round(performance.now() - started) + " ms" + cut, false);
    } catch (err) {
      setStatus(String(err), true);
    }
  }

  function runQuery() {
    const accept = { Accept: "application/sparql-results+json" };
    const name = $("library").value;
    if (name) {
      const params = new URLSearchParams();
      $("params").querySelectorAll("input").forEach((i) => { if (i.value !== "") params.set(i.name, i.value); });
      run("/queries/" + encodeURIComponent(name) + "?" + params.toString(), { headers: accept });
    } else {
      run("/sparql", {
        method: "POST",
        headers: Object.assign({ "Content-Type": "application/sparql-query" }, accept),
        body: $("query").value,
      });
    }
  }

  function pick() {
    const q = library.find((x) => x.name === $("library").value);
    const box = $("params");
    clear(box);
    $("library-description").textContent = q ? q.description[lang] || "" : "";
    $("query").disabled = Boolean(q);
    if (!q) return;
    q.params.forEach((p) => {
      const div = document.createElement("div");
      const label = cell("label", p.name + " (" + p.type + ")");
      const input = document.createElement("input");
      input.name = p.name;
      input.id = "param-" + p.name;
      input.value = p.default || "";
      label.htmlFor = input.id;
      div.appendChild(label); div.appendChild(input);
      box.appendChild(div);
    });
  }

  async function loadLibrary() {
    try {
      const resp = await fetch("/queries", { headers: { Accept: "application/json" } });
      library = await resp.json();
    } catch (err) {
      library = [];
    }
    const sel = $("library");
    library.forEach((q) => {
      const opt = document.createElement("option");
      opt.value = q.name;
      opt.textContent = q.title[lang] || q.name;
      sel.appendChild(opt);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("run").addEventListener("click", runQuery);
    $("library").addEventListener("change", pick);
    loadLibrary();
  });
})();
