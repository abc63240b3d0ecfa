"""Inbound: where files come from other than a caller's upload stream. The SSRF-safe URL fetcher
(url_policy.py decides, url_fetch.py fetches), and the parsing of Genesys Cloud's announcements
of guests' media (conversation events, Open Messaging webhooks) with their signature check."""
