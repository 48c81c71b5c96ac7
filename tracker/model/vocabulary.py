"""The model's words that the faces show and parse: statuses and sort orders.

Kept apart, with nothing imported, so the CLI can build its parser (and answer
``--help``) without loading the model; the records and the queries use these.
"""

from __future__ import annotations

from typing import Literal

Status = Literal["new", "in_progress", "listened"]
STATUSES: tuple[Status, ...] = ("new", "in_progress", "listened")
STATUS_WORDS: dict[str, str] = {"new": "new", "in_progress": "in progress", "listened": "listened"}

SORTS = ("-published", "published", "duration", "title")
SORT_NAMES = {"-published": "newest first", "published": "oldest first", "duration": "shortest first",
              "title": "by title"}
SORT_WORDS = {"newest": "-published", "oldest": "published", "shortest": "duration", "title": "title"}
