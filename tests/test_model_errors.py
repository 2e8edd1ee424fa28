"""One mapping from pydantic's error types to finding codes, for records and for
records/redirects.json alike (toolkit/findings.py `model_error_code`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from toolkit.findings import CODES, model_error_code
from toolkit.validate import validate_paths

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "corpus"


@pytest.mark.parametrize(
    ("error_type", "code"),
    [
        ("missing", "schema-required"),
        ("extra_forbidden", "schema-unknown-field"),
        ("null_not_allowed", "schema-null"),
        ("union_tag_invalid", "schema-kind"),
        ("string_too_long", "schema-length"),
        ("too_short", "schema-length"),
        ("less_than_equal", "schema-length"),
        ("string_type", "schema-type"),
        ("string_pattern_mismatch", "schema-value"),
    ],
)
def test_model_error_codes(error_type: str, code: str) -> None:
    assert model_error_code(error_type) == code
    assert code in CODES


@pytest.mark.parametrize(
    ("entry", "pointer", "code"),
    [
        # Until the mapping was one, redirects.json reported these three as schema-value
        # and the null as schema-value too, where a record reports what follows.
        ({"to": "a" * 81, "reason": "Merged."}, "/old-id/to", "schema-length"),
        ({"to": "lancer", "reason": ""}, "/old-id/reason", "schema-length"),
        ({"to": "lancer", "reason": "x" * 2001}, "/old-id/reason", "schema-length"),
        ({"to": "lancer", "reason": "Merged.", "date": None}, "/old-id", "schema-null"),
        # Unchanged.
        ({"to": "lancer"}, "/old-id/reason", "schema-required"),
        ({"to": "lancer", "reason": "Merged.", "why": "x"}, "/old-id/why", "schema-unknown-field"),
        ({"to": 5, "reason": "Merged."}, "/old-id/to", "schema-type"),
        ({"to": "Lancer", "reason": "Merged."}, "/old-id/to", "schema-value"),
    ],
)
def test_redirects_json_errors_get_the_codes_records_get(
    tmp_path: Path, entry: dict[str, Any], pointer: str, code: str
) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(FIXTURE, root)
    (root / "redirects.json").write_text(json.dumps({"old-id": entry}), encoding="utf-8")
    found = [
        (f.pointer, f.code)
        for f in validate_paths([root]).findings
        if f.file.endswith("redirects.json")
    ]
    assert found == [(pointer, code)]
