"""toolkit._native, the C text kernels of validation, agree with their Python twins.

Each kernel (straighten_collapse, NameTable, count_each, json_facts) is held to its twin by
property tests, which `make native-sanitize` also runs against an AddressSanitizer/UBSan
build (STRATLAS_NATIVE_BUILD: the path of that build). And the checks built on them give
the same findings either way: valid articles broken the ways contributors break them
(misquotes, wrong voices, impossible dates, unknown or wrong-kind references, unnamed
identifications…) get the same findings on the kernels and on the twins.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from support import need_native

import toolkit.runtime.native
from toolkit.checks import run_checks
from toolkit.format.relations import ARTICLE_REFERENCES
from toolkit.load import Corpus, discover
from toolkit.text.names import NameIndex
from toolkit.text.needles import _count_each, _locate_each
from toolkit.text.quotes import Snapshot, _collapse, _straighten
from toolkit.validate.records import file_findings

REPO = Path(__file__).resolve().parent.parent
CORPORA = [REPO / "records", REPO / "tests" / "fixtures" / "corpus"]
SEED_SNAPSHOT = (
    REPO / "records" / "sources" / "bidens-atacms-decision-escalation-or-strategic-necessity.txt"
)
KERNELS = {"NameTable", "count_each", "json_facts", "locate_each", "straighten_collapse"}


@pytest.fixture(scope="module")
def kernels() -> Iterator[ModuleType]:
    """The C kernels (the sanitizer build when STRATLAS_NATIVE_BUILD names its folder: see
    tests/conftest.py), which the toolkit's code also gets from `toolkit.runtime.native`."""
    need_native()
    import toolkit._native as module

    build = os.environ.get("STRATLAS_NATIVE_BUILD")
    assert not build or Path(module.__file__ or "").parent == Path(build).resolve()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(toolkit.runtime.native, "native", lambda name: getattr(module, name))
        yield module


def test_the_c_part_is_built_and_holds_only_the_kernels(kernels: ModuleType) -> None:
    assert {name for name in dir(kernels) if not name.startswith("_")} == KERNELS


def _loaded(root: Path) -> Corpus:
    corpus = discover(root)
    assert not file_findings(corpus, True)
    return corpus


def _shown(corpus: Corpus, native: bool) -> list[str]:
    """The checks' findings on the C kernels (`native`) or on the Python twins."""
    with pytest.MonkeyPatch.context() as patch:
        if not native:
            patch.setattr(toolkit.runtime.native, "native", lambda name: None)
        findings = run_checks(corpus)
    return [
        f"{f.file}:{f.line}:{f.col} {f.code} {f.pointer} {f.message} | {f.hint}"
        for f in sorted(findings, key=lambda f: (f.file, f.pointer))
    ]


@pytest.mark.parametrize("root", CORPORA, ids=lambda p: p.name)
def test_valid_corpora_pass_on_both(kernels: ModuleType, root: Path) -> None:
    corpus = _loaded(root)
    assert _shown(corpus, True) == _shown(corpus, False) == []


# --- breaking an article -------------------------------------------------------------------


