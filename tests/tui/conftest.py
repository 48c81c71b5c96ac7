from __future__ import annotations

from pathlib import Path

import pytest

from tracker.model.library import Library
from tracker.demo import load_demo
from tracker.tui.run import make_app

HOSTILE = "[BONUS] Ep [/] [@click=app.quit]x[/]"


@pytest.fixture()
def demo(tmp_path: Path) -> Library:
    return load_demo(tmp_path / "lib")


def ids(library: Library) -> dict[str, str]:
    return {d["title"]: eid for eid, d in library.listings().items()}


def plain(widget) -> str:  # type: ignore[no-untyped-def]
    """What a Static shows, as text."""
    return widget.visual.plain


def row(widget, y: int) -> str:  # type: ignore[no-untyped-def]
    """What a Line-API list draws on its line ``y``."""
    return "".join(segment.text for segment in widget.render_line(y))


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


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let workers (the description index) finish and the screen catch up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


__all__ = ["HOSTILE", "ids", "plain", "row", "hostile_feed", "settle", "make_app"]


@pytest.fixture(autouse=True)
def detail_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read the detail pane right after a key: no pause-debounce there."""
    from tracker.tui.screens.main import MainScreen

    monkeypatch.setattr(MainScreen, "DETAIL_DELAY_S", 0)
