"""Validation in two processes (`stratlas validate` on a large corpus) gives exactly the
findings of validation in one: each process sees every entity but only half of the articles,
so the corpus-wide checks (IDs, orphans) must still see the whole corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_bench_smoke import _load_generator

from toolkit.validate import validate_paths

# The whole module runs on the C kernels and on their Python twins (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("implementation")

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "tests" / "examples"
SEED_ID = "bidens-atacms-decision-escalation-or-strategic-necessity"
CASES = sorted(
    [
        *(p for p in (EXAMPLES / "valid").iterdir() if p.is_dir()),
        *(p for p in (EXAMPLES / "invalid").glob("*/*") if p.is_dir()),
    ]
)


def _both(root: Path) -> tuple[list[str], list[str]]:
    def shown(parallel: bool) -> list[str]:
        report = validate_paths([root], parallel=parallel)
        return [
            f"{f.file}:{f.line}:{f.col} {f.code} {f.message} | {f.hint} | {f.record}"
            for f in report.findings
        ]

    return shown(False), shown(True)


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_examples_give_the_same_findings_in_two_processes(case: Path) -> None:
    one, two = _both(case)
    assert two == one


@pytest.mark.parametrize("broken_percent", [0, 10, 30])
def test_generated_corpora_give_the_same_findings_in_two_processes(
    tmp_path: Path, broken_percent: int
) -> None:
    # Zipf mentions: many entities are referenced by one article only, which sits in one of
    # the two halves; broken files of every kind land in both.
    _load_generator().generate(24, 5, tmp_path / "corpus", broken_percent=broken_percent)
    one, two = _both(tmp_path / "corpus")
    assert two == one
    if broken_percent:
        assert one


def _seed_copy(root: Path, article_id: str, *, without_places: bool = False) -> None:
    """A copy of the seed article under another ID and file name (with its snapshot)."""
    seed = root / "articles" / f"{SEED_ID}.json"
    data = json.loads(seed.read_text(encoding="utf-8"))
    source = root / "sources" / f"{data['id']}.txt"
    data["id"] = article_id
    if without_places:
        data["places"] = []
        for event in data["events"]:
            event.pop("places", None)
    (root / "articles" / f"{article_id}.json").write_text(
        json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    shutil.copy(source, root / "sources" / f"{article_id}.txt")


def test_findings_across_the_two_halves_are_found(tmp_path: Path) -> None:
    root = tmp_path / "records"
    shutil.copytree(REPO / "records", root)
    # Sorted, the files alternate between the processes: the two that differ only in case
    # and the entity-ID clash end up apart from what they clash with.
    _seed_copy(root, "aaa-copy")
    _seed_copy(root, "zzz-copy")
    (root / "articles" / "zzz-copy.json").rename(root / "articles" / "AAA-copy.json")
    entity = next((root / "entities").glob("*.json"))
    shutil.copy(entity, root / "articles" / entity.name)
    one, two = _both(root)
    assert two == one
    codes = {line.split(" ")[1] for line in one}
    assert {"id-collision", "id-duplicate"} <= codes


def test_an_entity_referenced_only_from_the_other_half_is_no_orphan(tmp_path: Path) -> None:
    root = tmp_path / "records"
    shutil.copytree(REPO / "records", root)
    # The copy (first in order: this process) names no places; only the seed article (the
    # other process) references them.
    _seed_copy(root, "aaa-copy", without_places=True)
    one, two = _both(root)
    assert two == one
    # (a name the copy does not reference is located in its snapshot, about its record)
    assert not [line for line in one if " entity-orphan " in line or "aaa-copy.json" not in line]
    # Without the seed article (and whatever other articles records/ holds), the places are
    # orphans, in both modes alike.
    for article in (root / "articles").glob("*.json"):
        if article.name != "aaa-copy.json":
            article.unlink()
    one, two = _both(root)
    assert two == one
    assert any(" entity-orphan " in line and "london" in line for line in one)


def test_the_corpus_read_in_two_processes_is_the_whole_corpus(tmp_path: Path) -> None:
    _load_generator().generate(24, 5, tmp_path / "corpus")
    one = validate_paths([tmp_path / "corpus"]).corpus
    two = validate_paths([tmp_path / "corpus"], parallel=True).corpus
    assert one is not None and two is not None
    assert [r.file for r in two.records] == [r.file for r in one.records]
    assert [r.data for r in two.records] == [r.data for r in one.records]
    assert two.sources == one.sources
    assert validate_paths([tmp_path / "corpus"], parallel=True, keep_corpus=False).corpus is None


def test_a_file_changed_while_the_other_process_checked_it_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import toolkit.validate.split
    from toolkit.errors import UsageError

    _load_generator().generate(6, 5, tmp_path / "corpus")
    articles = sorted((tmp_path / "corpus" / "articles").glob("*.json"))
    # The second process has the odd files; change one of them after it has read it.
    original = toolkit.validate.split.run_in_context

    def edit_after(*args: object, **kwargs: object) -> object:
        text = articles[1].read_text(encoding="utf-8")
        articles[1].write_text(text.replace('"title": "', '"title": "Edited: ', 1), "utf-8")
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(toolkit.validate.split, "run_in_context", edit_after)
    with pytest.raises(UsageError, match="changed while the records were checked"):
        validate_paths([tmp_path / "corpus"], parallel=True)


def _redirects(root: Path, table: dict[str, str]) -> None:
    entries = {old: {"to": new, "reason": "merged"} for old, new in table.items()}
    (root / "redirects.json").write_text(json.dumps(entries, indent=2) + "\n", encoding="utf-8")


def test_redirects_across_the_two_halves(tmp_path: Path) -> None:
    # Regression: each process judged redirects.json against the record IDs of its own half,
    # so a shadowed redirect from the other half was missed and a redirect to an article of
    # the other half was called dangling.
    from toolkit.load import article_files

    root = tmp_path / "corpus"
    _load_generator().generate(8, 3, root)
    files = article_files(root)
    mine, theirs = files[0].stem, files[1].stem  # the split takes every other file
    _redirects(root, {mine: theirs, theirs: mine, "an-old-id": theirs})
    one, two = _both(root)
    assert two == one
    shadowed = [line for line in one if " redirect-shadowed " in line]
    assert len(shadowed) == 2 and not [line for line in one if " redirect-dangling " in line]


@st.composite
def _redirect_tables(draw: st.DrawFn, ids: list[str]) -> dict[str, str]:
    """Old IDs and targets drawn from the corpus' own IDs, new IDs and each other: shadowed,
    dangling, chained, looping and sound redirects, on both sides of the split."""
    fresh = st.sampled_from(["old-a", "old-b", "old-c", "gone-d"])
    old = st.one_of(st.sampled_from(ids), fresh)
    olds = draw(st.lists(old, min_size=1, max_size=6, unique=True))
    target = st.one_of(st.sampled_from(ids), st.sampled_from(olds), fresh)
    return {o: draw(target) for o in olds}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), articles=st.integers(2, 12), seed=st.integers(0, 50))
def test_one_process_and_two_agree_on_generated_corpora(
    data: st.DataObject, articles: int, seed: int
) -> None:
    import tempfile

    broken_percent = data.draw(st.sampled_from([0, 0, 10, 30]), label="broken_percent")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "corpus"
        _load_generator().generate(articles, seed, root, broken_percent=broken_percent)
        ids = sorted(p.stem for p in root.glob("*/*.json"))
        if data.draw(st.booleans(), label="with redirects"):
            _redirects(root, data.draw(_redirect_tables(ids), label="redirects"))
        one, two = _both(root)
    assert two == one
