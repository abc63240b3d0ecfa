"""Pillow's reader for HEIF images (HEIC), from pillow-heif.

pillow-heif 1.x reads HEIF through libheif (HEVC by libde265) and no longer reads AVIF: Pillow
reads AVIF itself (its AvifImagePlugin, libavif), so only HEIF needs registering. Called by the
modules that open images (inspect/image.py, preview/image_preview.py), which only the worker
processes import, so libheif loads in the forkserver's preloading parent and never in the
server.

What pillow-heif does about orientation, which the probe and the renderers rely on: libheif
applies the container's transforms (irot, imir, clap) while decoding, so the size Pillow
reports is the displayed one, the pixels come out upright, and pillow-heif resets an EXIF
Orientation to 1 so that nobody turns them again. (Pillow's AVIF plugin does the opposite: it
reports the stored size and turns irot/imir into an EXIF Orientation for the caller to apply.)
"""

from __future__ import annotations

import pillow_heif


def register() -> None:
    """Idempotent. Depth maps and auxiliary images are never needed here (an alpha plane is
    still decoded with its image). Embedded thumbnails are off: pillow-heif's Image.draft would
    decode one instead of the image, and it matches a thumbnail to its image by size and
    transforms only, never by content, so a crafted file's preview could show another picture
    than the photo itself."""
    pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
