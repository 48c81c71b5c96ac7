"""A listener that keeps what the player said, and waits for it with deadlines."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Callable

from tracker.model.library import Library
from tracker.model.views import episode_view
from tracker.playback.session import NowPlaying


class Heard:
    def __init__(self) -> None:
        self.statuses: list[NowPlaying] = []
        self.messages: list[tuple[str, bool]] = []
        self.outcomes: list[str] = []
        self._triggers: list[tuple[Callable[[NowPlaying], bool], Callable[[], None], asyncio.Future[NowPlaying]]] = []

    def status(self, now: NowPlaying) -> None:
        self.statuses.append(now)
        for trigger in list(self._triggers):
            pred, action, done = trigger
            if pred(now):
                self._triggers.remove(trigger)
                action()
                done.set_result(now)

    def when(self, pred: Callable[[NowPlaying], bool], action: Callable[[], None] = lambda: None) -> "asyncio.Future[NowPlaying]":
        """Run ``action`` at the very status that matches ``pred`` (no polling delay: at 16x a
        tenth of a second is 1.6 s of audio); await the result for that status."""
        done: asyncio.Future[NowPlaying] = asyncio.get_running_loop().create_future()
        self._triggers.append((pred, action, done))
        return done

    def at(self, seconds: float, action: Callable[[], None] = lambda: None,
           eid: str | None = None) -> "asyncio.Future[NowPlaying]":
        """Run ``action`` as soon as playback passes ``seconds`` (of ``eid``). Register it
        before the point can pass; await the future (``reached``) for that status."""
        return self.when(lambda now: now.state == "playing" and now.position_s >= seconds
                         and (eid is None or now.eid == eid), action)

    async def reached(self, future: "asyncio.Future[NowPlaying]", timeout: float = 15.0) -> NowPlaying:
        try:
            return await asyncio.wait_for(future, timeout)
        except asyncio.TimeoutError:
            raise AssertionError(f"not reached within {timeout} s; last {self.statuses[-1:]}") from None

    def message(self, text: str, error: bool = False) -> None:
        self.messages.append((text, error))

    def ended(self, outcome: str) -> None:
        self.outcomes.append(outcome)

    @property
    def now(self) -> NowPlaying:
        return self.statuses[-1]

    @property
    def errors(self) -> list[str]:
        return [text for text, error in self.messages if error]

    async def until(self, what: Callable[[], Any], timeout: float = 15.0, about: str = "") -> Any:
        """Poll ``what()`` until it is true, or fail after ``timeout`` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            got = what()
            if got:
                return got
            if loop.time() > deadline:
                last = self.statuses[-1] if self.statuses else None
                raise AssertionError(f"not within {timeout} s: {about}; last status {last}; messages {self.messages[-5:]}")
            await asyncio.sleep(0.01)


def poll(what: Callable[[], Any], timeout: float = 20.0, about: str = "") -> Any:
    """Outside an event loop: poll ``what()`` until true, or fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not (got := what()):
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {about}")
        time.sleep(0.02)
    return got


def chapters(library: Library, eid: str) -> list[dict[str, Any]]:
    """Each chapter's heard seconds and state, as ``tracker show --json`` gives them."""
    return episode_view(library, library.episode(eid))["chapters"]


def heard(library: Library, eid: str) -> list[float]:
    return [round(float(c["heard_s"]), 1) for c in chapters(library, eid)]
