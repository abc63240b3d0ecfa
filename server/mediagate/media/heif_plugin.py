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
    """Idempotent. Depth maps and auxiliary images (alpha and HDR gain maps stay) are never
    needed here; the embedded thumbnails serve Image.draft in previews."""
    pillow_heif.register_heif_opener(thumbnails=True, depth_images=False, aux_images=False)
