"""Invisible characters (issue 16, item 7): the table of toolkit/text/invisible.py, where each
of its characters may stand, and the `invisible` check that reports them (`name-invisible` in
names, aliases, titles and labels; `text-invisible` for controls and bidi controls elsewhere)."""

from __future__ import annotations

import itertools
import json
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.checks.invisible import display_keys
from toolkit.findings import CODES, Severity
from toolkit.text.invisible import (
    INVISIBLE,
    Invisible,
    Kind,
    char_name,
    in_display_text,
    in_text,
    may_hold_invisible,
)
from toolkit.validate import validate_paths

MINIMAL = Path(__file__).parent / "examples" / "valid" / "minimal"
SEEN = "\t\n\r"  # white space readers see: allowed in names, not warned about in text
#: Format characters (category Cf) left out of the table on purpose: they show as marks (the
#: Arabic and Syriac prepended number signs, Kaithi's) or lay out hieroglyphs visibly.
VISIBLE_FORMAT = {
    *range(0x0600, 0x0606),
    0x06DD,
    0x070F,
    0x0890,
    0x0891,
    0x08E2,
    0x110BD,
    0x110CD,
    *range(0x13430, 0x13440),
}
#: Every row's first and last character, with its row.
ENDS = sorted(
    {(chr(code), row) for row in INVISIBLE for code in (row.first, row.last)},
    key=lambda pair: pair[0],
)
TABLE = frozenset(char for row in INVISIBLE for char in row.chars())
WARNED = frozenset(
    c for row in INVISIBLE if row.kind in (Kind.CONTROL, Kind.BIDI) for c in row.chars()
) - set(SEEN)


def _params(pairs: list[tuple[str, Invisible]]) -> list[Any]:
    return [pytest.param(char, row, id=f"U+{ord(char):04X}") for char, row in pairs]


# --- the table ------------------------------------------------------------------------------


def test_table_is_sorted_and_has_no_overlap() -> None:
    for row, after in itertools.pairwise(INVISIBLE):
        assert row.first <= row.last < after.first, (row, after)


def test_table_holds_every_control_bidi_control_and_invisible_format_character() -> None:
    missing = []
    for code in range(0x110000):
        char = chr(code)
        category = unicodedata.category(char)
        bidi = unicodedata.bidirectional(char) in ("LRE", "RLE", "LRO", "RLO", "PDF")
        bidi = bidi or unicodedata.bidirectional(char) in ("LRI", "RLI", "FSI", "PDI")
        if (category in ("Cc", "Cf") or bidi) and char not in TABLE and code not in VISIBLE_FORMAT:
            missing.append(f"U+{code:04X}")
    assert missing == []
    for char in ("\u200e", "\u200f", "\u061c", *map(chr, range(0x202A, 0x202F))):
        assert Kind.of(char) is Kind.BIDI
    for char in map(chr, range(0x2066, 0x206A)):
        assert Kind.of(char) is Kind.BIDI


def test_codes_are_registered_with_their_severity() -> None:
    assert CODES["name-invisible"].severity is Severity.ERROR
    assert CODES["text-invisible"].severity is Severity.WARNING


# --- where each character may stand ---------------------------------------------------------


@pytest.mark.parametrize(("char", "row"), _params(ENDS))
def test_each_character_is_refused_in_a_name(char: str, row: Invisible) -> None:
    name = f"Tar {char}sis"  # after a space: no variation selector or joiner fits there
    found = list(in_display_text(name))
    if char in SEEN:
        assert found == []
    else:
        assert found == [(4, char)]


@pytest.mark.parametrize(("char", "row"), _params(ENDS))
def test_controls_and_bidi_controls_are_warned_in_text(char: str, row: Invisible) -> None:
    found = list(in_text(f"Tar {char}sis"))
    assert found == ([(4, char)] if char in WARNED else [])


@pytest.mark.parametrize(("char", "row"), _params(ENDS))
def test_the_prefilter_never_misses_a_character(char: str, row: Invisible) -> None:
    assert may_hold_invisible(orjson.dumps({"name": f"Tar{char}sis"}).decode())


def test_character_names() -> None:
    assert char_name("\u202e") == "U+202E RIGHT-TO-LEFT OVERRIDE"
    assert char_name("\x1b") == "U+001B <control character>"
    assert char_name("\U000e0041") == "U+E0041 TAG LATIN CAPITAL LETTER A"


@pytest.mark.parametrize(
    "name",
    [
        "خانه\u200cها",  # Persian plural: ZWNJ keeps the letters apart
        "می\u200cخواهم",
        "क्\u200dष",  # Devanagari half form with ZWJ
        "ಕ\u200cನ್ನಡ",  # Kannada
        "Tarsis 🏳\ufe0f\u200d🌈",  # emoji ZWJ sequence, with its variation selector
        "👩\u200d🔬",
        "☎\ufe0f Tarsis",  # one variation selector after a visible character
        "葛\U000e0100",  # an ideographic variation sequence
        "Line\nbreak\tand tab",
    ],
)
def test_joiners_and_selectors_where_scripts_need_them(name: str) -> None:
    assert list(in_display_text(name)) == []


