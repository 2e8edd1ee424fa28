"""Quote resolution: normalisation, found / ambiguous / orphaned, offsets, name look-ups."""

from __future__ import annotations

import itertools
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.text.names import NameIndex
from toolkit.text.quotes import Snapshot, normalise

# The whole module runs on the C kernels and on their Python twins (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("implementation")

TYPOGRAPHIC = {
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "\u00a0": " ",
}


def reference_normalise(text: str) -> str:
    """The rule as PRODUCT.md states it, written the slow, obvious way."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(TYPOGRAPHIC.get(c, c) for c in text)
    return re.sub(r"\s+", " ", text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab ’“”\u00a0\t\ne\u0301é.")), max_size=40))
def test_normalise_matches_the_stated_rule(text: str) -> None:
    assert normalise(text) == reference_normalise(text)
    snapshot = Snapshot(text)
    assert snapshot.text == reference_normalise(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab  \n’é")), min_size=1, max_size=30), st.data())
def test_offsets_point_at_the_quote_in_the_nfc_text(text: str, data: st.DataObject) -> None:
    nfc = unicodedata.normalize("NFC", text)
    start = data.draw(st.integers(0, len(nfc) - 1))
    end = data.draw(st.integers(start + 1, len(nfc)))
    quote = nfc[start:end]
    if not quote.strip():
        return
    result = Snapshot(text).resolve({"quote": quote}, offsets=True)
    if result.status == "found":
        assert normalise(nfc[result.start : result.end]).strip() == normalise(quote).strip()


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab  \n’“é.")), max_size=30),
    st.text(alphabet=st.sampled_from(list('ab  \n’"é.')), max_size=6),
)
def test_the_fast_check_for_a_bare_quote_agrees_with_resolve(text: str, quote: str) -> None:
    # Validation skips `resolve` for a bare quote that `occurs_once`: both must agree.
    snapshot = Snapshot(text)
    assert snapshot.occurs_once(quote) == (snapshot.resolve({"quote": quote}).status == "found")


_ANCHOR = st.one_of(
    st.builds(lambda q: {"quote": q}, st.text(alphabet=st.sampled_from(list('ab  \n’"é.')))),
    st.builds(lambda q, p: {"quote": q, "prefix": p}, st.text(max_size=3), st.text(max_size=3)),
)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab  \n’“é.")), max_size=30),
    st.none() | st.lists(_ANCHOR, max_size=4),
)
def test_the_fast_check_of_a_claims_anchors_agrees_with_resolve(
    text: str, anchors: list[dict[str, str]] | None
) -> None:
    # Validation skips every anchor of a claim when all are bare quotes found once.
    snapshot = Snapshot(text)
    expected = bool(anchors) and all(
        len(a) == 1 and snapshot.resolve(a).status == "found" for a in anchors or ()
    )
    assert snapshot.all_bare_and_once(anchors) == expected


def test_found_ambiguous_orphaned() -> None:
    snapshot = Snapshot("He said “no”.\nShe said “no” too.")
    assert snapshot.resolve({"quote": 'She said "no"'}).status == "found"
    assert snapshot.resolve({"quote": "said"}).status == "ambiguous"
    assert snapshot.resolve({"quote": "said", "prefix": "She"}).status == "found"
    assert snapshot.resolve({"quote": "said", "suffix": "“no” too"}).status == "found"
    assert snapshot.resolve({"quote": "yes"}).status == "orphaned"
    assert snapshot.resolve({"quote": "said", "start": 3}).status == "found"
    assert snapshot.resolve({"quote": "said", "start": 4}).status == "offset-mismatch"


def test_name_index_matches_whole_words_only() -> None:
    snapshot = Snapshot(
        "The U.S. and Russia’s forces met near Kursk-based units; Joe\nBiden spoke."
    )
    index = NameIndex(
        [
            ("us", 0, "U.S."),
            ("russia", 0, "Russia"),
            ("rus", 0, "Rus"),
            ("kursk", 0, "Kursk"),
            ("biden", 1, "Biden"),
            ("biden", 0, "Joe Biden"),
            ("joebiden", 0, "JoeBiden"),
        ]
    )
    assert index.find(snapshot) == {
        "us": "U.S.",
        "russia": "Russia",
        "kursk": "Kursk",
        "biden": "Joe Biden",
    }


def _found_by_regex(names: list[tuple[str, int, str]], text: str) -> dict[str, str]:
    """The rule `NameIndex.find` implements, one regex per name: the name's tokens (runs of
    word characters, single other characters) with white space between two words and
    optional white space around punctuation, not inside a longer word."""
    snapshot_text = Snapshot(text).text
    best: dict[str, tuple[int, str]] = {}
    for owner, rank, name in names:
        tokens = re.findall(r"\w+|[^\w\s]", normalise(name))
        if len("".join(tokens)) < 2 or not any(re.fullmatch(r"\w+", t) for t in tokens):
            continue
        pattern = re.escape(tokens[0])
        for previous, token in itertools.pairwise(tokens):
            both_words = bool(re.match(r"\w", previous[-1]) and re.match(r"\w", token[0]))
            pattern += (r"\s+" if both_words else r"\s*") + re.escape(token)
        found = re.search(r"(?<!\w)" + pattern + r"(?!\w)", snapshot_text)
        if found and (owner not in best or rank < best[owner][0]):
            best[owner] = (rank, name)
    return {owner: name for owner, (_, name) in sorted(best.items())}


_PIECES = st.sampled_from(["ab", "a", "b", "ba", "é", "A.", ".", "-", "_"])


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["x", "y", "z"]),
            st.integers(0, 2),
            st.lists(_PIECES, min_size=1, max_size=3).map(" ".join)
            | st.lists(_PIECES, min_size=1, max_size=3).map("".join),
        ),
        max_size=5,
    ),
    st.text(alphabet=st.sampled_from(list("ab é_\n.-A")), max_size=40),
)
def test_name_index_finds_what_one_regex_per_name_finds(
    names: list[tuple[str, int, str]], text: str
) -> None:
    snapshot = Snapshot(text)
    assert NameIndex(names).find(snapshot) == _found_by_regex(names, text)
    for name in names:
        assert snapshot.mentions_name(name[2]) == bool(_found_by_regex([name], text))


def test_overlapping_occurrences_of_a_name_are_all_tried() -> None:
    # "xa a a": the first "a a" follows a word character; the second one counts.
    assert NameIndex([("n", 0, "a a")]).find(Snapshot("xa a a")) == {"n": "a a"}
    assert NameIndex([("n", 0, "A.a")]).find(Snapshot("xA.a A. a")) == {"n": "A.a"}


def test_an_underscore_is_a_word_character_between_name_tokens() -> None:
    # `\w` counts `_`: like two words, `_ _` needs white space between its tokens (the
    # name index and `mentions_name` agree; hypothesis found them apart).
    assert NameIndex([("x", 0, "_ _")]).find(Snapshot("__")) == {}
    assert not Snapshot("__").mentions_name("_ _")
    assert Snapshot("a _ _ b").mentions_name("_ _")
