"""Malware scanning by a real engine (clamd's INSTREAM protocol over a unix or TCP socket): the
outbound edge to the scanner; pipeline/finish.py asks it before a file is kept."""
