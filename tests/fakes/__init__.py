"""Local stand-ins for the outside services mediagate talks to, for tests and manual runs."""
