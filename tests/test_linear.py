"""Validation does work linear in its input (issue 16, item 3), checked by counting the work,
never by timing it (the timings are in bench/scaling.py): each test here fails on the code
that was super-linear."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from toolkit.checks import redirects
from toolkit.format.schemas import published_schemas
from toolkit.load import Document, positions
from toolkit.text import closest, quotes
from toolkit.text.quotes import Snapshot
from toolkit.validate import validate_paths


def _tree(root: Path) -> Path:
    (root / "articles").mkdir(parents=True)
    return root


def test_a_long_redirect_loop_is_one_short_finding(tmp_path: Path) -> None:
    root = _tree(tmp_path / "records")
    size = 1000
    table = {
        f"old-{i:04}": {"to": f"old-{(i + 1) % size:04}", "reason": "Loop."} for i in range(size)
    }
    (root / "redirects.json").write_text(json.dumps(table), encoding="utf-8")
    findings = validate_paths([root]).findings
    assert [(f.code, f.pointer) for f in findings] == [("redirect-cycle", "/old-0000/to")]
    message = findings[0].message
    assert message.startswith("the redirects loop: old-0000 → old-0001 → ")
    assert "(1000 entries)" in message and len(message) < 200


class _Counting(dict[str, str]):
    looked_up = 0

    def __getitem__(self, key: str) -> str:
        type(self).looked_up += 1
        return super().__getitem__(key)


def test_each_redirect_chain_is_walked_once() -> None:
    # A chain of 1,000 entries: walked from every entry, it is 500,000 steps.
    size = 1000
    table = _Counting({f"old-{i:04}": f"old-{i + 1:04}" for i in range(size)})
    ends, loops = redirects._chains(table)
    assert loops == [] and set(ends.values()) == {f"old-{size:04}"}
    assert _Counting.looked_up <= size


BASE = Path(__file__).resolve().parent / "hostile" / "base"


def _spy(
    monkeypatch: pytest.MonkeyPatch, owner: object, name: str, seen: Callable[..., object]
) -> None:
    """Wrap `owner.name` (which the code before may lack) so that each call first passes
    its arguments to `seen`."""
    original = getattr(owner, name, None)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        seen(*args, **kwargs)
        assert original is not None
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper, raising=False)


def _hostile_article(tmp_path: Path, key_points: list[dict[str, object]]) -> Path:
    """The hostile-test base tree with the article's key points replaced; its article file."""
    root = tmp_path / "records"
    shutil.copytree(BASE, root)
    path = root / "articles" / "spear-strikes.json"
    article = json.loads(path.read_text(encoding="utf-8"))
    article["key_points"] = key_points
    path.write_text(json.dumps(article, indent=2), encoding="utf-8")
    return path


def _key_point(extra: dict[str, object]) -> dict[str, object]:
    point = json.loads((BASE / "articles" / "spear-strikes.json").read_text())["key_points"][0]
    return {**point, **extra}


def test_positions_of_many_findings_read_and_walk_the_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _hostile_article(tmp_path, [_key_point({"bogus": i}) for i in range(100)])
    calls: Counter[str] = Counter()
    _spy(monkeypatch, positions, "_locate", lambda *_: calls.update(["walk"]))
    _spy(monkeypatch, positions._Scanner, "scan_positions", lambda *_: calls.update(["walk"]))
    _spy(monkeypatch, Document, "_read_again", lambda *_: calls.update(["read"]))
    findings = validate_paths([path]).findings
    unknown = [f for f in findings if f.code == "schema-unknown-field"]
    assert len(unknown) == 100
    # Still exact: each points at its own key, one line per key point.
    assert len({(f.line, f.col) for f in unknown}) == 100
    text = path.read_text(encoding="utf-8").splitlines()
    assert all(text[f.line - 1][f.col - 1 :].startswith('"bogus"') for f in unknown)
    assert calls["walk"] <= 2 and calls["read"] <= 2, calls


def test_a_list_past_max_items_is_reported_once(tmp_path: Path) -> None:
    limit = published_schemas()["article"]["properties"]["key_points"]["maxItems"]
    broken = [_key_point({"bogus": i}) for i in range(limit + 500)]
    path = _hostile_article(tmp_path, broken)
    findings = validate_paths([path]).findings
    assert [f.code for f in findings if f.pointer == "/key_points"] == ["schema-length"]
    beyond = [f for f in findings if f.pointer.startswith("/key_points/")]
    assert len(beyond) == limit  # the items within the limit are still checked
    assert all(int(f.pointer.split("/")[2]) < limit for f in beyond)


class _CountingText(str):
    """A snapshot's text that counts its searches."""

    finds = 0

    def find(self, *args: Any) -> int:  # type: ignore[override]
        type(self).finds += 1
        return super().find(*args)


def test_anchors_with_context_do_not_each_list_every_occurrence() -> None:
    # 300 anchors quote the same word, each with its own prefix; the word occurs 300 times.
    size = 300
    snapshot = Snapshot(" ".join(f"word{i} Spear." for i in range(size)))
    snapshot.text = _CountingText(snapshot.text)
    for i in range(size):
        assert snapshot.resolve({"quote": "Spear", "prefix": f"word{i}"}).status == "found"
    assert snapshot.resolve({"quote": "Spear", "suffix": "."}).count == size
    # Listing every occurrence for every anchor is 300 × 300 searches.
    assert _CountingText.finds <= 10 * size


