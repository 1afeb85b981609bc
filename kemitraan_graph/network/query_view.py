"""The query view: any SELECT with ``?source ?target`` (or a CONSTRUCT) drawn as a network."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import ViewError
from ..namespaces import KMT, RDF, RDFS, SKOS
from ..reader import GraphReader
from ..terms import both_labels, is_safe_iri, lang_key
from .model import FOAF_AGENT, Vocabulary, load_vocabulary, most_specific
from .views import OWL_CLASS, RDFS_CLASS, _label_attrs, _title

RDF_TYPE = str(RDF.type)
RDFS_LABEL = str(RDFS.label)
SKOS_PREFLABEL = str(SKOS.prefLabel)


def _node_id(term: Node) -> str:
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return term.n3()


_Q_KINDS = "SELECT ?s ?t WHERE {{ VALUES ?s {{ {values} }} ?s a ?t }}"


def _classify(reader: GraphReader, iris: Sequence[str], vocab: Vocabulary) -> dict[str, tuple[str, str]]:
    """IRI -> (kind, group) from its types: case, actor, sector, benefit, characteristic, class..."""
    types: dict[str, set[str]] = defaultdict(set)
    wanted = [i for i in iris if is_safe_iri(i)]
    for start in range(0, len(wanted), 1000):
        values = " ".join(f"<{i}>" for i in wanted[start : start + 1000])
        for s, t in reader.rows(_Q_KINDS.format(values=values)):
            types[str(s)].add(str(t))
    ptypes, superclasses = vocab.partnership_types, vocab.superclasses
    by_class = {
        str(KMT.Sector): "sector",
        str(KMT.Benefit): "benefit",
        str(KMT.Characteristic): "characteristic",
        str(KMT.Role): "role",
        OWL_CLASS: "class",
        RDFS_CLASS: "class",
    }
    out = {}
    for i in iris:
        ts = types.get(i, set())
        if ts & ptypes:
            out[i] = ("case", sorted(ts & ptypes)[0])
            continue
        kmt_types = {t for t in ts if t.startswith(str(KMT))}
        agent = {t for t in kmt_types if FOAF_AGENT in superclasses.get(t, set())}
        if agent:
            k = most_specific(agent, superclasses)
            out[i] = ("actor", k)
            continue
        kind = next((v for k, v in by_class.items() if k in ts), None)
        if kind is None and i in ptypes:
            kind = "type"
        out[i] = (kind or "node", kind or "node")
    return out


def query_view(
    reader: GraphReader, query: str, params: Mapping[str, Any] | None, lang: str, allow_network: bool = False
) -> nx.DiGraph:
    """A SELECT with ?source ?target (+ optional labels, group, weight) or a CONSTRUCT, as a network."""
    if not query:
        raise ViewError("the query view needs a query: a library name, an .rq file or SPARQL text")
    res = reader.query(query, params, allow_network=allow_network)
    g = nx.DiGraph(
        view="query", lang=lang, query=query if "\n" not in query and len(query) < 200 else "query"
    )
    title = _title("query")
    q = reader.library.get(query)
    if q is not None:
        title = {"id": q.get_title("id"), "en": q.get_title("en")}
    g.graph["title"] = title
    node_labels: dict[str, dict[str, str]] = defaultdict(dict)
    groups: dict[str, str] = {}
    terms: dict[str, Node] = {}
    edges: dict[tuple[str, str], dict[str, Any]] = {}

    def add_edge(s: Node, t: Node, label: Node | str | None, weight: float | None) -> None:
        sid, tid = _node_id(s), _node_id(t)
        terms.setdefault(sid, s)
        terms.setdefault(tid, t)
        e = edges.setdefault((sid, tid), {"labels": [], "weight": 0.0, "count": 0})
        e["count"] += 1
        if weight is not None:
            e["weight"] += weight
        if label is not None and str(label) and str(label) not in [x[0] for x in e["labels"]]:
            e["labels"].append((str(label), label))

    if res.kind == "select":
        if "source" not in res.vars or "target" not in res.vars:
            raise ViewError(
                f"a query drawn as a network must SELECT ?source and ?target (it has: "
                f"{', '.join('?' + v for v in res.vars) or 'no variables'})"
            )
        for row in res.to_dicts():
            s, t = row.get("source"), row.get("target")
            if s is None or t is None:
                continue
            w = row.get("weight")
            weight = None
            if isinstance(w, Literal):
                try:
                    weight = float(w.toPython())
                except (TypeError, ValueError):
                    weight = None
            add_edge(s, t, row.get("edgeLabel"), weight)
            for var, node in (("sourceLabel", s), ("targetLabel", t)):
                lab = row.get(var)
                if isinstance(lab, Literal):
                    lang_tag = lang_key(lab.language)
                    node_labels[_node_id(node)].setdefault(lang_tag, str(lab))
            if row.get("group") is not None:
                groups.setdefault(_node_id(s), str(row["group"]))
    elif res.kind == "graph":
        for s, p, o in res.rows:
            p = str(p)
            if p in (RDFS_LABEL, SKOS_PREFLABEL) and isinstance(o, Literal):
                node_labels[_node_id(s)].setdefault(lang_key(o.language), str(o))
                terms.setdefault(_node_id(s), s)
                continue
            if p == RDF_TYPE:
                groups.setdefault(_node_id(s), str(o))
                terms.setdefault(_node_id(s), s)
                continue
            if isinstance(o, Literal):
                continue  # literal values stay off the drawing
            add_edge(s, o, URIRef(p), None)
    else:
        raise ViewError(
            "an ASK query has no network to draw; use a SELECT with ?source ?target or a CONSTRUCT"
        )

    iris = [i for i, term in terms.items() if isinstance(term, URIRef)]
    edge_iris = {str(lab) for e in edges.values() for _t, lab in e["labels"] if isinstance(lab, URIRef)}
    kinds = _classify(reader, iris, load_vocabulary(reader))
    # every group a node gets (its class, e.g. kmt:GovernmentBody, or ?group) is labelled too
    group_iris = sorted({gr for _k, gr in kinds.values() if gr} | set(groups.values()))
    labels = reader.label_texts(list(iris) + sorted(edge_iris) + group_iris)
    for nid in sorted(terms):
        term = terms[nid]
        texts = {**labels.get(nid, {}), **node_labels.get(nid, {})}
        if isinstance(term, Literal):
            texts = texts or {"": str(term)}
        kind, group = kinds.get(nid, ("literal" if isinstance(term, Literal) else "node", ""))
        group = groups.get(nid, group or kind)
        g.add_node(
            nid,
            kind=kind,
            iri=str(term) if isinstance(term, URIRef) else "",
            **_label_attrs(texts, str(term) if isinstance(term, URIRef) else nid, lang),
            group=group,
        )
    for (sid, tid), e in sorted(edges.items()):
        ids, ens = [], []
        for text, term in e["labels"]:
            if isinstance(term, URIRef):
                b = both_labels(labels.get(text), text)
            else:
                b = {"id": text, "en": text}
            ids.append(b["id"])
            ens.append(b["en"])
        weight = e["weight"] if e["weight"] else float(e["count"])
        g.add_edge(
            sid,
            tid,
            weight=int(weight) if float(weight).is_integer() else weight,
            label=" / ".join(ens if lang == "en" else ids),
            label_id=" / ".join(ids),
            label_en=" / ".join(ens),
        )
    g.graph["terms"] = {
        gr: both_labels(labels.get(gr), gr)
        for gr in sorted({str(d.get("group") or "") for _n, d in g.nodes(data=True)})
        if gr.startswith(("http://", "https://", "urn:"))
    }
    return g
