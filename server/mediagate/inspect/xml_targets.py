"""A base for XML parser targets that only look at start tags: the rest of the document's
events are dropped, so nothing of it is kept in memory."""

from __future__ import annotations


class StartTagsOnly:
    def start(self, tag: str, attrib: dict[str, str]) -> None:
        raise NotImplementedError

    def end(self, tag: str) -> None:
        pass

    def data(self, data: str) -> None:
        pass

    def close(self) -> None:
        pass
