"""The TUI's side of playback: keys, the now-playing bars, and the player service.

The Player runs on Textual's own event loop (mpv over a socket, no threads); its library
reads and writes run in worker threads, one at a time, so the screen never waits for the
library, even a busy one. The keys here work on every screen.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from textual.binding import Binding

from ..model.errors import TrackerError
from ..model.records import Episode
from ..playback.mpv import INSTALL_HINT
from ..playback.player import Outcome, Player
from ..playback.session import NowPlaying

if TYPE_CHECKING:
    from textual.app import App

    from .widgets.now_playing import NowPlayingBar

# Keys while something plays (app-wide); ``p`` itself belongs to the panes that hold episodes.
PLAYER_KEYS = [
    Binding("P", "player_pause", "Pause", id="player.pause", tooltip="Pause or resume playback"),
    Binding("S", "player_stop", "Stop", id="player.stop", tooltip="Stop playback (what was heard is saved)"),
    Binding("left,comma", "player_seek(-10)", "-10 s", id="player.back", tooltip="Seek back 10 seconds",
            show=False, key_display="←"),
    Binding("right,full_stop", "player_seek(30)", "+30 s", id="player.ahead", tooltip="Seek ahead 30 seconds",
            show=False, key_display="→"),
    Binding("less_than_sign", "player_chapter(-1)", "Prev chapter", id="player.prev_chapter",
            tooltip="Back to the start of this chapter, or the one before", show=False, key_display="<"),
    Binding("greater_than_sign", "player_chapter(1)", "Next chapter", id="player.next_chapter",
            tooltip="Jump to the next chapter", show=False, key_display=">"),
    Binding("X", "player_skip", "Skip chapter", id="player.skip",
            tooltip="Mark the playing chapter skipped and jump past it", show=False),
    Binding("left_square_bracket", "player_speed(False)", "Slower", id="player.slower",
            tooltip="Play slower (down to 0.5x; remembered for the show)", show=False, key_display="["),
    Binding("right_square_bracket", "player_speed(True)", "Faster", id="player.faster",
            tooltip="Play faster (up to 3x; remembered for the show)", show=False, key_display="]"),
    Binding("A", "player_advance", "Auto-advance", id="player.advance",
            tooltip="Turn on or off playing the next queued episode at the end", show=False),
]
PLAY_KEY = Binding("p", "play", "Play", id="episode.play", tooltip="Play from the resume point (or this chapter)")

# (title, help, action) for the command palette; the key is added from PLAYER_KEYS.
PALETTE = [
    ("Pause or resume", "player_pause"),
    ("Stop playing", "player_stop"),
    ("Seek back 10 seconds", "player_seek(-10)"),
    ("Seek ahead 30 seconds", "player_seek(30)"),
    ("Previous chapter", "player_chapter(-1)"),
    ("Next chapter", "player_chapter(1)"),
    ("Skip this chapter", "player_skip"),
    ("Play slower", "player_speed(False)"),
    ("Play faster", "player_speed(True)"),
    ("Toggle auto-advance", "player_advance"),
]


class PlayerController:
    """One per app: the Player (made at the first play), its listener, the bars."""

    def __init__(self, app: "App[Any]", folder: Path, advance: bool = True) -> None:
        self.app = app
        self.folder = folder
        self.advance = advance
        self.player: Player | None = None
        self.now: NowPlaying | None = None
        self._bars: set["NowPlayingBar"] = set()

    # -- bars ----------------------------------------------------------------------------
    def attach(self, bar: "NowPlayingBar") -> None:
        self._bars.add(bar)
        bar.show(self.now)

    def detach(self, bar: "NowPlayingBar") -> None:
        self._bars.discard(bar)

    # -- the Player's listener ------------------------------------------------------------------
    def status(self, now: NowPlaying) -> None:
        self.now = now
        for bar in list(self._bars):
            bar.show(now)

    def message(self, text: str, error: bool = False) -> None:
        if text.startswith("chapter "):
            return  # the bar shows the chapter
        self.app.notify(text, severity="error" if error else "information", markup=False, timeout=4 if error else 2)

    def ended(self, outcome: Outcome) -> None:
        if self.now is not None:
            self.status(replace(self.now, state="ended" if outcome == "finished" else "stopped"))

    # -- commands ----------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self.player is not None and self.player.playing

    def cannot_play(self, episode: Episode) -> str | None:
        """Why ``episode`` cannot play at all (no mpv, no enclosure), or None."""
        if shutil.which("mpv") is None:
            return INSTALL_HINT
        if not (episode.audio_url or "").strip():
            return "this episode has no audio"
        return None

    def play(self, eid: str, chapter: int | None = None) -> None:
        """Start ``eid`` (at chapter ``chapter``, else its resume point) without waiting."""
        if self.player is None:
            self.player = Player(self.folder, self, advance=self.advance)
        player = self.player
        if chapter is None and self.playing and self.now is not None and self.now.eid == eid:
            player.toggle_pause()  # p on the episode playing: pause or resume it
            return
        self._run(lambda: player.play(eid, chapter))

    def control(self, name: str, *args: Any) -> None:
        """A playing control by name; says so when nothing plays."""
        if not self.playing or self.player is None:
            self.app.notify("nothing is playing: press p on an episode", severity="warning", timeout=2)
            return
        getattr(self.player, name)(*args)

    def toggle_advance(self) -> None:
        self.advance = not self.advance
        if self.player is not None:
            self.player.advance = self.advance
        word = "on: the next queued episode follows" if self.advance else "off: playing stops at the end"
        self.app.notify(f"auto-advance {word}", timeout=2)

    async def close(self) -> None:
        """Stop, save and quit mpv (the app is quitting)."""
        if self.player is not None:
            await self.player.close()

    def _run(self, start: Callable[[], Awaitable[Any]]) -> None:
        async def run() -> None:
            try:
                await start()
            except TrackerError as err:
                self.app.notify(str(err), severity="error", markup=False, timeout=6)

        self.app.run_worker(run(), group="player", exclusive=True, exit_on_error=False)


class PlayerActions:
    """The app's playing actions (mixed into the App, so they work on every screen)."""

    player: PlayerController

    def action_player_pause(self) -> None:
        self.player.control("toggle_pause")

    def action_player_stop(self) -> None:
        self.player.control("stop")

    def action_player_seek(self, seconds: float) -> None:
        self.player.control("seek_by", seconds)

    def action_player_chapter(self, step: int) -> None:
        self.player.control("chapter_step", step)

    def action_player_skip(self) -> None:
        self.player.control("skip_chapter")

    def action_player_speed(self, up: bool) -> None:
        self.player.control("change_speed", up)

    def action_player_advance(self) -> None:
        self.player.toggle_advance()
