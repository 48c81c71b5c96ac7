"""Screens: the main one, and one modal per file."""