def test_the_closest_match_hint_does_bounded_work(monkeypatch: pytest.MonkeyPatch) -> None:
    import difflib

    compared: list[int] = []
    _spy(
        monkeypatch,
        difflib.SequenceMatcher,
        "set_seqs",
        lambda _, a, b: compared.append(len(a) * len(b)),
    )
    extended: list[int] = []  # (the code before had no bound to count)
    _spy(monkeypatch, closest, "_extend", lambda *_: extended.append(1))
    # Every piece of the quote occurs at every offset of the snapshot.
    snapshot = Snapshot("a" * 200_000)
    result = snapshot.resolve({"quote": "a" * 50 + "b"})
    assert result.status == "orphaned" and "“" + "a" * 50 + "”" in result.hint
    # A misquote of a natural text still gets its longest matching part.
    text = "Valeria approved Spear strikes on Tarsis after a long debate in the council."
    hint = Snapshot(text).resolve({"quote": "Valeria aproved Spear strikes on Tarsis"}).hint
    assert "“proved Spear strikes on Tarsis”" in hint
    assert sum(compared) <= 1_000_000  # difflib over the snapshot is 200,000 × 51
    assert len(extended) <= 2 * closest.HINT_EXTENSIONS


def test_only_the_first_misquotes_of_a_snapshot_get_the_closest_match(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import difflib

    searched: list[int] = []
    _spy(monkeypatch, difflib.SequenceMatcher, "set_seqs", lambda *_: searched.append(1))
    _spy(monkeypatch, closest, "longest_common", lambda *_: searched.append(1))
    snapshot = Snapshot("Valeria approved Spear strikes on Tarsis. " * 1000)
    hints = [snapshot.resolve({"quote": f"Valeria aproved Spear {i}"}).hint for i in range(100)]
    budget = closest.HINT_BUDGET
    assert len(searched) == budget == 20  # each scans the whole snapshot
    assert "the longest part that matches is “proved Spear ”" in hints[0]
    assert "first 20 misquotes" in hints[-1]


@pytest.mark.parametrize("indexed", [0, 10_000])
def test_context_across_a_space_finds_the_quote_itself(
    indexed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both ways of finding quote and context together (indexed, or searched for joined).
    monkeypatch.setattr(quotes, "INDEXED", indexed, raising=False)
    snapshot = Snapshot("one Spear fell. two Spear  rose.")
    found = snapshot.resolve({"quote": "Spear", "suffix": "rose"}, offsets=True)
    assert (found.status, found.start, found.end) == ("found", 20, 25)
    found = snapshot.resolve({"quote": "Spear", "prefix": "two"}, offsets=True)
    assert (found.status, found.start, found.end) == ("found", 20, 25)
    both = snapshot.resolve({"quote": "Spear", "prefix": "one", "suffix": "fell."})
    assert both.status == "found"


def test_counted_quotes_are_not_searched_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # What validation does for an article: count every quote in one pass, then resolve in
    # full those not found once. 1,000 misquotes must not mean 1,000 searches of the text.
    snapshot = Snapshot(" ".join(f"Sentence number {i} of the article." for i in range(1000)))
    snapshot.text = _CountingText(snapshot.text)
    _CountingText.finds = 0
    counted: list[int] = []
    _spy(monkeypatch, quotes, "locate_each", lambda _, needles: counted.append(len(needles)))
    misquotes = [f"Qqq zzz {i} xxx vvv" for i in range(1000)]  # no piece in the text either
    repeated = ["Sentence number 7 of the article."] * 1000
    count_all = getattr(snapshot, "count_all", None)
    assert count_all is not None, "no way to count the quotes of a record at once"
    assert count_all(misquotes + repeated) == [0] * 1000 + [1] * 1000
    assert counted == [1001]  # each distinct quote once
    assert all(snapshot.resolve({"quote": q}).status == "orphaned" for q in misquotes)
    assert _CountingText.finds == 0


def test_quotes_that_share_their_first_characters_are_not_each_checked_at_every_hit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The C kernel checks every needle of a shared 8-character prefix wherever that prefix
    occurs (quotes × occurrences); a crowd of such quotes is counted by an automaton."""
    from toolkit.runtime import native
    from toolkit.text import needles

    kernel = native.native("count_each")
    if kernel is None:  # the twin (str.find per needle) is the reference, not the fast path
        pytest.skip("toolkit._native is not built (STRATLAS_NATIVE=0): no kernel to spy on")
    given: list[list[str]] = []

    def spy(text: str, wanted: list[str]) -> list[int]:
        given.append(list(wanted))
        return kernel(text, wanted)

    monkeypatch.setattr(native, "native", lambda name: spy if name == "count_each" else None)
    text = " ".join(f"Delegation {i} reported shelling." for i in range(500))
    quotes_ = [f"Delegation {i} reported shelling." for i in range(0, 500, 5)]
    quotes_ += ["shelling.", "no such words here"]
    counts = needles.count_each(text, quotes_)
    assert counts == needles._count_each(text, quotes_)
    assert given, "the kernel counted nothing"
    crowds = [
        Counter(q[: needles.WINDOW] for q in call if len(q) >= needles.WINDOW) for call in given
    ]
    assert max(max(crowd.values(), default=0) for crowd in crowds) <= needles.CROWD


def test_crowded_quotes_are_located_as_the_twin_locates_them() -> None:
    # The crowd goes to the automaton, which must give the kernel's places and edges too.
    from toolkit.text import needles

    text = " ".join(f"Delegation {i} reported shelling." for i in range(500))
    quotes_ = [f"Delegation {i} reported shell" for i in range(0, 500, 5)]
    quotes_ += ["elegation 7 reported", "shelling.", "no such words here"]
    assert needles.locate_each(text, quotes_) == needles._locate_each(text, quotes_)
