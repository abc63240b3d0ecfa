"""Audio: a tone in every container and codec the service takes (WAV, MP3, Ogg Opus and
Vorbis, WebM Opus, M4A and ADTS AAC), an M4A with cover art, an MP4 with video, and an MP3 of
less than two frames. Voice messages of speech are in voice."""

from __future__ import annotations

import io
import math
import random
import struct
import wave
import zlib
from collections.abc import Mapping
from typing import Any

import av
import mutagen.mp4

from tests.samples import images
from tests.samples.pcm import encode_pcm


def _tone(seconds: float, rate: int, tone_hz: float) -> bytes:
    count = round(seconds * rate)
    step = 2 * math.pi * tone_hz / rate
    return b"".join(struct.pack("<h", int(12000 * math.sin(i * step))) for i in range(count))


def wav(seconds: float = 1.0, rate: int = 16000, tone_hz: float = 440) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(_tone(seconds, rate, tone_hz))
    return out.getvalue()


def _encode(
    container_format: str,
    codec: str,
    seconds: float,
    rate: int,
    tone_hz: float = 440,
    options: Mapping[str, str] | None = None,
    layout: str = "mono",
) -> bytes:
    return encode_pcm(
        _tone(seconds, rate, tone_hz), rate, container_format, codec, rate, layout, options
    )


def mp3(seconds: float = 1.0) -> bytes:
    return _encode("mp3", "libmp3lame", seconds, 44100)


def ogg_opus(seconds: float = 1.0) -> bytes:
    return _encode("ogg", "libopus", seconds, 48000)


def ogg_vorbis(seconds: float = 1.0) -> bytes:
    # FFmpeg's own Vorbis encoder (the wheel has no libvorbis) is marked experimental and
    # only encodes stereo.
    return _encode(
        "ogg", "vorbis", seconds, 44100, options={"strict": "experimental"}, layout="stereo"
    )


def webm_opus(seconds: float = 1.0) -> bytes:
    return _encode("webm", "libopus", seconds, 48000)


def m4a_aac(seconds: float = 1.0) -> bytes:
    return _encode("ipod", "aac", seconds, 44100)


def adts_aac(seconds: float = 1.0) -> bytes:
    return _encode("adts", "aac", seconds, 44100)


def m4a_with_cover(seconds: float = 1.0) -> bytes:
    """An AAC .m4a whose iTunes cover art FFmpeg lists as a (attached picture) video stream."""
    buf = io.BytesIO(m4a_aac(seconds))
    mp4: Any = mutagen.mp4  # mutagen is untyped
    tagged = mp4.MP4(buf)
    if tagged.tags is None:
        tagged.add_tags()
    assert tagged.tags is not None
    tagged.tags["covr"] = [mp4.MP4Cover(images.png(16, 16), imageformat=mp4.MP4Cover.FORMAT_PNG)]
    buf.seek(0)
    tagged.save(buf)
    return buf.getvalue()


def mp4_with_video(seconds: float = 1.0, audio: bool = True) -> bytes:
    """An MP4 with a small MPEG-4 Part 2 video track (and an AAC track unless audio=False)."""
    out = io.BytesIO()
    rate = 10
    with av.open(out, "w", format="mp4") as container:
        video = container.add_stream("mpeg4", rate=rate)
        video.width, video.height, video.pix_fmt = 32, 32, "yuv420p"
        for i in range(round(seconds * rate)):
            frame = av.VideoFrame(32, 32, "yuv420p")
            for plane in frame.planes:
                plane.update(bytes([(i * 20) % 256]) * plane.buffer_size)
            frame.pts = i
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
    if not audio:
        return out.getvalue()
    # Remux the video next to an AAC track from m4a_aac.
    sound = av.open(io.BytesIO(m4a_aac(seconds)), "r")
    picture = av.open(io.BytesIO(out.getvalue()), "r")
    both = io.BytesIO()
    with sound, picture, av.open(both, "w", format="mp4") as container:
        streams = {
            picture.streams.video[0]: container.add_stream_from_template(picture.streams.video[0]),
            sound.streams.audio[0]: container.add_stream_from_template(sound.streams.audio[0]),
        }
        for source in (picture, sound):
            for packet in source.demux():
                if packet.dts is None:
                    continue
                packet.stream = streams[packet.stream]
                container.mux(packet)
    return both.getvalue()


def mp3_less_than_two_frames() -> bytes:
    """An ID3 tag, then the first MPEG frame of a real MP3 and nothing after it."""
    data = mp3(1.0)
    size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
    start = 10 + size
    return data[: start + 100]


def wav_noise_bursts(seconds: float = 10.0, rate: int = 16000, seed: int = 0) -> bytes:
    """Noise whose loudness jumps every 10 ms: a waveform with a different bar everywhere."""
    rng = random.Random(seed)
    step = rate // 100
    samples: list[int] = []
    for _ in range(round(seconds * 100)):
        level = rng.randint(500, 30000)
        samples.extend(rng.randint(-level, level) for _ in range(step))
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return out.getvalue()


def _syncsafe(n: int) -> bytes:
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])


def _id3v24_frame(kind: bytes, body: bytes, flags: int = 0) -> bytes:
    return kind + _syncsafe(len(body)) + flags.to_bytes(2, "big") + body


def id3v24_tag(
    cover_bytes: int = 1_500_000,
    padding: int = 200_000,
    compressed_bytes: int = 0,
    footer: bool = False,
    seed: int = 0,
) -> bytes:
    """An ID3v2.4 tag as phones and taggers write them: a title, a cover (APIC) of
    `cover_bytes` (a real JPEG head, then noise that does not compress), and zero padding.
    `compressed_bytes` adds a zlib-compressed frame (flag 0x0008, with its data length
    indicator, 0x0001) that would inflate to that many zero bytes."""
    frames = _id3v24_frame(b"TIT2", b"\x03Tagged tone\x00")
    if cover_bytes:
        jpeg = images.jpeg(16, 16)
        noise = random.Random(seed).randbytes(max(cover_bytes - len(jpeg), 0))
        frames += _id3v24_frame(b"APIC", b"\x00image/jpeg\x00\x03cover\x00" + jpeg + noise)
    if compressed_bytes:
        packed = zlib.compress(bytes(compressed_bytes), 9)
        frames += _id3v24_frame(b"PRIV", _syncsafe(compressed_bytes) + packed, flags=0x0009)
    if footer:
        padding = 0  # a tag with a footer has no padding (ID3v2.4 section 3.4)
    body = frames + bytes(padding)
    flags = 0x10 if footer else 0
    head = b"ID3\x04\x00" + bytes([flags]) + _syncsafe(len(body))
    return head + body + (b"3DI\x04\x00" + bytes([flags]) + _syncsafe(len(body)) if footer else b"")


def mp3_with_big_id3(seconds: float = 2.0, **tag: Any) -> bytes:
    """An MP3 whose ID3v2 tag (see id3v24_tag) is far larger than the first 64 KiB; the
    encoder's own small tag is replaced."""
    data = mp3(seconds)
    own = 0
    if data[:3] == b"ID3":
        size = data[6:10]
        own = 10 + ((size[0] << 21) | (size[1] << 14) | (size[2] << 7) | size[3])
    return id3v24_tag(**tag) + data[own:]


def wav_empty(rate: int = 16000) -> bytes:
    """A valid RIFF/WAVE header (fmt, then a data chunk of 0 bytes): a recording of nothing."""
    return wav(0.0, rate=rate)
