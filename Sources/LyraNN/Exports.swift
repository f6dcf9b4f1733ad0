// JSON values are part of LyraNN's public API (descriptions, checkpoints).
@_exported import LyraBase
