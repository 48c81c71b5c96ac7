"""Tracker-JSON imports (issue 8 item 4): checked whole before anything is written, one
undoable action, history adopted only into a library with none of its own."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import pytest

from tracker.exchange.tracker_json import export, import_export
from tracker.model.errors import ImportFailed
from tracker.model.library import Library

from .conftest import CHAPTERED, PLAIN, UNKNOWN, add_episodes, make_library, user_states


@pytest.fixture()
def document(tmp_path: Path) -> dict[str, Any]:
    source = make_library(tmp_path / "source")
    source.report_progress(CHAPTERED, 150)
    source.mark_chapter(CHAPTERED, 3, "skipped")
    source.queue_add([PLAIN])
    return json.loads(json.dumps(export(source)))  # as read back from a file


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.json"))} if folder.exists() else {}


def set_in(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Replace one value, found by a path of keys ("*" = the first key of a mapping)."""
    def change(doc: dict[str, Any]) -> None:
        keys = path.split("/")
        node: Any = doc
        for key in keys[:-1]:
            node = node[next(iter(node))] if key == "*" else node[int(key) if isinstance(node, list) else key]
        last = keys[-1]
        if last == "*":
            last = next(iter(node))
        if value is DELETE:
            del node[int(last) if isinstance(node, list) else last]
        else:
            node[int(last) if isinstance(node, list) else last] = value
    return change


DELETE = object()
ATTACKS = {
    "queue is a string": set_in("queue", "abc"),
    "history action without at": set_in("history/*/at", DELETE),
    "status bogus": set_in("state/*/status", "bogus"),
    "chapter without start_s": set_in("episodes/*/chapters/0/start_s", DELETE),
    "duration_s is text": set_in("episodes/*/duration_s", "long"),
    "400-digit duration": set_in("episodes/*/duration_s", int("9" * 400)),
    "400-digit chapter start": set_in("episodes/*/chapters/1/start_s", int("9" * 400)),
    "infinite position": set_in("state/*/position_s", float("inf")),
    "year 9999 published": set_in("episodes/*/published", "9999-01-01"),
    "year 9999 in history": set_in("history/*/at", "9999-12-31T00:00:00+00:00"),
    "year 1 with an offset": set_in("state/*/updated_at", "0001-01-01T00:00:00+05:00"),
    "negative position": set_in("state/*/position_s", -5),
    "queue item of the wrong shape": set_in("queue", [["a", "b", "c"]]),
    "spans not pairs": set_in("state/*/spans", [[1, 2, 3]]),
    "episodes is a list": set_in("episodes", ["x"]),
    "mark unknown": set_in("state/*/marks", [[0, 100, "One", "heard"]]),
    "version 3": set_in("version", 3),
    "history key in digits int() refuses": lambda doc: doc["history"].update(
        {"\u00b2": doc["history"].pop(next(iter(doc["history"])))}),
    "feed URL is a number": set_in("shows/*/feed_url", 5),
    "etag is a number": set_in("shows/*/etag", 1.5),
    "unsubscribed is a string": set_in("unsubscribed", "s1"),
    "speed of 99": lambda doc: doc.update(speeds={next(iter(doc["shows"])): 99}),
    "speed is text": lambda doc: doc.update(speeds={next(iter(doc["shows"])): "fast"}),
}


@pytest.mark.parametrize("attack", list(ATTACKS), ids=list(ATTACKS))
def test_an_invalid_document_is_refused_whole_in_one_line(document: dict[str, Any], tmp_path: Path,
                                                          attack: str) -> None:
    target = make_library(tmp_path / "target")
    target.report_progress(PLAIN, 60)
    before = files_of(target.folder)
    bad = copy.deepcopy(document)
    ATTACKS[attack](bad)
    with pytest.raises(ImportFailed) as caught:
        import_export(Library(target.folder), bad)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("not a usable tracker export, nothing imported")
    assert files_of(target.folder) == before


def test_the_whole_import_is_one_undoable_action(document: dict[str, Any], tmp_path: Path) -> None:
    target = make_library(tmp_path / "target")
    target.report_progress(PLAIN, 60)
    import_export(target, document)
    assert [a.kind for a in target.history()] == ["import", "progress"]  # its own history kept
    assert target.state(CHAPTERED).spans == ((0, 150),)
    assert target.chapter_states(CHAPTERED) == ["done", "in_progress", "skipped"]
    assert [e.id for e in target.queue()] == [PLAIN]
    target.undo()
    assert set(user_states(target)) == {PLAIN} and target.queue() == []


