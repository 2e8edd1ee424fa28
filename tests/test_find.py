"""`stratlas find NAME`: registered entities by name or alias, fuzzy, best first, with kind and
ID; the library returns matches, the command renders them (lines or JSON) and exits 0 found,
1 none, 2 usage."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from toolkit.authoring.find import find_entities
from toolkit.authoring.scaffold import KnownEntity
from toolkit.cli import app

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()

_ENTITIES = [
    KnownEntity("joe-biden", "person", "Joe Biden", ("Biden", "Joseph R. Biden Jr.")),
    KnownEntity("biden-administration", "government", "Biden administration"),
    KnownEntity("vladimir-putin", "person", "Vladimir Putin", ("Putin",)),
    KnownEntity("oreshnik", "weapon-system", "Oreshnik"),
    KnownEntity("united-kingdom", "state", "United Kingdom", ("Britain", "UK")),
    KnownEntity("kyiv", "place", "Kyiv", ("Kiev",)),
    KnownEntity("paris", "place", "Paris"),
    KnownEntity("russia", "state", "Russia"),
]


def _ids(query: str, **options: object) -> list[str]:
    return [m.id for m in find_entities(query, _ENTITIES, **options)]  # type: ignore[arg-type]


def test_exact_alias_first_with_the_alias_that_matched() -> None:
    [first, second] = find_entities("biden", _ENTITIES)
    assert (first.id, first.kind, first.name) == ("joe-biden", "person", "Joe Biden")
    assert (first.matched, first.field, first.score) == ("Biden", "alias", 1.0)
    # The name holding the word comes next, below the exact alias.
    assert (second.id, second.field) == ("biden-administration", "name")
    assert second.score < first.score


def test_case_articles_and_apostrophes_do_not_matter() -> None:
    assert _ids("THE united kingdom") == ["united-kingdom"]
    assert find_entities("kiev", _ENTITIES)[0].matched == "Kiev"


def test_fuzzy_misspellings_and_word_starts() -> None:
    assert _ids("Orechnik") == ["oreshnik"]  # a misspelling
    assert _ids("Putn") == ["vladimir-putin"]  # one word of the name, misspelt
    assert _ids("Oresh") == ["oreshnik"]  # a word's start
    assert (
        find_entities("Oresh", _ENTITIES)[0].score > find_entities("Orechnik", _ENTITIES)[0].score
    )
    assert _ids("Atlantis") == []
    assert _ids("Paris")[0] == "paris" and "russia" not in _ids("Paris")


def test_an_id_finds_its_entity_and_kinds_filter() -> None:
    [match] = find_entities("united-kingdom", _ENTITIES)
    assert (match.id, match.field) == ("united-kingdom", "id")
    assert _ids("biden", kinds=("government",)) == ["biden-administration"]
    assert _ids("biden", limit=1) == ["joe-biden"]
    assert _ids("   ") == []


def test_the_order_does_not_depend_on_the_files_order() -> None:
    forward = find_entities("biden", _ENTITIES)
    assert find_entities("biden", list(reversed(_ENTITIES))) == forward


def test_find_command_lines_json_and_exit_codes() -> None:
    records = str(REPO / "records")
    found = runner.invoke(app, ["find", "Britain", "--records", records])
    assert found.exit_code == 0, found.output
    assert found.output.splitlines()[0].split() == [
        "state",
        "united-kingdom",
        "United",
        "Kingdom",
        "(alias:",
        "Britain)",
    ]
    as_json = runner.invoke(app, ["find", "putin", "--json", "--records", records])
    assert as_json.exit_code == 0
    assert json.loads(as_json.output)[0] == {
        "id": "vladimir-putin",
        "kind": "person",
        "name": "Vladimir Putin",
        "matched": "Putin",
        "field": "alias",
        "score": 1.0,
    }
    none = runner.invoke(app, ["find", "Zzyzx Institute", "--records", records])
    assert none.exit_code == 1
    assert "no entity matches “Zzyzx Institute”" in none.output
    assert "stratlas new entity KIND" in none.output
    empty = runner.invoke(app, ["find", "Zzyzx", "--json", "--records", records])
    assert (empty.exit_code, json.loads(empty.output)) == (1, [])
    bad_kind = runner.invoke(app, ["find", "x", "--kind", "planet", "--records", records])
    assert bad_kind.exit_code == 2 and "unknown kind" in bad_kind.output
    missing = runner.invoke(app, ["find", "x", "--records", str(REPO / "no-such-folder")])
    assert missing.exit_code == 2
