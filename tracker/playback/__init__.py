"""Playback: mpv over its JSON IPC (asyncio), the recorder that turns positions into heard
spans, and the player service that the CLI and the TUI both drive. Knows nothing of Textual."""