def test_history_is_adopted_only_into_a_library_without_one(document: dict[str, Any], tmp_path: Path) -> None:
    fresh = Library(tmp_path / "fresh")
    import_export(fresh, document)
    assert [a.kind for a in fresh.history()] == ["queue_add", "chapter_skipped", "progress"]
    fresh.undo(3)  # the adopted history undoes as it did where it was made
    assert user_states(fresh) == {} and fresh.queue() == []


def test_stats_stay_right_through_undo_and_redo_of_an_adopted_history(document: dict[str, Any],
                                                                      tmp_path: Path) -> None:
    # an export's history carries states without the numbers stats read from each: after
    # undo and redo, stats counted 0 chapters done and skipped and the queue's time left
    # from the start, while `queue` and the states said otherwise
    from tracker.model.stats import stats

    fresh = Library(tmp_path / "fresh")
    import_export(fresh, document)
    before = stats(fresh)
    assert (before.chapters_done, before.chapters_skipped, before.queue_remaining_s) == (1, 1, 1200)
    fresh.undo(2)  # the queueing and the chapter skipped
    assert (stats(fresh).chapters_done, stats(fresh).chapters_skipped) == (1, 0)
    fresh.redo(2)
    assert stats(fresh) == before


def test_text_is_cleaned_on_the_way_in(document: dict[str, Any], tmp_path: Path) -> None:
    eid = next(iter(document["episodes"]))
    document["episodes"][eid]["title"] = "Evil\x1b]0;owned\x07 title\u202e"
    document["episodes"][eid]["description"] = "line one\r\nline\x9b two"
    fresh = Library(tmp_path / "fresh")
    import_export(fresh, document)
    assert fresh.episode(eid).title == "Evil]0;owned title"
    assert fresh.description(eid) == "line one\nline two"


def test_a_version_1_export_keeps_its_progress(tmp_path: Path) -> None:
    old = {"format": "tracker-export", "version": 1, "shows": {"s1": {"title": "Show"}},
           "episodes": {"e1": {"show_id": "s1", "title": "T", "published": None, "duration_s": 600,
                               "chapters": [{"title": "A", "start_s": 0, "end_s": 300},
                                            {"title": "B", "start_s": 300, "end_s": 600}], "description": ""}},
           "state": {"e1": {"status": "in_progress", "position_s": 400, "chapters": [[300, "done"], [100, None]],
                            "listened_at": None, "updated_at": "2025-01-01T00:00:00+00:00"}},
           "queue": [["e1", 2]], "history": {}}
    fresh = Library(tmp_path / "fresh")
    import_export(fresh, old)
    assert [p.heard_s for p in fresh.chapter_progress("e1")] == [300, 100]
    assert fresh.chapter_states("e1") == ["done", "in_progress"]


def test_importing_the_same_export_twice_counts_heard_time_once(document: dict[str, Any], tmp_path: Path) -> None:
    fresh = Library(tmp_path / "fresh")
    import_export(fresh, document)
    log = fresh.day_log()
    assert sum(sum(s.values()) for s in log.values()) == 150
    fresh.report_progress(CHAPTERED, 200)  # listening goes on; the old export comes back in
    import_export(fresh, document)
    assert sum(sum(s.values()) for s in fresh.day_log().values()) == 200
    st = fresh.state(CHAPTERED)
    assert st.spans == ((0, 200),) and st.position_s == 200  # nothing heard here is lost


def test_heard_time_merged_from_another_library_counts_in_stats(tmp_path: Path) -> None:
    # two computers heard different episodes of one show on the same day: the export's day
    # log held no more than the library's own that day, so the import credited nothing and
    # stats said 2:30 heard where the episodes held 2:30 and 5:00
    other = make_library(tmp_path / "other")
    other.report_progress(PLAIN, 300)
    here = make_library(tmp_path / "here")
    here.report_progress(CHAPTERED, 150)
    import_export(here, json.loads(json.dumps(export(other))))
    assert here.state(PLAIN).heard_s == 300
    assert sum(sum(s.values()) for s in here.day_log().values()) == 450
    (undone,) = here.undo()
    assert undone.summary == "imported listening state of 1 episode"  # (it said "1 episodes")
    assert sum(sum(s.values()) for s in here.day_log().values()) == 150


def test_a_version_1_export_without_a_day_log_counts_its_heard_time_today(tmp_path: Path) -> None:
    fresh = Library(tmp_path / "fresh")
    import_export(fresh, {
        "format": "tracker-export", "version": 1, "shows": {"s1": {"title": "Show"}},
        "episodes": {"e1": {"show_id": "s1", "title": "T", "published": None, "duration_s": 600,
                            "chapters": [{"title": "A", "start_s": 0, "end_s": 300},
                                         {"title": "B", "start_s": 300, "end_s": 600}], "description": ""}},
        "state": {"e1": {"status": "in_progress", "position_s": 400, "chapters": [[300, "done"], [100, None]],
                         "listened_at": None, "updated_at": "2025-01-01T00:00:00+00:00"}},
        "queue": [], "history": {}})
    assert fresh.state("e1").heard_s == 400
    assert list(fresh.day_log().values()) == [{"s1": 400}]


