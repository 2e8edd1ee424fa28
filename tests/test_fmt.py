"""`stratlas fmt`: canonical, lossless, idempotent, atomic."""

from __future__ import annotations

import json
import os
import random
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from toolkit.authoring import fmt as fmt_module
from toolkit.authoring.fmt import canonical_text, format_document_bytes, format_paths, record_kind
from toolkit.cli import app

REPO = Path(__file__).resolve().parent.parent
SEED_ARTICLE = (
    REPO / "records" / "articles" / "bidens-atacms-decision-escalation-or-strategic-necessity.json"
)
SEED_ENTITIES = sorted((REPO / "records" / "entities").glob("*.json"))

runner = CliRunner()


# --- JSON with number tokens kept as written ---------------------------------------------------


@dataclass(frozen=True)
class Tok:
    """A number as its token, so that `1.10` and `1.1` are different values here."""

    text: str


def tokens(text: str) -> Any:
    return json.loads(text, parse_int=Tok, parse_float=Tok)


def same(a: Any, b: Any) -> bool:
    """Equal values, types and number tokens; object key order ignored."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def number_tokens() -> st.SearchStrategy[Tok]:
    integers = st.integers(-(2**53) + 1, 2**53 - 1).map(str)
    floats = st.floats(allow_nan=False, allow_infinity=False).map(repr)
    # Forms json.dumps would never write: exponents, trailing zeros, negative zero.
    unusual = st.builds(
        lambda sign, whole, frac, exp: f"{sign}{whole}{frac}{exp}",
        st.sampled_from(["", "-"]),
        st.sampled_from(["0", "1", "12", "999"]),
        st.sampled_from(["", ".0", ".10", ".5000", ".001"]),
        st.sampled_from(["", "e0", "E6", "e+2", "E-7", "e-0"]),
    )
    return st.one_of(integers, floats.filter(lambda t: "inf" not in t), unusual).map(Tok)


json_values = st.recursive(
    st.none() | st.booleans() | number_tokens() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=6)
    ),
    max_leaves=40,
)


def write_json(value: Any, rng: random.Random, depth: int = 0) -> str:
    """Serialise with arbitrary (valid) layout: whitespace, escapes, CRLF."""

    def ws() -> str:
        return rng.choice(["", " ", "\n", "\r\n  ", "\t", "\n    "])

    if isinstance(value, Tok):
        return value.text
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=rng.random() < 0.5)
    if isinstance(value, dict):
        items = [
            f"{ws()}{json.dumps(k, ensure_ascii=rng.random() < 0.5)}{ws()}:{ws()}"
            f"{write_json(v, rng, depth + 1)}{ws()}"
            for k, v in value.items()
        ]
        return "{" + ",".join(items) + ws() + "}"
    if isinstance(value, list):
        return "[" + ",".join(ws() + write_json(v, rng, depth + 1) + ws() for v in value) + "]"
    return json.dumps(value)


def assert_canonical(text: str) -> None:
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\r" not in text and "\t" not in text.replace("\\t", "")
    # Lines end at "\n" only: str.splitlines would also break at U+0085 or U+2028 inside a
    # string, which JSON allows unescaped.
    for line in text.split("\n")[:-1]:
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 2 == 0
        assert line == line.rstrip()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    value=json_values,
    kind=st.sampled_from([None, "article", "entity"]),
    seed=st.integers(0, 2**32 - 1),
)
# Characters str.splitlines takes for line breaks, raw inside strings (as JSON allows).
@example(value={" \x85": None, "\u2028": " \x0c"}, kind=None, seed=0)
def test_fmt_is_lossless_and_idempotent_on_any_json(value: Any, kind: Any, seed: int) -> None:
    raw = write_json(value, random.Random(seed)).encode("utf-8")
    text, reason, findings = format_document_bytes(raw, "x.json", kind)
    assert text is not None, (reason, findings)
    assert same(tokens(text), value)  # every value and every number token kept
    assert_canonical(text)
    again, _, _ = format_document_bytes(text.encode("utf-8"), "x.json", kind)
    assert again == text  # a second run changes nothing


def _shuffled(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {k: _shuffled(value[k], rng) for k in keys}
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]
    return value


_RECORDS = [("article", SEED_ARTICLE), *(("entity", p) for p in SEED_ENTITIES)]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(which=st.integers(0, len(_RECORDS) - 1), seed=st.integers(0, 2**32 - 1))
def test_fmt_restores_the_canonical_form_of_shuffled_records(which: int, seed: int) -> None:
    kind, path = _RECORDS[which]
    canonical = path.read_text("utf-8")
    rng = random.Random(seed)
    scrambled = write_json(_shuffled(tokens(canonical), rng), rng)
    text, _, _ = format_document_bytes(scrambled.encode("utf-8"), path.name, kind)  # type: ignore[arg-type]
    # The committed records are canonical: any key order and layout formats back to them.
    assert text == canonical


@settings(max_examples=100, deadline=None)
@given(
    year=number_tokens(),
    note=st.text(min_size=1, max_size=30),
    drop=st.sets(st.sampled_from(["subtitle", "publisher", "year"])),
    seed=st.integers(0, 2**32 - 1),
)
def test_fmt_generated_books(year: Tok, note: str, drop: set[str], seed: int) -> None:
    """Generated article records (a bio with generated books) keep schema order and values."""
    book: dict[str, Any] = {
        "year": year,
        "publisher": note,
        "subtitle": note,
        "evidence": [{"suffix": note, "quote": note}],
        "title": note,
    }
    for key in drop:
        book.pop(key)
    record = {
        "authors": [{"bio": {"books": [book], "honorific": note}, "person": "x"}],
        "schema_version": "1.0.0",
        "id": "x",
        "$schema": "../../schema/article.schema.json",
    }
    rng = random.Random(seed)
    text, _, _ = format_document_bytes(write_json(record, rng).encode("utf-8"), "x", "article")
    assert text is not None
    assert same(tokens(text), record)
    data = json.loads(text)
    assert list(data) == ["$schema", "id", "schema_version", "authors"]
    assert list(data["authors"][0]) == ["person", "bio"]
    assert list(data["authors"][0]["bio"]) == ["honorific", "books"]
    order = ["evidence", "title", "subtitle", "publisher", "year"]
    assert list(data["authors"][0]["bio"]["books"][0]) == [k for k in order if k not in drop]
    assert list(data["authors"][0]["bio"]["books"][0]["evidence"][0]) == ["quote", "suffix"]


# --- examples ---------------------------------------------------------------------------------


def test_number_tokens_are_kept_as_written() -> None:
    raw = b'{"b": [1E6, 1.10, -0, -0.0, 0e0, 12345678901234],"a":1}'
    text, _, _ = format_document_bytes(raw, "x.json", None)
    assert text == (
        '{\n  "b": [\n    1E6,\n    1.10,\n    -0,\n    -0.0,\n    0e0,\n    12345678901234\n'
        '  ],\n  "a": 1\n}\n'
    )


def test_unicode_unescaped_and_json_escapes_kept() -> None:
    raw = b'{"t": "caf\\u00e9 \\u2019 \\"q\\" \\\\ \\n \\u0001 \\/"}'
    text, _, _ = format_document_bytes(raw, "x.json", None)
    assert text == '{\n  "t": "café ’ \\"q\\" \\\\ \\n \\u0001 /"\n}\n'


def test_entity_key_order_follows_the_model() -> None:
    raw = json.dumps(
        {
            "kind": "place",
            "description": "d",
            "name": "N",
            "id": "n",
            "schema_version": "1.0.0",
            "$schema": "s",
            "zzz-unknown": 1,
            "aliases": [],
        }
    ).encode()
    text, _, _ = format_document_bytes(raw, "n.json", "entity")
    assert text is not None
    assert list(json.loads(text)) == [
        "$schema",
        "id",
        "schema_version",
        "name",
        "aliases",
        "description",
        "kind",
        "zzz-unknown",
    ]


def test_record_kind_from_location(tmp_path: Path) -> None:
    assert record_kind(tmp_path / "records" / "articles" / "a.json") == "article"
    assert record_kind(tmp_path / "records" / "entities" / "sub" / "e.json") == "entity"
    assert record_kind(tmp_path / "records" / "redirects.json") is None
    (tmp_path / "records" / "articles").mkdir(parents=True)
    assert record_kind(tmp_path / "records" / "articles" / "a.json") == "article"
    assert record_kind(tmp_path / "records" / "redirects.json") is None


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a": 1, "a": 2}',
        b'{"a": NaN}',
        b'\xef\xbb\xbf{"a": 1}',
        b'{"a": "\xff"}',
        b'{"a": 1e400}',
        b'{"a": "\\ud800"}',
        b'{"a": }',
    ],
    ids=["duplicate", "nan", "bom", "utf8", "range", "surrogate", "syntax"],
)
def test_files_with_findings_are_refused(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(raw)
    [result] = format_paths([path], check=False)
    assert result.status == "refused"
    assert result.findings
    assert path.read_bytes() == raw
    cli = runner.invoke(app, ["fmt", str(path)])
    assert cli.exit_code == 1
    assert "not formatted" in cli.output


def test_a_lossy_dump_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # If the writer ever lost something, the read-back comparison stops the rewrite.
    monkeypatch.setattr(fmt_module, "_dump", lambda value, indent="": '{"a": 1.0}')
    text, reason, _ = format_document_bytes(b'{"a": 1}', "x.json", None)
    assert text is None and "would change a value" in reason


def test_symlinks_are_refused(tmp_path: Path) -> None:
    target = tmp_path / "target.json"
    target.write_text('{"a":1}')
    link = tmp_path / "link.json"
    link.symlink_to(target)
    [result] = format_paths([link], check=False)
    assert result.status == "refused"
    assert target.read_text() == '{"a":1}'


def _tree(tmp_path: Path) -> Path:
    records = tmp_path / "records"
    (records / "articles").mkdir(parents=True)
    (records / "entities").mkdir()
    (records / "entities" / "e.json").write_text(
        '{"kind":"place","id":"e","name":"E","schema_version":"1.0.0","description":"d"}\r\n'
    )
    (records / "articles" / "ok.json").write_text(
        canonical_text({"id": "ok", "schema_version": "1.0.0"}, "article")
    )
    return records


def test_check_lists_changes_and_exits_1_then_fmt_then_no_op(tmp_path: Path) -> None:
    records = _tree(tmp_path)
    entity = records / "entities" / "e.json"
    before = entity.read_bytes()
    check = runner.invoke(app, ["fmt", "--check", str(records)])
    assert check.exit_code == 1
    assert f"would reformat {entity}" in check.output
    assert "ok.json" not in check.output.replace("1 unchanged", "")
    assert entity.read_bytes() == before  # --check writes nothing

    entity.chmod(0o640)
    done = runner.invoke(app, ["fmt", str(records)])
    assert done.exit_code == 0, done.output
    assert f"reformatted {entity}" in done.output
    assert stat.S_IMODE(entity.stat().st_mode) == 0o640  # the file mode is kept
    assert entity.read_text() == (
        '{\n  "id": "e",\n  "schema_version": "1.0.0",\n  "name": "E",\n'
        '  "description": "d",\n  "kind": "place"\n}\n'
    )
    after = {p: p.read_bytes() for p in records.rglob("*.json")}
    again = runner.invoke(app, ["fmt", str(records)])
    assert again.exit_code == 0
    assert "0 files reformatted, 2 unchanged" in again.output
    assert {p: p.read_bytes() for p in records.rglob("*.json")} == after
    assert runner.invoke(app, ["fmt", "--check", str(records)]).exit_code == 0


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["fmt", str(tmp_path / "nope")])
    assert result.exit_code == 2


@pytest.mark.parametrize("target", ["replace", "fsync"])
def test_a_failure_mid_write_leaves_the_original_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    records = _tree(tmp_path)
    entity = records / "entities" / "e.json"
    before = entity.read_bytes()

    def boom(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, target, boom)
    (result,) = format_paths([entity], check=False)  # reported, not raised (issue 16, item 5)
    monkeypatch.undo()
    assert (result.status, result.reason) == (
        "refused",
        "cannot write the file: No space left on device",
    )
    assert entity.read_bytes() == before
    assert sorted(p.name for p in entity.parent.iterdir()) == ["e.json"]  # no temp file left


def test_the_committed_records_are_canonical() -> None:
    results = format_paths([REPO / "records"], check=True)
    assert results and all(r.status == "unchanged" for r in results), [
        (r.display, r.status) for r in results if r.status != "unchanged"
    ]
