"""Region names (us_east_1, eu_west_1, ...) to API hosts, from the SDK's own table.

The table is read from the SDK's purecloud_region_hosts.py without importing the SDK package
(whose import takes about 15 s), so a misspelt region fails the server's start at once.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path


def region_hosts() -> dict[str, str]:
    spec = importlib.util.find_spec("PureCloudPlatformClientV2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the Genesys Cloud SDK (PureCloudPlatformClientV2) is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "purecloud_region_hosts.py"
    table = importlib.util.spec_from_file_location("_genesys_region_hosts", path)
    assert table is not None and table.loader is not None
    module = importlib.util.module_from_spec(table)
    table.loader.exec_module(module)
    return {region.name: region.value for region in module.PureCloudRegionHosts}


def api_host(region: str, base_url: str) -> str:
    """The API host: the base URL when given (a proxy, a local fake), else the region's."""
    if base_url:
        return base_url.rstrip("/")
    hosts = region_hosts()
    if region not in hosts:
        raise ValueError(f"unknown Genesys Cloud region {region!r}; one of {', '.join(hosts)}")
    return hosts[region]
