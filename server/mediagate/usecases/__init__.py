"""One module per thing a caller asks for: uploads (Upload, Validate, and the flow voice
messages share), attachments (get, list, delete, download), previews, voice messages.

Use cases speak the domain (records, specs, errors.py's failures), never a wire format: no
protobuf, no grpc, no HTTP here, so the gRPC edge and an HTTP edge call the same code.
"""
