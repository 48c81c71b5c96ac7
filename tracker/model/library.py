"""The listening library: every change to listening state, each one undoable.

Reads live in ``reads.py``; how a change is written (history, day log, revision) in
``changes.py``. Each method here says what it changes in its name.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from store import Transaction

from . import changes, daylog, history
from . import progress as prog
from . import queue as q
from .changes import Change, Compute, Summary, read_queue, read_state
from .errors import TrackerError, UsageError
from .files import ARCHIVE_FILE, DETAILS, HISTORY_FILE, SHOW_PREFS, STATE_FILE, details_file
from .reads import Reads, utc_now
from .records import MAX_CHAPTERS, Action, ChapterMark, Episode, EpisodeState, QueueEntry
from .spans import Span
from .text import clean_line
from .words import plural
from .clock import format_clock

if TYPE_CHECKING:  # loaded by the two methods that use them: every other command starts without them
    from .playing import Played, RemotePlay

__all__ = ["Library", "utc_now"]

SPEEDS = (0.25, 4.0)


class Library(Reads):
    # -- marking -------------------------------------------------------------------------
    def mark(self, ids: list[str], listened: bool) -> Action | None:
        """``listened=False`` marks new (clears everything): kept for scripts."""
        return self.mark_listened(ids) if listened else self.mark_new(ids)

    def mark_listened(self, ids: list[str]) -> Action | None:
        return self._each(ids, "mark_listened", "marked {} listened",
                          lambda ep, st, now: prog.mark_listened(ep, st, now))

    def unmark_listened(self, ids: list[str]) -> Action | None:
        """Toggle listened off: the progress the episode had before comes back."""
        return self._each(ids, "unmark_listened", "{} no longer listened",
                          lambda ep, st, now: prog.unmark_listened(ep, st, now))

    def mark_new(self, ids: list[str]) -> Action | None:
        """Clear all listening: heard time, chapter marks, position."""
        return self._each(ids, "mark_new", "marked {} new", lambda ep, st, now: prog.mark_new(st, now))

    def _each(self, ids: list[str], kind: str, words: str,
              rule: Callable[[Episode, EpisodeState, str], EpisodeState]) -> Action | None:
        episodes = self.episodes_of(ids)

        def compute(tx: Transaction, now: str) -> Change:
            return Change({ep.id: rule(ep, read_state(tx, ep.id), now) for ep in episodes},
                          episodes={ep.id: ep for ep in episodes})

        return self._apply(kind, lambda changed: words.format(self._names(changed or ids)), compute)

    # -- progress -------------------------------------------------------------------------
    def report_progress(self, eid: str, position_s: float) -> Action | None:
        """Listened up to ``position_s``: the span from the last position is heard."""
        ep = self.episode(eid)
        _finite(position_s)
        if position_s < 0:
            raise UsageError("a position cannot be negative")
        if ep.duration_s is not None and position_s > ep.duration_s:
            raise UsageError(f"position {format_clock(position_s)} is past the episode's end "
                             f"({format_clock(ep.duration_s)})")

        def compute(tx: Transaction, now: str) -> Change:
            return Change({eid: prog.report_position(ep, read_state(tx, eid), position_s, now)}, episodes={eid: ep})

        return self._apply("progress", f"{self._names([eid])}: listened up to {format_clock(position_s)}", compute)

    def nudge(self, eid: str, seconds: float) -> Action | None:
        """Move the position by ``seconds`` (kept inside the episode) from where it stands
        when the write runs, not when the key was pressed: keys pressed while an earlier
        write waits (another tracker holding the library) each count."""
        ep = self.episode(eid)
        _finite(seconds)

        def compute(tx: Transaction, now: str) -> Change:
            st = read_state(tx, eid)
            position = max(0.0, st.position_s + seconds)
            if ep.duration_s is not None:
                position = min(position, float(ep.duration_s))
            if position == st.position_s:
                return Change({eid: st}, episodes={eid: ep})  # at an end already: nothing moves
            # Ahead is heard on from where it stands; back, or out of a listened episode
            # (whose reported position would be a replay from 0:00), only moves.
            if position > st.position_s and st.status != "listened":
                new, said = prog.report_position(ep, st, position, now), "listened up to"
            else:
                new, said = prog.set_position(ep, st, position, now), "position moved to"
            return Change({eid: new}, episodes={eid: ep},
                          summary=f"{self._names([eid])}: {said} {format_clock(position)}")

        return self._apply("progress", f"{self._names([eid])}: position moved", compute)

    def mark_chapter(self, eid: str, n: int, mark: ChapterMark | None,
                     seen: tuple[float, str] | None = None) -> Action | None:
        """Chapter ``n`` done, skipped, or cleared (``None``: unheard and unmarked).
        ``seen``: the chapter's start and title as a screen showed them; the chapter is
        found by them if a refresh has renumbered the chapters since."""
        ep = self.episode(eid)
        self._check_chapter(ep, n)
        if seen is not None:
            n = self.chapter_seen(ep, n, seen)

        def compute(tx: Transaction, now: str) -> Change:
            return Change({eid: prog.mark_chapter(ep, read_state(tx, eid), n, mark, now)}, episodes={eid: ep})

        word = {"done": "done", "skipped": "skipped", None: "cleared"}[mark]
        return self._apply("chapter_" + word, f"{self._names([eid])}: chapter {n} {word}", compute)

    def set_resume_point(self, eid: str, position_s: float) -> Action | None:
        """Where to resume, crediting nothing as heard (choosing a chapter, say)."""
        ep = self.episode(eid)
        _finite(position_s)
        if position_s < 0 or (ep.duration_s is not None and position_s > ep.duration_s):
            raise UsageError(f"position {format_clock(position_s)} is outside the episode")

        def compute(tx: Transaction, now: str) -> Change:
            return Change({eid: prog.set_position(ep, read_state(tx, eid), position_s, now)}, episodes={eid: ep})

        return self._apply("seek", f"{self._names([eid])}: resume point set to {format_clock(position_s)}", compute)

    # -- playback and sync ------------------------------------------------------------------
    def check_recordable(self) -> None:
        """Raise when listening could not be recorded: a file its writes go to is open
        read-only (written by a newer tracker). Said before playing, as any other change says
        it, rather than at every save of an episode played through for nothing; and before an
        import of listening writes any of its catalog."""
        for name in (STATE_FILE, HISTORY_FILE):
            self.store.read(name)
            why = self.store.read_only.get(name)
            if why:
                if why in self.store.notices:
                    self.store.notices.remove(why)  # the error says it: one line, not the same twice
                raise TrackerError(why)

    def record_play(self, eid: str, heard: Sequence[Span], position_s: float, session: str,
                    finished: bool = False, length_s: float | None = None) -> Played:
        """A playing session's write: the spans heard since its last write, the position
        now, and ``finished`` once the player reached the end; ``length_s``: the audio's
        length as the player measured it. All writes of one session are one history
        action while it is the newest (undo takes the whole session)."""
        from .playing import Played, play_change  # playback's own: other commands start without it

        compute = play_change(self.episode(eid), heard, position_s, session, finished, length_s)
        action = self._apply("play", "played", compute)
        return Played(action, self.state(eid))

    def apply_remote(self, plays: Sequence[RemotePlay], summary: Summary | None = None,
                     kind: str = "sync") -> Action | None:
        """Remote play actions (sync, a gpodder file), matched to episodes, as ONE
        undoable action of ``kind``. ``summary`` given as a function is told the episodes
        it changed: actions for several often change only some."""
        if not plays:
            return None
        from .playing import remote_change  # sync's own: other commands start without it

        episodes = {ep.id: ep for ep in self.episodes_of(dict.fromkeys(p.episode for p in plays))}
        compute = remote_change(episodes, plays)
        words = summary or (lambda changed: f"synced listening of {plural(len(changed or episodes), 'episode')}")
        return self._apply(kind, words, compute)

    def import_listening(self, states: dict[str, EpisodeState], queue: list[QueueEntry],
                         exported_history: dict[str, dict[str, Any]], days: daylog.Credit, summary: Summary,
                         unsubscribe: Sequence[str] = ()) -> Action | None:
        """A tracker export's listening state (merged with what is here: heard time from
        both, where it stands from the newer), queue additions, day log and the shows
        ``unsubscribe`` (left there) as ONE action;
        its history is adopted only when that action is the library's only one."""

        episodes = self._episode_map(states)

        def compute(tx: Transaction, now: str) -> Change:
            current = read_queue(tx)
            have = {e.id for e in current}
            merged = {eid: prog.merge(episodes[eid], read_state(tx, eid), st) for eid, st in states.items()}
            # a listened episode is never queued: the merged state says, else the one here
            listened = {e.id for e in queue if (merged.get(e.id) or read_state(tx, e.id)).status == "listened"}
            added = [e for e in queue if e.id not in have and e.id not in listened]
            gained: dict[str, float] = {}
            for eid, st in merged.items():
                more = st.heard_s - read_state(tx, eid).heard_s
                if more > 0:
                    sid = episodes[eid].show_id
                    gained[sid] = gained.get(sid, 0.0) + more
            credit = daylog.with_unlogged(daylog.missing(tx, days), days, gained, daylog.local_day(now))
            return Change(merged, current + added, credit=credit, episodes=episodes,
                          unsubscribed=dict.fromkeys(unsubscribe, True), resets=True)

        action = self._apply("import", summary, compute)
        if action is not None and exported_history:
            with self.store.transaction(HISTORY_FILE, ARCHIVE_FILE) as tx:  # the old single archive too
                history.adopt(tx, exported_history, action.seq)
            history.roll_over(self.store)
        return action

    def day_log(self) -> daylog.Credit:
        """Heard seconds per local day and show."""
        return daylog.days(self.store)

    def adopt_audio_chapters(self, eid: str, chapters: Sequence[tuple[str, float]]) -> bool:
        """Chapters read from the audio file (title, start), kept with source ``audio``
        when the catalog has none for the episode. False when it already has some."""
        ep = self.episode(eid)
        if ep.chapters:
            return False
        found = _chapter_docs(chapters, ep.duration_s)
        if not found:
            return False
        name = details_file(eid)
        with self.store.transaction(name) as tx:
            doc = tx.get(name, DETAILS, eid) or {}
            if doc.get("chapters"):
                return False
            tx.put(name, DETAILS, eid, {**doc, "chapters": found, "chapters_source": "audio"})
        return True

    def revision(self) -> int:
        """The library's write counter: every change, undo and redo raises it."""
        return max(changes.revision_in(self.store, STATE_FILE), changes.revision_in(self.store, HISTORY_FILE))

    def changes_since(self, rev: int) -> dict[str, EpisodeState]:
        """Episodes whose state changed after revision ``rev`` (undo and redo included)."""
        return {eid: EpisodeState.from_doc(doc) for eid, doc in self.state_docs().items()
                if int(doc.get("rev") or 0) > rev}

    # -- shows --------------------------------------------------------------------------------
    def unsubscribe(self, show_id: str) -> Action | None:
        """Hide a show's episodes from lists; history and state are kept (undoable)."""
        return self._subscription(show_id, True)

    def resubscribe(self, show_id: str) -> Action | None:
        return self._subscription(show_id, False)

    def _subscription(self, show_id: str, hidden: bool) -> Action | None:
        shows = self.listed_shows()  # an "(unknown show)" a restored catalog lacks is listed: hidden alike
        if show_id not in shows:
            raise UsageError(f"no show with id {show_id!r}")
        title = shows[show_id].get("title", "")
        word = "unsubscribed from" if hidden else "subscribed again to"
        return self._apply("unsubscribe" if hidden else "resubscribe", f"{word} “{title}”",
                           lambda tx, now: Change(unsubscribed={show_id: hidden}))

    def set_show_speed(self, show_id: str, speed: float | None) -> None:
        self.set_show_speeds({show_id: speed})

    def set_show_speeds(self, speeds: dict[str, float | None]) -> None:
        """Each show's playing speed (None: the default), in one write (an export's
        thousand shows are one commit, not a thousand)."""
        for speed in speeds.values():
            if speed is not None:
                _finite(speed)
                if not SPEEDS[0] <= speed <= SPEEDS[1]:
                    raise UsageError(f"speed {speed:g} is out of range ({SPEEDS[0]:g} to {SPEEDS[1]:g})")
        if not speeds:
            return
        with self.store.transaction(STATE_FILE) as tx:
            for show_id, speed in speeds.items():
                prefs = dict(tx.get(STATE_FILE, SHOW_PREFS, show_id) or {})
                if speed is None:
                    prefs.pop("speed", None)
                else:
                    prefs["speed"] = round(float(speed), 3)
                if prefs:
                    tx.put(STATE_FILE, SHOW_PREFS, show_id, prefs)
                else:
                    tx.delete(STATE_FILE, SHOW_PREFS, show_id)

    # -- the queue -------------------------------------------------------------------------
    def queue_add(self, ids: list[str], next_: bool = False, chapter: int | None = None) -> Action | None:
        """Queue episodes (at the top with ``next_``). ``chapter``: their resume point
        moves to that chapter's start in the same action (one truth for where it resumes)."""
        episodes = self.episodes_of(ids)
        if chapter is not None:
            for ep in episodes:
                self._check_chapter(ep, chapter)

        def compute(tx: Transaction, now: str) -> Change:
            listened = [eid for eid in ids if read_state(tx, eid).status == "listened"]
            if listened:
                are, them = ("is", "it") if len(listened) == 1 else ("are", "them")
                raise UsageError(f"{self._names(listened)} {are} listened: mark {them} new to queue {them} again")
            before = read_queue(tx)
            after = q.add(before, ids, next_=next_)
            states = {}
            if chapter is not None:
                for ep in episodes:
                    start = ep.chapters[chapter - 1].start_s
                    st = read_state(tx, ep.id)
                    # resume passes over a done or skipped chapter: moving there would say one
                    # chapter while resume, the queue and play went on from the next
                    word = prog.chapter_states(ep, st)[chapter - 1]
                    if word in ("done", "skipped"):
                        raise UsageError(f"chapter {chapter} of {self._names([ep.id])} is {word}, and resume passes "
                                         f"over it: clear it first ('tracker chapter {ep.id} {chapter} --clear')")
                    if st.position_s != start:
                        states[ep.id] = prog.set_position(ep, st, start, now)
            summary = self._queued_words(ids, {e.id for e in before}, after != before, next_, chapter, episodes)
            return Change(states, after, summary=summary, episodes={ep.id: ep for ep in episodes},
                          moved=tuple(ids) if next_ else ())

        where = " to play next" if next_ else ""
        return self._apply("queue_add", f"queued {self._names(ids)}{where}", compute)  # (compute's words win)

    def _queued_words(self, ids: list[str], queued: set[str], moved: bool, next_: bool, chapter: int | None,
                      episodes: list[Episode]) -> str:
        """What ``queue_add`` did, naming only the episodes it added: "queued 2 episodes"
        for two named of which one was queued already would claim a change not made."""
        fresh = [eid for eid in ids if eid not in queued]
        already = [eid for eid in ids if eid in queued]
        where = " to play next" if next_ else ""
        start = f" from chapter {chapter}" if chapter is not None else ""
        if fresh:
            were = "was" if len(already) == 1 else "were"
            note = f" ({self._names(already)} {were} already queued{', moved up' if next_ else ''})" if already else ""
            return f"queued {self._names(fresh)}{where}{start}{note}"
        if moved:  # --next on queued episodes: they went to the top
            return f"moved {self._names(already)} to the top of the queue, to play next{start}"
        if chapter is not None and len(ids) == 1:
            ch = episodes[0].chapters[chapter - 1]
            # only where it resumes changed: said so, in words that also read well in history
            return (f"{self._names(ids)} (already queued) now resumes at chapter {chapter} "
                    f"“{ch.title}” ({format_clock(ch.start_s)})")
        return f"{self._names(ids)} (already queued) now resume at chapter {chapter}"

    def queue_move(self, eid: str, to: str) -> Action | None:
        def compute(tx: Transaction, now: str) -> Change:
            before = read_queue(tx)
            hidden = frozenset(e.id for e in before if self.listing(e.id) is None)
            try:
                after = q.move(before, eid, to, hidden)
            except q.QueueError as err:
                raise UsageError(f"{self._names([eid])}: {err}") from None
            shown = [e.id for e in after if e.id not in hidden]
            place = shown.index(eid) + 1
            return Change(queue=after, summary=f"moved {self._names([eid])} to place {place} of {len(shown)} in the queue",
                          moved=(eid,))

        return self._apply("queue_move", f"moved {self._names([eid])} in the queue", compute)

    def queue_remove(self, ids: list[str]) -> Action | None:
        def compute(tx: Transaction, now: str) -> Change:
            queued = {e.id for e in read_queue(tx)}
            missing = [eid for eid in ids if eid not in queued]
            if missing:
                raise UsageError(f"{self._names(missing)} {'is' if len(missing) == 1 else 'are'} not in the queue")
            return Change(queue=q.remove(read_queue(tx), set(ids)))

        return self._apply("queue_remove", f"removed {self._names(ids)} from the queue", compute)

    def queue_clear(self) -> Action | None:
        return self._apply("queue_clear", "cleared the queue", lambda tx, now: Change(queue=[]))

    # -- history ---------------------------------------------------------------------------
    def history(self, limit: int | None = None) -> list[Action]:
        """Newest first."""
        return history.actions(self.store, limit)

    def history_since(self, seq: int) -> list[Action]:
        """Actions recorded after ``seq``, oldest first. Undo takes numbers back, so a
        reader that must see every change uses ``revision``/``changes_since``."""
        return history.since(self.store, seq)

    def redoable(self) -> list[Action]:
        """What ``redo`` would re-apply, next first."""
        return history.redoable(self.store)

    def undo(self, steps: int = 1, expect: Sequence[tuple[int, str]] | None = None) -> list[Action]:
        """Walk back ``steps`` actions, newest first; returns those undone. ``expect``: the
        ``Action.ref`` of each as shown when the user chose them; if another tracker has
        changed the history since, ``HistoryChanged`` and nothing is undone."""
        if steps < 1:
            raise UsageError("--steps must be 1 or more")
        return changes.undo(self.store, self._episode_map, steps, expect)

    def redo(self, steps: int = 1, expect: Sequence[tuple[int, str]] | None = None) -> list[Action]:
        """Re-apply what was undone, most recently undone first; a new change in between
        leaves nothing to redo. ``expect`` as for ``undo``, in redo's order."""
        if steps < 1:
            raise UsageError("--steps must be 1 or more")
        return changes.redo(self.store, self._episode_map, steps, expect)

    # -- internals ---------------------------------------------------------------------------
    def _apply(self, kind: str, summary: Summary, compute: Compute) -> Action | None:
        return changes.apply(self.store, self._episode_map, kind, summary, compute)

    def _episode_map(self, ids: Iterable[str]) -> dict[str, Episode]:
        return {ep.id: ep for ep in self.episodes_of(ids)}

    def chapter_seen(self, ep: Episode, n: int, seen: tuple[float, str]) -> int:
        """The number chapter ``seen`` (start, title), shown as chapter ``n``, has in
        ``ep`` now: a refresh may have renumbered the chapters since. UsageError if gone."""
        start, title = seen
        for ch in (*(ep.chapters[n - 1 : n] if n >= 1 else ()), *ep.chapters):
            if abs(ch.start_s - start) < 0.001 and ch.title == title:  # (a screen shows starts to the ms)
                return ch.n
        raise UsageError(f"the chapters of {self._names([ep.id])} changed meanwhile: "
                         f"“{title}” at {format_clock(start)} is gone, nothing was marked")

    def _check_chapter(self, ep: Episode, n: int) -> None:
        if not ep.chapters:
            raise UsageError(f"{self._names([ep.id])} has no chapters")
        if not 1 <= n <= len(ep.chapters):
            raise UsageError(f"{self._names([ep.id])} has chapters 1 to {len(ep.chapters)}, not {n}")


def _finite(x: float) -> None:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x) or abs(x) > 1e7:
        raise UsageError(f"{x!r} is not a usable number of seconds")


def _chapter_docs(chapters: Sequence[tuple[str, float]], duration: float | None) -> list[dict[str, Any]]:
    """Sorted, distinct, inside the episode, closed at the next start; at most 500."""
    starts: dict[float, str] = {}
    for title, start in chapters:
        if isinstance(start, (int, float)) and math.isfinite(start) and start >= 0 and (duration is None or start < duration):
            starts.setdefault(round(float(start), 3), clean_line(str(title))[:300])
    ordered = sorted(starts.items())[:MAX_CHAPTERS]
    out = []
    for i, (start, title) in enumerate(ordered):
        end = ordered[i + 1][0] if i + 1 < len(ordered) else (float(duration) if duration is not None else None)
        out.append({"title": title or f"Chapter {i + 1}", "start_s": start, "end_s": end})
    return out
