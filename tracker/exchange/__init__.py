"""Open interchange of the library: tracker JSON, OPML, gpodder episode actions."""