def test_validation_covers_every_episode_field(document: dict[str, Any]) -> None:
    from tracker.model.records import EPISODE_FIELDS
    from tracker.model.validate import check_export

    checked = check_export(document)
    for doc in checked.episodes.values():
        assert set(doc) == {*EPISODE_FIELDS, "show", "description"}


def test_a_show_unsubscribed_from_stays_so_through_export_and_import(tmp_path: Path) -> None:
    source = make_library(tmp_path / "source")
    sid = source.episode(PLAIN).show_id
    source.unsubscribe(sid)
    document = json.loads(json.dumps(export(source)))
    fresh = Library(tmp_path / "fresh")
    import_export(fresh, document)
    assert fresh.unsubscribed() == {sid}
    assert json.loads(json.dumps(export(fresh))) == document


def test_a_shows_speed_goes_through_export_and_import(tmp_path: Path) -> None:
    """The speed chosen for a show (play --speed, [ and ]) was left out of the export that
    "writes everything": a new computer played every show at 1x again."""
    source = make_library(tmp_path / "source")
    sid = source.episode(PLAIN).show_id
    source.set_show_speed(sid, 1.5)
    document = json.loads(json.dumps(export(source)))
    fresh = Library(tmp_path / "fresh")
    import_export(fresh, document)
    assert fresh.show_speed(sid) == 1.5
    assert json.loads(json.dumps(export(fresh))) == document
    here = make_library(tmp_path / "here")
    here.set_show_speed(sid, 2.0)  # a show already here keeps its own choice
    import_export(here, document)
    assert here.show_speed(sid) == 2.0


def test_an_export_never_queues_an_episode_listened_here(document: dict[str, Any], tmp_path: Path) -> None:
    target = make_library(tmp_path / "target")
    target.mark_listened([PLAIN])  # queued in the export, listened here (the newer word)
    import_export(target, document)
    assert target.state(PLAIN).status == "listened"
    assert target.queue() == []


