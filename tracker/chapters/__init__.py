"""Chapters from every source: Podlove Simple Chapters, Podcasting 2.0 JSON, show notes, ID3."""

from .records import ChapterIn, finish

__all__ = ["ChapterIn", "finish"]
