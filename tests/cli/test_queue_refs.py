"""The queue, resume and episode references as a script drives them: what each change
says matches what it did."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

from tests import feeds
from tests.cli.support import fails, ids, ok
from tracker.cli.columns import width


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


def test_queue_from_a_chapter_already_done_is_refused_rather_than_resuming_elsewhere(lib: Path) -> None:
    """`resume` passes over done and skipped chapters: queueing "from" one moved the resume
    point there and said so, while `resume` and the queue said the next chapter."""
    keeper = ids(lib)["The Lighthouse Keeper"]  # chapters at 0:00, 7:48, 10:00.5, 1:00:02
    ok(lib, "progress", keeper, "40:00")  # chapters 1 and 2 heard whole: done
    ok(lib, "chapter", keeper, "4", "--skip")
    for n, word in (("2", "done"), ("4", "skipped")):
        err = fails(lib, 2, "queue", "add", keeper, "--chapter", n)
        assert f"chapter {n} of “The Lighthouse Keeper” is {word}" in err and f"chapter {keeper} {n} --clear" in err, err
    assert ok(lib, "resume", keeper) == "chapter 3 “The storm” at 40:00\n"  # nothing moved
    assert ok(lib, "queue", "add", keeper, "--chapter", "3") == "queued “The Lighthouse Keeper” from chapter 3\n"
    assert ok(lib, "resume", keeper) == "chapter 3 “The storm” at 10:00\n"


def test_a_title_given_as_ref_is_the_first_suggestion(tmp_path: Path) -> None:
    """The suggestions were the first five matching titles by id: the episode whose title
    was typed exactly was often not among them."""
    items = "".join(f"<item><title>Part {n}</title><guid>p{n}</guid></item>" for n in (1, *range(10, 20)))
    (tmp_path / "parts.xml").write_bytes(feeds.rss(items, title="Parts"))
    lib = tmp_path / "lib"
    ok(lib, "import", str(tmp_path / "parts.xml"))
    by_title = ids(lib)
    err = fails(lib, 2, "resume", "part 1")
    hints = ", ".join(f"{by_title[t]} ({t})" for t in ("Part 1", "Part 10", "Part 11", "Part 12", "Part 13"))
    assert err == f"tracker: no episode matches 'part 1'; did you mean: {hints}\n", err


def _queue_on_a_terminal(lib: Path, columns: int) -> str:
    """`tracker queue` with its output on a pseudo-terminal ``columns`` wide."""
    main_fd, child_fd = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns)}
    env.pop("TRACKER_LIBRARY", None)
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "--library", str(lib), "queue"],
                            stdout=child_fd, stderr=child_fd, env=env)
    os.close(child_fd)
    out = b""
    while True:
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:  # the child closed the terminal: it ended
            break
        if not chunk:
            break
        out += chunk
    os.close(main_fd)
    assert proc.wait(timeout=30) == 0, out
    return out.decode().replace("\r\n", "\n")


def test_on_a_terminal_long_queued_titles_are_cut_to_the_width(tmp_path: Path) -> None:
    """`episodes` cuts a long title on a terminal; the queue let a 1,000-character (or CJK)
    title wrap over many lines, its "(from chapter N)" lost at the end of them."""
    long_title = "A very long title " * 50
    cjk = "日本語のタイトル" * 20
    items = (f"<item><title>{long_title}</title><guid>a</guid><itunes:duration>30:00</itunes:duration>"
             "<psc:chapters version='1.2'><psc:chapter start='0' title='One'/>"
             "<psc:chapter start='10:00' title='Two'/></psc:chapters></item>"
             f"<item><title>{cjk}</title><guid>b</guid></item>")
    (tmp_path / "long.xml").write_bytes(feeds.rss(items, title="番組" * 20))
    lib = tmp_path / "lib"
    ok(lib, "import", str(tmp_path / "long.xml"))
    by_title = {t[:10]: eid for t, eid in ids(lib).items()}
    ok(lib, "queue", "add", by_title[long_title[:10]], "--chapter", "2")
    ok(lib, "queue", "add", by_title[cjk[:10]])
    lines = _queue_on_a_terminal(lib, 100).splitlines()
    assert len(lines) == 4, lines
    assert all(width(line) <= 100 for line in lines), [width(line) for line in lines]
    assert lines[1].endswith("…  (from chapter 2)") and lines[2].endswith("…")
    piped = ok(lib, "queue").splitlines()  # a pipe or a file gets every title whole
    assert long_title.strip() in piped[1] and cjk in piped[2]


def test_an_id_typed_in_capitals_is_the_same_episode(lib: Path) -> None:
    """Ids are hexadecimal, which reads the same in either case (as git's do): '2BAC' was
    "no episode matches"."""
    keeper = ids(lib)["The Lighthouse Keeper"]
    assert ok(lib, "queue", "add", keeper[:6].upper()) == "queued “The Lighthouse Keeper”\n"
    assert ok(lib, "resume", keeper.upper()) == "chapter 1 “Cold open” at 0:00\n"
    assert f"no episode matches '{keeper.upper()}X'" in fails(lib, 2, "show", keeper.upper() + "X")


def test_a_queued_episode_a_restored_catalog_lacks_is_not_counted(tmp_path: Path) -> None:
    """A catalog file restored from this morning's backup lacks an episode queued since:
    `queue` left it out, but `queue move`, `show` and `episodes --json` still counted it,
    so "place 2 of 3" was said of the first of two, and 'up' swapped with the unseen one."""
    lib = tmp_path / "lib"
    # A fills every catalog file, so each has a backup. (The ids follow the feed's path, a
    # new temporary folder each run: with 60 items, one run in fifty left B1's file empty of
    # A, with no backup to restore; with 200, one in a million.)
    for name, count in (("A", 200), ("B", 1)):
        items = "".join(f"<item><title>{name}{n}</title><guid>{name}{n}</guid></item>" for n in range(1, count + 1))
        (tmp_path / f"{name}.xml").write_bytes(feeds.rss(items, title=f"Show {name}"))
        ok(lib, "import", str(tmp_path / f"{name}.xml"))  # B after today's backup was taken
    by_title = ids(lib)
    a1, a2, b1 = by_title["A1"], by_title["A2"], by_title["B1"]
    ok(lib, "queue", "add", b1, a1, a2)
    (lib / f"episodes-{b1[0]}.json").write_text("{damaged")  # restored from the backup, without B1
    assert [line.split()[1] for line in ok(lib, "queue").splitlines()[1:-1]] == [a1, a2]
    assert "queued #1" in ok(lib, "show", a1)
    views = {e["id"]: e["queue_position"] for e in json.loads(ok(lib, "episodes", "--json")) if e["queue_position"]}
    assert views == {a1: 1, a2: 2}
    assert ok(lib, "queue", "move", a2, "up") == "moved “A2” to place 1 of 2 in the queue\n"
    assert ok(lib, "queue", "move", a2, "2") == "moved “A2” to place 2 of 2 in the queue\n"
    assert ok(lib, "queue", "move", a1, "top") == "“A1” is already at place 1 of 2 in the queue\n"
    assert "outside the queue (1 to 2)" in fails(lib, 2, "queue", "move", a1, "3")
    from tracker.model.library import Library
    from tracker.playback.worker import next_queued

    nxt = next_queued(Library(lib), played=a2)  # auto-advance went on to the missing one, and stopped there
    assert nxt is not None and nxt[0] == a1