def test_an_export_is_of_one_moment_while_another_tracker_writes(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # a player's progress write landing while an export read: the export held the state
    # before it and the history after it, so its newest action did not match its state
    import threading

    library = make_library(tmp_path)
    library.report_progress(PLAIN, 60)
    history = Library.history
    writes: list[threading.Thread] = []

    def history_while_another_writes(self: Library, limit: int | None = None) -> Any:
        other = threading.Thread(target=lambda: Library(self.folder).report_progress(PLAIN, 120))
        other.start()
        other.join(timeout=1.0)  # it waits for the export to finish (without the fix it lands now)
        writes.append(other)
        return history(self, limit)

    monkeypatch.setattr(Library, "history", history_while_another_writes)
    doc = export(library)
    writes[0].join()
    newest = doc["history"][max(doc["history"], key=int)]
    assert newest["after"][PLAIN]["position_s"] == doc["state"][PLAIN]["position_s"] == 60


def test_chapters_out_of_order_or_repeated_in_an_export_come_in_sorted(document: dict[str, Any], tmp_path: Path) -> None:
    # An export written by another tool (or by hand) listed the chapters out of order, one
    # start twice: they were kept so, and `show` said "resume: chapter 1 “Three” at 0:00".
    document["episodes"][CHAPTERED]["chapters"] = [
        {"title": "Three", "start_s": 300, "end_s": 600}, {"title": "One", "start_s": 0, "end_s": 150},
        {"title": "Two", "start_s": 100, "end_s": 300}, {"title": "Two again", "start_s": 100, "end_s": 300}]
    fresh = Library(tmp_path / "fresh")
    import_export(fresh, document)
    ep = fresh.episode(CHAPTERED)
    assert [(c.n, c.title, c.start_s, c.end_s) for c in ep.chapters] == [
        (1, "One", 0, 100), (2, "Two", 100, 300), (3, "Three", 300, 600)]
    assert fresh.chapter_states(CHAPTERED) == ["done", "in_progress", "skipped"]
    assert fresh.resume(CHAPTERED).chapter == 2



def test_an_import_interrupted_while_it_writes_the_catalog_leaves_none_of_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalog of an export was written one show per commit: a Ctrl-C during a long
    import (minutes at a thousand shows) left some shows and none of the listening.
    Now it is one commit: all of the catalog or none."""
    from tracker.model import catalog

    source = make_library(tmp_path / "source")
    add_episodes(source, 3)
    source.report_progress(CHAPTERED, 150)
    document = json.loads(json.dumps(export(source)))
    merge = catalog._merge
    calls: list[str] = []

    def interrupted_at_the_second_show(tx: Any, update: Any, changed: list[str]) -> Any:
        calls.append(update.show_id)
        if len(calls) == 2:
            raise KeyboardInterrupt  # as a Ctrl-C lands mid-import
        return merge(tx, update, changed)

    monkeypatch.setattr(catalog, "_merge", interrupted_at_the_second_show)
    target = Library(tmp_path / "target")
    with pytest.raises(KeyboardInterrupt):
        import_export(target, document)
    assert Library(tmp_path / "target").shows() == {}
    monkeypatch.setattr(catalog, "_merge", merge)
    import_export(Library(tmp_path / "target"), document)
    assert sorted(Library(tmp_path / "target").shows()) == ["s1", "s2"]


def test_a_refusal_names_the_type_wanted_in_good_english(document: dict[str, Any], tmp_path: Path) -> None:
    """'shows must be a object, not a list'."""
    document["shows"] = ["x"]
    with pytest.raises(ImportFailed, match="shows must be an object, not a list"):
        import_export(Library(tmp_path / "target"), document)


def test_a_show_without_episodes_comes_through_an_export(tmp_path: Path) -> None:
    """A subscribed feed with no items yet (a show announced, its first episode not out)
    was in the export but not taken back by its import, nor its speed or its leaving."""
    from tracker.model.catalog import merge_show

    source = make_library(tmp_path / "source")
    merge_show(source, "s9", {"title": "Coming soon", "feed_url": "https://soon.example/feed"}, {}, {})
    merge_show(source, "s8", {"title": "Left early"}, {}, {})
    source.set_show_speed("s9", 1.5)
    source.unsubscribe("s8")
    document = json.loads(json.dumps(export(source)))
    fresh = Library(tmp_path / "fresh")
    import_export(fresh, document)
    assert fresh.shows()["s9"]["title"] == "Coming soon" and fresh.show_speed("s9") == 1.5
    assert "s8" in fresh.unsubscribed()
    again = json.loads(json.dumps(export(fresh)))
    assert {k: again[k] for k in ("shows", "unsubscribed", "speeds")} == {
        k: document[k] for k in ("shows", "unsubscribed", "speeds")}


def test_an_export_imported_after_marking_new_neither_brings_back_what_was_heard_nor_counts_it_again(
        tmp_path: Path) -> None:
    # the library's own export, read back after "mark --new": the heard spans came back
    # (the episode in progress again) and their time was counted a second time in stats
    here = make_library(tmp_path / "here")
    here.report_progress(PLAIN, 600)
    old = json.loads(json.dumps(export(here)))
    here.mark_new([PLAIN])
    import_export(here, old)
    assert here.state(PLAIN).status == "new" and here.state(PLAIN).heard_s == 0
    assert sum(sum(s.values()) for s in here.day_log().values()) == 600
    # and a reset made elsewhere after what was heard here comes over like any newer state
    other = Library(tmp_path / "other")
    import_export(other, old)
    later = json.loads(json.dumps(export(here)))
    later["state"][PLAIN]["updated_at"] = "2199-01-01T00:00:00+00:00"
    import_export(other, later)
    assert other.state(PLAIN).status == "new" and other.state(PLAIN).heard_s == 0


def test_a_library_with_every_kind_of_state_comes_back_whole_from_its_export(tmp_path: Path) -> None:
    # an episode marked new after it was heard came over as a plain new one: its reset was
    # dropped, so the export of the new library differed, and an older export or a sync of
    # plays from before the reset brought the heard time back there (not where it was made)
    source = make_library(tmp_path / "source")
    untouched, reset, listened, played, queued, hidden = add_episodes(source, 6)
    source.report_progress(CHAPTERED, 150)
    source.mark_chapter(CHAPTERED, 3, "skipped")
    source.mark_chapter(UNKNOWN, 1, "done")
    source.report_progress(reset, 300)
    old = json.loads(json.dumps(export(source)))  # before the reset
    source.mark_new([reset])
    source.mark_listened([listened])
    source.report_progress(played, 600)
    source.queue_add([queued, PLAIN])
    source.queue_add([CHAPTERED], next_=True, chapter=2)
    source.set_show_speed("s1", 1.5)
    source.unsubscribe("s2")
    document = json.loads(json.dumps(export(source)))
    fresh = Library(tmp_path / "fresh")
    import_export(fresh, document)
    assert json.loads(json.dumps(export(fresh))) == document
    for library in (source, fresh):
        import_export(library, old)  # what was heard before the reset stays reset in both
        assert library.state(reset).status == "new" and library.state(reset).heard_s == 0
    assert user_states(fresh) == user_states(source) and fresh.queue() == source.queue()
