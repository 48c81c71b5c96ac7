"""The queue, resume and episode references as a script drives them: what each change
says matches what it did."""

from __future__ import annotations

from pathlib import Path

from tests.cli.support import ids, ok


def test_queueing_some_already_queued_says_only_what_was_added(lib: Path) -> None:
    by_title = ids(lib)
    keeper, silence, bonus = by_title["The Lighthouse Keeper"], by_title["Radio Silence"], by_title["Bonus: no guid"]
    ok(lib, "queue", "add", keeper)
    assert ok(lib, "queue", "add", keeper, silence) == "queued “Radio Silence” (“The Lighthouse Keeper” was already queued)\n"
    assert ok(lib, "history").splitlines()[0].endswith("queued “Radio Silence” (“The Lighthouse Keeper” was already queued)")
    out = ok(lib, "queue", "add", bonus, keeper, silence, "--next")
    assert out == "queued “Bonus: no guid” to play next (2 episodes were already queued, moved up)\n", out
    assert ok(lib, "queue", "add", silence, "--next") == "moved “Radio Silence” to the top of the queue, to play next\n"
    assert [line.split()[1] for line in ok(lib, "queue").splitlines()[1:-1]] == [silence, bonus, keeper]
