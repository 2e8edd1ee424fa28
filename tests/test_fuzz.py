"""Property tests: arbitrary bytes, arbitrary JSON and schema-shaped records with mutated leaves
thrown at the loader, the full validator and `fmt`.

Properties: no exception escapes (a finding, never a traceback), nothing hangs (sizes are bounded
and every example has a deadline), a record the validator accepts also builds into the models the
site is made from (and the fast and detailed validation paths agree), and `fmt` never changes a
file it cannot read back to the very same values.

Runs derandomized (the same examples on every machine), so a failure here is reproducible.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.authoring.fmt import _same, format_document_bytes, format_paths, parse_tokens
from toolkit.load import load_json_bytes
from toolkit.validate import validate_paths

BASE = Path(__file__).resolve().parent / "hostile" / "base"
ARTICLE = "articles/spear-strikes.json"
ENTITY = "entities/spear.json"

FUZZ = settings(
    deadline=5000,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# --- strategies -----------------------------------------------------------------------------

#: Text that exercises the loader and the checks: markup, controls, surrogates' neighbours.
hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "tarsis\n",
            "../x",
            "con",
            "javascript:alert(1)",
            "https://a@b",
            "\u202e",
            "=cmd|' /C calc'!A0",
            "2024-02-30",
            "",
            "[" * 50,
        ]
    ),
)
#: Numbers at the edges: huge integers, integral floats (2020.0), tiny and huge floats.
edge_numbers = st.one_of(
    st.integers(),
    st.integers(-(2**70), 2**70),
    st.integers(0, 3000).map(float),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, -1, 2**53, 2**53 + 1, 1e308, 5e-324, -0.0, 10_000_001]),
)
json_leaf = st.one_of(st.none(), st.booleans(), edge_numbers, hostile_text)
any_json = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=15,
)


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8", errors="surrogatepass")


def _leaves(value: Any, pointer: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Paths to every value of a record (containers too: they can be replaced whole)."""
    yield pointer
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*pointer, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*pointer, index))


def _set(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = json.loads(json.dumps(value))
    node = copy
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = new
    return copy


BASE_RECORDS = {
    name: json.loads((BASE / name).read_text(encoding="utf-8")) for name in (ARTICLE, ENTITY)
}
PATHS = {name: list(_leaves(data))[1:] for name, data in BASE_RECORDS.items()}


@st.composite
def mutated_record(draw: st.DrawFn) -> tuple[str, Any]:
    """A base record with one to three values replaced, removed, or given a stray key."""
    name = draw(st.sampled_from(sorted(BASE_RECORDS)))
    data = json.loads(json.dumps(BASE_RECORDS[name]))  # never touch the shared originals
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS[name]))
        try:
            old: Any = data
            for key in path:
                if not isinstance(old, (dict, list)):
                    raise TypeError  # a string indexes too, but holds no value to replace
                old = old[key]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed it
        action = draw(st.sampled_from(["leaf", "json", "remove", "extra", "wrap"]))
        if action == "leaf":
            data = _set(data, path, draw(json_leaf))
        elif action == "json":
            data = _set(data, path, draw(any_json))
        elif action == "remove":
            parent = _set(data, (), data)
            node = parent
            for key in path[:-1]:
                node = node[key]
            del node[path[-1]]
            data = parent
        elif action == "extra" and isinstance(old, dict):
            data = _set(data, path, {**old, draw(hostile_text): draw(json_leaf)})
        else:
            data = _set(data, path, [old])
    return name, data


# --- a records tree to write into -----------------------------------------------------------


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    records = tmp_path_factory.mktemp("fuzz") / "records"
    shutil.copytree(BASE, records)
    return records


def _validate_with(tree: Path, name: str, raw: bytes) -> None:
    """Write `raw` as `name` in the tree, validate everything, and put the base file back."""
    path = tree / name
    try:
        path.write_bytes(raw)
        report = validate_paths([tree])
        for finding in report.findings:
            assert finding.code and finding.message
            assert finding.line >= 0 and finding.col >= 0
        corpus = report.corpus
        assert corpus is not None
        if not report.errors:
            # what validation accepts, the site's models accept (the build relies on it)
            from toolkit.link import models_of

            articles, entities = models_of(corpus)  # raises if the models refuse a record
            assert len(articles) + len(entities) == len(corpus.records)
        detailed = validate_paths([tree], fast=False).findings
        assert report.findings == detailed, "the fast and detailed paths disagree"
    finally:
        shutil.copyfile(BASE / name, path)


