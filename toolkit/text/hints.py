"""Did-you-mean hints: the closest of many choices, as difflib would pick it."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["did_you_mean"]

#: Up to this many choices, difflib alone is fast enough.
_FEW_CHOICES = 50


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest choice, or "" when nothing is close (difflib's choice)."""
    import difflib  # here: only a finding with a hint needs it (cold start)

    candidates = list(choices)
    if len(candidates) > _FEW_CHOICES:
        # difflib compares in Python, one choice at a time: tens of milliseconds for the
        # thousands of entity IDs of a large corpus. rapidfuzz (in C++) keeps the choices
        # that can reach difflib's cutoff: its ratio counts the longest common subsequence,
        # never fewer characters than the matching blocks difflib counts, so it is never
        # below difflib's ratio; difflib then picks among those exactly as among all.
        from rapidfuzz import fuzz, process

        candidates = [
            choice
            for choice, _, _ in process.extract(
                word, candidates, scorer=fuzz.ratio, score_cutoff=59.9, limit=None
            )
        ]
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f"did you mean `{matches[0]}`?" if matches else ""
