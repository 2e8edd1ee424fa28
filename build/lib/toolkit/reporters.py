"""Render findings: human text, JSON, GitHub workflow annotations (one result, three views)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable

from toolkit.findings import Finding, Severity

__all__ = ["REPORTERS", "render_github", "render_json", "render_text"]


def _printable(text: str) -> str:
    """Control and format characters (newlines, ESC, bidi overrides) as visible escapes, so a
    file name or record text can neither forge a report line nor drive the terminal."""
    return "".join(c if unicodedata.category(c)[0] != "C" else f"\\u{{{ord(c):04x}}}" for c in text)


def _location(finding: Finding) -> str:
    if finding.line:
        return f"{_printable(finding.file)}:{finding.line}:{finding.col}"
    return _printable(finding.file)


def render_text(findings: list[Finding], strict: bool = False) -> str:
    lines = []
    for f in findings:
        severity = "error" if strict else str(f.severity)
        where = f" (at {f.pointer})" if f.pointer else ""
        message = _printable(f.message + where)
        lines.append(f"{_location(f)}: {severity} {f.code} {message}")
        if f.hint:
            lines.append(f"  hint: {_printable(f.hint)}")
    errors = sum(1 for f in findings if strict or f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    lines.append(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")
    return "\n".join(lines) + "\n"


def render_json(findings: list[Finding], strict: bool = False) -> str:
    rows = []
    for f in findings:
        row = f.as_dict()
        if strict:
            row["severity"] = "error"
        rows.append(row)
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
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
        message = f.message + (f" (at {f.pointer})" if f.pointer else "")
        if f.hint:
            message += f"\nhint: {f.hint}"
        lines.append(f"::{level} {','.join(props)}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


REPORTERS: dict[str, Callable[[list[Finding], bool], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
}
