"""Hypothesis profiles for the fuzzers, and each property's share of a profile's examples.

- "ci" (the default; `make fuzz`, CI): the whole suite in about a minute on a 2-core machine.
- "long" (HYPOTHESIS_PROFILE=long make fuzz): 10 times as many examples, for runs by hand.

Both are random (derandomize=False): every run explores new inputs, so CI keeps finding
rather than replaying one fixed set. A failure prints its reproduction blob (print_blob) and
is saved in .hypothesis/examples, which later runs on the same machine replay first.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

ROOT = Path(__file__).resolve().parents[2]
HYPOTHESIS_DIR = ROOT / ".hypothesis"
# Inputs that timed out or killed a worker: acceptable outcomes, kept for a look.
WORKER_FAILURES_DIR = HYPOTHESIS_DIR / "worker-failures"

# Examples per property; test_render and test_tags take a share of them (share() below).
CI_EXAMPLES = 2000
LONG_EXAMPLES = 10 * CI_EXAMPLES


def _register(name: str, max_examples: int) -> None:
    settings.register_profile(
        name,
        max_examples=max_examples,
        deadline=None,  # a probe's time varies with the machine; the worker's time limit rules
        derandomize=False,
        print_blob=True,
        database=DirectoryBasedExampleDatabase(HYPOTHESIS_DIR / "examples"),
        # Seeds are real files and mutations are drawn in several steps: slow to generate,
        # and sometimes large, by design.
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


_register("ci", CI_EXAMPLES)
_register("long", LONG_EXAMPLES)

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")


def load() -> None:
    settings.load_profile(PROFILE)


def share(weight: float) -> settings:
    """This property's part of the loaded profile's examples: weight x its max_examples."""
    return settings(max_examples=max(1, round(settings().max_examples * weight)))
