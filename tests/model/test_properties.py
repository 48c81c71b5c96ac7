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

from .conftest import CHAPTERED, PLAIN, UNKNOWN, make_library, user_states

EPISODES = st.sampled_from([CHAPTERED, PLAIN, UNKNOWN])


class ListeningMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # A tiny recent history, so that moving actions to the archive and back is exercised.
        self.saved = (history.RECENT_MAX, history.RECENT_KEEP)
        history.RECENT_MAX, history.RECENT_KEEP = 4, 2
        self.tmp = tempfile.TemporaryDirectory()
        self.library: Library = make_library(Path(self.tmp.name) / "lib")
        self.snapshots: list[tuple[dict, dict]] = []  # state before each recorded action

    def teardown(self) -> None:
        history.RECENT_MAX, history.RECENT_KEEP = self.saved
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
            self.snapshots.append(before)

    @rule(eid=EPISODES, pos=st.floats(0, 1300, allow_nan=False))
    def progress(self, eid: str, pos: float) -> None:
        self.record(lambda: self.library.report_progress(eid, pos))

    @rule(eids=st.lists(EPISODES, min_size=1, max_size=3), listened=st.booleans())
    def mark(self, eids: list[str], listened: bool) -> None:
        self.record(lambda: self.library.mark(list(dict.fromkeys(eids)), listened))

    @rule(eid=EPISODES, n=st.integers(0, 4), mark=st.sampled_from(["done", "skipped", None]))
    def chapter(self, eid: str, n: int, mark) -> None:  # type: ignore[no-untyped-def]
        self.record(lambda: self.library.mark_chapter(eid, n, mark))

    @rule(eids=st.lists(EPISODES, min_size=1, max_size=3), next_=st.booleans(), chapter=st.sampled_from([None, 1, 2]))
    def queue_add(self, eids: list[str], next_: bool, chapter) -> None:  # type: ignore[no-untyped-def]
        self.record(lambda: self.library.queue_add(list(dict.fromkeys(eids)), next_, chapter))

    @rule(eid=EPISODES, to=st.sampled_from(["top", "bottom", "up", "down", "1", "2", "3"]))
    def queue_move(self, eid: str, to: str) -> None:
        self.record(lambda: self.library.queue_move(eid, to))

    @rule(eid=EPISODES)
    def queue_remove(self, eid: str) -> None:
        self.record(lambda: self.library.queue_remove([eid]))

    @rule()
    def queue_clear(self) -> None:
        self.record(self.library.queue_clear)

    @rule(steps=st.integers(1, 4))
    def undo(self, steps: int) -> None:
        undone = self.library.undo(steps)
        assert len(undone) == min(steps, len(self.snapshots))
        for _ in undone:
            target = self.snapshots.pop()
        if undone:
            assert self.snapshot() == target

    @invariant()
    def queue_has_no_duplicates_and_nothing_listened(self) -> None:
        ids = [e.id for e in self.library.queue()]
        assert len(ids) == len(set(ids))
        for eid in ids:
            assert self.library.state(eid).status != "listened"

    @invariant()
    def heard_never_exceeds_a_chapter(self) -> None:
        for eid, ep in self.library.episodes().items():
            for ch, p in zip(ep.chapters, self.library.chapter_progress(eid)):
                length = ch.length_s
                if length is not None:
                    assert p.heard_s <= length + 1e-9


TestListening = ListeningMachine.TestCase
TestListening.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)
