"""Subscriptions as OPML 2.0, which every podcast app reads."""

from __future__ import annotations

from datetime import datetime, timezone
from xml.sax.saxutils import quoteattr

from ..model.library import Library


def export_opml(library: Library) -> str:
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<opml version="2.0">',
        "  <head>",
        "    <title>tracker subscriptions</title>",
        f"    <dateCreated>{datetime.now(timezone.utc).strftime('%a, %d %b %Y %H:%M:%S GMT')}</dateCreated>",
        "  </head>",
        "  <body>",
    ]
    for show in sorted(library.shows().values(), key=lambda s: s.get("title", "").casefold()):
        title = quoteattr(show.get("title", ""))
        attrs = f'type="rss" text={title} title={title}'
        if show.get("feed_url"):
            attrs += f" xmlUrl={quoteattr(show['feed_url'])}"
        if show.get("link"):
            attrs += f" htmlUrl={quoteattr(show['link'])}"
        lines.append(f"    <outline {attrs}/>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)
