"""The ordered steps of an upload (upload.py), the row an accepted file gets (records.py), and
what runs once a file is accepted (accepted.py)."""
