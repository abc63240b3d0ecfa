"""Audio: the duration measured from the packets a demuxer delivers, not from header fields,
plus codec facts and a check that the first packets decode.

Only packets are read (no decoding beyond the first few), so a 30-second clip takes a few
milliseconds. The container type is refined: an MP4 or WebM without a real video track is
audio; cover art (an "attached picture" stream) is not video.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import av
import mutagen
from mutagen.mp3 import MPEGInfo
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis

from mediagate.inspect.facts import AudioFacts, Facts
from mediagate.inspect.id3v2 import AFTER_TAG, audio_start
from mediagate.inspect.mp3_frames import first_frame
from mediagate.inspect.sniff import HEAD_BYTES, sniff
from mediagate.inspect.wav_extent import undeclared_bytes
from mediagate.inspect.wave_header import declared_seconds, holds_no_samples
from mediagate.media.scrub import describe
from mediagate.reasons import Finding, Reason

# sniffed type -> (FFmpeg demuxer, container name). Forcing the demuxer keeps FFmpeg from
# guessing among all it knows (playlists, image sequences) from hostile bytes.
_CONTAINERS = {
    "audio/mpeg": ("mp3", "mp3"),
    "audio/wav": ("wav", "wav"),
    "audio/ogg": ("ogg", "ogg"),
    "video/ogg": ("ogg", "ogg"),
    "audio/webm": ("matroska", "webm"),
    "video/webm": ("matroska", "webm"),
    "audio/mp4": ("mov", "mp4"),
    "video/mp4": ("mov", "mp4"),
    "audio/aac": ("aac", "aac"),
}
AUDIO_TYPES = frozenset(_CONTAINERS)
# Containers whose type says whether video is inside: name -> (audio-only, with video).
_REFINED = {
    "mp4": ("audio/mp4", "video/mp4"),
    "webm": ("audio/webm", "video/webm"),
    "ogg": ("audio/ogg", "video/ogg"),
}
_DECODE_TRIES = 8
# mutagen reads the header fields that FFmpeg folds into its own estimates (for MP3, the
# Xing/Info frame, read from the first frame on: mutagen's MP3 class would parse the ID3 tag,
# inflating compressed frames without a bound).
_HEADER_READERS: dict[str, Any] = {"mp4": MP4}
_ATTACHED_PIC = 1024  # AV_DISPOSITION_ATTACHED_PIC
# A header claiming more than this many times the measured length, and this many seconds
# more, describes audio the file no longer holds.
_CLAIM_RATIO = 1.5
_CLAIM_SLACK_SECONDS = 1.0
# FFmpeg's Ogg demuxer keeps a packet's duration in an unsigned 32-bit field. When all of a
# stream's audio sits on its last page (a short recording: Vorbis under about a second), the
# last packet is trimmed to that page's granule position with a negative duration, which
# arrives as 2**32 - n: summed, it made 0.1 s of Vorbis last 27 hours, refused as TOO_LONG
# (found by tests/fuzz). Such a packet counts as no time; read as negative, a forged granule
# could subtract any amount from a long recording.
_WRAPPED_NEGATIVE = range(2**31, 2**32)


@dataclass
class _Measured:
    packets: int = 0
    bytes: int = 0
    seconds: float = 0.0
    decoded_packets: int = 0  # of the first few, how many the decoder accepted
    error: str | None = None


def probe_after_id3(path: str) -> Facts:
    """A file that starts with an ID3v2 tag longer than the sniffed head: the type of what
    follows the tag, probed as audio when it is. The tag is skipped by offset, never read."""
    with open(path, "rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        start = audio_start(fh)
        fh.seek(start)
        head = fh.read(HEAD_BYTES)
    # An ID3v2 tag is an MP3's: a file cut inside it, or after it, is a cut MP3.
    if start > size:
        cut = Finding(
            Reason.TRUNCATED,
            f"The ID3 tag says the audio starts at byte {start}, but the file ends at byte {size}.",
            {"limit": str(start), "actual": str(size)},
        )
        return Facts(mime_type="audio/mpeg", findings=[cut])
    if not head.strip(b"\x00"):
        cut = Finding(Reason.TRUNCATED, "The file holds an ID3 tag and no audio after it.")
        return Facts(mime_type="audio/mpeg", findings=[cut])
    found = sniff(head).mime_type
    if found in AFTER_TAG:
        return probe_audio(path, found)
    return Facts(mime_type=found)  # what the tag hides is what the file is


def probe_audio(path: str, mime: str) -> Facts:
    demuxer, container_name = _CONTAINERS[mime]
    facts = Facts(mime_type=mime)
    options: dict[str, str] = {}
    if demuxer == "wav" and undeclared_bytes(path):
        # A WAV whose data chunk says it ends before its samples do would hide the rest from
        # FFmpeg (and so from the duration limit): judge such a file by the samples it holds.
        options["ignore_length"] = "1"
    if demuxer in ("mp3", "aac"):
        # FFmpeg starts after the ID3 tags, so it never parses them: a tag's frames may be
        # compressed, and FFmpeg would inflate them (up to 32768 times their size).
        with open(path, "rb") as fh:
            start = audio_start(fh)
        if start:
            options["skip_initial_bytes"] = str(start)
    with open(path, "rb") as fh:
        try:
            # Tags are never read here, but PyAV decodes them all on open, strictly as UTF-8:
            # an MP3 titled in Latin-1 bytes under a UTF-8 label (a common tagger bug) was
            # refused as CORRUPT for its tag alone (found by tests/fuzz).
            container: Any = av.open(fh, format=demuxer, options=options, metadata_errors="replace")
        except Exception as exc:
            facts.findings.append(_unopenable(path, container_name, exc))
            return facts
        with container:
            video = [s for s in container.streams.video if not int(s.disposition) & _ATTACHED_PIC]
            audio = container.streams.audio[0] if container.streams.audio else None
            if container_name in _REFINED:
                facts.mime_type = _REFINED[container_name][1 if video else 0]
            if audio is None:
                if not video:
                    facts.findings.append(
                        Finding(Reason.CORRUPT, f"The {container_name} file has no audio stream.")
                    )
                return facts
            ctx = audio.codec_context
            if ctx is None:  # FFmpeg knows no decoder for the stream's codec id
                facts.findings.append(
                    Finding(Reason.CORRUPT, f"The {container_name} file's audio codec is unknown.")
                )
                return facts
            measured = _measure(container, audio)
            codec = ctx.codec.canonical_name if ctx.codec else ctx.name
            sample_rate, channels = int(ctx.sample_rate or 0), int(ctx.channels or 0)
            container_seconds = container.duration / 1_000_000 if container.duration else None
    if measured.packets == 0 and container_name == "wav" and holds_no_samples(path):
        # A well-formed header over no samples: nothing was recorded, nothing was cut off.
        facts.findings.append(
            Finding(Reason.EMPTY, "The WAV file holds no audio samples.", {"actual": "0"})
        )
        return facts
    claimed = _claimed_seconds(path, container_name, container_seconds)
    facts.audio = AudioFacts(
        duration_seconds=measured.seconds,
        codec=str(codec),
        sample_rate_hz=sample_rate,
        channels=channels,
        bitrate_bps=int(measured.bytes * 8 / measured.seconds) if measured.seconds else 0,
        container=container_name,
        header_duration_seconds=claimed,
    )
    facts.findings.extend(_verdicts(measured, claimed, container_name))
    return facts


def _unopenable(path: str, container_name: str, exc: Exception) -> Finding:
    if container_name == "mp3":
        try:
            frame = first_frame(path)
        except OSError:
            frame = None
        if frame is not None and frame.file_size - frame.offset < 2 * frame.length:
            # FFmpeg needs a few frames in a row to recognise MPEG audio; a file with less
            # than two frames' worth of bytes is a cut file rather than a damaged one.
            return Finding(
                Reason.TRUNCATED,
                "The MP3 holds less than two audio frames.",
                {"actual": str(frame.file_size - frame.offset)},
            )
    # FFmpeg reports running out of bytes while reading headers as end-of-file.
    reason = Reason.TRUNCATED if isinstance(exc, EOFError) else Reason.CORRUPT
    return Finding(reason, f"The {container_name} file cannot be read: {describe(exc)}")


def _measure(container: Any, stream: Any) -> _Measured:
    measured = _Measured()
    ctx = stream.codec_context
    time_base = stream.time_base or Fraction(1, max(int(ctx.sample_rate or 1), 1))
    first: int | None = None
    end: int | None = None
    summed = 0
    every_packet_timed = True
    try:
        for packet in container.demux(stream):
            if packet.size == 0:
                continue  # the demuxer's end-of-stream marker
            measured.packets += 1
            measured.bytes += packet.size
            duration = int(packet.duration or 0)
            if duration in _WRAPPED_NEGATIVE:
                duration = 0
            else:
                every_packet_timed &= duration > 0
            summed += duration
            if packet.pts is not None:
                first = packet.pts if first is None else min(first, packet.pts)
                end = packet.pts + duration if end is None else max(end, packet.pts + duration)
            if not measured.decoded_packets and measured.packets <= _DECODE_TRIES:
                measured.decoded_packets += _decodes(ctx, packet)
    except Exception as exc:
        # Damage part-way: what came before still counts, and the duration check below
        # reports the shortfall.
        measured.error = describe(exc)
    # Summed durations resist a forged timestamp; spans cover packets without durations.
    span = end - first if end is not None and first is not None else summed
    ticks = summed if every_packet_timed else span
    if first is not None and first < 0:
        # Negative timestamps mark priming samples (Opus pre-skip) that players discard.
        ticks -= min(-first, ticks)
    measured.seconds = float(max(ticks, 0) * time_base)
    return measured


def _decodes(ctx: Any, packet: Any) -> int:
    """1 when the decoder accepts the packet. Whether it returns samples yet does not count:
    decoders hold back priming samples (Opus pre-skip can span dozens of packets)."""
    try:
        ctx.decode(packet)
    except Exception:
        return 0
    return 1


def _claimed_seconds(
    path: str, container_name: str, container_seconds: float | None
) -> float | None:
    """What the file's headers claim the duration is, when they claim rather than estimate."""
    reader: Any = _HEADER_READERS.get(container_name)
    try:
        if container_name == "mp3":
            frame = first_frame(path)
            # Without a frame count, both mutagen and FFmpeg divide the size by the first
            # frame's bitrate: a guess, wildly off for VBR files, not a claim.
            if frame is None or not frame.counted:
                return None
            with open(path, "rb") as fh:
                return float(MPEGInfo(fh, offset=frame.offset).length)
        if container_name == "wav":
            return declared_seconds(path)
        if container_name == "ogg":
            found: Any = mutagen.File(path, options=[OggOpus, OggVorbis])
            return float(found.info.length) if found is not None else container_seconds
        if reader is not None:
            return float(reader(path).info.length)
    except Exception:
        return container_seconds
    if container_name == "webm":
        return container_seconds  # the Segment Info duration
    return None  # ADTS AAC has no header that says how long it is


def _verdicts(measured: _Measured, claimed: float | None, container_name: str) -> list[Finding]:
    if measured.packets == 0:
        why = f": {measured.error}" if measured.error else ""
        return [Finding(Reason.TRUNCATED, f"The {container_name} file holds no audio frames{why}.")]
    if measured.decoded_packets == 0:
        return [
            Finding(
                Reason.CORRUPT,
                f"None of the first {min(measured.packets, _DECODE_TRIES)} audio packets decode.",
            )
        ]
    if (
        claimed is not None
        and claimed > measured.seconds * _CLAIM_RATIO
        and claimed - measured.seconds > _CLAIM_SLACK_SECONDS
    ):
        return [
            Finding(
                Reason.TRUNCATED,
                f"The header says {claimed:.2f} s but the file holds {measured.seconds:.2f} s "
                "of audio.",
                {"limit": f"{claimed:.3f}", "actual": f"{measured.seconds:.3f}"},
            )
        ]
    return []
