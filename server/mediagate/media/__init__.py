"""Shared vocabulary below every domain package: MIME names and the Pillow format of each image
type, what a caller declares about a file, preview specs, and scrubbing file paths out of
messages that reach callers. Plain data and pure functions; it imports nothing of mediagate's
but the reason codes."""
