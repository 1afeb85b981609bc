"""Extension projects: ``kemitraan.toml`` names a researcher's own ontology modules, shapes, data,
queries and checks, the base IRI for new individuals and the default language.

The file is found in the working folder (or given with ``--project``)::

    name = "village-enterprises"
    namespace = "https://example.org/village/ontology#"   # the project's own terms
    prefix = "vil"
    base = "https://example.org/village/id/"               # new individuals
    lang = "id"
    modules = ["ontology"]    # files or folders, loaded with the core ontology
    shapes = ["shapes"]       # SHACL files or folders, added to the bundled shapes
    data = ["data"]
    queries = ["queries"]     # .rq folders, added to the query library
    checks = ["checks"]       # .rq "violation" queries for ``kemitraan check``

Paths are relative to the file. ``scaffold`` writes a new project (``kemitraan init``).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import LoadError
from .terms import DEFAULT_LANG, LANGS

PROJECT_FILE = "kemitraan.toml"
_LISTS = ("modules", "shapes", "data", "queries", "checks")
_STRINGS = ("name", "namespace", "prefix", "base", "lang")
KEYS = _STRINGS + _LISTS


@dataclass
class Project:
    path: Path
    name: str = ""
    namespace: str | None = None
    prefix: str | None = None
    base: str | None = None
    lang: str = DEFAULT_LANG
    modules: list[Path] = field(default_factory=list)
    shapes: list[Path] = field(default_factory=list)
    data: list[Path] = field(default_factory=list)
    queries: list[Path] = field(default_factory=list)
    checks: list[Path] = field(default_factory=list)

    @property
    def root(self) -> Path:
        return self.path.parent


def find_project(start: str | Path | None = None) -> Path | None:
    """``kemitraan.toml`` in the working folder (or ``start``), if there is one."""
    p = Path(start or Path.cwd()) / PROJECT_FILE
    return p if p.is_file() else None


def read_project(path: str | Path) -> Project:
    """Read and check a project file; errors name the file and line."""
    path = Path(path)
    if path.is_dir():
        path = path / PROJECT_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LoadError(str(path), None, None, f"cannot read the project file: {exc.strerror or exc}") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise LoadError(str(path), int(m.group(1)) if m else None, int(m.group(2)) if m else None,
                        f"not valid TOML: {msg}") from None
    project = Project(path=path.resolve())

    def line_of(key: str) -> int | None:
        for no, line in enumerate(text.splitlines(), 1):
            if re.match(rf"\s*{re.escape(key)}\s*=", line):
                return no
        return None

    for key, value in raw.items():
        if key not in KEYS:
            near = difflib.get_close_matches(key, KEYS, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else f" (known: {', '.join(KEYS)})"
            raise LoadError(str(path), line_of(key), None, f"unknown key {key!r}{hint}")
        if key in _STRINGS:
            if not isinstance(value, str):
                raise LoadError(str(path), line_of(key), None, f"{key} must be a string")
            setattr(project, key, value)
        else:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise LoadError(str(path), line_of(key), None, f"{key} must be a list of paths")
            paths = []
            for v in value:
                p = (path.parent / v).resolve()
                if not p.exists():
                    raise LoadError(str(path), line_of(key), None, f"{key}: no such file or folder {v!r}")
                paths.append(p)
            setattr(project, key, paths)
    if project.lang not in LANGS:
        raise LoadError(str(path), line_of("lang"), None,
                        f"lang must be one of {', '.join(LANGS)}, not {project.lang!r}")
    if project.namespace and not re.match(r"^[a-z][a-z0-9+.-]*:\S*[#/]$", project.namespace):
        raise LoadError(str(path), line_of("namespace"), None, "namespace must be an IRI ending in '#' or '/'")
    return project


# --- scaffolding -------------------------------------------------------------------------

_TOML = """\
# A kemitraan-graph extension project: every kemitraan command run in this folder picks it up
# (or pass --project {name}/kemitraan.toml). Paths are relative to this file.
name = "{name}"
namespace = "{namespace}"
prefix = "{prefix}"
base = "{base}"
lang = "{lang}"
modules = ["ontology"]
shapes = ["shapes"]
data = ["data"]
queries = ["queries"]
checks = ["checks"]
"""

_MODULE = """\
# The project's own terms. The core ontology is imported by its IRI: kemitraan resolves it to the
# bundled file and never fetches it. Every term needs rdfs:label and skos:definition in @id and @en,
# and rdfs:isDefinedBy this module (`kemitraan check` reports what is missing).
@prefix kmt:  <https://w3id.org/kemitraan/ontology#> .
@prefix {prefix}: <{namespace}> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

