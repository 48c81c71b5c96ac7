"""What mpv's events mean for the session playing: positions heard, pauses, seeks, chapters
begun and skipped, the file loaded or ended, mpv gone; and the chapters the audio brings.
"""

from __future__ import annotations

import time
from typing import Any

from ..model.errors import PlaybackError, TrackerError
from ..model.records import Episode
from .ends import SessionEnds
from .mpv import Event
from .session import END_S, Session, audio_chapters


class MpvEvents(SessionEnds):
    """mpv's events, turned into heard time, messages and the session's end."""

    def _on_event(self, ev: Event) -> None:
        s = self.session
        kind = ev.get("event")
        if kind == "start-file" and self._expect_load:
            self._expect_load = False
            self._entry = ev.get("playlist_entry_id")
            return
        if kind == "property-change" and ev.get("name") == "speed" and isinstance(ev.get("data"), (int, float)):
            self._speed = float(ev["data"])  # mpv's speed outlives a file: kept here, not per session
            if s is not None:
                s.speed = self._speed
                self._show()
        if s is None or self._expect_load or ev.get("playlist_entry_id", self._entry) != self._entry:
            return
        if kind == "property-change":
            self._property(s, ev.get("name"), ev.get("data"))
        elif kind == "seek":
            s.recorder.jump()
            self._save(s)
        elif kind == "playback-restart" and not s.began and s.target is None and not s.to_end:
            s.began = True  # the audio starts where the load asked: heard from there on
            s.recorder.begin(s.start_s, time.monotonic())
        elif kind == "file-loaded":
            s.state, s.opened = "playing", True
            if s.pause_asked:
                self._send(["set_property", "pause", True])
            if s.seek_asked is not None:
                self._seek(s, s.seek_asked)
                s.seek_asked = None
            if not s.episode.chapters:
                self._spawn(self._adopt_chapters(s))
        elif kind == "end-file":
            reason = ev.get("reason")
            if reason == "eof" or (reason == "error" and s.to_end):
                # sent to the end as it started (every chapter from there skipped), mpv says it
                # played nothing: the audio is fine, the rest is skipped
                self._spawn(self._finish(s))
            elif reason == "error":
                self._spawn(self._load_failed(s, str(ev.get("file_error") or "loading failed")))

    def _property(self, s: Session, name: Any, data: Any) -> None:
        now = time.monotonic()
        if name == "time-pos" and isinstance(data, (int, float)) and s.state in ("playing", "paused", "stalled", "loading"):
            self._position(s, float(data), now)
        elif name == "pause" and isinstance(data, bool):
            if s.state in ("playing", "paused", "stalled"):
                s.state = "paused" if data else "playing"
                (s.recorder.pause if data else s.recorder.resume)(now)
                self._last_move = now
                if data:
                    self._save(s)
                self._show()
        elif name == "duration" and isinstance(data, (int, float)) and data > 0:
            s.duration_s = s.audio_s = float(data)

    def _position(self, s: Session, t: float, now: float) -> None:
        s.loaded = True
        if s.state in ("loading", "stalled"):
            if s.state == "stalled":
                self.listener.message(f"“{s.episode.title}” plays again")
            s.state = "playing"
        if self._last_pos is None or abs(t - self._last_pos) > 1e-6:
            self._last_move = now
        self._last_pos = t
        heard = s.report(t, now)
        if heard is None:
            return  # a report from before a seek of ours landed
        if heard.new_chapter and not heard.first:
            self._save(s)
        self._say_chapters(s, heard.entered)
        if heard.jump_to is not None:
            self._jump(s, heard.jump_to)
        self._show()

    def _jump(self, s: Session, target: float) -> None:
        """Past a skipped chapter: to the next one's start, or the end."""
        if s.duration_s is not None and target >= s.duration_s - END_S:
            s.recorder.jump()
            s.to_end = True
            self._send(["seek", 100, "absolute-percent"])  # skipped to the end: it ends
        else:
            self._seek(s, target)

    def _seek(self, s: Session, target: float) -> None:
        s.aim(target, time.monotonic())
        if not s.opened:
            # mpv drops a seek taken before the file is loaded (it starts where the load
            # asked): sent once it is, and shown meanwhile
            s.seek_asked = s.recorder.position_s = target
            return
        self._send(["seek", target, "absolute+exact"])

    def _on_close(self) -> None:
        s = self.session
        if self.mpv is not None and self.mpv.quitting:
            return
        if s is not None and self.playing:
            how = "stopped answering and was ended" if self.mpv is not None and self.mpv.hung else "stopped unexpectedly"
            self._spawn(self._fail(s, PlaybackError(f"mpv {how}; what was heard is saved"), "mpv_gone"))

    # -- chapters from the audio ------------------------------------------------------------------------
    async def _adopt_chapters(self, s: Session) -> None:
        mpv = self.mpv
        if mpv is None:
            return
        try:
            raw = await mpv.command("get_property", "chapter-list")
        except PlaybackError:
            return
        pairs = audio_chapters(raw)
        if not pairs or s is not self.session:
            return
        eid = s.episode.id
        try:
            doc = await self.saver.call("adopt", eid=eid, chapters=pairs)
        except TrackerError as err:
            self.listener.message(str(err), error=True)
            return
        if doc is not None and s is self.session:
            s.use_chapters(Episode.from_doc(eid, doc).chapters)
            self._show(force=True)

