#!/usr/bin/env python3
"""A stand-in speech-to-text program for the `command:` engine: a real program the server runs
as it would run whisper.cpp, answering with a fixed sentence (or failing, when asked to)."""

import os
import sys

if __name__ == "__main__":
    audio, language = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""
    if os.environ.get("FAKE_STT_FAIL"):
        sys.exit(3)
    size = os.path.getsize(audio)
    print(f"heard {size} bytes of speech in {language or 'an unknown language'}")
