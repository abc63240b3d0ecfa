"""Privacy-safe originals: metadata removed from a file's bytes losslessly (no pixel is
re-encoded), one module per format. Pure functions from a file to a new file and a report;
pipeline/finish.py runs them for profiles with strip_metadata."""
