"""Widgets of the TUI, one idea per module."""
