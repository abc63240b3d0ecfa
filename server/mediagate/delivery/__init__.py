"""Outbound connectors: how accepted attachments leave mediagate (Genesys Cloud today)."""
