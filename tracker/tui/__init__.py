"""The Textual TUI: it drives the same listening model as the CLI."""
