"""The player's library worker turns the session's cumulative spans into what is new."""

from __future__ import annotations

from tracker.model.library import Library
from tracker.playback import worker

from .conftest import LOCAL


def test_a_mark_new_while_playing_is_not_undone_by_the_next_save(library: Library) -> None:
    # The player sends every span of its session at each save: marked new at 0:15 (in the
    # TUI with N, or by another tracker), the episode had 0:00-0:15 heard again at the next
    # save, and the day's heard time counted those 15 s twice
    worker.record(library, LOCAL, [[0.0, 15.0]], 15.0, "session-1", False)
    other = Library(library.folder)
    other.mark_new([LOCAL])
    worker.record(library, LOCAL, [[0.0, 25.0]], 25.0, "session-1", False)
    state = other.state(LOCAL)
    assert state.spans == ((15.0, 25.0),) and state.position_s == 25.0
    assert sum(sum(shows.values()) for shows in other.day_log().values()) == 25.0
    worker.record(library, LOCAL, [[0.0, 25.0]], 25.0, "session-1", False)  # a repeat changes nothing
    assert other.state(LOCAL).spans == ((15.0, 25.0),)


def test_an_undone_session_is_not_brought_back_by_its_next_save(library: Library) -> None:
    worker.record(library, LOCAL, [[0.0, 10.0]], 10.0, "session-2", False)
    Library(library.folder).undo()  # "u" while it plays: the session so far is taken back
    worker.record(library, LOCAL, [[0.0, 20.0]], 20.0, "session-2", False)
    assert Library(library.folder).state(LOCAL).spans == ((10.0, 20.0),)


def test_an_undo_right_after_a_pause_is_not_taken_back_by_the_sliver_heard_as_it_paused(library: Library) -> None:
    # space then u: mpv reports a few hundredths of a second more after the pause's save,
    # and the next save (a seek, the stop) counted that sliver as listening after the undo,
    # putting the position back and the episode in progress again
    worker.record(library, LOCAL, [[0.0, 10.0]], 10.0, "session-3", False)
    Library(library.folder).undo()
    worker.record(library, LOCAL, [[0.0, 10.05]], 5.0, "session-3", False)  # the sliver, then a seek back
    st = Library(library.folder).state(LOCAL)
    assert (st.status, st.position_s, st.spans) == ("new", 0.0, ())
    worker.record(library, LOCAL, [[0.0, 10.05], [12.0, 20.0]], 20.0, "session-3", False)  # played on: listening
    st = Library(library.folder).state(LOCAL)
    assert st.position_s == 20.0 and (12.0, 20.0) in st.spans
