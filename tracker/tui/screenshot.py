"""Regenerate the README's screenshot of the demo: python -m tracker.tui.screenshot [OUT.svg]"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from tracker.demo import add_sample_listening, load_demo
from tracker.tui.run import make_app

DEFAULT_OUT = Path(__file__).parents[1] / "demo" / "screenshot.svg"


async def shoot(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        library = load_demo(Path(tmp) / "lib")
        add_sample_listening(library)
        app = make_app(library.folder, keymap={})  # the default keys, whatever the user's keymap
        async with app.run_test(size=(140, 34)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)  # the detail pane follows the first paint
            await pilot.press("enter")  # into the chapter list
            await pilot.press("down", "down")
            await app.writer.idle()
            await pilot.pause(0.3)
            app.save_screenshot(filename=out.name, path=str(out.parent))


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    asyncio.run(shoot(out))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
