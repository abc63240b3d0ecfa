"""Real files built in memory, for unit and integration tests: one module per family.

Every generator returns the bytes of a file that the library that made it (Pillow, pypdf,
PyAV, zipfile, wave) considers valid, unless its name says what is wrong with it. Nothing here
reads the network or the shared corpus, so tests that use these run anywhere.

- images: raster images (JPEG, PNG, GIF, WebP, TIFF), hostile ones, and preview sources
- pdfs: PDFs, from pypdf and written by hand with pages of known colours
- office: OOXML files (docx, docm, xlsx, pptx) and hostile ones
- archives: plain ZIP archives, and the ZIP writer office and images build on
- texts: SVG, plain text, CSV
- executables: an ELF executable
- audio: tones in every container and codec the service takes, and audio with video or art
- voice: voice messages of espeak-ng speech, silence, and recordings whose headers lie
- pcm: the PyAV encoder behind audio and voice
- damage: generic damage to any file (truncation)

Import the family a test uses: `from tests.samples import images`, then `images.jpeg()`.
"""
