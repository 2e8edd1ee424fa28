"""Reports that record text cannot forge or corrupt (issue 16, item 6).

- The text report shows every character `str.splitlines()` splits on (U+2028 and U+2029
  too) as an escape: one finding is one line, whatever a file name or record value holds.
- A file name that is not valid UTF-8 (its bytes carried as surrogates by `os.fsdecode`) is
  shown with those bytes as `\\xNN` in every format, and the output stays valid UTF-8; any
  other lone surrogate becomes U+FFFD. One helper, `reporters.printable`, does it for all.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.findings import Finding, make
from toolkit.reporters import REPORTERS, printable, render_text

REPO = Path(__file__).resolve().parent.parent
BASE = REPO / "tests" / "hostile" / "base"

#: Every character `str.splitlines()` takes for a line break (found, not listed by hand).
LINE_BREAKS = [
    chr(c)
    for c in range(sys.maxunicode + 1)
    if not 0xD800 <= c <= 0xDFFF and len(f"a{chr(c)}b".splitlines()) > 1
]


def _finding(text: str) -> Finding:
    return make(
        "ref-unknown",
        f"`x{text}records/a.json:1:1: error id-invalid forged` is not an entity",
        file=f"records/articles/a{text}b.json",
        pointer=f"/actors/0/{text}",
        line=3,
        col=5,
        hint=f"did you mean {text}?",
    )


def test_no_line_break_in_a_value_makes_a_line_of_the_text_report() -> None:
    assert "".join(LINE_BREAKS) == "\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029"
    splitting = [
        f"U+{ord(char):04X}"
        for char in LINE_BREAKS
        if len(render_text([_finding(char)]).splitlines()) != 3  # finding, hint, count
    ]
    assert splitting == []  # U+2028 and U+2029 on the old code
    text = render_text([_finding("".join(LINE_BREAKS))])
    assert len(text.splitlines()) == 3, text
    assert "\\u{2028}" in text and "\\u{0085}" in text


UNDECODABLE = os.fsdecode(b"records/entities/t\xe9rsis\xff.json")


@pytest.mark.parametrize("format", sorted(REPORTERS))
def test_a_file_name_that_is_not_utf8_shows_its_bytes_as_hex(format: str) -> None:
    finding = make("id-invalid", "not a slug", file=UNDECODABLE, hint="Rename the file.")
    out = REPORTERS[format]([finding], False)
    out.encode("utf-8")  # valid UTF-8: raises on a surrogate
    assert "records/entities/t\\xe9rsis\\xff.json" in (
        json.loads(out)[0]["file"] if format == "json" else out
    )


@pytest.mark.parametrize("format", sorted(REPORTERS))
def test_a_lone_surrogate_in_text_becomes_the_replacement_character(format: str) -> None:
    finding = make("schema-value", "bad \ud800 value", file="records/a.json", hint="\udbff")
    out = REPORTERS[format]([finding], False)
    out.encode("utf-8")
    assert "bad \ufffd value" in (json.loads(out)[0]["message"] if format == "json" else out)


def test_printable_keeps_what_json_escapes_itself_when_asked() -> None:
    assert printable("a\u2028b\n\x1b") == "a\\u{2028}b\\u{000a}\\u{001b}"
    assert printable("a\u2028b\n\x1b", controls=False) == "a\u2028b\n\x1b"
    assert printable(os.fsdecode(b"\x80\xff"), controls=False) == "\\x80\\xff"
    assert printable("plain text, é, 日本") == "plain text, é, 日本"


@pytest.mark.parametrize("format", sorted(REPORTERS))
def test_validate_output_is_utf8_for_a_file_name_that_is_not(format: str, tmp_path: Path) -> None:
    """End to end, as CI runs it: standard output a pipe, the locale's encoding UTF-8."""
    records = tmp_path / "records"
    shutil.copytree(BASE, records)
    entities = os.fsencode(records / "entities")
    os.rename(os.path.join(entities, b"tarsis.json"), os.path.join(entities, b"t\xe4rsis.json"))
    done = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "validate", "--format", format, "records"],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8"},
    )
    assert done.returncode == 1, done.stderr
    out = done.stdout.decode("utf-8")  # strict: raises on bytes that are not UTF-8
    assert "internal error" not in done.stderr.decode("utf-8", "replace")
    if format == "json":
        assert "records/entities/t\\xe4rsis.json" in {row["file"] for row in json.loads(out)}
    else:
        assert "records/entities/t\\xe4rsis.json" in out


def test_fmt_output_is_utf8_for_a_file_name_that_is_not(tmp_path: Path) -> None:
    records = tmp_path / "records"
    shutil.copytree(BASE, records)
    entities = os.fsencode(records / "entities")
    ugly = os.path.join(entities, b"t\xe4rsis.json")
    os.rename(os.path.join(entities, b"tarsis.json"), ugly)
    with open(ugly, "rb") as handle:
        compact = b"".join(line.strip() for line in handle)
    with open(ugly, "wb") as handle:
        handle.write(compact)
    done = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "fmt", "records"],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8"},
    )
    assert done.returncode == 0, done.stderr
    assert "reformatted records/entities/t\\xe4rsis.json" in done.stdout.decode("utf-8")