<{ontology}> a owl:Ontology ;
    rdfs:label "Modul {name}"@id , "{name} module"@en ;
    owl:imports <https://w3id.org/kemitraan/ontology> .

# A subtype of one of the four kinds: a case typed with it is a case of that kind.
{prefix}:VillageEnterprisePartnership a owl:Class ;
    rdfs:subClassOf kmt:GovernmentPrivateCommunityPartnership ;
    rdfs:label "Kemitraan badan usaha milik desa"@id , "Village enterprise partnership"@en ;
    skos:definition
        "Kemitraan pemerintah-swasta-masyarakat yang salah satu pihaknya badan usaha milik desa (BUMDes)."@id ,
        "A government-private-community partnership in which one party is a village-owned enterprise (BUMDes)."@en ;
    rdfs:isDefinedBy <{ontology}> .
"""

_SHAPES = """\
# The project's own SHACL shapes, added to the bundled ones (ontology/shapes.ttl of kemitraan-graph).
@prefix kmt:  <https://w3id.org/kemitraan/ontology#> .
@prefix {prefix}: <{namespace}> .
@prefix sh:   <http://www.w3.org/ns/shacl#> .
@prefix org:  <http://www.w3.org/ns/org#> .

{prefix}:VillageEnterprisePartnershipShape a sh:NodeShape ;
    sh:targetClass {prefix}:VillageEnterprisePartnership ;
    sh:property [
        sh:path ( kmt:hasParticipation org:member ) ;
        sh:qualifiedValueShape [ sh:class kmt:CommunityGroup ] ;
        sh:qualifiedMinCount 1 ;
        sh:message "Kemitraan BUMDes memerlukan setidaknya satu pihak kmt:CommunityGroup."@id ,
                   "A village enterprise partnership needs at least one kmt:CommunityGroup party."@en ] .
"""

_CASE = """\
# An example case: replace it with a real one. Every fact needs a source (dcterms:source).
@prefix kmt:     <https://w3id.org/kemitraan/ontology#> .
@prefix {prefix}: <{namespace}> .
@prefix id:      <{base}> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix schema:  <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .

id:case-example-village-water a {prefix}:VillageEnterprisePartnership ;
    rdfs:label "Contoh air bersih desa"@id , "Example village water supply"@en ;
    dcterms:description "Contoh kasus: BUMDes, perusahaan dan pemerintah kabupaten membangun air bersih."@id ,
        "Example case: a village enterprise, a company and a district government build a water supply."@en ;
    kmt:sector kmt:sector-water ;
    kmt:country <https://w3id.org/kemitraan/id/country/id> ;
    schema:startDate "2021"^^xsd:gYear ;
    kmt:hasParticipation
        [ a kmt:Participation ; org:member id:example-district ; org:role kmt:role-public-authority ] ,
        [ a kmt:Participation ; org:member id:example-company ; org:role kmt:role-private-party ] ,
        [ a kmt:Participation ; org:member id:example-bumdes ; org:role kmt:role-operator ] ;
    kmt:agreement id:agreement-example-village-water ;
    dcterms:source <https://example.org/source-of-the-example> .

id:agreement-example-village-water a kmt:Agreement ;
    rdfs:label "Perjanjian contoh"@id , "Example agreement"@en .

id:example-district a kmt:GovernmentBody ;
    rdfs:label "Pemerintah Kabupaten Contoh"@id , "Example District Government"@en .
id:example-company a kmt:Company ;
    rdfs:label "PT Contoh Air"@id , "Example Water Company"@en .
id:example-bumdes a kmt:CommunityGroup ;
    rdfs:label "BUMDes Contoh"@id , "Example Village Enterprise"@en .
"""

_QUERY = """\
# title: Village enterprise partnerships of this project
# title@id: Kemitraan BUMDes dalam proyek ini
# description: Every case typed with the project's subtype, with its parties.
# description@id: Setiap kasus bertipe subtipe proyek ini, beserta para pihaknya.
PREFIX {prefix}: <{namespace}>
SELECT ?case ?party WHERE {{
  ?case a {prefix}:VillageEnterprisePartnership ; kmt:hasPartner ?party .
}}
ORDER BY ?case ?party
"""

_CHECK = """\
# level: WARN
# title: A village enterprise partnership names no country
# title@id: Kemitraan BUMDes tanpa negara
# Each row returned is a problem: ?focus is the node, ?value (optional) the offending value.
PREFIX {prefix}: <{namespace}>
SELECT ?focus WHERE {{
  ?focus a {prefix}:VillageEnterprisePartnership .
  FILTER NOT EXISTS {{ ?focus kmt:country ?c }}
}}
"""

_TEST = """\
\"\"\"Run with `pytest` in this folder: the project loads, validates, checks clean and answers its query.\"\"\"