def _nodes(data: Any, test: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if test(node):
                found.append(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _reference_holders(data: dict[str, Any]) -> list[tuple[Any, Any]]:
    """(container, key) of every entity reference of an article."""
    holders: list[tuple[Any, Any]] = []

    def follow(node: Any, parts: tuple[str | None, ...]) -> None:
        part, rest = parts[0], parts[1:]
        children: list[tuple[Any, Any]] = []
        if part is None and isinstance(node, list):
            children = list(enumerate(node))
        elif part is not None and isinstance(node, dict) and part in node:
            children = [(part, node[part])]
        for key, child in children:
            if not rest:
                if isinstance(child, str):
                    holders.append((node, key))
            else:
                follow(child, rest)

    for pattern, _ in ARTICLE_REFERENCES:
        follow(data, tuple(None if p == "*" else p for p in pattern.strip("/").split("/")))
    return holders


def _break(data: dict[str, Any], snapshot: str, entities: list[str], draw: st.DrawFn) -> str:
    """Break `data` in one of the ways below (chosen by `draw`); says which."""
    anchors = _nodes(data, lambda n: "quote" in n)
    claims = _nodes(data, lambda n: "evidence" in n)
    voiced = _nodes(data, lambda n: "voice" in n)
    dates = _nodes(data, lambda n: isinstance(n.get("value"), str) and "evidence" in n)
    mentions = _nodes(data, lambda n: "entity" in n and "role" in n)
    references = _reference_holders(data)
    how = draw(
        st.sampled_from(
            [
                "quote",
                "anchor-key",
                "no-evidence",
                "voice",
                "date",
                "reference",
                "label",
                "event-date",
            ]
        )
    )
    if how == "quote" and anchors:
        anchor = draw(st.sampled_from(anchors))
        start = draw(st.integers(0, max(0, len(snapshot) - 2)))
        anchor["quote"] = draw(
            st.sampled_from(
                [
                    "words that are nowhere in the source",
                    "the",
                    " " + anchor["quote"],
                    anchor["quote"] + " ",
                    anchor["quote"].replace(" ", "  ", 1),
                    anchor["quote"].replace("'", "’"),
                    '"' + anchor["quote"],
                    "",
                    anchor["quote"][:7],
                    anchor["quote"][: draw(st.integers(1, 12))],
                    snapshot[start : start + draw(st.integers(1, 40))],
                ]
            )
        )
    elif how == "anchor-key" and anchors:
        anchor = draw(st.sampled_from(anchors))
        key = draw(st.sampled_from(["prefix", "suffix", "start", "end"]))
        anchor[key] = draw(st.integers(0, 50)) if key in ("start", "end") else "In"
    elif how == "no-evidence" and claims:
        claim = draw(st.sampled_from(claims))
        claim.pop("evidence")
        if draw(st.booleans()):
            claim["editorial"] = {"basis": "external-source", "note": "elsewhere"}
        if draw(st.booleans()):
            claim["status"] = "open"
    elif how == "voice" and voiced:
        node = draw(st.sampled_from(voiced))
        choice = draw(st.sampled_from(["flip", "drop-attribution", "add-attribution"]))
        if choice == "flip":
            node["voice"] = "author" if node["voice"] == "attributed" else "attributed"
        elif choice == "drop-attribution":
            node.pop("attributed_to", None)
        else:
            node["attributed_to"] = draw(st.sampled_from(entities))
    elif how == "date" and dates:
        node = draw(st.sampled_from(dates))
        node["value"] = draw(
            st.sampled_from(
                [
                    *("2020-02-30", "2020-00", "2021-13", "2020-02-29", "2019-02-29", "2024"),
                    *("2024-11-00", "1900-02-29", "2000-02-29", "0000", "2024-06-31"),
                ]
            )
        )
    elif how == "reference" and references:
        holder, key = draw(st.sampled_from(references))
        holder[key] = draw(
            st.sampled_from([*entities, "no-such-entity", "todo-person", data["id"]])
        )
    elif how == "label" and mentions:
        mention = draw(st.sampled_from(mentions))
        mention.pop("identification", None)
        mention["label_in_source"] = "a label"
        if draw(st.booleans()):
            mention["entity"] = draw(st.sampled_from(entities))
    elif how == "event-date" and data.get("events"):
        event = draw(st.sampled_from(data["events"]))
        event["date"] = {"value": "2999-01-01", "editorial": {"basis": "x", "note": "y"}}
    else:
        return "nothing"
    return how


@pytest.fixture(scope="module")
def breakable(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    copies = []
    for root in CORPORA:
        target = tmp_path_factory.mktemp(root.name) / "records"
        shutil.copytree(root, target)
        copies.append(target)
    return copies


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_broken_articles_get_the_same_findings_on_the_kernels_and_the_twins(
    kernels: ModuleType, breakable: list[Path], data: st.DataObject
) -> None:
    root = data.draw(st.sampled_from(breakable))
    corpus = _loaded(root)
    articles = [r for r in corpus.records if r.kind == "article"]
    entities = sorted(r.stem for r in corpus.records if r.kind == "entity")
    for _ in range(data.draw(st.integers(1, 3))):
        record = data.draw(st.sampled_from(articles))
        assert record.document.data is not None
        snapshot = corpus.sources[record.stem]
        broken = copy.deepcopy(record.document.data)
        how = _break(broken, snapshot, entities, data.draw)
        record.document.data = broken
        note(f"{record.stem}: {how}")
        if data.draw(st.booleans()):
            # A passage quoted by the article that the source now holds twice.
            anchor = data.draw(st.sampled_from(_nodes(broken, lambda n: "quote" in n)))
            corpus.sources[record.stem] = f"{snapshot}\n{anchor['quote']}"
            note(f"{record.stem}: repeats “{anchor['quote']}”")
    assert _shown(corpus, True) == _shown(corpus, False)


def test_a_misquote_and_an_unnamed_identification_are_found_on_both(
    kernels: ModuleType,
) -> None:
    """Two breaks that only the quote count and the name look-up can see."""
    corpus = _loaded(REPO / "tests" / "fixtures" / "corpus")
    record = next(r for r in corpus.records if r.kind == "article")
    assert record.document.data is not None
    broken = copy.deepcopy(record.document.data)
    anchor = _nodes(broken, lambda n: "quote" in n)[0]
    anchor["quote"] = anchor["quote"][:-1] + "#"
    mention = _nodes(broken, lambda n: "entity" in n and "role" in n)[0]
    mention.pop("identification", None)
    mention["label_in_source"] = "a label"
    record.document.data = broken
    codes = {line.split()[1] for line in _shown(corpus, True)}
    assert "evidence-orphaned" in codes
    assert _shown(corpus, True) == _shown(corpus, False)


# --- the kernels and their twins ------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.sampled_from(list("ab AB_.-’“”\u00a0\t\n\u2028é\u0301ß1٣😀")), max_size=40
)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_the_c_normalisation_of_a_snapshot_is_the_python_one(
    kernels: ModuleType, text: str
) -> None:
    assert kernels.straighten_collapse(text) == _collapse(_straighten(text))


def test_shipped_record_text_needs_the_c_normalisation_to_be_exact(kernels: ModuleType) -> None:
    """The seed snapshot has typographic quotes and no-break spaces: the case that matters."""
    text = SEED_SNAPSHOT.read_text(encoding="utf-8")
    assert re.search("[’“”\u00a0]", text)
    assert kernels.straighten_collapse(text) == _collapse(_straighten(text))


_NAME = st.text(alphabet=st.sampled_from(list("ab AB.-_é1")), min_size=1, max_size=8)


@settings(max_examples=400, deadline=None)
@given(st.lists(_NAME, min_size=1, max_size=6), _TEXT)
def test_the_c_name_table_finds_what_the_automaton_finds(
    kernels: ModuleType, names: list[str], text: str
) -> None:
    owners = [(f"e{number % 3}", number, name) for number, name in enumerate(names)]
    snapshot = Snapshot(text + " " + " ".join(names[::2]))
    assert NameIndex(owners).find(snapshot) == NameIndex(owners, native=False).find(snapshot)


def test_the_c_name_table_matches_whole_words_only(kernels: ModuleType) -> None:
    table = kernels.NameTable(["New York", "York", "New York City", "A"])
    assert table.find("In New York City, new Yorkers; York.") == [0, 2, 1]
    assert table.find("NewYork A_ A1 _A") == []
    with pytest.raises(ValueError):
        kernels.NameTable(["two  spaces"])
    with pytest.raises(ValueError):
        kernels.NameTable(["U.S."])


#: Few letters, so that needles occur, overlap and repeat; wide characters too.
_SMALL = st.text(alphabet=st.sampled_from(list("ab a\u00e9\u20ac😀")), max_size=60)


@settings(max_examples=600, deadline=None)
@given(
    _SMALL,
    st.lists(st.text(alphabet=st.sampled_from(list("ab a\u00e9\u20ac😀")), max_size=12)),
    st.data(),
)
def test_the_c_count_of_many_needles_is_the_python_one(
    kernels: ModuleType, text: str, needles: list[str], data: st.DataObject
) -> None:
    # Needles cut from the text occur at least once; some long enough for the rolling hash.
    for _ in range(data.draw(st.integers(0, 4))):
        start = data.draw(st.integers(0, len(text)))
        needles.append(text[start : start + data.draw(st.integers(0, 30))])
    assert kernels.count_each(text, needles) == _count_each(text, needles)


@settings(max_examples=600, deadline=None)
@given(
    _SMALL,
    st.lists(st.text(alphabet=st.sampled_from(list("ab a_.\u00e9\u20ac😀")), max_size=12)),
    st.data(),
)
def test_the_c_places_and_edges_of_many_needles_are_the_python_ones(
    kernels: ModuleType, text: str, needles: list[str], data: st.DataObject
) -> None:
    for _ in range(data.draw(st.integers(0, 4))):
        start = data.draw(st.integers(0, len(text)))
        needles.append(text[start : start + data.draw(st.integers(0, 30))])
    assert kernels.locate_each(text, needles) == _locate_each(text, needles)


def test_the_c_places_and_edges_of_needles_on_the_edges(kernels: ModuleType) -> None:
    locate = kernels.locate_each
    text = "University of Washington, é_x 😀a"
    assert locate(text, ["ashington", "Univers", "sity of Wash", "of", "", "zz"]) == (
        [1, 1, 1, 1, len(text) + 1, 0],
        [15, 0, 6, 11, 0, -1],
        [1, 2, 3, 0, 0, 0],
    )
    # Non-ASCII word characters and "_" are word characters; an emoji is not.
    assert locate(text, ["_x", "é_", "😀a", "😀"]) == ([1, 1, 1, 1], [27, 26, 30, 30], [1, 2, 0, 0])
    long = "of Washington, é"  # the rolling hash's path (WINDOW characters or more)
    assert locate(text, [long, "ty of Washington"]) == ([1, 1], [11, 8], [2, 1])
    assert locate("", ["", "a"]) == ([1, 0], [0, -1], [0, 0])
    with pytest.raises(TypeError):
        locate("text", [b"bytes"])


def test_the_c_count_of_many_needles_on_the_edges(kernels: ModuleType) -> None:
    count = kernels.count_each
    assert count("aaaa", ["a", "aa", "", "b", "aaaaaaaa"]) == [4, 3, 5, 0, 0]
    assert count("", ["", "a"]) == [1, 0]
    long = "the same passage, twice"
    assert count(f"{long} and {long}", [long, long[1:], long + "!"]) == [2, 2, 0]
    assert count("x" * 20 + "\u20ac" * 9, ["\u20ac" * 8, "x" * 9, "é" * 8]) == [2, 12, 0]
    assert count("😀" * 10, ["😀" * 8, "a" * 8]) == [3, 0]
    assert count("text", ()) == []
    with pytest.raises(TypeError):
        count("text", [b"bytes"])
    with pytest.raises(TypeError):
        count(b"text", ["t"])
    with pytest.raises(TypeError):
        count("text", 5)


_ID = st.text(alphabet=st.sampled_from(list("abcde-")), min_size=1, max_size=10)


@settings(max_examples=200, deadline=None)
@given(st.lists(_ID, min_size=51, max_size=120, unique=True), _ID)
def test_did_you_mean_among_many_choices_is_difflibs_choice(choices: list[str], word: str) -> None:
    """Among many choices rapidfuzz narrows them first; the hint must stay difflib's."""
    import difflib

    from toolkit.text.hints import did_you_mean

    matches = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    assert did_you_mean(word, choices) == (f"did you mean `{matches[0]}`?" if matches else "")


def test_a_mention_labelled_with_an_article_id_is_an_unknown_reference_not_a_crash() -> None:
    corpus = _loaded(REPO / "tests" / "fixtures" / "corpus")
    first, second = (r for r in corpus.records if r.kind == "article")
    assert first.document.data is not None and second.document.data is not None
    broken = copy.deepcopy(first.document.data)
    mention = _nodes(broken, lambda n: "entity" in n and "role" in n)[0]
    mention.pop("identification", None)
    mention["label_in_source"] = "a label"
    mention["entity"] = second.document.data["id"]
    first.document.data = broken
    for native in (True, False):
        if native:
            need_native()
        codes = {line.split()[1] for line in _shown(corpus, native)}
        assert "ref-unknown" in codes
