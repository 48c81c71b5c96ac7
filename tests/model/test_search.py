"""The filter's text search: what a pasted query costs."""

from __future__ import annotations

from tracker.model.search import SearchIndex


def index() -> SearchIndex:
    texts = ["how a lighthouse keeps time\nslow radio", "bread starters\nslow radio", "lighthouse keepers\nother"]
    return SearchIndex.build(["a", "b", "c"], texts)


def test_a_pasted_query_checks_each_needed_word_once() -> None:
    """A paragraph pasted into the filter (10k characters, the same words again and again)
    was checked word by word against every episode: 2,000 words froze the screen for
    seconds per slice at 50k episodes. A repeated word, or one inside another word of the
    query ("light" in "lighthouse"), can change nothing: it is not checked again."""
    idx = index()
    search = idx.start("lighthouse " * 2000)
    assert search.words == ["lighthouse"]
    assert search.run() == ["a", "c"]
    search = idx.start("Light LIGHTHOUSE slow radio slow")
    assert sorted(search.words) == ["lighthouse", "radio", "slow"]
    assert search.run() == ["a"]


def test_typing_on_after_a_pasted_query_still_narrows() -> None:
    idx = index()
    assert idx.search("slow slow") == ["a", "b"]
    assert idx.search("slow slow r") == ["a", "b"]  # typed on: only the earlier matches are searched
    assert idx.search("slow slow re") == ["b"]
