"""Who may call: callers, their tenants and scopes, bearer tokens (stored hashed) and client
certificate subjects, read from a callers file that is reloaded when it changes."""
