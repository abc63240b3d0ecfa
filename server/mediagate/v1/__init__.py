"""Generated from protos/mediagate/v1 by `make gen`. Never edit by hand."""
