"""Scaling cases for the site (issue 16, item 3): what one record can add to the build.

One article with one event whose fan-out grows with n: n actors, n places and n weapon systems
(each an entity record), a description and 5 evidence quotes of 20·n characters each: the
record grows as n (n ≤ 100 keeps it valid: 100 of each, 2,000 characters; time it at `N` and
2·`N`). Copied whole onto the page and the document of each entity it names, the event made
the site grow as n²; bounded (`toolkit.text.excerpt`), it grows as n.

`CASES` maps a name to a `Case`: given a fresh work folder and n, it prepares the project and
returns the callable to time. `site_bytes` is what the tests and the runner compare.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path

__all__ = ["CASES", "SIZES", "Case", "N", "fanout_project", "fanout_records", "site_bytes"]

REPO = Path(__file__).resolve().parent.parent

Case = Callable[[Path, int], Callable[[], object]]

#: The n to time (and 2n): the schema allows 100 actors and 2,000 characters per event, and
#: 3·2n + 1 records stay under `PARALLEL_FROM` (300), so that both sizes run in one process.
N = 40

_WORDS = ("forces", "advance", "along", "the", "river", "under", "heavy", "winter", "fire")


def _text(length: int, salt: int) -> str:
    """About `length` characters of words, different for each `salt` (seeded: same bytes)."""
    pick = random.Random(salt).choice
    words: list[str] = [f"{salt}"]
    while sum(len(w) + 1 for w in words) < length:
        words.append(pick(_WORDS))
    return " ".join(words)[:length].rstrip()


def fanout_records(records: Path, n: int) -> None:
    """`records/` holding the one fan-out article and its n actors."""
    for folder in ("articles", "entities", "sources"):
        (records / folder).mkdir(parents=True, exist_ok=True)
    lists = {"actors": "organization", "places": "place", "weapon_systems": "weapon-system"}
    named = {field: [f"{kind}-{i:03d}" for i in range(n)] for field, kind in lists.items()}
    people = [("bench-author", "person")]
    for field, kind in lists.items():
        people += [(entity_id, kind) for entity_id in named[field]]
    for i, (entity_id, kind) in enumerate(people):
        entity: dict[str, object] = {
            "id": entity_id,
            "schema_version": "1.0.0",
            "kind": kind,
            "name": f"Unit {i:03d}",
            "aliases": [],
            "description": "A fictional unit of the benchmark.",
        }
        (records / "entities" / f"{entity_id}.json").write_text(json.dumps(entity), "utf-8")
    quotes = [_text(20 * n, 100 + q) for q in range(5)]
    (records / "sources" / "fanout.txt").write_text("\n".join(quotes) + "\n", "utf-8")
    article = {
        "id": "fanout",
        "schema_version": "1.0.0",
        "source": {"title": "Fan-out", "language": "en", "rights": "Benchmark text; CC0."},
        "authors": [{"person": "bench-author"}],
        "events": [
            {
                "id": "the-event",
                "description": _text(20 * n, 1),
                **named,
                "evidence": [{"quote": quote} for quote in quotes],
            }
        ],
    }
    (records / "articles" / "fanout.json").write_text(json.dumps(article), "utf-8")


def fanout_project(folder: Path, n: int) -> Path:
    """A copy of the project's site configuration with the fan-out records, in `folder`."""
    project = folder / "project"
    project.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", project / "overrides")
    shutil.copytree(REPO / "docs", project / "docs", ignore=shutil.ignore_patterns("generated"))
    fanout_records(project / "records", n)
    return project


def site_bytes(project: Path) -> int:
    """Bytes of the generated pages and per-record JSON documents (the bulk downloads —
    statements.csv, SQLite, JSON Lines — hold one row per link: not counted)."""
    generated = project / "docs" / "generated"
    bulk = (".csv", ".db", ".jsonl")
    return sum(
        path.stat().st_size
        for path in generated.rglob("*")
        if path.is_file() and not path.name.endswith(bulk)
    )


def _generate(folder: Path, n: int) -> Callable[[], object]:
    """`stratlas build` and `serve`'s generation step: validate, link, pages and API."""
    from toolkit.site.generate import generate

    project = fanout_project(folder, n)

    def run() -> object:
        report, stats = generate(project, project / "records")
        if stats is None:
            raise RuntimeError(f"the fan-out records do not validate: {report.errors[:1]}")
        return site_bytes(project)

    return run


def _build(folder: Path, n: int) -> Callable[[], object]:
    """A full `stratlas build` (mkdocs included) of the fan-out project."""
    from toolkit.site.build import build

    project = fanout_project(folder, n)

    def run() -> object:
        result = build(project, project / "records", folder / "site")
        if not result.ok:
            raise RuntimeError("the fan-out build failed")
        return site_bytes(project)

    return run


CASES: dict[str, Case] = {
    "site: one event's fan-out (generate)": _generate,
    "site: one event's fan-out (stratlas build)": _build,
}

#: The n of each case for bench/scaling.py.
SIZES: dict[str, int] = dict.fromkeys(CASES, N)
