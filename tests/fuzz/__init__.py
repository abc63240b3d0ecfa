"""Fuzzing of intake and inspection: mutated real files through the code the server runs for an
upload (sniff, the probe in a worker, decide, the preview renderer). `make fuzz` runs it under
the "ci" Hypothesis profile; HYPOTHESIS_PROFILE=long runs it longer by hand."""
