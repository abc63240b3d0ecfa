"""Genesys Cloud through its official Python SDK (PureCloudPlatformClientV2): each platform
call mediagate makes, with login, rate limits, retries and timeouts handled once, in client.py.
The facts the calls rely on are in shared/reference/genesys-cloud.md."""
