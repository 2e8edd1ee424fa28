"""The closest-match hint of a misquote: the longest part of the quote that the snapshot
holds, found in bounded work (issue 16: difflib over the whole snapshot took time in its
length times the quote's)."""

from __future__ import annotations

from toolkit.text.needles import count_each

__all__ = ["HINT_BUDGET", "HINT_EXTENSIONS", "HINT_QUOTE", "longest_common"]

#: The closest-match hint of a misquote reads at most this many characters of the quote
#: and extends at most HINT_EXTENSIONS places where a piece of it occurs in the snapshot,
#: the rarest pieces first: bounded work beyond scans of the snapshot in C (difflib over the
#: whole snapshot took time in its length times the quote's).
HINT_QUOTE = 400
HINT_EXTENSIONS = 64
#: Each hint scans the snapshot: only the first HINT_BUDGET misquotes of a snapshot get one,
#: so that the work stays linear in the snapshot however many misquotes there are.
HINT_BUDGET = 20
#: The pieces of the quote searched for: GRAM characters every STEP, so every common part
#: of GRAM + STEP - 1 = 11 characters or more holds one (the hint shows parts of 12 or more).
_GRAM, _STEP = 8, 4


def longest_common(text: str, quote: str) -> tuple[int, int]:
    """(start in `text`, length) of the longest part of `quote` found in `text` (the
    earliest of equals) among the places its rarest pieces occur; (0, 0) if none does."""
    pieces: dict[str, list[int]] = {}
    for at in range(0, len(quote) - _GRAM + 1, _STEP):
        pieces.setdefault(quote[at : at + _GRAM], []).append(at)
    # A long common part holds many pieces: one of its rarest leads to it soonest.
    counts = count_each(text, list(pieces))
    rarest = sorted((count, piece) for piece, count in zip(pieces, counts, strict=True) if count)
    best = (0, 0)
    # The matches extended, by diagonal (text offset − quote offset): (start, end) in text.
    reached: dict[int, list[tuple[int, int]]] = {}
    extended = 0
    # In rounds: the next place of each piece in turn, so that a common piece cannot
    # spend the budget before a rarer one of the same count is tried.
    places = {piece: text.find(piece) for _, piece in rarest}
    while places:
        for piece, where in list(places.items()):
            for at in pieces[piece]:
                spans = reached.setdefault(where - at, [])
                if any(start <= where < end for start, end in spans):
                    continue  # inside a match already extended
                if extended == HINT_EXTENSIONS:
                    return best
                start, size = _extend(text, quote, where, at)
                extended += 1
                spans.append((start, start + size))
                if size > best[1] or (size == best[1] and start < best[0]):
                    best = (start, size)
            following = text.find(piece, where + 1)
            if following == -1:
                del places[piece]
            else:
                places[piece] = following
    return best


def _extend(text: str, quote: str, where: int, at: int) -> tuple[int, int]:
    """The common part of `text` and `quote` around `text[where:]` == `quote[at:]`, as
    (start in `text`, length): at most len(quote) comparisons."""
    before = 0
    while before < at and before < where and text[where - before - 1] == quote[at - before - 1]:
        before += 1
    after = 0
    limit = min(len(quote) - at, len(text) - where)
    while after < limit and text[where + after] == quote[at + after]:
        after += 1
    return where - before, before + after
