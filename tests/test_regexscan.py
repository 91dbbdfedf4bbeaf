"""gated_finditer gives exactly pattern.finditer's matches."""
import re

from hypothesis import given, settings, strategies as st

from geo.regexscan import gated_finditer, word_gate

WORDS = ("di", "ke", "dekat", "pada", "hari")
PATTERN = re.compile(r"\b(?:(?:pada|hari)\s+)*(?:di|ke|dekat)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)")
GATE = word_gate(WORDS)
# Text made of the words the pattern cares about, so that matches, near-misses and overlaps are common.
PIECES = st.sampled_from(["di", "ke", "dekat", "pada", "hari", "Kota", "Baru", "adi", "keDi", " ", "  ", ",", "\n", "x"])


def _spans(matches):
    return [(m.span(), m.groups()) for m in matches]


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_same_matches_as_finditer(text):
    assert _spans(gated_finditer(GATE, PATTERN, text)) == _spans(PATTERN.finditer(text))


def test_examples():
    text = "adi Kota pada hari di Kota Baru, ke Jakarta dan dekatnya"
    found = [m.group(1) for m in gated_finditer(GATE, PATTERN, text)]
    assert found == ["Kota Baru", "Jakarta"]  # "adi Kota": no word start; "dekatnya": no name after
    assert list(gated_finditer(GATE, PATTERN, "")) == []


def test_a_candidate_inside_a_failed_one_is_still_tried():
    # The gate's "ab" fails as a start of the pattern; the "b" inside it is where the match is.
    assert [m.group() for m in gated_finditer(re.compile("ab|b"), re.compile(r"b\d"), "ab1 b2")] == ["b1", "b2"]
