"""Where an episode's audio comes from: a local file or an http(s) URL, nothing else.

mpv opens far more than that (``lavfi://``, ``fd://``, ``av://``, playlists, EDL files);
an enclosure is text from a feed, so only the two plain kinds reach it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

from ..model.errors import AudioUnplayable, NoAudio
from ..model.library import Library
from ..model.records import Episode, EpisodeState


@dataclass(frozen=True)
class Start:
    """Everything a start needs from the library: the episode, its state, where its audio
    is, and the speed chosen for its show."""

    episode: Episode
    state: EpisodeState
    source: str
    speed: float | None

    def to_doc(self, doc: dict[str, Any]) -> dict[str, Any]:
        """For the worker's reply (``doc``: the episode's stored document)."""
        return {"episode": doc, "state": self.state.to_doc(), "source": self.source, "speed": self.speed}

    @classmethod
    def from_doc(cls, eid: str, doc: dict[str, Any]) -> "Start":
        return cls(Episode.from_doc(eid, doc["episode"]), EpisodeState.from_doc(doc["state"]), doc["source"], doc["speed"])


def read_start(library: Library, eid: str) -> Start:
    """Read in one go; raises NoAudio or AudioUnplayable when there is nothing to play,
    TrackerError when nothing heard could be recorded (a read-only library)."""
    episode = library.episode(eid)
    library.check_recordable()
    show = library.shows().get(episode.show_id) or {}
    source = audio_source(episode, show.get("path") or show.get("feed_url") or show.get("source"),
                          from_page=show.get("kind") == "showpage")
    return Start(episode, library.state(eid), source, library.show_speed(episode.show_id))


def audio_source(episode: Episode, show_source: str | None = None, from_page: bool = False) -> str:
    """What to hand mpv: an absolute path or an http(s) URL. ``show_source`` (where the
    show was imported from) places an enclosure given as a relative path; ``from_page``
    (a show page's episode, which has no feed) only words the refusal truthfully."""
    ref = (episode.audio_url or "").strip()
    if not ref:
        why = "a show page lists no audio: import the show's feed to play it" if from_page else \
            "its feed gives no enclosure"
        raise NoAudio(f"“{episode.title}” has no audio to play ({why})")
    parsed = urlparse(ref)
    scheme = parsed.scheme.lower()
    if scheme in ("http", "https"):
        return ref
    if scheme == "file":
        return _existing(Path(unquote(parsed.path)), episode)
    if scheme and len(scheme) > 1:  # one letter is a Windows drive
        raise AudioUnplayable(f"cannot play “{episode.title}”: audio from {scheme}: links is not supported")
    path = Path(ref).expanduser()
    if not path.is_absolute() and show_source:
        base = urlparse(show_source)
        if base.scheme.lower() in ("http", "https"):
            return urljoin(show_source, ref)
        path = Path(show_source).expanduser().resolve().parent / path
    return _existing(path.resolve(), episode)


def _existing(path: Path, episode: Episode) -> str:
    if not path.is_file():
        raise AudioUnplayable(f"cannot play “{episode.title}”: its audio file is missing ({path.name})")
    return str(path)
