"""The TUI's side of playback: the keys, the now-playing bars, and the player service.

The Player runs on Textual's own event loop (mpv over a socket, no threads); its library
reads and writes run in its worker process, so the screen never waits for the library,
even a busy one. The playing keys are the app's (they work on every screen) and show in
the footer and the palette only while something plays; ``?`` lists them always.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from textual.app import App

from ..model.errors import TrackerError
from ..model.library import Library
from ..model.records import Episode
from ..playback.mpv import INSTALL_HINT
from ..playback.player import Outcome, Player
from ..playback.session import NowPlaying
from ..playback.source import read_start
from . import keys
from .keys import ESSENTIAL, EXTRA, USEFUL, KeyGroup, key

if TYPE_CHECKING:
    from .widgets.now_playing import NowPlayingBar

PLAY_KEY = key("p", "play", "Play", "episode.play",
               "Play from the resume point; in the chapters, from the chapter (p again pauses)", rank=ESSENTIAL)
PLAYER_KEYS = [
    key("P", "player_pause", "Pause", "player.pause", "Pause or resume playback", rank=ESSENTIAL),
    key("v", "player_stop", "Stop", "player.stop", "Stop playing (what was heard is saved)", rank=USEFUL),
    key("left,comma", "player_seek(-10)", "-10 s", "player.back", "Seek back 10 seconds", rank=EXTRA,
        key_display="←"),
    key("right,full_stop", "player_seek(30)", "+30 s", "player.ahead", "Seek ahead 30 seconds", rank=EXTRA,
        key_display="→"),
    key("less_than_sign", "player_chapter(-1)", "Prev chapter", "player.prev_chapter",
        "Back to this chapter's start, or the one before", rank=EXTRA, key_display="<"),
    key("greater_than_sign", "player_chapter(1)", "Next chapter", "player.next_chapter", "Jump to the next chapter",
        rank=USEFUL, key_display=">"),
    key("X", "player_skip", "Skip chapter", "player.skip", "Mark the playing chapter skipped and jump past it",
        rank=USEFUL),
    key("left_square_bracket", "player_speed(False)", "Slower", "player.slower",
        "Play slower (down to 0.5x; remembered for the show)", rank=EXTRA, key_display="["),
    key("right_square_bracket", "player_speed(True)", "Faster", "player.faster",
        "Play faster (up to 3x; remembered for the show)", rank=EXTRA, key_display="]"),
    key("A", "player_advance", "Auto-advance", "player.advance",
        "Turn playing the next queued episode at the end on or off", rank=EXTRA, show=False),
]
keys.add_live([PLAY_KEY], keys.LIBRARY_PLACES)
keys.add_live(PLAYER_KEYS)
keys.add_group(KeyGroup("Playing (p on an episode or a chapter starts it; these work on every screen)",
                        [PLAY_KEY, *PLAYER_KEYS]))


class PlayerController:
    """One per app: the Player (made at the first play), its listener, the bars."""

    def __init__(self, app: App[Any], library: Library, advance: bool = True) -> None:
        self.app = app
        self.library = library
        self.folder = library.folder
        self.advance = advance
        self.player: Player | None = None
        self.now: NowPlaying | None = None
        self._bars: set["NowPlayingBar"] = set()
        self._was_playing = False

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
        if self.playing != self._was_playing:
            self._was_playing = self.playing
            self.app.refresh_bindings()  # the playing keys show in the footer only while playing

    def message(self, text: str, error: bool = False) -> None:
        if text.startswith("chapter "):
            return  # the bar shows the chapter
        self.app.notify(text, severity="error" if error else "information", markup=False, timeout=6 if error else 2)

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
        """Start ``eid`` (at chapter ``chapter``, else its resume point) without waiting;
        ``p`` on the episode playing pauses or resumes it."""
        if self.player is None:
            self.player = Player(self.folder, self, advance=self.advance)
        player = self.player
        if chapter is None and self.playing and self.now is not None and self.now.eid == eid:
            player.toggle_pause()
            return
        try:  # read from the screen's own library: its files are parsed already, so p starts at once
            known = read_start(self.library, eid)
        except TrackerError as err:
            self.app.notify(str(err), severity="error", markup=False, timeout=6)
            return
        self._run(lambda: player.play(eid, chapter, known=known))

    def control(self, name: str, *args: Any) -> None:
        """A playing control by name; says so when nothing plays."""
        if not self.playing or self.player is None:
            self.app.notify(f"nothing is playing: press {keys.key_of(self.app, 'episode.play')} on an episode",
                            severity="warning", timeout=2)
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


class PlayerApp(App[None]):
    """The app's playing keys and actions (the tracker's App is one of these), so they
    work on every screen. ``player`` is made by the app once it has its library."""

    BINDINGS = keys.bindings(PLAYER_KEYS)
    player: PlayerController

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action.startswith("player_") and action != "player_advance":
            return self.player.playing  # hidden from the footer and palette while nothing plays
        return super().check_action(action, parameters)

    async def action_quit(self) -> None:
        await self.player.close()  # what was heard is saved before the app goes
        self.exit()

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


def play_chapter(app: App[Any], episode: Episode, n: int) -> str | None:
    """Play ``episode`` from chapter ``n``; why not, when it cannot play (the caller then
    sets the resume point there, as ``enter`` did before there was playing)."""
    controller: PlayerController = getattr(app, "player")
    why = controller.cannot_play(episode)
    if why is None:
        controller.play(episode.id, n)
    return why


def play_episode(app: App[Any], eid: str) -> None:
    controller: PlayerController = getattr(app, "player")
    controller.play(eid)
