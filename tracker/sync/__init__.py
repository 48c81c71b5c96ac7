"""Sync over the gpodder.net API v2 (and Nextcloud's gpoddersync): subscriptions and
episode actions both ways, an outbox inside the library, newest change wins.

Knows nothing of Textual or the CLI: both drive ``engine.run_sync``.
"""
