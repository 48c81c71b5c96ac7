from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from textual import events

from tracker.demo import add_sample_listening, load_demo
from tracker.model.library import Library
from tracker.tui.run import make_app

HOSTILE = "[BONUS] Ep [/] [@click=app.quit]x[/]"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo library, imported once per session (its feeds parsed once)."""
    return load_demo(tmp_path_factory.mktemp("template") / "lib").folder


@pytest.fixture(scope="session")
def listening_template(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    """The demo with some listening, as the README's screenshot shows it."""
    folder = tmp_path_factory.mktemp("listening") / "lib"
    shutil.copytree(demo_template, folder)
    add_sample_listening(Library(folder))
    return folder


@pytest.fixture()
def demo(tmp_path: Path, demo_template: Path) -> Library:
    """A fresh copy of the demo library for one test."""
    shutil.copytree(demo_template, tmp_path / "lib")
    return Library(tmp_path / "lib")


@pytest.fixture()
def listening(tmp_path: Path, listening_template: Path) -> Library:
    shutil.copytree(listening_template, tmp_path / "lib")
    return Library(tmp_path / "lib")


@pytest.fixture(autouse=True)
def no_user_keymap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read the keymap of whoever runs them."""
    monkeypatch.setenv("TRACKER_CONFIG", str(tmp_path / "config"))


def ids(library: Library) -> dict[str, str]:
    return {d["title"]: eid for eid, d in library.listings().items()}


def plain(widget: Any) -> str:
    """What a Static shows, as text."""
    return str(widget.visual.plain)


def row(widget: Any, y: int) -> str:
    """What a Line-API list draws on its line ``y``."""
    return "".join(segment.text for segment in widget.render_line(y))


def screen_text(app: Any) -> str:
    """Every line of the screen as plain text (what a user reads)."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def toasts(app: Any) -> list[str]:
    """The notifications on screen now, as a user reads them."""
    from textual.widgets._toast import Toast

    return [str(toast.render().plain) for toast in app.screen.query(Toast)]


def hostile_feed(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hostile.xml"
    path.write_text(f"""<?xml version="1.0"?>
<rss version="2.0" xmlns:psc="http://podlove.org/simple-chapters"
     xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
<title>{HOSTILE} Show</title>
<item><title>{HOSTILE}</title><guid>h1</guid><pubDate>Mon, 03 Mar 2025 07:00:00 +0000</pubDate>
<itunes:duration>600</itunes:duration>
<description>{HOSTILE} description [b]bold?[/b] [link=https://evil.invalid]click[/link]</description>
<psc:chapters><psc:chapter start="0" title="{HOSTILE}"/><psc:chapter start="60" title="[red]Two[/red]"/></psc:chapters>
</item></channel></rss>""")
    return path


async def settle(pilot: Any) -> None:
    """Let writes land, workers (the description index, imports) finish and the screen
    catch up."""
    app = pilot.app
    await app.writer.idle()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def burst(pilot: Any, keys: list[str]) -> None:
    """Keys written to the terminal at once (a fast typist, a paste of "/banana"): all
    queued before the app handles the first, as a real terminal delivers them."""
    for key in keys:
        char = {"slash": "/", "space": " "}.get(key, key if len(key) == 1 else None)
        pilot.app._driver.send_message(events.Key(key, char))
    await pilot.pause()


async def paste(pilot: Any, text: str) -> None:
    """Text pasted into the focused widget (one event, as a terminal's bracketed paste)."""
    focused = pilot.app.focused
    assert focused is not None
    focused.post_message(events.Paste(text))
    await pilot.pause()


__all__ = ["HOSTILE", "ids", "plain", "row", "screen_text", "toasts", "hostile_feed", "settle", "burst", "paste", "make_app"]


@pytest.fixture(autouse=True)
def detail_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read the detail pane right after a key: no pause-debounce there."""
    from tracker.tui.screens.library import LibraryScreen

    monkeypatch.setattr(LibraryScreen, "DETAIL_DELAY_S", 0)


async def until(pilot: Any, condition: Any, deadline_s: float = 10.0) -> bool:
    """Poll ``condition`` between repaints until it holds or the deadline passes."""
    import time

    end = time.monotonic() + deadline_s
    while not condition():
        if time.monotonic() > end:
            return False
        await pilot.pause(0.02)
    return True
