"""Any sequence of actions keeps the model's invariants, and undo restores exactly."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from tracker.model import history
from tracker.model.errors import UsageError
from tracker.model.library import Library
from tracker.model.playing import RemotePlay

from .conftest import CHAPTERED, PLAIN, UNKNOWN, make_library, user_states

EPISODES = st.sampled_from([CHAPTERED, PLAIN, UNKNOWN])


class ListeningMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # A tiny recent history, so that moving actions to the archive and back is exercised.
        self.saved = (history.RECENT_MAX, history.RECENT_KEEP, history.SEGMENT_BYTES)
        history.RECENT_MAX, history.RECENT_KEEP, history.SEGMENT_BYTES = 4, 2, 3000  # several segments
        self.tmp = tempfile.TemporaryDirectory()
        self.library: Library = make_library(Path(self.tmp.name) / "lib")
        self.snapshots: list[tuple[int, tuple[dict, dict]]] = []  # (seq, state before) per recorded action
        self.undone: list[tuple[dict, dict]] = []  # the state each undone action had left, for redo

    def teardown(self) -> None:
        history.RECENT_MAX, history.RECENT_KEEP, history.SEGMENT_BYTES = self.saved
        self.tmp.cleanup()

    def snapshot(self) -> tuple[dict, dict]:
        """What a user sees: each episode's state (less its write time and revision) and the queue."""
        return user_states(self.library), copy.deepcopy(self.library.queue())

    def record(self, fn) -> None:  # type: ignore[no-untyped-def]
        before = self.snapshot()
        try:
            action = fn()
        except UsageError:
            assert self.snapshot() == before  # a refused change changes nothing
            return
        if action is not None:
            self.undone.clear()  # a new change leaves nothing to redo
            if self.snapshots and self.snapshots[-1][0] == action.seq:
                return  # a playing session amended its own action: its "before" stays
            self.snapshots.append((action.seq, before))

    @rule(eid=EPISODES, start=st.floats(0, 1300, allow_nan=False), length=st.floats(0, 400, allow_nan=False),
          session=st.sampled_from(["s1", "s2"]), finished=st.booleans())
    def play(self, eid: str, start: float, length: float, session: str, finished: bool) -> None:
        self.record(lambda: self.library.record_play(eid, [(start, start + length)], start + length, session,
                                                     finished).action)

    @rule(eid=EPISODES, started=st.floats(0, 1300, allow_nan=False), length=st.floats(0, 400, allow_nan=False),
          kind=st.sampled_from(["play", "heard", "new"]), day=st.integers(1, 28))
    def remote(self, eid: str, started: float, length: float, kind, day: int) -> None:  # type: ignore[no-untyped-def]
        play = RemotePlay(eid, kind, f"2025-01-{day:02d}T10:00:00Z", started, started + length)
        self.record(lambda: self.library.apply_remote([play]))

    @rule(eid=EPISODES)
    def unmark(self, eid: str) -> None:
        self.record(lambda: self.library.unmark_listened([eid]))

    @rule(eid=EPISODES, position=st.sampled_from([0.0, 100.0, 600.0, 1200.0]) | st.floats(0, 1300, allow_nan=False),
          seek=st.booleans())
    def progress(self, eid: str, position: float, seek: bool) -> None:
        report = self.library.set_resume_point if seek else self.library.report_progress
        was = self.library.state(eid).status
        self.record(lambda: report(eid, position))
        if was == "new" and position == 0:
            assert self.library.state(eid).status == "new"  # the start, nothing heard: still new

    @rule(ids=st.lists(EPISODES, min_size=1, max_size=3), listened=st.booleans())
    def mark(self, ids: list[str], listened: bool) -> None:
        self.record(lambda: self.library.mark(ids, listened))

    @rule(eid=st.sampled_from([CHAPTERED, UNKNOWN]), n=st.integers(1, 3),
          mark=st.sampled_from(["done", "skipped", None]))
    def chapter(self, eid: str, n: int, mark) -> None:  # type: ignore[no-untyped-def]
        self.record(lambda: self.library.mark_chapter(eid, n, mark))

    @rule(ids=st.lists(EPISODES, min_size=1, max_size=3), next_=st.booleans(),
          chapter=st.sampled_from([None, 1, 2, 3]))
    def queue_add(self, ids: list[str], next_: bool, chapter: int | None) -> None:
        self.record(lambda: self.library.queue_add(ids, next_=next_, chapter=chapter))

    @rule(eid=EPISODES, to=st.sampled_from(["top", "bottom", "up", "down", "1", "3"]))
    def queue_move(self, eid: str, to: str) -> None:
        self.record(lambda: self.library.queue_move(eid, to))

    @rule(ids=st.lists(EPISODES, min_size=1, max_size=2), clear=st.booleans())
    def queue_remove(self, ids: list[str], clear: bool) -> None:
        self.record(self.library.queue_clear if clear else lambda: self.library.queue_remove(ids))

    @rule()
    def reopen(self) -> None:
        """A second process on the same folder sees exactly what this one does."""
        seen = self.snapshot()
        self.library = Library(self.library.folder)
        assert self.snapshot() == seen

    @rule(steps=st.integers(1, 3))
    def redo(self, steps: int) -> None:
        before = self.snapshot()
        redone = self.library.redo(steps)
        assert len(redone) == min(steps, len(self.undone))
        for action in redone:
            self.snapshots.append((action.seq, before))
            before = self.undone.pop()
        if redone:
            assert self.snapshot() == before

    @rule(steps=st.integers(1, 4))
    def undo(self, steps: int) -> None:
        now = self.snapshot()
        undone = self.library.undo(steps)
        assert len(undone) == min(steps, len(self.snapshots))
        for _ in undone:
            _seq, target = self.snapshots.pop()
            self.undone.append(now)
            now = target
        if undone:
            assert self.snapshot() == target
        if not self.snapshots:
            assert self.snapshot() == ({}, [])  # undone all the way: nothing heard, nothing queued

    @invariant()
    def queue_has_no_duplicates_and_nothing_listened(self) -> None:
        ids = [e.id for e in self.library.queue()]
        assert len(ids) == len(set(ids))
        for eid in ids:
            assert self.library.state(eid).status != "listened"

    @invariant()
    def heard_never_exceeds_a_chapter(self) -> None:
        for eid, ep in self.library.episodes().items():
            st_ = self.library.state(eid)
            assert st_.heard_s >= 0 and (ep.duration_s is None or st_.heard_s <= ep.duration_s)
            if st_.status == "new":
                assert not st_.spans and not st_.marks and st_.position_s == 0
            for ch, p in zip(ep.chapters, self.library.chapter_progress(eid)):
                length = ch.length_s
                if length is not None:
                    assert p.heard_s <= length + 1e-9


TestListening = ListeningMachine.TestCase
TestListening.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)
