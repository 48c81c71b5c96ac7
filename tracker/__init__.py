"""tracker: a personal podcast listening tracker for the terminal."""

__version__ = "0.1.0"
