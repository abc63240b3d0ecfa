"""Signed media URLs: HMAC-SHA256 over what a URL may do, verified with a ring of keys."""
