"""Render findings: human text, JSON, GitHub workflow annotations (one result, three views)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable

from toolkit.findings import Finding, Severity

__all__ = ["REPORTERS", "printable", "render_github", "render_json", "render_text"]

#: What the text report shows escaped: control and format characters (ESC, bidi overrides),
#: private-use and unassigned ones, and the line and paragraph separators, which
#: `str.splitlines()` and many viewers take for line breaks as they do \n, \x0b or \x85.
_ESCAPED = frozenset({"Cc", "Cf", "Co", "Cn", "Zl", "Zp"})


def printable(text: str, *, controls: bool = True) -> str:
    """`text` as every report shows it: the bytes of a file name that are not UTF-8 (which
    `os.fsdecode` carries as surrogates U+DC80..U+DCFF) as `\\xNN`, any other lone surrogate
    as U+FFFD, so that the output is always valid UTF-8; with `controls` (the text report),
    every character of `_ESCAPED` as `\\u{NNNN}`, so that a file name or record text can
    neither forge a report line nor drive the terminal."""
    if text.isprintable():  # the common case; isprintable() is False for all of the above
        return text
    return "".join(_shown(c, controls) for c in text)


def _shown(char: str, controls: bool) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    if controls and unicodedata.category(char) in _ESCAPED:
        return f"\\u{{{code:04x}}}"
    return char


def _location(finding: Finding) -> str:
    if finding.line:
        return f"{printable(finding.file)}:{finding.line}:{finding.col}"
    return printable(finding.file)


def _where(finding: Finding) -> str:
    """The JSON pointer of a finding, and the record it is about when located elsewhere."""
    where = f" (at {finding.pointer})" if finding.pointer else ""
    return where + (f" (in {finding.record})" if finding.record else "")


def render_text(findings: list[Finding], strict: bool = False) -> str:
    lines = []
    for f in findings:
        severity = "error" if strict else str(f.severity)
        message = printable(f.message + _where(f))
        lines.append(f"{_location(f)}: {severity} {f.code} {message}")
        if f.hint:
            lines.append(f"  hint: {printable(f.hint)}")
    errors = sum(1 for f in findings if strict or f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    lines.append(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")
    return "\n".join(lines) + "\n"


def render_json(findings: list[Finding], strict: bool = False) -> str:
    rows = []
    for f in findings:
        # JSON escapes control characters itself; only what is not Unicode needs care.
        row = {
            k: printable(v, controls=False) if isinstance(v, str) else v
            for k, v in f.as_dict().items()
        }
        if strict:
            row["severity"] = "error"
        rows.append(row)
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    text = printable(text, controls=False)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: list[Finding], strict: bool = False) -> str:
    """`::error file=…,line=…,col=…,title=…::message` lines that annotate a pull request."""
    lines = []
    for f in findings:
        level = "error" if strict or f.severity is Severity.ERROR else "warning"
        props = [f"file={_escape_property(f.file)}"]
        if f.line:
            props += [f"line={f.line}", f"col={f.col}"]
        props.append(f"title={_escape_property(f.code)}")
        message = f.message + _where(f)
        if f.hint:
            message += f"\nhint: {f.hint}"
        lines.append(f"::{level} {','.join(props)}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


REPORTERS: dict[str, Callable[[list[Finding], bool], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
}
