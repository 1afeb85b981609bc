/* kemitraan-graph network page.
 * Reads the graph from the JSON data block (id "graph-data"), draws it with
 * vis-network and builds every other piece of DOM with createElement and textContent: no data
 * is ever parsed as HTML. No request leaves the page. Node labels are not vis-network's: the page
 * places them itself on the canvas (drawLabels), most important first and none overlapping, and
 * exposes the boxes it drew (kemitraanView.labels()) and its word table (kemitraanView.words).
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var SVG_NS = "http://www.w3.org/2000/svg";
  var FACETS = ["type", "sector", "country", "kind"];
  var UI = {
    en: {
      search: "Search labels\u2026", sizeBy: "Size by", fit: "Fit", physics: "Physics", legend: "Legend",
      degree: "Degree", betweenness: "Betweenness", eigenvector: "Eigenvector",
      facet: { type: "Partnership type", sector: "Sector", country: "Country", kind: "Kind" },
      clear: "Clear", hint: "Click a node or an edge to see its details.",
      status: function (n, nt, e, et) { return n + " of " + nt + " nodes, " + e + " of " + et + " edges shown"; },
      matches: function (m) { return m + (m === 1 ? " match" : " matches"); },
      kind: "Kind", group: "Group", type: "Partnership type", sectors: "Sectors", countries: "Countries",
      period: "Period", ongoing: "ongoing", unknown: "unknown", parties: "Parties and roles", sources: "Sources",
      benefits: "Benefits claimed", characteristics: "Characteristics evidenced", actorKind: "Actor kind",
      country: "Country", shortName: "Short name", partnerships: "Partnerships in this view",
      measures: "Measures", iri: "IRI", description: "Description", edge: "Edge", weight: "Weight",
      external: "Defined outside the ontology", filtersApplied: "Built with filters: ", lang: "Language",
      noRole: "(no role given)"
    },
    id: {
      search: "Cari label\u2026", sizeBy: "Ukuran menurut", fit: "Paskan", physics: "Fisika", legend: "Keterangan",
      degree: "Derajat", betweenness: "Keantaraan", eigenvector: "Vektor eigen",
      facet: { type: "Jenis kemitraan", sector: "Sektor", country: "Negara", kind: "Jenis" },
      clear: "Hapus", hint: "Klik simpul atau sisi untuk melihat rinciannya.",
      status: function (n, nt, e, et) { return n + " dari " + nt + " simpul, " + e + " dari " + et + " sisi ditampilkan"; },
      matches: function (m) { return m + " hasil"; },
      kind: "Jenis", group: "Kelompok", type: "Jenis kemitraan", sectors: "Sektor", countries: "Negara",
      period: "Periode", ongoing: "berlangsung", unknown: "tidak diketahui", parties: "Para pihak dan peran",
      sources: "Sumber", benefits: "Manfaat yang diklaim", characteristics: "Karakteristik yang dibuktikan",
      actorKind: "Jenis aktor", country: "Negara", shortName: "Nama singkat", partnerships: "Kemitraan dalam tampilan ini",
      measures: "Ukuran", iri: "IRI", description: "Deskripsi", edge: "Sisi", weight: "Bobot",
      external: "Didefinisikan di luar ontologi", filtersApplied: "Dibuat dengan filter: ", lang: "Bahasa",
      noRole: "(peran tidak disebutkan)"
    }
  };

  var state = { lang: data.lang === "id" ? "id" : "en", sizeBy: data.sizeBy, query: "", selected: null };
  var sel = {};
  FACETS.forEach(function (k) { sel[k] = new Set(); });
  var nodesArr = data.nodes;
  var N = nodesArr.length;
  var byIri = new Map();
  var adj = [];
  var searchText = [];
  for (var i = 0; i < N; i++) {
    adj.push([]);
    var n = nodesArr[i];
    if (n.iri) byIri.set(n.iri, i);
    var extra = n.d && n.d.short_name ? " " + n.d.short_name : "";
    searchText.push((n.l[0] + " \u0001 " + n.l[1] + extra + " \u0001 " + (n.iri ? localName(n.iri) : "")).toLowerCase());
  }
  // edges arrive flat: [from0, to0, from1, to1, ...]; labels and weights only when present
  var E = data.edges.length / 2;
  function edgeAt(i) {
    return { from: data.edges[2 * i], to: data.edges[2 * i + 1],
             label: data.edgeLabel ? data.edgeLabel[i] : -1, weight: data.edgeWeight ? data.edgeWeight[i] : 1 };
  }
  for (var ei = 0; ei < E; ei++) {
    var ea = data.edges[2 * ei], eb = data.edges[2 * ei + 1];
    adj[ea].push(eb);
    if (ea !== eb) adj[eb].push(ea);
  }
  var keyIndex = new Map();
  data.keys.forEach(function (k, i) { keyIndex.set(k, i); });
  var visible = new Uint8Array(N).fill(1);

  function li() { return state.lang === "id" ? 0 : 1; }
  function t() { return UI[state.lang]; }
  function localName(iri) {
    var s = String(iri).replace(/[#/:]+$/, "");
    var m = s.match(/[^#/:]+$/);
    return m ? m[0] : s;
  }
  // the label of a key (an index into data.keys, or the key text itself)
  function term(k) {
    var i = typeof k === "number" ? k : keyIndex.get(k);
    var v = i === undefined ? null : data.terms[i];
    if (v && (v[0] || v[1])) return v[li()] || v[1 - li()];
    var iri = typeof k === "number" ? data.keys[k] : k;
    if (byIri.has(iri)) return nodesArr[byIri.get(iri)].l[li()];
    return localName(iri);
  }
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
  function fmt(x) {
    if (typeof x !== "number") return String(x);
    return Number.isInteger(x) ? String(x) : x.toPrecision(3);
  }

  // --- vis-network data ----------------------------------------------------------------
  function darker(hex) {
    var v = parseInt(hex.slice(1), 16);
    var r = Math.round(((v >> 16) & 255) * 0.7), g = Math.round(((v >> 8) & 255) * 0.7), b = Math.round((v & 255) * 0.7);
    return "#" + ((1 << 24) + (r << 16) + (g << 8) + b).toString(16).slice(1);
  }
  var large = data.large;
  var visGroups = {};
  data.groups.forEach(function (g, gi) {
    visGroups["g" + gi] = {
      shape: g.shape,
      color: { background: g.color, border: darker(g.color),
               highlight: { background: g.color, border: "#111" }, hover: { background: g.color, border: "#111" } }
    };
  });
  if (data.measures.indexOf(state.sizeBy) < 0) state.sizeBy = data.measures[0];
  // node sizes are computed here (not with vis "value" scaling, which re-measures every label)
  // anchors of a designed layout (data.pinned) and the other nodes are scaled each on their own
  function rangeOf(anchors) {
    return data.measures.map(function (m, k) {
      var lo = Infinity, hi = -Infinity;
      nodesArr.forEach(function (n) {
        if (!!n.a !== anchors) return;
        if (n.m[k] < lo) lo = n.m[k];
        if (n.m[k] > hi) hi = n.m[k];
      });
      return [lo, hi];
    });
  }
  var sizeRange = data.pinned ? [rangeOf(false), rangeOf(true)] : null;
  if (!data.pinned) {
    var all = data.measures.map(function (m, k) {
      var lo = Infinity, hi = -Infinity;
      nodesArr.forEach(function (n) { if (n.m[k] < lo) lo = n.m[k]; if (n.m[k] > hi) hi = n.m[k]; });
      return [lo, hi];
    });
    sizeRange = [all, all];
  }
  function sizeOf(n) {
    var k = data.measures.indexOf(state.sizeBy), r = sizeRange[n.a ? 1 : 0][k];
    if (!(r[1] > r[0])) return data.pinned ? 9 : 12;
    var share = Math.sqrt((n.m[k] - r[0]) / (r[1] - r[0]));
    if (data.pinned) return n.a ? 8 + 8 * share : 5 + 7 * share;  // each node stays in its slot
    return 6 + 28 * share;
  }
  var nodes = new vis.DataSet(nodesArr.map(function (n) {
    var item = { id: n.id, x: n.x, y: n.y, size: sizeOf(n), group: "g" + n.g };
    if (!large) item.label = n.l[li()] || n.l[1 - li()];  // the page draws the labels (see drawLabels)
    return item;
  }));
  var edgeItems = new Array(E);
  for (var ej = 0; ej < E; ej++) {
    var item = { id: ej, from: data.edges[2 * ej], to: data.edges[2 * ej + 1] };
    if (data.edgeLabels && data.edgeLabel && data.edgeLabel[ej] >= 0) item.label = data.edgeTexts[data.edgeLabel[ej]][li()];
    if (data.edgeWeight) item.value = data.edgeWeight[ej];
    edgeItems[ej] = item;
  }
  var edges = new vis.DataSet(edgeItems);
  var nodeView = new vis.DataView(nodes, { filter: function (item) { return visible[item.id] === 1; } });
  var edgeView = new vis.DataView(edges, {
    filter: function (item) { return visible[item.from] === 1 && visible[item.to] === 1; }
  });
  var options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 1 },
    physics: { enabled: false, solver: "forceAtlas2Based", stabilization: false },
    interaction: { hover: !large, hideEdgesOnDrag: large, hideEdgesOnZoom: large, keyboard: false,
                   navigationButtons: false, multiselect: false, tooltipDelay: 300 },
    nodes: {
      borderWidth: 1,
      // vis-network never draws node labels: drawLabels places them without overlaps
      font: { size: 14, face: "system-ui, Arial, sans-serif", strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { label: { drawThreshold: 1e9 } }
    },
    edges: {
      smooth: false, width: 1, selectionWidth: 1.5,
      color: { color: large || data.pinned ? "#cfcfcf" : "#b0b0b0", highlight: "#333333", hover: "#666666",
               inherit: false },
      font: { size: 11, color: "#555555", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" },
      // edge labels only once zoomed in enough to read them (11px at scale 0.75 and more)
      scaling: { min: 1, max: 6, label: { enabled: false, drawThreshold: 8 } },
      arrows: data.directed ? { to: { enabled: true, scaleFactor: 0.5 } } : { to: { enabled: false } }
    },
    groups: visGroups
  };
  var container = document.getElementById("network");
  // big graphs: the page draws the edges itself, as one canvas path under the nodes (vis-network
  // builds an object per edge and strokes each one on its own: most of a big page's start-up)
  var ownEdges = data.ownEdges === true;
  var network = new vis.Network(container, { nodes: nodeView, edges: ownEdges ? new vis.DataSet([]) : edgeView },
                                options);
  var drawnEdges = 0;
  var edgeColour = "rgba(140, 140, 140, " + Math.min(0.5, Math.max(0.12, 0.5 * Math.sqrt(5000 / Math.max(E, 1)))).toFixed(2) + ")";
  if (ownEdges) {
    network.on("beforeDrawing", function (ctx) {
      var body = network.body.nodes, scale = network.getScale(), count = 0;
      ctx.save();
      ctx.lineWidth = Math.max(1, 0.8 / scale);
      ctx.strokeStyle = edgeColour;
      ctx.beginPath();
      for (var i = 0; i < E; i++) {
        var a = data.edges[2 * i], b = data.edges[2 * i + 1];
        if (!visible[a] || !visible[b]) continue;
        var p = body[a], q = body[b];
        if (!p || !q) continue;
        ctx.moveTo(p.x, p.y);
        ctx.lineTo(q.x, q.y);
        count++;
      }
      ctx.stroke();
      var chosen = network.getSelectedNodes();
      if (chosen.length) {  // the selected node's edges, darker
        ctx.strokeStyle = "#333333";
        ctx.lineWidth = Math.max(1.5, 1.5 / scale);
        ctx.beginPath();
        chosen.forEach(function (c) {
          adj[c].forEach(function (o) {
            if (visible[o] && body[o] && body[c]) { ctx.moveTo(body[c].x, body[c].y); ctx.lineTo(body[o].x, body[o].y); }
          });
        });
        ctx.stroke();
      }
      ctx.restore();
      drawnEdges = count;
    });
  }
  // --- labels: the page places them itself, most important first, none overlapping -----
  // Every frame, the visible nodes are taken in order of importance (anchors of a designed
  // layout first, then the size-by measure); a label is drawn where its box (in screen pixels,
  // a fixed font size) fits inside the canvas without touching a box already placed, trying
  // below, above, right and left of its node. Zooming in spreads the nodes, so more labels fit.
  var LABEL_PX = 13, LABEL_LINE = 14, LABEL_FONT = LABEL_PX + "px system-ui, Arial, sans-serif";
  var MAX_LABELS = 600, MAX_TRIED = 5000, CELL = 64, WRAP = 24, CUT = 40;
  var labelCache = [{}, {}];  // per language: node -> {lines, w}
  var drawnLabels = [];
  var rankCache = null;
  function ranking() {
    if (rankCache && rankCache.by === state.sizeBy) return rankCache.ids;
    var k = data.measures.indexOf(state.sizeBy);
    var ids = nodesArr.map(function (n) { return n.id; });
    ids.sort(function (a, b) {
      var A = nodesArr[a], B = nodesArr[b];
      return ((B.a ? 1 : 0) - (A.a ? 1 : 0)) || (B.m[k] - A.m[k]) || (a - b);
    });
    rankCache = { by: state.sizeBy, ids: ids };
    return ids;
  }
  // anchors keep their whole label, wrapped on spaces and dashes; other labels are cut short
  function wrap(text) {
    var parts = text.match(/[^\s\u2013\u2014-]+[\u2013\u2014-]?|\s+/g) || [text];
    var lines = [], line = "";
    parts.forEach(function (p) {
      if (/^\s+$/.test(p)) { if (line) line += " "; return; }
      if (line && (line + p).length > WRAP) { lines.push(line.trim()); line = ""; }
      line += p;
    });
    if (line.trim()) lines.push(line.trim());
    return lines.length ? lines : [text];
  }
  function labelOf(ctx, i) {
    var cache = labelCache[li()], got = cache[i];
    if (got) return got;
    var n = nodesArr[i], text = String(n.l[li()] || n.l[1 - li()] || "");
    var lines = n.a ? wrap(text) : [text.length > CUT ? text.slice(0, CUT - 1) + "\u2026" : text];
    var w = 0;
    lines.forEach(function (l) { w = Math.max(w, ctx.measureText(l).width); });
    got = cache[i] = { text: n.a ? text : lines[0], lines: lines, w: Math.ceil(w) + 2, h: lines.length * LABEL_LINE };
    return got;
  }
  function drawLabels(ctx) {
    var w = container.clientWidth, h = container.clientHeight;
    var scale = network.getScale(), tr = network.body.view.translation;
    var pr = (network.canvas && network.canvas.pixelRatio) || window.devicePixelRatio || 1;
    var body = network.body.nodes, ids = ranking();
    var grid = new Map(), placed = [], tried = 0;
    ctx.save();
    ctx.setTransform(pr, 0, 0, pr, 0, 0);
    ctx.font = LABEL_FONT;
    function free(x0, y0, x1, y1) {
      if (x0 < 2 || y0 < 2 || x1 > w - 2 || y1 > h - 2) return false;
      for (var cx = Math.floor(x0 / CELL); cx <= Math.floor(x1 / CELL); cx++) {
        for (var cy = Math.floor(y0 / CELL); cy <= Math.floor(y1 / CELL); cy++) {
          var list = grid.get(cx * 100003 + cy);
          if (!list) continue;
          for (var q = 0; q < list.length; q++) {
            var o = list[q];
            if (x0 < o.x + o.w + 1 && o.x < x1 + 1 && y0 < o.y + o.h + 1 && o.y < y1 + 1) return false;
          }
        }
      }
      return true;
    }
    function keep(box) {
      placed.push(box);
      for (var cx = Math.floor(box.x / CELL); cx <= Math.floor((box.x + box.w) / CELL); cx++) {
        for (var cy = Math.floor(box.y / CELL); cy <= Math.floor((box.y + box.h) / CELL); cy++) {
          var key = cx * 100003 + cy, list = grid.get(key);
          if (list) list.push(box); else grid.set(key, [box]);
        }
      }
    }
    // a designed layout (data.pinned) keeps its nodes readable: other labels may not cover a node
    var discs = null;
    if (data.pinned) {
      discs = new Map();
      for (var d = 0; d < N; d++) {
        var nb = body[d];
        if (!visible[d] || !nb) continue;
        var dx = nb.x * scale + tr.x, dy = nb.y * scale + tr.y, dr = (nb.options.size || 10) * scale;
        if (dx < -dr || dx > w + dr || dy < -dr || dy > h + dr) continue;
        var cell = Math.floor(dx / CELL) * 100003 + Math.floor(dy / CELL);
        var disc = { id: d, x: dx - dr, y: dy - dr, w: 2 * dr, h: 2 * dr };
        for (var ox = -1; ox <= 1; ox++) {
          for (var oy = -1; oy <= 1; oy++) {
            var key2 = cell + ox * 100003 + oy, list2 = discs.get(key2);
            if (list2) list2.push(disc); else discs.set(key2, [disc]);
          }
        }
      }
    }
    function clearOfNodes(id, x0, y0, x1, y1) {
      if (!discs) return true;
      for (var cx = Math.floor(x0 / CELL); cx <= Math.floor(x1 / CELL); cx++) {
        for (var cy = Math.floor(y0 / CELL); cy <= Math.floor(y1 / CELL); cy++) {
          var list = discs.get(cx * 100003 + cy);
          if (!list) continue;
          for (var q = 0; q < list.length; q++) {
            var o = list[q];
            if (o.id !== id && x0 < o.x + o.w && o.x < x1 && y0 < o.y + o.h && o.y < y1) return false;
          }
        }
      }
      return true;
    }
    var chosen = state.selected && state.selected.node !== undefined ? [state.selected.node] : [];
    var order = chosen.length ? chosen.concat(ids) : ids;
    for (var r = 0; r < order.length && placed.length < MAX_LABELS && tried < MAX_TRIED; r++) {
      var i = order[r];
      if (r > 0 && i === chosen[0]) continue;
      if (!visible[i] || !body[i]) continue;
      var b = body[i], sx = b.x * scale + tr.x, sy = b.y * scale + tr.y;
      if (sx < -20 || sx > w + 20 || sy < -20 || sy > h + 20) continue;
      tried++;
      var lab = labelOf(ctx, i);
      if (!lab.lines[0]) continue;
      var rad = (b.options.size || 10) * scale + 3, lw = lab.w, lh = lab.h;
      var spots = {
        b: [sx - lw / 2, sy + rad], t: [sx - lw / 2, sy - rad - lh],
        r: [sx + rad + 2, sy - lh / 2], l: [sx - rad - 2 - lw, sy - lh / 2]
      };
      // an anchor's label stays on its side (above: or below); the others try four places
      var tries = nodesArr[i].a ? (nodesArr[i].a === "t" ? ["t", "b"] : [nodesArr[i].a]) : ["b", "t", "r", "l"];
      for (var s = 0; s < tries.length; s++) {
        var p = spots[tries[s]];
        if (free(p[0], p[1], p[0] + lw, p[1] + lh) &&
            (nodesArr[i].a || i === chosen[0] || clearOfNodes(i, p[0], p[1], p[0] + lw, p[1] + lh))) {
          keep({ id: i, text: lab.text, lines: lab.lines, x: p[0], y: p[1], w: lw, h: lh,
                 align: tries[s] });
          break;
        }
      }
    }
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(255, 255, 255, 0.92)";
    placed.forEach(function (box) {
      var right = box.align === "l";
      ctx.textAlign = right ? "right" : (box.align === "r" ? "left" : "center");
      var x = right ? box.x + box.w - 1 : (box.align === "r" ? box.x + 1 : box.x + box.w / 2);
      ctx.fillStyle = nodesArr[box.id].a ? "#111111" : "#333333";
      box.lines.forEach(function (line, k) {
        var y = box.y + LABEL_LINE * k + LABEL_LINE / 2;
        ctx.strokeText(line, x, y);
        ctx.fillText(line, x, y);
      });
    });
    ctx.restore();
    drawnLabels = placed;
  }
  network.on("afterDrawing", drawLabels);

  // frame the drawing from the known positions before the first frame (vis's own fit()
  // measures every node's label first; nothing is drawn at scale 1 this way either). The frame
  // leaves room for each node's size and for the labels anchors carry on their left/right side.
  var userMoved = false;
  function fitView() {
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity, any = false;
    var pos = large ? null : network.getPositions(), big = 0, padL = 0, padR = 0;
    var ctx = document.createElement("canvas").getContext("2d");
    ctx.font = LABEL_FONT;
    for (var i = 0; i < N; i++) {
      if (!visible[i]) continue;
      var p = pos ? pos[i] : nodesArr[i];
      if (!p) continue;
      any = true;
      if (p.x < x0) x0 = p.x; if (p.x > x1) x1 = p.x; if (p.y < y0) y0 = p.y; if (p.y > y1) y1 = p.y;
      var sz = sizeOf(nodesArr[i]);
      if (sz > big) big = sz;
      if (nodesArr[i].a === "l") padL = Math.max(padL, labelOf(ctx, i).w);
      if (nodesArr[i].a === "r") padR = Math.max(padR, labelOf(ctx, i).w);
    }
    if (!any) return;
    var w = container.clientWidth || 800, h = container.clientHeight || 600, edge = 16;
    padL = padL ? padL + 24 : edge;
    padR = padR ? padR + 24 : edge;
    var availW = Math.max(40, w - padL - padR), availH = Math.max(40, h - 2 * edge);
    var scale = Math.min(availW / (x1 - x0 + 2 * big), availH / (y1 - y0 + 2 * big + LABEL_LINE), 1.5);
    // the nodes' middle goes to the middle of the room between the two label margins
    var cx = (x0 + x1) / 2 + (padR - padL) / 2 / scale, cy = (y0 + y1) / 2 + LABEL_LINE / 2 / scale;
    network.moveTo({ position: { x: cx, y: cy }, scale: scale, animation: false });
  }
  fitView();
  // until the reader moves the view, a change of the canvas size frames the drawing again
  var lastBox = [container.clientWidth, container.clientHeight];
  function refit() {
    var box = [container.clientWidth, container.clientHeight];
    if (box[0] === lastBox[0] && box[1] === lastBox[1]) return;
    lastBox = box;
    network.setSize("100%", "100%");  // the canvas takes the new size now, then the frame follows
    if (!userMoved) fitView();
  }
  if (window.ResizeObserver) new ResizeObserver(function () { requestAnimationFrame(refit); }).observe(container);
  network.on("resize", function () { if (!userMoved) requestAnimationFrame(function () { fitView(); }); });
  network.on("zoom", function () { userMoved = true; });
  network.on("dragEnd", function (p) { if (!p.nodes || !p.nodes.length) userMoved = true; });

  var resolveReady;
  var ready = new Promise(function (resolve) { resolveReady = resolve; });
  network.once("afterDrawing", function () {
    var at = performance.now();
    document.documentElement.setAttribute("data-ready", "1");
    resolveReady(at);
  });

  // --- visibility: facet filters, then search ------------------------------------------
  function computeVisible() {
    var active = FACETS.filter(function (k) { return sel[k].size > 0; });
    var pass = new Uint8Array(N), carries = new Uint8Array(N);
    for (var i = 0; i < N; i++) {
      var f = nodesArr[i].f, ok = true, carry = false;
      for (var a = 0; a < active.length && ok; a++) {
        var vals = f && f[active[a]];
        if (vals) {
          carry = true;
          ok = vals.some(function (v) { return sel[active[a]].has(v); });
        }
      }
      pass[i] = ok ? 1 : 0;
      carries[i] = carry ? 1 : 0;
    }
    if (active.length) { // nodes the filters do not speak about stay when linked to a node that matched
      var kept = new Uint8Array(N);
      for (var j = 0; j < N; j++) {
        if (!pass[j]) continue;
        if (carries[j]) { kept[j] = 1; continue; }
        kept[j] = adj[j].some(function (o) { return pass[o] && carries[o]; }) ? 1 : 0;
      }
      pass = kept;
    }
    var q = state.query.trim().toLowerCase();
    var matches = -1;
    if (q) {
      var hit = new Uint8Array(N);
      matches = 0;
      for (var s = 0; s < N; s++) {
        if (pass[s] && searchText[s].indexOf(q) >= 0) { hit[s] = 1; matches++; }
      }
      var shown = new Uint8Array(N);
      for (var h = 0; h < N; h++) {
        if (!hit[h]) continue;
        shown[h] = 1;
        adj[h].forEach(function (o) { if (pass[o]) shown[o] = 1; });
      }
      pass = shown;
    }
    visible.set(pass);
    nodeView.refresh();
    edgeView.refresh();
    if (ownEdges) network.redraw();
    state.matches = matches;
    updateStatus();
    fitView();
  }

  function updateStatus() {
    var status = document.getElementById("status");
    var text = t().status(nodeView.length, N, edgeView.length, E);
    if (state.matches >= 0) text += " \u00b7 " + t().matches(state.matches);
    status.textContent = text;
  }

  // --- filters panel -------------------------------------------------------------------
  var facetValues = {};
  FACETS.forEach(function (k) {
    var counts = new Map();
    nodesArr.forEach(function (n) {
      var vals = n.f && n.f[k];
      if (vals) vals.forEach(function (v) { counts.set(v, (counts.get(v) || 0) + 1); });
    });
    facetValues[k] = counts;
  });

  function renderFilters() {
    var box = document.getElementById("filters");
    clear(box);
    FACETS.forEach(function (k) {
      var counts = facetValues[k];
      if (counts.size < 2) return;  // one value: nothing to choose between
      var det = el("details");
      det.id = "filter-" + k;
      if (sel[k].size) det.open = true;
      var sum = el("summary", t().facet[k] + (sel[k].size ? " (" + sel[k].size + ")" : ""));
      det.appendChild(sum);
      var opts = el("div", null, "opts");
      var values = Array.from(counts.keys()).sort(function (a, b) { return term(a).localeCompare(term(b)); });
      values.forEach(function (v) {
        var lab = el("label");
        var box2 = document.createElement("input");
        box2.type = "checkbox";
        box2.value = data.keys[v];
        box2.checked = sel[k].has(v);
        box2.setAttribute("data-facet", k);
        box2.addEventListener("change", function () {
          if (box2.checked) sel[k].add(v); else sel[k].delete(v);
          sum.textContent = t().facet[k] + (sel[k].size ? " (" + sel[k].size + ")" : "");
          computeVisible();
        });
        lab.appendChild(box2);
        lab.appendChild(el("span", term(v)));
        lab.appendChild(el("span", counts.get(v), "count"));
        opts.appendChild(lab);
      });
      det.appendChild(opts);
      var btn = el("button", t().clear, "clear");
      btn.type = "button";
      btn.addEventListener("click", function () { sel[k].clear(); renderFilters(); computeVisible(); });
      det.appendChild(btn);
      box.appendChild(det);
    });
  }

  // --- legend --------------------------------------------------------------------------
  function swatch(shape, color) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("width", "14");
    svg.setAttribute("height", "14");
    svg.setAttribute("viewBox", "0 0 14 14");
    var s;
    var polys = {
      diamond: "7,0.5 13.5,7 7,13.5 0.5,7", triangle: "7,1 13.5,13 0.5,13", triangleDown: "0.5,1 13.5,1 7,13",
      star: "7,0.5 8.8,5 13.5,5.2 9.8,8.2 11.1,13 7,10.3 2.9,13 4.2,8.2 0.5,5.2 5.2,5",
      hexagon: "3.5,1 10.5,1 13.5,7 10.5,13 3.5,13 0.5,7"
    };
    if (shape === "square") {
      s = document.createElementNS(SVG_NS, "rect");
      s.setAttribute("x", "1.5"); s.setAttribute("y", "1.5"); s.setAttribute("width", "11"); s.setAttribute("height", "11");
    } else if (polys[shape]) {
      s = document.createElementNS(SVG_NS, "polygon");
      s.setAttribute("points", polys[shape]);
    } else {
      s = document.createElementNS(SVG_NS, "circle");
      s.setAttribute("cx", "7"); s.setAttribute("cy", "7"); s.setAttribute("r", "6");
    }
    s.setAttribute("fill", color);
    s.setAttribute("stroke", darker(color));
    svg.appendChild(s);
    return svg;
  }

  function renderLegend() {
    var ul = document.getElementById("legend");
    clear(ul);
    data.groups.forEach(function (g) {
      var item = el("li");
      item.setAttribute("data-group", g.key);
      item.appendChild(swatch(g.shape, g.color));
      item.appendChild(el("span", g.label[li()] || g.label[1 - li()]));
      item.appendChild(el("span", g.n, "count"));
      ul.appendChild(item);
    });
  }

  // --- details panel -------------------------------------------------------------------
  function addRow(dl, name, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el("dt", name));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value);
    else dd.textContent = String(value);
    dl.appendChild(dd);
  }
  function list(values, render, cls) {
    var ul = el("ul", null, cls);
    values.forEach(function (v) { var item = el("li"); render(item, v); ul.appendChild(item); });
    return ul;
  }
  function indexLink(target) {
    var b = el("button", nodesArr[target].l[li()] || nodesArr[target].l[1 - li()], "link");
    b.type = "button";
    b.addEventListener("click", function () { focusNode(target); });
    return b;
  }
  function nodeLink(iri) {
    return byIri.has(iri) ? indexLink(byIri.get(iri)) : el("span", term(iri));
  }
  function sourceLink(value) {
    var href = safeHref(value);
    if (!href) return el("span", value);
    var a = el("a", value);
    a.href = href;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    return a;
  }

  function showNode(i) {
    state.selected = { node: i };
    var n = nodesArr[i], d = n.d || {}, L = t();
    var box = document.getElementById("details");
    clear(box);
    box.appendChild(el("h2", n.l[li()] || n.l[1 - li()], "node-label"));
    var dl = el("dl");
    addRow(dl, L.kind, term("kind:" + n.k));
    var g = data.groups[n.g];
    if (g && g.key !== n.k && n.k !== "case" && n.k !== "actor") addRow(dl, L.group, g.label[li()]);
    if (d.type) addRow(dl, L.type, term(d.type));
    if (d.actor_kind) addRow(dl, L.actorKind, term(d.actor_kind));
    if (d.short_name) addRow(dl, L.shortName, d.short_name);
    if (d.country) addRow(dl, L.country, term(d.country));
    if (d.sectors) addRow(dl, L.sectors, d.sectors.map(term).join(", "));
    if (d.countries) addRow(dl, L.countries, d.countries.map(term).join(", "));
    if (d.start || d.end) addRow(dl, L.period, (d.start || L.unknown) + " \u2013 " + (d.end || L.ongoing));
    if (d.parties) {
      addRow(dl, L.parties, list(d.parties, function (item, p) {
        item.appendChild(nodeLink(data.keys[p[0]]));
        item.appendChild(el("span", " \u2014 " + (p[1] >= 0 ? term(p[1]) : L.noRole), "role"));
      }));
    }
    if (d.benefits) addRow(dl, L.benefits, d.benefits.map(term).join(", "));
    if (d.characteristics) addRow(dl, L.characteristics, d.characteristics.map(term).join(", "));
    if (d.partnerships) addRow(dl, L.partnerships, d.partnerships);
    if (d.external) addRow(dl, L.external, "\u2713");
    if (d.sources) {
      addRow(dl, L.sources, list(d.sources, function (item, s) { item.appendChild(sourceLink(s)); }, "sources"));
    }
    if (d.desc) addRow(dl, L.description, el("span", d.desc[li()] || d.desc[1 - li()], "desc"));
    addRow(dl, L.measures, data.measures.map(function (m, k) { return L[m] + ": " + fmt(n.m[k]); }).join(" \u00b7 "));
    if (n.iri) addRow(dl, L.iri, safeHref(n.iri) ? sourceLink(n.iri) : n.iri);
    box.appendChild(dl);
  }

  function showEdge(id) {
    if (!(id >= 0 && id < E)) return;
    var e = edgeAt(id);
    state.selected = { edge: id };
    var L = t();
    var box = document.getElementById("details");
    clear(box);
    box.appendChild(el("h2", e.label >= 0 ? data.edgeTexts[e.label][li()] : L.edge, "node-label"));
    var dl = el("dl");
    addRow(dl, L.edge, list([e.from, e.to], function (item, k) { item.appendChild(indexLink(k)); }));
    addRow(dl, L.weight, fmt(e.weight));
    box.appendChild(dl);
  }

  function showHint() {
    state.selected = null;
    var box = document.getElementById("details");
    clear(box);
    box.appendChild(el("p", t().hint));
  }

  function focusNode(i) {
    if (!visible[i]) { state.query = ""; document.getElementById("search").value = ""; computeVisible(); }
    if (!visible[i]) return;
    network.selectNodes([i]);
    network.focus(i, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showNode(i);
  }

  function refreshDetails() {
    if (!state.selected) showHint();
    else if (state.selected.node !== undefined) showNode(state.selected.node);
    else showEdge(state.selected.edge);
  }

  network.on("click", function (p) {
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
    else showHint();
  });

  // --- controls ------------------------------------------------------------------------
  var sizeSel = document.getElementById("size-by");
  function renderSizeOptions() {
    clear(sizeSel);
    data.measures.forEach(function (m) {
      var o = el("option", t()[m]);
      o.value = m;
      o.selected = m === state.sizeBy;
      sizeSel.appendChild(o);
    });
  }
  sizeSel.addEventListener("change", function () {
    state.sizeBy = sizeSel.value;
    nodes.update(nodesArr.map(function (n) { return { id: n.id, size: sizeOf(n) }; }));
    network.redraw();
  });

  var search = document.getElementById("search");
  var timer = null;
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { state.query = search.value; computeVisible(); }, N > 2000 ? 250 : 60);
  });

  function setLang(lang, first) {
    var changed = !first && (lang === "id" ? "id" : "en") !== state.lang;
    state.lang = lang === "id" ? "id" : "en";
    var L = t();
    document.documentElement.lang = state.lang;
    document.title = data.title[li()] || data.title[1 - li()];
    document.getElementById("title").textContent = document.title;
    search.placeholder = L.search;
    search.setAttribute("aria-label", L.search);
    document.getElementById("size-label").textContent = L.sizeBy;
    document.getElementById("fit").textContent = L.fit;
    document.getElementById("physics-label").textContent = L.physics;
    document.getElementById("legend-title").textContent = L.legend;
    document.getElementById("langs").setAttribute("aria-label", L.lang);
    document.getElementById("active-filters").textContent = data.filters ? L.filtersApplied + data.filters : "";
    ["id", "en"].forEach(function (l) {
      document.getElementById("lang-" + l).setAttribute("aria-pressed", String(l === state.lang));
    });
    if (changed && !large) {
      nodes.update(nodesArr.map(function (n) { return { id: n.id, label: n.l[li()] || n.l[1 - li()] }; }));
    }
    if (changed && data.edgeLabels) {
      var edgeLabelled = [];
      for (var k = 0; data.edgeLabel && k < E; k++) {
        if (data.edgeLabel[k] >= 0) edgeLabelled.push({ id: k, label: data.edgeTexts[data.edgeLabel[k]][li()] });
      }
      edges.update(edgeLabelled);
    }
    if (changed) { if (data.pinned) fitView(); network.redraw(); }
    renderSizeOptions();
    renderFilters();
    renderLegend();
    updateStatus();
    refreshDetails();
  }
  ["id", "en"].forEach(function (l) {
    document.getElementById("lang-" + l).addEventListener("click", function () { setLang(l); });
  });
  document.getElementById("fit").addEventListener("click", function () { userMoved = false; fitView(); });
  if (!large && !data.pinned) {
    document.getElementById("physics-box").hidden = false;
    document.getElementById("physics").addEventListener("change", function (ev) {
      network.setOptions({ physics: { enabled: ev.target.checked } });
    });
  }

  state.matches = -1;
  setLang(state.lang, true);

  window.kemitraanView = Object.freeze({
    network: network, nodes: nodes, edges: edges, visibleNodes: nodeView, visibleEdges: edgeView, ready: ready,
    words: UI,
    // the labels drawn in the last frame: {id, text, x, y, w, h} in pixels of the canvas box
    labels: function () {
      return drawnLabels.map(function (b) { return { id: b.id, text: b.text, x: b.x, y: b.y, w: b.w, h: b.h }; });
    },
    state: function () {
      return { lang: state.lang, sizeBy: state.sizeBy, query: state.query,
               visibleNodes: nodeView.length, visibleEdges: edgeView.length,
               drawnNodes: network.body.nodeIndices.length,
               drawnEdges: ownEdges ? drawnEdges : network.body.edgeIndices.length, ownEdges: ownEdges };
    }
  });
})();
