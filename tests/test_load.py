"""The strict loader: JSONTestSuite cases, positions, and no exception for any bytes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import need_native

from toolkit.load import MAX_DEPTH, load_json_bytes
from toolkit.load.json import _trusted_parse
from toolkit.load.positions import _locate, _Scanner

# The whole module runs on the C kernels and on their Python twins (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("implementation")

SUITE = Path(__file__).resolve().parent.parent.parent / "shared" / "jsontestsuite" / "test_parsing"

#: Our policy for the implementation-defined (i_) cases, by file name prefix: what the
#: loader reports. Records are I-JSON (RFC 7493): UTF-8 only, no lone surrogates, numbers
#: that fit a double. Underflow to zero is accepted: the value is still a finite double.
I_POLICY = {
    "i_number_double_huge_neg_exp": None,
    "i_number_real_underflow": None,
    "i_number_huge_exp": "json-number-range",
    "i_number_neg_int_huge_exp": "json-number-range",
    "i_number_pos_double_huge_exp": "json-number-range",
    "i_number_real_neg_overflow": "json-number-range",
    "i_number_real_pos_overflow": "json-number-range",
    "i_number_too_big_neg_int": "json-number-range",
    "i_number_too_big_pos_int": "json-number-range",
    "i_number_very_big_negative_int": "json-number-range",
    "i_object_key_lone_2nd_surrogate": "json-lone-surrogate",
    "i_string_1st_surrogate_but_2nd_missing": "json-lone-surrogate",
    "i_string_1st_valid_surrogate_2nd_invalid": "json-lone-surrogate",
    "i_string_incomplete_surrogate_and_escape_valid": "json-lone-surrogate",
    "i_string_incomplete_surrogate_pair": "json-lone-surrogate",
    "i_string_incomplete_surrogates_escape_valid": "json-lone-surrogate",
    "i_string_invalid_lonely_surrogate": "json-lone-surrogate",
    "i_string_invalid_surrogate": "json-lone-surrogate",
    "i_string_inverted_surrogates_U+1D11E": "json-lone-surrogate",
    "i_string_lone_second_surrogate": "json-lone-surrogate",
    "i_string_UTF-16LE_with_BOM": "json-bom",
    "i_structure_UTF-8_BOM_empty_object": "json-bom",
    "i_string_UTF-8_invalid_sequence": "json-encoding",
    "i_string_UTF8_surrogate_U+D800": "json-encoding",
    "i_string_invalid_utf-8": "json-encoding",
    "i_string_iso_latin_1": "json-encoding",
    "i_string_lone_utf8_continuation_byte": "json-encoding",
    "i_string_not_in_unicode_range": "json-encoding",
    "i_string_overlong_sequence_2_bytes": "json-encoding",
    "i_string_overlong_sequence_6_bytes": "json-encoding",
    "i_string_overlong_sequence_6_bytes_null": "json-encoding",
    "i_string_truncated-utf-8": "json-encoding",
    "i_string_utf16BE_no_BOM": "json-encoding",
    "i_string_utf16LE_no_BOM": "json-encoding",
    "i_structure_500_nested_arrays": "json-too-deep",
}
#: y_ cases our policy refuses: duplicate keys lose data, so they are errors here.
Y_REFUSED = {
    "y_object_duplicated_key": "json-duplicate-key",
    "y_object_duplicated_key_and_value": "json-duplicate-key",
}


def _cases(prefix: str) -> list[Path]:
    if not SUITE.is_dir():
        return []
    return sorted(SUITE.glob(f"{prefix}*.json"))


def _suite_present() -> None:
    if not SUITE.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"JSONTestSuite missing at {SUITE}")
        pytest.skip(f"JSONTestSuite not found beside the repository ({SUITE})")


def test_suite_is_present_in_ci() -> None:
    _suite_present()
    assert len(_cases("n_")) > 150 and len(_cases("y_")) > 90


@pytest.mark.parametrize("path", _cases("y_"), ids=lambda p: p.stem)
def test_accepts_valid_json(path: Path) -> None:
    document = load_json_bytes(path.read_bytes(), path.name)
    codes = [f.code for f in document.findings]
    assert codes == ([Y_REFUSED[path.stem]] if path.stem in Y_REFUSED else [])


@pytest.mark.parametrize("path", _cases("n_"), ids=lambda p: p.stem)
def test_rejects_invalid_json_with_a_position(path: Path) -> None:
    document = load_json_bytes(path.read_bytes(), path.name)
    assert document.findings, "accepted"
    assert all(f.line >= 1 and f.col >= 1 for f in document.findings)
    assert document.data is None


@pytest.mark.parametrize("path", _cases("i_"), ids=lambda p: p.stem)
def test_implementation_defined_cases_follow_the_policy(path: Path) -> None:
    assert path.stem in I_POLICY, "write down a policy for this case"
    document = load_json_bytes(path.read_bytes(), path.name)
    expected = I_POLICY[path.stem]
    assert [f.code for f in document.findings][:1] == ([expected] if expected else [])


def test_positions_point_at_keys_and_items() -> None:
    text = '{\n  "a": [1,\n    {"b": true}],\n  "c": "x"\n}'
    document = load_json_bytes(text.encode(), "x.json")
    assert document.ok
    assert document.position("/a") == (2, 3)
    assert document.position("/a/1/b") == (3, 6)
    assert document.position("/c") == (4, 3)
    assert document.position("/c/missing/deeper") == (4, 3)


def test_duplicate_key_is_located_at_the_second_key() -> None:
    document = load_json_bytes(b'{"id": "a",\n "id": "b"}', "x.json")
    assert [(f.code, f.line, f.col, f.pointer) for f in document.findings] == [
        ("json-duplicate-key", 2, 2, "/id")
    ]


def test_deep_nesting_is_a_finding_not_a_recursion_error() -> None:
    raw = b"[" * 100_000 + b"]" * 100_000
    document = load_json_bytes(raw, "x.json")
    assert [f.code for f in document.findings] == ["json-too-deep"]
    assert load_json_bytes(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH, "x.json").ok


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_data_or_findings(raw: bytes) -> None:
    document = load_json_bytes(raw, "x.json")
    assert document.data is not None or document.findings or raw.strip() == b"null"


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers(-(2**53) + 1, 2**53 - 1)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_valid_json_round_trips(value: object) -> None:
    raw = json.dumps(value, ensure_ascii=False).encode("utf-8", errors="surrogatepass")
    document = load_json_bytes(raw, "x.json")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in raw.decode("utf-8", "replace")):
        return
    if document.findings:
        assert {f.code for f in document.findings} <= {"json-encoding", "json-lone-surrogate"}
        return
    assert document.data == value


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(["a", ".", "..", "", "x.json", "/", "é"]), min_size=1, max_size=5),
    st.booleans(),
    st.sampled_from(["/", "/tmp", None]),
)
def test_display_path_is_the_path_relative_to_the_working_folder(
    parts: list[str], absolute: bool, folder: str | None
) -> None:
    from toolkit.load import display_path

    def reference(path: Path) -> str:
        try:
            return path.absolute().relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.absolute().as_posix()

    before = os.getcwd()
    try:
        os.chdir(folder or before)
        raw = "/".join(parts)
        path = Path(f"{os.getcwd()}/{raw}" if absolute else raw)
        assert display_path(path) == reference(path)
    finally:
        os.chdir(before)


# --- the trusted (orjson) fast path ---------------------------------------------------------


#: What the trusted path leaves to the record schema, which bounds every number and depth.
_LEFT_TO_SCHEMA = {"json-number-range", "json-too-deep"}


#: The fast parse with toolkit._native's key count, and with the byte counts it replaces.
NATIVE = pytest.param(True, id="native")
BYTES = pytest.param(False, id="bytes")


def _assert_trusted_agrees(raw: bytes, native: bool = True) -> None:
    trusted = _trusted_parse(raw, native=native)
    if trusted is None:
        return  # left to the strict loader: always safe
    document = load_json_bytes(raw, "x.json")
    codes = {f.code for f in document.findings}
    if codes and codes <= _LEFT_TO_SCHEMA:
        return
    assert not codes, "the fast path accepted what the strict loader refuses"
    floats: list[str] = []

    def note_float(token: str) -> float:
        floats.append(token)
        return float(token)

    data = json.loads(raw, parse_float=note_float)
    assert json.dumps(trusted[0], sort_keys=True) == json.dumps(data, sort_keys=True)
    if any(float(token).is_integer() and abs(float(token)) < 1e16 for token in floats):
        assert trusted[1], "a whole-valued float slipped past the fast path"
    if trusted[2] is not None:
        from toolkit.format.placeholders import find_placeholders

        assert trusted[2] == any(find_placeholders(data))


@pytest.mark.parametrize("native", [NATIVE, BYTES])
@pytest.mark.parametrize("path", _cases(""), ids=lambda p: p.stem)
def test_trusted_parse_agrees_with_the_strict_loader_on_the_suite(path: Path, native: bool) -> None:
    if native:
        need_native()
    raw = path.read_bytes()
    _assert_trusted_agrees(raw, native)
    if path.stem.startswith("y_") and path.stem not in Y_REFUSED and raw.isascii():
        assert _trusted_parse(raw, native=native) is not None or (
            not native and (b'" ' in raw or b"\\" in raw)
        )


_KEYS = st.text(alphabet='ab"\\: \u00e9', max_size=3)
_SPACE = st.sampled_from(["", " ", "\n  ", "\t"])


def _string(draw: st.DrawFn, keys: bool = False) -> str:
    """A JSON string literal, its colons sometimes written as escapes."""
    text = json.dumps(draw(_KEYS if keys else _KEYS | st.text(max_size=4)), ensure_ascii=False)
    return text.replace(":", "\\u003a") if draw(st.booleans()) else text


@st.composite
def _json_text(draw: st.DrawFn, depth: int = 0) -> str:
    """JSON text with duplicate keys, keys holding quotes, colons and backslashes, white space
    anywhere, escaped and unescaped characters: the cases key counting must get right."""
    choice = draw(st.integers(0, 5 if depth < 3 else 2))
    if choice == 0:
        return json.dumps(draw(st.integers(-(2**60), 2**60)))
    if choice == 1:
        value = draw(st.floats(allow_nan=False, allow_infinity=False) | st.integers(-99, 99))
        return json.dumps(float(value))
    if choice == 2:
        return _string(draw)
    if choice == 3:
        items = draw(st.lists(_json_text(depth + 1), max_size=3))
        return "[" + ",".join(draw(_SPACE) + item for item in items) + "]"
    members = []
    for _ in range(draw(st.integers(0, 4))):
        key = _string(draw, keys=True)
        members.append(
            draw(_SPACE) + key + draw(_SPACE) + ":" + draw(_SPACE) + draw(_json_text(depth + 1))
        )
    return "{" + ",".join(members) + draw(_SPACE) + "}"


@pytest.mark.parametrize("native", [NATIVE, BYTES])
@settings(max_examples=500, deadline=None)
@given(text=_json_text())
def test_trusted_parse_never_hides_a_duplicate_key_or_a_float(text: str, native: bool) -> None:
    if native:
        need_native()
    _assert_trusted_agrees(text.encode("utf-8"), native)


@pytest.mark.parametrize("native", [NATIVE, BYTES])
def test_trusted_parse_takes_the_common_record_and_refuses_duplicates(native: bool) -> None:
    if native:
        need_native()

    def parse(raw: bytes) -> tuple[object, bool] | None:
        found = _trusted_parse(raw, native=native)
        return found[:2] if found is not None else None

    record = b'{\n  "id": "a",\n  "quote": "he said \\"no\\": twice",\n  "n": [1, 2]\n}'
    assert parse(record) == ({"id": "a", "quote": 'he said "no": twice', "n": [1, 2]}, False)
    assert parse(b'{"a": {"b": 1, "b": 2}}') is None
    assert parse(b'{"a": 1, "a" : 1}') is None
    assert parse(b'{"a": 2004.0}') == ({"a": 2004.0}, True)
    assert parse(b'{"a": "\\u003a", "a": ":"}') is None
    assert parse(b'{"a": [{"b": "\\"\\\\", "c": 1}, {"b": 1, "c": 2, "b": 3}]}') is None


def test_the_native_parse_says_whether_a_value_starts_like_a_placeholder(
    implementation: str,
) -> None:
    parse = _trusted_parse
    if implementation == "python":
        # The Python twin does not know: it leaves the question to the placeholder text scan.
        assert parse(b'{"a": ["x", {"b": "TODO: the title"}]}') == (
            {"a": ["x", {"b": "TODO: the title"}]},
            False,
            None,
        )
        return
    need_native()
    assert parse(b'{"a": ["x", {"b": "TODO: the title"}]}') == (
        {"a": ["x", {"b": "TODO: the title"}]},
        False,
        True,
    )
    assert (parse(b'{"TODO: a key": "todo"}') or ())[2:] == (False,)
    assert (parse(b'{"a": "\\u0074odo-person"}') or ())[2:] == (True,)
    assert (parse(b'{"a": "https://todo.invalid/"}') or ())[2:] == (True,)
    assert (parse(b'{"a": "see TODO: later"}') or ())[2:] == (False,)


def test_record_schemas_have_no_fractional_numbers() -> None:
    # The fast path flags only whole-valued floats (see `_trusted_parse`): sound while every
    # number in a record is an integer, so that JSON Schema refuses any other float.
    from toolkit.format.schemas import published_schemas

    text = json.dumps(published_schemas())
    assert '"type": "integer"' in text
    assert '"number"' not in text

    def maxima(node: object) -> list[object]:
        if isinstance(node, dict):
            own = [node.get("maximum")] if node.get("type") == "integer" else []
            return own + [m for value in node.values() for m in maxima(value)]
        if isinstance(node, list):
            return [m for value in node for m in maxima(value)]
        return []

    found = maxima(published_schemas())
    assert found and all(isinstance(m, int) and m < 10**16 for m in found)


# --- positions of late findings ------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent


def _assert_located_as_scanned(text: str) -> None:
    """`_locate` (one pointer, following it through the text) gives what the full scanner
    gives, for every pointer the scanner knows and for pointers below them that do not
    exist (their nearest ancestor)."""
    scanner = _Scanner(text, "x.json")
    positions = scanner.scan_positions()
    if scanner.findings:
        return
    for pointer, position in positions.items():
        assert _locate(text, pointer) == position, pointer
        for below in ("/nope", "/0", "/99", "/01", "/~1x"):
            probe = pointer + below
            while probe not in positions:
                probe = probe.rsplit("/", 1)[0]
            assert _locate(text, pointer + below) == positions[probe], pointer + below


def test_a_pointer_is_located_where_the_scanner_puts_it_in_every_record_file() -> None:
    files = [
        *sorted((REPO / "records").rglob("*.json")),
        *sorted((REPO / "tests").rglob("*.json")),
    ]
    checked = 0
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
            json.loads(text)
        except (OSError, ValueError):  # folders named like records, broken files
            continue
        _assert_located_as_scanned(text)
        checked += 1
    assert checked > 100


@settings(max_examples=300, deadline=None)
@given(text=_json_text())
def test_a_pointer_is_located_where_the_scanner_puts_it(text: str) -> None:
    try:
        json.loads(text)
    except ValueError:
        return
    _assert_located_as_scanned(text)
