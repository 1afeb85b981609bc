"""Rewrite the expected answer sets of the library queries on the bundled data.

    .venv/bin/python tests/expected/regenerate.py

Only after a deliberate data or query change: read the diff (git diff tests/expected) before committing.
"""

from pathlib import Path

from kemitraan_graph import KnowledgeGraph

HERE = Path(__file__).parent


def answer_lines(result) -> list[str]:
    return sorted("\t".join("" if v is None else v.n3() for v in row) for row in result.rows)


if __name__ == "__main__":
    with KnowledgeGraph.load() as kg:
        for name in sorted(kg.library):
            res = kg.query(name)
            (HERE / f"{name}.tsv").write_text("\t".join(res.vars) + "\n" + "".join(
                line + "\n" for line in answer_lines(res)), encoding="utf-8")
            print(f"{name}: {len(res)} rows")
