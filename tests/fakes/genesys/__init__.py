"""A faithful local Genesys Cloud for tests: the real REST paths and JSON, faults on demand.

`FakeGenesys` runs on the caller's event loop (`async with FakeGenesys() as fake:`);
`FakeGenesysThread` runs the same app on its own loop in a daemon thread for synchronous tests;
`python -m tests.fakes.genesys` serves it as a separate process.
"""

from .app import OPS, FakeGenesys
from .state import AttributeWrite, Call, CrawlerFetch, FakeConversation, MediaItem, Message, Reason
from .threaded import FakeGenesysThread

__all__ = [
    "OPS",
    "AttributeWrite",
    "Call",
    "CrawlerFetch",
    "FakeConversation",
    "FakeGenesys",
    "FakeGenesysThread",
    "MediaItem",
    "Message",
    "Reason",
]
