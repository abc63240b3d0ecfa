"""What operators see of the server: Prometheus metrics (metrics.py), OpenTelemetry spans
(tracing.py) and JSON log lines (logs.py).

The bottom layer: any part of mediagate may count or trace what it does, and this package
imports nothing of mediagate. The exporter (exporting.py) is wired by the composition root.
"""
