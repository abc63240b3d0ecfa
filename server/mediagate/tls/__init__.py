"""TLS material from PEM files, reread when the files change."""
