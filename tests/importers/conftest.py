from __future__ import annotations

from typing import Iterator

import pytest

from tests.feed_server import FeedServer, serving


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedServer]:
    """A feed server on 127.0.0.1; imports wait at most 0.5 s for it to speak."""
    monkeypatch.setenv("TRACKER_HTTP_TIMEOUT", "0.5")
    with serving() as feeds_server:
        yield feeds_server
