"""Scaling cases of validation (issue 16, item 3): each path that was super-linear, and a
whole validation of one hostile record, at input size n (see bench/scaling.py)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from toolkit.load import load_document
from toolkit.text.quotes import Snapshot
from toolkit.validate import validate_paths

REPO = Path(__file__).resolve().parent.parent
#: The hostile tests' base tree: one valid article, its snapshot and eight entities.
BASE = REPO / "tests" / "hostile" / "base"
ARTICLE = "spear-strikes"


def _sentence(i: int) -> str:
    return f"Delegation {i} from district {i * 7 % 1000} reported shelling near crossing {i}."


def _misquote(i: int) -> str:
    return _sentence(i).replace("reported", "reproted")


def _prefixed(i: int) -> str:
    return f"w{i} said the Spear was ready."


def _anchor(i: int) -> dict[str, str]:
    return {"quote": "the Spear was ready", "prefix": f"w{i} said"}


def closest_hint(work: Path, n: int) -> Callable[[], object]:
    """(a) n/10 misquotes against a snapshot of n sentences: the closest-match hints."""
    text = " ".join(_sentence(i) for i in range(n))
    misquotes = [{"quote": _misquote(i)} for i in range(0, n, 10)]

    def call() -> object:
        snapshot = Snapshot(text)
        # As validation does: every quote of the article counted in one pass, then each
        # one that is not found exactly once resolved in full.
        snapshot.count_all([anchor["quote"] for anchor in misquotes])
        return [snapshot.resolve(anchor) for anchor in misquotes]

    return call


def prefixed_anchors(work: Path, n: int) -> Callable[[], object]:
    """(b) n anchors quoting the same words, each told apart by its prefix."""
    text = " ".join(_prefixed(i) for i in range(n))
    anchors = [_anchor(i) for i in range(n)]

    def call() -> object:
        snapshot = Snapshot(text)
        return [snapshot.resolve(anchor) for anchor in anchors]

    return call


def _records(work: Path, redirects: dict[str, Any] | None = None) -> Path:
    root = work / "records"
    (root / "articles").mkdir(parents=True)
    if redirects is not None:
        (root / "redirects.json").write_text(json.dumps(redirects), encoding="utf-8")
    return root


def _loop(n: int) -> dict[str, Any]:
    """A loop of n redirects and a chain of n more that runs into it (short IDs: the file
    must stay under the 2 MiB a records file may have at 2n)."""
    table = {f"o{i}": {"to": f"o{(i + 1) % n}", "reason": "L"} for i in range(n)}
    for i in range(n):
        table[f"t{i}"] = {"to": f"t{i + 1}" if i + 1 < n else "o0", "reason": "C"}
    return table


def redirect_chains(work: Path, n: int) -> Callable[[], object]:
    """(c) validation of a redirects.json holding a loop of n entries and a chain of n."""
    root = _records(work, _loop(n))
    return lambda: validate_paths([root])


def finding_positions(work: Path, n: int) -> Callable[[], object]:
    """(d) the line:col of n findings in one file."""
    path = work / "items.json"
    items = [{"name": f"item {i}", "value": i} for i in range(n)]
    # Compact, several lines: under the 2 MiB a file may have at 2n, with lines to count.
    path.write_text(json.dumps({"items": items}).replace("}, ", "},\n"), encoding="utf-8")

    def call() -> object:
        document = load_document(path, "items.json", trust_schema=True)
        return [document.position(f"/items/{i}/value") for i in range(n)]

    return call


def _base(work: Path) -> tuple[Path, dict[str, Any]]:
    root = work / "records"
    shutil.copytree(BASE, root)
    article = json.loads((root / "articles" / f"{ARTICLE}.json").read_text(encoding="utf-8"))
    return root, article


def _write_article(root: Path, article: dict[str, Any]) -> Path:
    path = root / "articles" / f"{ARTICLE}.json"
    # Compact: the file must stay under the 2 MiB a record may have at 2n.
    path.write_text(json.dumps(article, ensure_ascii=False), encoding="utf-8")
    return path


def long_list(work: Path, n: int) -> Callable[[], object]:
    """(e) validation of an article whose key points are n broken items (maxItems is 100)."""
    root, article = _base(work)
    point = article["key_points"][0]
    article["key_points"] = [{**point, "bogus": i} for i in range(n)]
    path = _write_article(root, article)
    return lambda: validate_paths([path])


def hostile_record(work: Path, n: int) -> Callable[[], object]:
    """Validation of one schema-valid hostile article: n evidence anchors (misquotes, and
    quotes told apart by a prefix) against a snapshot that grows with them, and a redirect
    loop of n entries."""
    root, article = _base(work)
    event = article["events"][0]
    anchors = [{"quote": _misquote(i)} if i % 2 else _anchor(i) for i in range(n)]
    per_event = 50  # the schema's maxItems of `evidence` (and 500 events at most)
    article["events"] = [
        {**event, "id": f"{event['id']}-{at}", "evidence": anchors[at : at + per_event]}
        for at in range(0, n, per_event)
    ]
    _write_article(root, article)
    snapshot = root / "sources" / f"{ARTICLE}.txt"
    extra = " ".join(_sentence(i) if i % 2 else _prefixed(i) for i in range(n))
    snapshot.write_text(
        snapshot.read_text(encoding="utf-8") + "\n" + extra + "\n", encoding="utf-8"
    )
    (root / "redirects.json").write_text(json.dumps(_loop(n)), encoding="utf-8")
    return lambda: validate_paths([root])


CASES: dict[str, Callable[[Path, int], Callable[[], object]]] = {
    "closest-match hints (a)": closest_hint,
    "anchors with a prefix (b)": prefixed_anchors,
    "redirect chains (c)": redirect_chains,
    "finding positions (d)": finding_positions,
    "list past maxItems (e)": long_list,
    "validate one hostile record": hostile_record,
}

#: n of each case: each timing at least 0.2 s on a 2-core machine.
SIZES = {
    "closest-match hints (a)": 20_000,
    "anchors with a prefix (b)": 40_000,
    # At most ~12,000: redirects.json must stay under 2 MiB at 2n (so t(n) is under 0.2 s).
    "redirect chains (c)": 12_000,
    "finding positions (d)": 20_000,
    # At most ~5,000: the article must stay under 2 MiB at 2n.
    "list past maxItems (e)": 4000,
    # At most 12,500: 500 events of 50 quotes each are the schema's limit at 2n.
    "validate one hostile record": 8000,
}
