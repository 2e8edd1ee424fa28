"""A small corpus of resolved forecasts for the scoring tests (issue 19), written on demand.

Three articles: `ana-spring` by Ana Ruiz (20 scored scenarios, and one of each unscored kind),
`joint-summer` by Ana Ruiz and Ben Okafor (3 scored), `staff-note`, unsigned (2 scored). The
tests in tests/test_forecasts.py compute the expected scores by hand from `SCENARIOS`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: article → (authors, publication date, [(term or None, status, voice), …]).
SCENARIOS: dict[str, tuple[list[str], str, list[tuple[str | None, str, str]]]] = {
    "ana-spring": (
        ["ana-ruiz"],
        "2024-03-01",
        [("likely", "happened", "author")] * 6
        + [("likely", "did-not-happen", "author")] * 2
        + [("very-likely", "happened", "author")] * 3
        + [("very-likely", "did-not-happen", "author")]
        + [("unlikely", "happened", "author")]
        + [("unlikely", "did-not-happen", "author")] * 3
        + [("roughly-even-chance", "happened", "author")]
        + [("roughly-even-chance", "did-not-happen", "author")]
        + [("almost-certain", "happened", "author")] * 2
        # Not scored: still open; no ICD 203 term; someone else's forecast.
        + [("likely", "open", "author")]
        + [(None, "happened", "author")]
        + [("very-likely", "happened", "attributed")],
    ),
    "joint-summer": (
        ["ana-ruiz", "ben-okafor"],
        "2024-06",
        [
            ("very-unlikely", "did-not-happen", "author"),
            ("almost-no-chance", "happened", "author"),
            ("likely", "happened", "author"),
        ],
    ),
    "staff-note": (
        [],
        "2024-07-15",
        [("likely", "happened", "author"), ("unlikely", "did-not-happen", "author")],
    ),
}

_PEOPLE = {"ana-ruiz": "Ana Ruiz", "ben-okafor": "Ben <Okafor>"}


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_forecast_corpus(root: Path) -> Path:
    """Write the corpus as `<root>/records` and return that folder."""
    records = root / "records"
    for person, name in _PEOPLE.items():
        _dump(
            records / "entities" / f"{person}.json",
            {
                "id": person,
                "schema_version": "1.1.0",
                "kind": "person",
                "name": name,
                "aliases": [],
                "description": "A fictional analyst (test fixture).",
            },
        )
    for article, (authors, date, scenarios) in SCENARIOS.items():
        lines, items = [], []
        for number, (term, status, voice) in enumerate(scenarios, 1):
            line = f"Forecast {article} number {number}: {term or 'perhaps'}."
            lines.append(line)
            item: dict[str, Any] = {
                "id": f"s{number:02d}",
                "title": f"Scenario {number} of {article}",
                "outcomes": [f"outcome {number}"],
                "likelihood": {"wording": term or "perhaps", "estimate": term},
                "resolution": {"status": status},  # an editorial basis once resolved
                "voice": voice,
                "evidence": [{"quote": line}],
            }
            if status != "open":
                item["resolution"]["editorial"] = {
                    "basis": "contributor-judgement",
                    "note": "Fixture resolution.",
                }
            if voice == "attributed":
                item["attributed_to"] = "ben-okafor"
            items.append(item)
        (records / "sources").mkdir(parents=True, exist_ok=True)
        (records / "sources" / f"{article}.txt").write_text("\n".join(lines) + "\n", "utf-8")
        data: dict[str, Any] = {
            "id": article,
            "schema_version": "1.1.0",
            "source": {
                "title": f"Forecasts: {article}",
                "published": {
                    "value": date,
                    "editorial": {"basis": "contributor-judgement", "note": "Fixture date."},
                },
                "language": "en",
                "rights": "Fixture text written for the test suite; CC0.",
            },
            "authors": [{"person": person} for person in authors],
            "scenarios": items,
        }
        if not authors:
            data["unsigned"] = {
                "editorial": {"basis": "contributor-judgement", "note": "No byline."},
            }
        _dump(records / "articles" / f"{article}.json", data)
    return records
