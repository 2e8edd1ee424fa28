"""Checks that hold in a corpus (issue 17, item 7): quotes cut inside a word, a likelihood's
wording, names inside longer names, identification, and what a schema error leaves checked."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from toolkit.findings import Finding
from toolkit.validate import validate_paths

# The whole module runs on the C kernels and on their Python twins (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("implementation")

#: A valid little corpus: the misquote example with its quote mended.
BASE = Path(__file__).parent / "examples" / "invalid" / "evidence-orphaned" / "misquote"
ARTICLE = "articles/spear-strikes.json"
SOURCE = "sources/spear-strikes.txt"


def _corpus(
    tmp_path: Path, edit: Callable[[dict[str, Any]], object] | None = None, source: str = ""
) -> Path:
    root = tmp_path / "records"
    shutil.copytree(BASE, root)
    (root / "expected.json").unlink()
    article = json.loads((root / ARTICLE).read_text(encoding="utf-8"))
    article["actors"][0]["evidence"][0]["quote"] = "President Ines Moro said"
    if edit is not None:
        edit(article)
    (root / ARTICLE).write_text(json.dumps(article, indent=2, ensure_ascii=False) + "\n")
    if source:
        (root / SOURCE).write_text(source, encoding="utf-8")
    return root


def _findings(root: Path, fast: bool = True) -> list[Finding]:
    findings = validate_paths([root], fast=fast).findings
    assert findings == validate_paths([root], fast=not fast).findings
    return findings


def test_the_base_corpus_is_valid(tmp_path: Path) -> None:
    assert _findings(_corpus(tmp_path)) == []


# ---- quotes cut inside a word --------------------------------------------------------------


def _quote(section: str, index: int, anchor: dict[str, str]) -> Callable[[dict[str, Any]], None]:
    def edit(article: dict[str, Any]) -> None:
        article[section][index]["evidence"][0] = anchor

    return edit


@pytest.mark.parametrize(
    ("anchor", "message"),
    [
        ({"quote": "Critics called the decis"}, "ends inside a word of the source (“decision”)"),
        ({"quote": "ritics called"}, "starts inside a word of the source (“Critics”)"),
        (
            {"quote": "ritics called the decis"},
            "starts and ends inside a word of the source (“Critics” and “decision”)",
        ),
        ({"quote": "ecisio"}, "starts and ends inside a word of the source (“decision”)"),
        # resolved in full (a prefix), not by the one pass over the article's quotes
        ({"quote": "argets in Tarsis", "prefix": "against t"}, "starts inside a word"),
    ],
)
def test_a_quote_cut_inside_a_word_is_a_warning(
    tmp_path: Path, anchor: dict[str, str], message: str
) -> None:
    findings = _findings(_corpus(tmp_path, _quote("assessments", 0, anchor)))
    assert [(f.code, f.pointer) for f in findings] == [
        ("evidence-partial-word", "/assessments/0/evidence/0/quote")
    ]
    assert message in findings[0].message


@pytest.mark.parametrize(
    "quote",
    [
        "Critics called the decision",
        "the decision reckless.",  # punctuation at an edge
        " Critics called the decision reckless. ",  # white space is trimmed, as ever
        "Tarsis. Critics",
    ],
)
def test_a_quote_of_whole_words_is_not(tmp_path: Path, quote: str) -> None:
    assert _findings(_corpus(tmp_path, _quote("assessments", 0, {"quote": quote}))) == []


# ---- likelihood.wording ----------------------------------------------------------------------


def _wording(wording: str | None) -> Callable[[dict[str, Any]], None]:
    def edit(article: dict[str, Any]) -> None:
        article["scenarios"][0]["likelihood"]["wording"] = wording

    return edit


def test_a_wording_the_source_does_not_hold_is_an_error(tmp_path: Path) -> None:
    findings = _findings(_corpus(tmp_path, _wording("not likely")))
    assert [(f.code, f.pointer) for f in findings] == [
        ("wording-missing", "/scenarios/0/likelihood/wording")
    ]


@pytest.mark.parametrize("wording", ["unlikely", "is  unlikely\nbefore", "will probably", None])
def test_a_wording_is_matched_as_a_quote_is(tmp_path: Path, wording: str | None) -> None:
    root = _corpus(tmp_path, _wording(wording))
    text = (root / SOURCE).read_text(encoding="utf-8")
    # A no-break space in the snapshot: normalised as quotes are.
    (root / SOURCE).write_text(text.replace("will probably", "will\u00a0probably"))
    assert _findings(root) == []


# ---- names inside longer names ---------------------------------------------------------------


def _with_entity(root: Path, entity_id: str, name: str) -> None:
    entity = {
        "id": entity_id,
        "schema_version": "1.0.0",
        "kind": "person",
        "name": name,
        "description": "Fictional.",
    }
    (root / "entities" / f"{entity_id}.json").write_text(json.dumps(entity, indent=2) + "\n")


def _unreferenced(root: Path) -> list[Finding]:
    return [f for f in _findings(root) if f.code == "mention-unreferenced"]


def test_a_name_only_inside_a_longer_referenced_name_is_no_mention(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    _with_entity(root, "ines", "Ines")  # only in "President Ines Moro", i.e. `ines-moro`
    assert _unreferenced(root) == []


def test_an_unreferenced_name_is_located_in_the_snapshot(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    _with_entity(root, "ines", "Ines")
    with (root / SOURCE).open("a", encoding="utf-8") as source:
        source.write("\nIn the capital, Ines\u0301s aide and Ines herself spoke.\n")
    (finding,) = _unreferenced(root)
    # Line and column as an editor shows them: code points of the file (a decomposed
    # accent before, which the NFC text composes, counts as the file has it).
    assert (Path(finding.file).name, finding.line, finding.col) == ("spear-strikes.txt", 5, 33)
    assert Path(finding.record).as_posix().endswith(ARTICLE)
    assert finding.as_dict()["record"] == finding.record
    assert "“Ines” (`ines`)" in finding.message
    # Asked about the article alone, validation still reports it.
    alone = validate_paths([root / ARTICLE]).findings
    assert [f.code for f in alone if f.code == "mention-unreferenced"] == [finding.code]


# ---- a schema error does not hide the file's other findings ----------------------------------


def _broken_actor_and_misquoted_event(article: dict[str, Any]) -> None:
    article["actors"][0]["role"] = 42  # a schema error inside one item of a list
    article["events"][0]["evidence"][0]["quote"] = "Valeria refused Spear strikes"


def test_a_schema_error_in_one_item_leaves_the_rest_checked(tmp_path: Path) -> None:
    root = _corpus(tmp_path, _broken_actor_and_misquoted_event)
    found = {(f.code, f.pointer) for f in _findings(root)}
    assert ("schema-type", "/actors/0/role") in found
    # The misquote of another part of the file is reported with it, not after the fix.
    assert ("evidence-orphaned", "/events/0/evidence/0/quote") in found


def test_findings_of_a_partial_record_point_into_the_file_as_it_is(tmp_path: Path) -> None:
    def edit(article: dict[str, Any]) -> None:
        article["actors"][0]["role"] = 42
        article["actors"][2]["evidence"][0]["quote"] = "targets in Tarsis!"  # not in the source

    root = _corpus(tmp_path, edit)
    misquote = [f for f in _findings(root) if f.code == "evidence-orphaned"]
    # actors/2 of the file is actors/1 of what the checks read without actors/0.
    assert [f.pointer for f in misquote] == ["/actors/2/evidence/0/quote"]
    text = (root / ARTICLE).read_text(encoding="utf-8").splitlines()
    assert "targets in Tarsis!" in text[misquote[0].line - 1]


def test_an_error_outside_the_lists_stops_the_checks_as_before(tmp_path: Path) -> None:
    def edit(article: dict[str, Any]) -> None:
        article["source"]["title"] = 42
        article["events"][0]["evidence"][0]["quote"] = "Valeria refused Spear strikes"

    found = {f.code for f in _findings(_corpus(tmp_path, edit))}
    assert found == {"schema-type"}


def test_a_partial_record_reports_no_orphan_nor_unreferenced_name(tmp_path: Path) -> None:
    def edit(article: dict[str, Any]) -> None:
        article["actors"][0]["role"] = 42  # the only reference to ines-moro: now unread

    found = {f.code for f in _findings(_corpus(tmp_path, edit))}
    assert found == {"schema-type"}
