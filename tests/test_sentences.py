"""Sentences cut out of formatted text for the read-along book: nothing lost, markup kept, links whole."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.model import Emphasis, Inline, LineBreak, Link, Strong, Text, inline_text
from pipeline.sentences import leading_space, sentence_ends, split


def _texts(text: str) -> list[str]:
    return [inline_text(segment) for segment in split((Text(text),))]


def test_sentences_end_after_full_stops_and_closing_quotes_not_after_abbreviations() -> None:
    assert _texts("Rest today. Call us if it hurts! Why? Ask.") == [
        "Rest today.", " Call us if it hurts!", " Why?", " Ask."]
    assert _texts('Say "stop." Then wait.') == ['Say "stop."', " Then wait."]
    assert _texts("Bring your tablets, e.g. Warfarin. Dr. Patel will see you.") == [
        "Bring your tablets, e.g. Warfarin.", " Dr. Patel will see you."]
    assert _texts("It takes approx. 30 minutes. Then go home.") == [
        "It takes approx. 30 minutes.", " Then go home."]
    assert _texts("Weź leki, np. Aspirynę. Potem odpocznij.") == ["Weź leki, np. Aspirynę.", " Potem odpocznij."]
    assert _texts("ڈاکٹر آپ کو بتائیں گے۔ پھر آرام کریں۔") == ["ڈاکٹر آپ کو بتائیں گے۔", " پھر آرام کریں۔"]
    assert _texts("Version 2.5 is out. the end") == ["Version 2.5 is out. the end"]  # no cut before lower case
    assert sentence_ends("One sentence only.") == []


def test_markup_is_kept_and_a_link_is_never_cut() -> None:
    content: tuple[Inline, ...] = (Text("You may go home. "), Strong((Text("Do not drive. Rest for a day."),)),
                                   Text(" See "), Link("https://example.nhs.uk", (Text("our page. It helps."),)),
                                   Text(" Thank you."))
    sentences = split(content)
    assert [inline_text(s) for s in sentences] == [
        "You may go home.", " Do not drive.", " Rest for a day.", " See our page. It helps.", " Thank you."]
    assert sentences[1] == (Text(" "), Strong((Text("Do not drive."),)))
    assert sentences[2] == (Strong((Text(" Rest for a day."),)),)
    assert leading_space(sentences[1]) == (" ", (Strong((Text("Do not drive."),)),))
    assert leading_space(sentences[2]) == (" ", (Strong((Text("Rest for a day."),)),))
    assert sentences[3][1] == content[3], "the link is whole, in one sentence"
    assert leading_space(sentences[4]) == (" ", (Text("Thank you."),))


_inline = st.recursive(
    st.builds(Text, st.text(alphabet="Ab .!?\"” e.g", max_size=12)) | st.just(LineBreak()),
    lambda children: (st.builds(Strong, st.tuples(children, children))
                      | st.builds(Emphasis, st.tuples(children))
                      | st.builds(Link, st.just("https://example.nhs.uk"), st.tuples(children))),
    max_leaves=8)


@given(st.lists(_inline, max_size=6))
def test_nothing_is_lost_whatever_the_text(nodes: list[Inline]) -> None:
    content = tuple(nodes)
    sentences = split(content)
    assert "".join(inline_text(s) for s in sentences) == inline_text(content)
    rejoined = "".join(space + inline_text(rest) for space, rest in map(leading_space, sentences))
    assert rejoined == inline_text(content)
    links = [n for s in sentences for n in s if isinstance(n, Link)]
    assert len(links) == sum(isinstance(n, Link) for n in content), "no link cut in two"
