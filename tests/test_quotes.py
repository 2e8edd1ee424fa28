"""Quote resolution: normalisation, found / ambiguous / orphaned, offsets, name look-ups."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.quotes import NameIndex, Snapshot, normalise

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


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(["ab", "a", "b", "ba", "é"]), min_size=1, max_size=3),
    st.text(alphabet=st.sampled_from(list("ab é_\n.")), max_size=40),
)
def test_a_name_of_words_is_found_as_the_regex_finds_it(words: list[str], text: str) -> None:
    from toolkit.quotes import _has_words, _matches, _phrase

    normalised = Snapshot(text).text
    tokens = tuple(words)
    assert _has_words(" ".join(tokens), normalised) == _matches(_phrase(tokens), normalised)
