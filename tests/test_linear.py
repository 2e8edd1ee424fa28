"""Validation does work linear in its input (issue 16, item 3), checked by counting the work,
never by timing it (the timings are in bench/scaling.py): each test here fails on the code
that was super-linear."""

from __future__ import annotations

import json
from pathlib import Path

from toolkit.checks import redirects
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