# --- the loader -----------------------------------------------------------------------------


@settings(FUZZ, max_examples=300)
@given(
    st.one_of(
        st.binary(max_size=400),
        any_json.map(_dump),
        # long digit runs: past Python's int-string limit (4,300 digits)
        st.integers(4000, 6000).map(lambda n: b'{"a": 1' + b"0" * n + b"}"),
        st.integers(1, 200).map(lambda n: b"[" * n + b"]" * n),
    )
)
def test_loader_gives_data_or_findings_never_an_exception(raw: bytes) -> None:
    document = load_json_bytes(raw, "x.json")
    assert document.findings or document.data is not None or raw.strip() == b"null"
    for finding in document.findings:
        assert finding.line >= 1 and finding.col >= 1, finding


# --- the validator --------------------------------------------------------------------------


@settings(FUZZ, max_examples=60)
@given(st.sampled_from([ARTICLE, ENTITY]), st.binary(max_size=300))
def test_validator_survives_arbitrary_bytes(tree: Path, name: str, raw: bytes) -> None:
    _validate_with(tree, name, raw)


@settings(FUZZ, max_examples=60)
@given(st.sampled_from([ARTICLE, ENTITY]), any_json)
def test_validator_survives_arbitrary_json(tree: Path, name: str, value: Any) -> None:
    _validate_with(tree, name, _dump(value))


@settings(FUZZ, max_examples=150)
@given(mutated_record())
def test_validator_survives_mutated_records(tree: Path, case: tuple[str, Any]) -> None:
    name, data = case
    _validate_with(tree, name, _dump(data))


# --- fmt ------------------------------------------------------------------------------------


def _number_text(value: Any) -> bytes:
    """JSON text whose numbers are written in the ways fmt must keep: 1E6, 1.10, -0."""
    return _dump(value).replace(b"1000000", b"1E6").replace(b"1.1,", b"1.10,")


@settings(FUZZ, max_examples=150)
@given(
    st.one_of(
        st.binary(max_size=300),
        any_json.map(_dump),
        any_json.map(_number_text),
        mutated_record().map(lambda case: _dump(case[1])),
        st.integers(4000, 6000).map(lambda n: b'{"a": 1' + b"0" * n + b"}"),
    ),
    st.sampled_from(["article", "entity", None]),
)
def test_fmt_is_lossless_or_refuses(raw: bytes, kind: Any) -> None:
    text, reason, _ = format_document_bytes(raw, "x.json", kind)
    if text is None:
        assert reason
        return
    before = load_json_bytes(raw, "x.json")
    after = load_json_bytes(text.encode("utf-8"), "x.json")
    assert after.findings == []
    assert after.data == before.data
    assert _same(parse_tokens(after.text), parse_tokens(before.text))
    again, _, _ = format_document_bytes(text.encode("utf-8"), "x.json", kind)
    assert again == text, "a second fmt is not a no-op"


@settings(FUZZ, max_examples=60)
@given(
    st.one_of(
        st.binary(max_size=200), any_json.map(_dump), mutated_record().map(lambda c: _dump(c[1]))
    )
)
def test_fmt_never_changes_a_file_it_cannot_round_trip(tree: Path, raw: bytes) -> None:
    path = tree / "entities" / "fuzzed.json"
    try:
        path.write_bytes(raw)
        (result,) = format_paths([path], check=False)
        written = path.read_bytes()
        if result.status != "changed":
            assert written == raw, result.status
            return
        before = load_json_bytes(raw, "x.json")
        after = load_json_bytes(written, "x.json")
        assert before.findings == [] and after.findings == []
        assert after.data == before.data
        assert _same(parse_tokens(after.text), parse_tokens(before.text))
    finally:
        path.unlink(missing_ok=True)
