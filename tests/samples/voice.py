"""Voice messages as people send them: espeak-ng speech (and silence) in the formats phones and
browsers record, and recordings whose headers lie about their length. Needs espeak-ng."""

from __future__ import annotations

import io
import wave

from tests.samples.pcm import Unseekable, encode_pcm

SPEECH_TEXT = (
    "Hello, this is a voice message about the delivery on Thursday. The parcel is at the "
    "front desk, and the invoice number is four two seven one. Please call me back when you can."
)
# espeak-ng writes 16-bit mono PCM at this rate.
SPEECH_RATE = 22050
_SPEECH_GAP_SECONDS = 0.3  # between repeats of the text, as a speaker would pause


def speech_wav(text: str = SPEECH_TEXT, seconds: float | None = None) -> bytes:
    """Speech synthesised by espeak-ng (formants, syllables and pauses, which a tone lacks),
    repeated after a short pause and cut to last exactly `seconds` when given."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/speech.wav"
        subprocess.run(["espeak-ng", "-w", path, "-s", "150", text], check=True)
        with wave.open(path, "rb") as w:
            rate, width, channels = w.getframerate(), w.getsampwidth(), w.getnchannels()
            pcm = w.readframes(w.getnframes())
    if seconds is not None:
        frame_bytes = width * channels
        wanted = round(seconds * rate) * frame_bytes
        gap = bytes(round(_SPEECH_GAP_SECONDS * rate) * frame_bytes)
        spoken = pcm
        while len(pcm) < wanted:
            pcm += gap + spoken
        pcm = pcm[:wanted]
    return _wav_bytes(pcm, rate, width, channels)


def _wav_bytes(pcm: bytes, rate: int, width: int = 2, channels: int = 1) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(pcm)
    return out.getvalue()


SPEECH_PEAK_DBFS = -3.0  # a phone's recording level; espeak-ng's own output touches 0 dBFS


def _speech_pcm(seconds: float, peak_dbfs: float = SPEECH_PEAK_DBFS) -> bytes:
    """16-bit mono PCM at SPEECH_RATE whose loudest sample is at peak_dbfs. Full-scale
    speech would clip in every lossy encoder (and in resampling), which real recordings
    leave headroom against."""
    import array

    data = speech_wav(SPEECH_TEXT, seconds)
    with wave.open(io.BytesIO(data), "rb") as w:
        samples = array.array("h")
        samples.frombytes(w.readframes(w.getnframes()))
    loudest = max(max(samples), -min(samples), 1)
    factor = 32767 * 10 ** (peak_dbfs / 20) / loudest
    return array.array("h", (round(s * factor) for s in samples)).tobytes()


# format -> (muxer, encoder, sample rate, layout, encoder options): what phones and browsers
# record voice messages as.
SPEECH_FORMATS: dict[str, tuple[str, str, int, str, dict[str, str]]] = {
    "mp3": ("mp3", "libmp3lame", 44100, "mono", {}),
    "ogg_opus": ("ogg", "libopus", 48000, "mono", {}),
    # FFmpeg's own Vorbis encoder only encodes stereo (see audio.ogg_vorbis).
    "ogg_vorbis": ("ogg", "vorbis", 44100, "stereo", {"strict": "experimental"}),
    "webm_opus": ("webm", "libopus", 48000, "mono", {}),
    "m4a_aac": ("ipod", "aac", 44100, "mono", {}),
}


def speech(fmt: str, seconds: float, peak_dbfs: float = SPEECH_PEAK_DBFS) -> bytes:
    """`seconds` of speech as "wav" (espeak-ng's 22.05 kHz mono PCM) or one of
    SPEECH_FORMATS, its loudest sample at peak_dbfs (lower for a quiet speaker)."""
    pcm = _speech_pcm(seconds, peak_dbfs)
    if fmt == "wav":
        return _wav_bytes(pcm, SPEECH_RATE)
    muxer, encoder, rate, layout, options = SPEECH_FORMATS[fmt]
    return encode_pcm(pcm, SPEECH_RATE, muxer, encoder, rate, layout, options)


def silence(fmt: str, seconds: float) -> bytes:
    """Digital silence in any format speech() knows."""
    pcm = bytes(round(seconds * SPEECH_RATE) * 2)
    if fmt == "wav":
        return _wav_bytes(pcm, SPEECH_RATE)
    muxer, encoder, rate, layout, options = SPEECH_FORMATS[fmt]
    return encode_pcm(pcm, SPEECH_RATE, muxer, encoder, rate, layout, options)


def webm_opus_without_duration(seconds: float) -> bytes:
    """Opus in WebM as MediaRecorder writes it: a live stream whose Segment Info has no
    Duration element (and no Cues), since the length is unknown when the header is written."""
    return encode_pcm(
        _speech_pcm(seconds),
        SPEECH_RATE,
        "webm",
        "libopus",
        48000,
        container_options={"live": "1"},
        sink=Unseekable(),
    )


def mp3_vbr_without_xing(seconds: float) -> bytes:
    """A VBR MP3 (LAME -V 4: each frame at the bitrate it needs) with no Xing/Info frame, so
    readers that take the first frame's bitrate guess the duration from the file size."""
    return encode_pcm(
        _speech_pcm(seconds),
        SPEECH_RATE,
        "mp3",
        "libmp3lame",
        44100,
        # FF_QP2LAMBDA (118) x 4: LAME's -V 4, as `ffmpeg -q:a 4` sets it.
        options={"flags": "+qscale", "global_quality": str(4 * 118)},
        container_options={"write_xing": "0"},
    )


def mp3_with_lying_xing(claimed_seconds: float, real_seconds: float) -> bytes:
    """A CBR MP3 of `real_seconds` whose Xing/Info frame count claims `claimed_seconds`."""
    data = bytearray(encode_pcm(_speech_pcm(real_seconds), SPEECH_RATE, "mp3", "libmp3lame", 44100))
    for tag in (b"Xing", b"Info"):
        at = data.find(tag)
        if at >= 0:
            break
    else:
        raise AssertionError("the encoder wrote no Xing/Info frame")
    flags = int.from_bytes(data[at + 4 : at + 8], "big")
    assert flags & 1, "the Xing frame has no frame count"
    # An MPEG-1 Layer III frame holds 1152 samples.
    data[at + 8 : at + 12] = round(claimed_seconds * 44100 / 1152).to_bytes(4, "big")
    return bytes(data)


def wav_with_lying_header(real_seconds: float, claimed_seconds: float) -> bytes:
    """Speech whose data chunk size (and RIFF size) claims `claimed_seconds` while the file
    holds `real_seconds` of samples after the header."""
    data = bytearray(speech("wav", real_seconds))
    at = data.find(b"data", 12)
    claimed_bytes = round(claimed_seconds * SPEECH_RATE) * 2
    data[at + 4 : at + 8] = claimed_bytes.to_bytes(4, "little")
    data[4:8] = (at + 8 + claimed_bytes - 8).to_bytes(4, "little")
    return bytes(data)


def mp3_joined_at_two_rates(seconds_each: float = 1.0) -> bytes:
    """Two MP3s end to end, speech at 44.1 kHz then at 22.05 kHz, as tools that join files by
    concatenating them leave them: the sample rate changes part-way through the stream."""
    pcm = _speech_pcm(seconds_each)
    second = encode_pcm(
        pcm,
        SPEECH_RATE,
        "mp3",
        "libmp3lame",
        22050,
        container_options={"write_xing": "0", "id3v2_version": "0"},
    )
    return speech("mp3", seconds_each) + second
