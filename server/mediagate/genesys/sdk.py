"""Loads the official SDK (PureCloudPlatformClientV2) so that it costs what mediagate uses.

`import PureCloudPlatformClientV2` takes about 15 s of CPU: its package __init__ imports all
6652 model modules and 88 API modules up front. mediagate calls one API (ConversationsApi) and a
few dozen models, so the loader installs the package and its `models` and `apis` subpackages
as lazy modules: each name their __init__.py would have imported is imported from its own
module the first time it is used (PEP 562 module __getattr__). The SDK's code is unchanged and
runs as it ships; only when each of its modules is imported differs. The loader runs in a
thread at start, off the event loop, and the first platform call waits for it.

If the package is already imported whole (a test that uses the SDK directly), that is used.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import re
import sys
import threading
import types
from pathlib import Path

PACKAGE = "PureCloudPlatformClientV2"
# "from .models.adfs import ADFS" / "from .adfs import ADFS" in the packages' __init__.py.
_IMPORT_LINE = re.compile(r"^from \.([\w.]+) import (\w+)\s*$", re.MULTILINE)


def _lazy_package(name: str, directory: Path) -> types.ModuleType:
    """A package module whose names resolve on first use, as its __init__.py maps them."""
    init = directory / "__init__.py"
    table = {attr: module for module, attr in _IMPORT_LINE.findall(init.read_text())}
    package = types.ModuleType(name)
    package.__path__ = [str(directory)]
    package.__package__ = name
    package.__file__ = str(init)

    def __getattr__(attr: str) -> object:
        module = table.get(attr)
        if module is None:
            raise AttributeError(f"module {name!r} has no attribute {attr!r}")
        value = getattr(importlib.import_module(f"{name}.{module}"), attr)
        setattr(package, attr, value)
        return value

    package.__getattr__ = __getattr__  # type: ignore[method-assign]
    sys.modules[name] = package
    return package


def load_sdk() -> types.ModuleType:
    if PACKAGE in sys.modules:
        return sys.modules[PACKAGE]
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{PACKAGE} (the Genesys Cloud SDK) is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    sdk = _lazy_package(PACKAGE, root)
    sdk.models = _lazy_package(f"{PACKAGE}.models", root / "models")  # type: ignore[attr-defined]
    sdk.apis = _lazy_package(f"{PACKAGE}.apis", root / "apis")  # type: ignore[attr-defined]
    return sdk


class SdkLoader:
    def __init__(self) -> None:
        self._done = threading.Event()
        self._module: types.ModuleType | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._load, name="genesys-sdk-import", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        try:
            module = load_sdk()
            # Touch what every call needs, so the first delivery does not pay for it.
            module.ApiClient, module.ConversationsApi, module.rest.ApiException  # noqa: B018
            # The SDK logs request headers (the bearer token) when its logger is on; it is off
            # by default, and stays off whatever a ~/.genesyscloudpython/config file says.
            module.Configuration().logger.log_level = module.logger.LogLevel.LNone
            self._module = module
        except BaseException as exc:  # handed to whoever waits for the SDK
            self._error = exc
        finally:
            self._done.set()

    async def get(self) -> types.ModuleType:
        if not self._done.is_set():
            await asyncio.to_thread(self._done.wait)
        if self._error is not None:
            raise RuntimeError("the Genesys Cloud SDK failed to load") from self._error
        assert self._module is not None
        return self._module
