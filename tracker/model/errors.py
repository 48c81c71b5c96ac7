"""Every failure tracker reports, in one hierarchy, each with the CLI's exit status.

``str(err)`` is always one line fit for the user. The store below has its own root
(``store.StoreError``: it knows nothing of tracker); the faces report both.
"""

from __future__ import annotations

# Re-exported for the services (playback, sync), which may not import the store.
from store.errors import LibraryBusy as LibraryBusy, StoreError as StoreError


class TrackerError(Exception):
    """A failure the user caused or can fix; ``str()`` is one line for the user."""

    exit_code = 1


class HistoryChanged(TrackerError):
    """The actions an undo or redo was asked for (on a question that stood open) are no
    longer the newest: another tracker changed the history meanwhile."""


class OutOfStep(TrackerError):
    """The listening is not as the change to undo (or redo) left it: ``state.json`` or
    ``history.json`` was put back from a backup without the other. Walking it would put
    back states over ones it never made and take heard time from the wrong days."""


class UsageError(TrackerError):
    """Bad usage or input: an unknown episode, a bad position, and so on."""

    exit_code = 2


class UnknownEpisode(UsageError):
    def __init__(self, ref: str, candidates: list[str] | None = None) -> None:
        self.ref = ref
        self.candidates = candidates or []
        hint = f"; did you mean: {', '.join(self.candidates)}" if self.candidates else ""
        super().__init__(f"no episode matches {ref!r}{hint}")


class AmbiguousRef(UsageError):
    def __init__(self, ref: str, candidates: list[str]) -> None:
        self.ref = ref
        self.candidates = candidates
        super().__init__(f"{ref!r} matches {len(candidates)} episodes: {', '.join(candidates[:10])}")


class QueueError(UsageError):
    """A queue change that cannot be made (a bad target, an episode not queued)."""


class ImportFailed(TrackerError):
    """A source could not be read, fetched or parsed (one source: the rest go on)."""


class Unreachable(ImportFailed):
    """The server could not be reached, did not answer in time, or answered that it cannot
    for now (5xx, 408, 429): unlike a missing or unusable file, another try may succeed."""


class ChapterFileError(ImportFailed):
    """A chapters file (Podcasting 2.0 JSON) that cannot be used."""


class PlaybackError(TrackerError):
    """Playing failed: mpv missing, audio that cannot be played, mpv gone (exit status 1)."""


class PlayerMissing(PlaybackError):
    """No mpv to play with; ``str()`` says what to install."""


class NoAudio(PlaybackError):
    """The episode has no audio to play (a show-page episode, say)."""


class AudioUnplayable(PlaybackError):
    """mpv could not load or play the audio (404, refused, not audio)."""


class SettingError(UsageError):
    """An environment setting (``TRACKER_*``) that cannot be used: ``str()`` names the
    variable and what it accepts."""


class SyncError(TrackerError):
    """Sync could not finish (server down, refused login, bad answer); nothing is lost and
    the next sync resumes. The message never holds the password."""

    # What the sync said once before it stopped (a feed not imported, a refusal): booked
    # as said, so the face must say it with the failure or it is never said.
    said: tuple[str, ...] = ()


class SyncNotSetUp(UsageError):
    """A sync command that needs ``tracker sync setup`` first."""


class ImportInterrupted(TrackerError):
    """Ctrl-C during an import: what was done is saved, the rest is not."""

    exit_code = 130