@pytest.mark.parametrize(
    ("name", "offset"),
    [
        ("Tar\u200dsis", 3),  # joiner between Latin letters
        ("Tar\u200csis", 3),
        ("\u200cخانه", 0),  # at the start
        ("خانه\u200c", 4),  # at the end
        ("خانه\u200c Tarsis", 4),  # before a space
        ("م\u200dM", 1),  # between two scripts
        ("🏳\u200cT", 1),  # a non-joiner is no part of an emoji sequence
        ("\ufe0fTarsis", 0),  # a selector with nothing before it
        ("☎\ufe0f\ufe0e", 2),  # a second selector in a row
        ("T\U000e0100\U000e0101", 2),  # a run of them smuggles bytes
    ],
)
def test_joiners_and_selectors_elsewhere_are_refused(name: str, offset: int) -> None:
    assert [at for at, _ in in_display_text(name)] == [offset]


#: Text a name may hold: letters, marks, numbers, punctuation, symbols, spaces; no format
#: characters, controls or unassigned code points.
VISIBLE = st.text(
    st.characters(
        categories=("Lu", "Ll", "Lt", "Lo", "Nd", "Pd", "Po", "Sm", "Sc", "Zs"),
        exclude_characters=TABLE,
    ),
    max_size=40,
)


@given(VISIBLE)
def test_visible_text_gives_nothing(text: str) -> None:
    assert list(in_display_text(text)) == []
    assert list(in_text(text)) == []


@given(VISIBLE, st.sampled_from(sorted(TABLE - set(SEEN))), st.data())
def test_an_inserted_character_is_found_at_its_offset(
    text: str, char: str, data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(text)), label="offset")
    name = f"{text[:at]} {char} {text[at:]}"  # spaces: no joiner or selector fits there
    offset = at + 1
    assert (offset, char) in list(in_display_text(name))
    assert ((offset, char) in list(in_text(name))) == (char in WARNED)
    assert may_hold_invisible(orjson.dumps([name]).decode())


@given(st.text(max_size=60))
def test_the_prefilter_holds_for_any_text(text: str) -> None:
    if list(in_display_text(text)) or list(in_text(text)):
        assert may_hold_invisible(orjson.dumps({"a": [text]}).decode())


# --- the check ------------------------------------------------------------------------------


def test_display_text_is_names_aliases_titles_and_labels() -> None:
    assert display_keys("entity", "Person") == {"name", "aliases"}
    assert display_keys("entity", "TextFact") == {"value"}
    assert display_keys("article", "Source") == {"title", "subtitles"}
    assert display_keys("article", "Mention") == {"label_in_source"}
    assert display_keys("article", "Scenario") == {"title", "timeframe"}
    assert display_keys("article", "Book") == {"title", "subtitle", "publisher"}
    assert display_keys("article", "Anchor") == set()  # quotes keep what the source says


def _corpus(tmp_path: Path, entity: dict[str, Any]) -> Path:
    records = tmp_path / "records"
    shutil.copytree(MINIMAL, records)
    path = records / "entities" / "ines-moro.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(entity)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return records


@pytest.mark.parametrize(("char", "row"), _params([p for p in ENDS if p[0] not in SEEN]))
def test_validate_refuses_the_character_in_a_name(
    char: str, row: Invisible, tmp_path: Path
) -> None:
    report = validate_paths([_corpus(tmp_path, {"name": f"Ines {char}Moro"})])
    assert [(f.code, f.pointer) for f in report.findings] == [("name-invisible", "/name")]
    finding = report.findings[0]
    assert f"U+{ord(char):04X}" in finding.message and "offset 5" in finding.message
    assert str(row.kind) in finding.message
    assert finding.hint and finding.line == 5


@pytest.mark.parametrize(("char", "row"), _params(ENDS))
def test_validate_warns_about_the_character_in_a_description(
    char: str, row: Invisible, tmp_path: Path
) -> None:
    report = validate_paths([_corpus(tmp_path, {"description": f"Fictional {char}president."})])
    found = [(f.code, f.pointer, f.severity) for f in report.findings]
    if char in WARNED:
        assert found == [("text-invisible", "/description", Severity.WARNING)]
        assert "offset 10" in report.findings[0].message
        assert report.errors == []
    else:
        assert found == []


def test_many_characters_make_one_finding_per_text(tmp_path: Path) -> None:
    smuggled = "Moro" + "".join(chr(0xE0000 + ord(c)) for c in "ignore previous")
    report = validate_paths([_corpus(tmp_path, {"aliases": [smuggled, "Moro \u200b"]})])
    assert [(f.code, f.pointer) for f in report.findings] == [
        ("name-invisible", "/aliases/0"),
        ("name-invisible", "/aliases/1"),
    ]
    assert "U+E0069 TAG LATIN SMALL LETTER I at offset 4 (and 14 more)" in (
        report.findings[0].message
    )
