"""ID3v2 CHAP frames from a local audio file (mutagen)."""

from __future__ import annotations

from pathlib import Path

from .records import MAX_CHAPTERS, ChapterIn, chapter


def id3_chapters(path: Path) -> list[ChapterIn]:
    """Chapters of an MP3 file; an empty list when it has none or is not ID3-tagged."""
    from mutagen import MutagenError
    from mutagen.id3 import ID3, ID3NoHeaderError

    try:
        tags = ID3(path)
    except (ID3NoHeaderError, MutagenError, OSError, ValueError):
        return []
    out = []
    for frame in tags.getall("CHAP"):
        title_frame = frame.sub_frames.get("TIT2")
        title = str(title_frame.text[0]) if title_frame and title_frame.text else ""
        end = frame.end_time / 1000 if frame.end_time not in (None, 0xFFFFFFFF) else None
        found = chapter(title, frame.start_time / 1000, end)
        if found is not None:
            out.append(found)
            if len(out) >= MAX_CHAPTERS:
                break
    out.sort(key=lambda c: c.start_s)
    return out