from pathlib import Path

from kemitraan_graph import KnowledgeGraph
from kemitraan_graph.project import read_project

HERE = Path(__file__).resolve().parent.parent


def test_project_is_clean_and_answers():
    project = read_project(HERE / "kemitraan.toml")
    with KnowledgeGraph.load(project=project) as kg:
        assert kg.validate().conforms
        assert not [f for f in kg.check(reason=False).findings if f.level == "ERROR"]
        rows = kg.query("example").rows
        assert rows, "the example query found no case"
        kinds = kg.query("SELECT ?c WHERE {{ ?c a kmt:GovernmentPrivateCommunityPartnership }}").rows
        assert {{r[0] for r in rows}} <= {{r[0] for r in kinds}}
"""

_README = """\
# {name}

A [kemitraan-graph](https://w3id.org/kemitraan) extension project: its own terms, shapes, cases,
queries and checks, on top of the core ontology (never edited, never fetched).

| folder | what |
|---|---|
| `kemitraan.toml` | the project file: folders, namespace `{prefix}:` = `{namespace}`, \
base IRI for new individuals `{base}`, default language `{lang}` |
| `ontology/` | the project's terms (`owl:imports` the core); each with `rdfs:label` and \
`skos:definition` in `@id` and `@en` |
| `shapes/` | SHACL shapes added to the bundled ones |
| `data/` | cases and actors (Turtle) |
| `queries/` | SPARQL queries added to the library (`kemitraan queries`) |
| `checks/` | violation queries for `kemitraan check`: each returned row is a problem |
| `tests/` | `pytest` tests of the project |

Run, in this folder:

    kemitraan validate          # SHACL + closed vocabulary, each problem with file:line
    kemitraan check             # ontology quality report (labels, definitions, parents, imports, OWL-RL)
    kemitraan query example     # the example query
    kemitraan docs -o site/     # offline documentation, Indonesian and English
    pytest tests

A subtype: `{prefix}:X rdfs:subClassOf kmt:TripleHelixPartnership` (or another kind); a case typed
`{prefix}:X` is a case of that kind in every query and shape. A sector: a `kmt:Sector` concept with
`skos:inScheme kmt:SectorScheme` and `skos:broader` a core sector. See CONTRIBUTING.md of kemitraan-graph.
"""


def scaffold(target: str | Path, *, name: str | None = None, prefix: str = "ext",
             namespace: str | None = None, base: str | None = None, lang: str = DEFAULT_LANG) -> list[Path]:
    """Write a new extension project into ``target`` (which must be empty or new); returns the files.

    Every file is written atomically; an existing non-empty folder is refused, nothing is written.
    """
    from .atomic import write_text

    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise LoadError(str(target), None, None, "the folder exists and is not empty; choose a new one")
    name = name or target.resolve().name
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "project"
    if not re.fullmatch(r"[A-Za-z][\w-]*", prefix):
        raise LoadError(prefix, None, None, "the prefix must be a word (letters, digits, _ or -)")
    if lang not in LANGS:
        raise LoadError(lang, None, None, f"lang must be one of {', '.join(LANGS)}")
    namespace = namespace or f"https://example.org/{slug}/ontology#"
    base = base or f"https://example.org/{slug}/id/"
    values = {"name": name, "prefix": prefix, "namespace": namespace, "base": base, "lang": lang,
              "ontology": namespace.rstrip("#/")}
    files = {
        PROJECT_FILE: _TOML, f"ontology/{slug}.ttl": _MODULE, "shapes/shapes.ttl": _SHAPES,
        "data/example-case.ttl": _CASE, "queries/example.rq": _QUERY, "checks/village-case-has-a-country.rq": _CHECK,
        "tests/test_project.py": _TEST, "README.md": _README,
    }
    written = []
    for rel, template in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, template.format(**values))
        written.append(path)
    return written


__all__ = ["KEYS", "PROJECT_FILE", "Project", "find_project", "read_project", "scaffold"]
