"""Each check declares the codes it can report (`@check(codes=…)`, frictionless-py's
`Errors`): together with the file layers and records/redirects.json, the declarations cover
the code registry exactly, and no check reports a code it does not declare."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.checks import CHECKS, check_context
from toolkit.checks.redirects import REDIRECT_CODES, load_redirects
from toolkit.findings import CODES
from toolkit.load import discover
from toolkit.validate.records import file_findings

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "tests" / "examples"
CASES = sorted(
    [
        *(p for p in (EXAMPLES / "invalid").glob("*/*") if p.is_dir()),
        *(p for p in (EXAMPLES / "valid").iterdir() if p.is_dir()),
        REPO / "tests" / "fixtures" / "corpus",
        REPO / "records",
    ]
)

#: Codes of the file layers (loading, JSON, the schema): reported before any check runs.
FILE_LAYER_CODES = {
    name for name, code in CODES.items() if code.layer in ("file", "json", "schema")
}


def test_every_code_is_declared_by_a_producer() -> None:
    declared = {code for registered in CHECKS for code in registered.codes}
    assert declared <= set(CODES), "a check declares a code the registry does not know"
    assert set(CODES) >= REDIRECT_CODES
    assert declared | FILE_LAYER_CODES | REDIRECT_CODES == set(CODES)


def test_the_checks_run_in_the_order_of_the_pipeline() -> None:
    assert [registered.name for registered in CHECKS] == [
        *("ids", "local_ids"),  # identity
        "invisible",  # invisible characters
        *("references", "orphans", "shared_names"),  # references
        "byline",  # bylines
        *("evidence", "coverage"),  # provenance
        "dates",
        "resolutions",  # resolutions and the fields newer than a record's version
        "drafts",
    ]


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_check_reports_only_the_codes_it_declares(case: Path) -> None:
    corpus = discover(case)
    file_findings(corpus, True)
    context = check_context(corpus)
    for registered in CHECKS:
        found = {finding.code for finding in registered.run(corpus, context)}
        assert found <= registered.codes, registered.name
    assert {finding.code for finding in load_redirects(corpus)[1]} <= REDIRECT_CODES
