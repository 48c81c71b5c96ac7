"""The filter box: words typed here filter the catalog as you type (its keys are the
catalog pane's: see ``CatalogPane``)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input


class FilterBox(Input):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(placeholder="filter: words in the title, show or description (esc: clear)", **kwargs)
