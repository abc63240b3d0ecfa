"""Loads the SDK off the event loop, once.

`import PureCloudPlatformClientV2` takes about 15 s of CPU (it imports 6652 model modules up
front), so a server that imported it at start would be unready for that long. The loader
starts the import in a thread when the connector is built; the first platform call waits for
it, and gRPC serves meanwhile.
"""

from __future__ import annotations

import asyncio
import importlib
import threading
from types import ModuleType


class SdkLoader:
    def __init__(self) -> None:
        self._done = threading.Event()
        self._module: ModuleType | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._load, name="genesys-sdk-import", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        try:
            module = importlib.import_module("PureCloudPlatformClientV2")
            # The SDK logs request headers (the bearer token) when its logger is on; it is off
            # by default, and stays off whatever a ~/.genesyscloudpython/config file says.
            module.Configuration().logger.log_level = module.logger.LogLevel.LNone
            self._module = module
        except BaseException as exc:  # handed to whoever waits for the SDK
            self._error = exc
        finally:
            self._done.set()

    async def get(self) -> ModuleType:
        if not self._done.is_set():
            await asyncio.to_thread(self._done.wait)
        if self._error is not None:
            raise RuntimeError("the Genesys Cloud SDK failed to import") from self._error
        assert self._module is not None
        return self._module
