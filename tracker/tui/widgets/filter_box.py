"""The filter box: words typed here filter the catalog as you type (its keys are the
catalog pane's: see ``CatalogPane``)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from ..keys import key_of


class FilterBox(Input):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(placeholder="filter: words in the title, show or description", **kwargs)

    def on_mount(self) -> None:
        clear = key_of(self.app, "filter.clear")
        self.placeholder = f"filter: words in the title, show or description ({clear}: clear)"
