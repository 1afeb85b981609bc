"""Synthetic partnership cases in the project's own ontology (seeded, any size), as N-Triples.

    python benchmarks/generate.py 10000 -o benchmarks/.cache/cases-10000.nt

Every case has a type, 1-2 sectors, 1-3 countries, 2-6 participations with roles (always the
parties its type requires), dates, an agreement, benefits and a source, like the real data, and
validates against ontology/shapes.ttl; actors are shared between cases
(a few hubs are very popular), so joins and the network views behave as on real data.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

KMT = "https://w3id.org/kemitraan/ontology#"
ID = "https://w3id.org/kemitraan/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"

TYPES = ["GovernmentPrivateCommunityPartnership", "TripleHelixPartnership", "NGOGovernmentCommunityPartnership",
         "InternationalPartnership"]
SECTORS = ["sector-toll-road", "sector-airport", "sector-port", "sector-water", "sector-telecom", "sector-energy",
           "sector-research", "sector-patent", "sector-startup", "sector-poverty", "sector-environment",
           "sector-human-rights", "sector-trade", "sector-security", "sector-health"]
ROLES = ["role-funder", "role-implementing", "role-public-authority", "role-private-party", "role-lender",
         "role-guarantor", "role-operator", "role-researcher", "role-member", "role-beneficiary"]
KINDS = ["GovernmentBody", "Company", "StateOwnedEnterprise", "University", "ResearchInstitute", "NGO",
         "CommunityGroup", "InternationalOrganisation"]
BENEFITS = ["benefit-capacity-resources", "benefit-efficiency-effectiveness", "benefit-innovation-creativity",
            "benefit-reach-impact", "benefit-reputation-image"]
#: the parties each case type needs (ontology/shapes.ttl, R2), as indexes into KINDS: one of each group
REQUIRED = {
    "GovernmentPrivateCommunityPartnership": [(0,), (1,)],  # a government body, a company
    "TripleHelixPartnership": [(3, 4), (1,), (0,)],  # a university or research institute, a company, a government body
    "NGOGovernmentCommunityPartnership": [(5, 6), (0,)],  # an NGO or community group, a government body
    "InternationalPartnership": [(7,)],  # an international organisation
}
AGREEMENTS = ["ConcessionAgreement", "MemorandumOfUnderstanding", "Treaty", "GrantAgreement", "LoanAgreement"]


def lit(text: str, lang: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + f'"@{lang}'


def generate(n_cases: int, seed: int = 42):
    """Yield N-Triples lines."""
    rnd = random.Random(seed)
    n_actors = max(20, n_cases // 4)
    n_countries = min(200, max(10, n_cases // 100))
    for c in range(n_countries):
        iri = f"<{ID}country/syn-{c}>"
        yield f"{iri} <{RDF_TYPE}> <{KMT}Country> ."
        yield f"{iri} <{RDFS_LABEL}> {lit(f'Negara {c}', 'id')} ."
        yield f"{iri} <{RDFS_LABEL}> {lit(f'Country {c}', 'en')} ."
    for a in range(n_actors):
        iri = f"<{ID}org/syn-{a}>"
        yield f"{iri} <{RDF_TYPE}> <{KMT}{KINDS[a % len(KINDS)]}> ."
        yield f"{iri} <{RDFS_LABEL}> {lit(f'Organisasi {a}', 'id')} ."
        yield f"{iri} <{RDFS_LABEL}> {lit(f'Organisation {a}', 'en')} ."
        yield f"{iri} <{KMT}country> <{ID}country/syn-{rnd.randrange(n_countries)}> ."
    for i in range(n_cases):
        case = f"<{ID}case/syn-{i}>"
        year = rnd.randrange(1960, 2026)
        yield f"{case} <{RDF_TYPE}> <{KMT}{TYPES[i % 4]}> ."
        yield f"{case} <{RDFS_LABEL}> {lit(f'Kemitraan sintetis {i}', 'id')} ."
        yield f"{case} <{RDFS_LABEL}> {lit(f'Synthetic partnership {i}', 'en')} ."
        yield f"{case} <{DCT}description> {lit(f'Deskripsi kasus {i}.', 'id')} ."
        yield f"{case} <{DCT}description> {lit(f'Description of case {i}.', 'en')} ."
        for s in rnd.sample(SECTORS, rnd.randint(1, 2)):
            yield f"{case} <{KMT}sector> <{KMT}{s}> ."
        for c in rnd.sample(range(n_countries), rnd.randint(1, 3)):
            yield f"{case} <{KMT}country> <{ID}country/syn-{c}> ."
        yield f'{case} <{SCHEMA}startDate> "{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"^^<{XSD}date> .'
        if rnd.random() < 0.4:
            yield f'{case} <{SCHEMA}endDate> "{year + rnd.randint(1, 40)}"^^<{XSD}gYear> .'
        # hubs: a power-law-ish choice of actors
        parties = {min(n_actors - 1, int(rnd.paretovariate(1.2)) - 1 + rnd.randrange(n_actors) * (rnd.random() < 0.7))
                   for _ in range(rnd.randint(2, 6))}
        # the parties the case's type requires (data/README.md, rule 5), so that the data validates
        for group in REQUIRED[TYPES[i % 4]]:
            if not any(a % len(KINDS) in group for a in parties):
                parties.add(rnd.choice(group) + len(KINDS) * rnd.randrange(n_actors // len(KINDS)))
        while len(parties) < 2:
            parties.add(rnd.randrange(n_actors))
        for j, a in enumerate(sorted(parties)):
            p = f"_:p{i}x{j}"
            yield f"{case} <{KMT}hasParticipation> {p} ."
            yield f"{p} <{RDF_TYPE}> <{KMT}Participation> ."
            yield f"{p} <{ORG}member> <{ID}org/syn-{a}> ."
            yield f"{p} <{ORG}role> <{KMT}{rnd.choice(ROLES)}> ."
        agr = f"<{ID}agreement/syn-{i}>"
        yield f"{case} <{KMT}agreement> {agr} ."
        yield f"{agr} <{RDF_TYPE}> <{KMT}{rnd.choice(AGREEMENTS)}> ."
        yield f"{agr} <{RDFS_LABEL}> {lit(f'Perjanjian {i}', 'id')} ."
        yield f"{agr} <{RDFS_LABEL}> {lit(f'Agreement {i}', 'en')} ."
        if rnd.random() < 0.5:
            yield f"{agr} <{KMT}durationYears> \"{rnd.randint(5, 45)}\"^^<{XSD}integer> ."
        for b in rnd.sample(BENEFITS, rnd.randint(0, 3)):
            yield f"{case} <{KMT}claimsBenefit> <{KMT}{b}> ."
        yield f"{case} <{DCT}source> <https://example.org/source/{i}> ."


def write(n_cases: int, path: Path, seed: int = 42) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for line in generate(n_cases, seed):
            f.write(line + "\n")
    tmp.replace(path)
    return path


def cached(n_cases: int, seed: int = 42) -> Path:
    path = Path(__file__).parent / ".cache" / f"cases-{n_cases}-{seed}-v2.nt"  # v2: valid data
    return path if path.exists() else write(n_cases, path, seed)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", type=int)
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    print(write(args.cases, args.output, args.seed))
