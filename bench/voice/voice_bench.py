"""Voice-message cost: mediagate's probe and rendition against the ffprobe/ffmpeg CLI, one run.

    make bench-voice   (or: .venv/bin/python bench/voice/voice_bench.py [--quick]
                        [--only FORMAT ...] [--probe-runs N] [--render-runs N])

For each 30 s speech clip (bench/results/voice-inputs/, cached; see voice_inputs.py):
  probe       mediagate.inspect.probe.probe_file with the sniffed type, in this process,
              against `ffprobe ... format=duration` (what a user would run, header duration)
              and an ffprobe that lists every packet (a measured duration, as probe_file's is);
              milliseconds, median of N runs after one warm-up, the three interleaved.
  rendition   mediagate.voice.process.process_voice with the default RenditionSettings (AAC in
              M4A, 48 kb/s, mono, 48 kHz, loudness-normalised), in this process, against
              `ffmpeg -ac 1 -ar 48000 -c:a aac -b:a 48k` with and without `-af loudnorm`;
              wall milliseconds and the real-time factor per core (audio seconds over the CPU
              seconds the work used), median of N runs after one warm-up, interleaved.
Every output is checked (an AAC M4A, mono, 48 kHz, the input's length, its loudness measured),
so that a fast wrong answer never reads as a win.
Results: a table on stdout and bench/results/voice.json. Goals are reported, not asserted.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Protocol, TypeVar

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))  # the sibling module, also when imported from elsewhere

import av  # noqa: E402
from voice_inputs import INPUTS, SECONDS, VoiceInput, ensure_inputs, espeak_version  # noqa: E402

from mediagate.inspect.facts import Facts, ProbeLimits  # noqa: E402
from mediagate.inspect.probe import probe_file  # noqa: E402
from mediagate.inspect.sniff import HEAD_BYTES, sniff  # noqa: E402
from mediagate.voice.model import RenditionSettings, VoiceFailure, VoiceProcessed  # noqa: E402

RESULTS = ROOT / "bench" / "results"
INPUT_DIR = RESULTS / "voice-inputs"
GOAL_PROBE_MS = 5.0  # under, for every format
GOAL_RTF = 100.0  # at least, per core
NOISY_OTHER_CORES = 0.2  # others' work above this during a measurement: figures inflated
BINS = 64  # waveform bars; the count barely moves the cost (one max per slice)
SILENCE_DBFS = -50.0  # process_voice's default
DURATION_TOLERANCE_S = 0.1  # a few codec frames: priming and padding differ by codec
LOUDNESS_TOLERANCE_LU = 2.0  # around the target, for ffmpeg's loudnorm (dynamic, one pass)
GAIN_TOLERANCE_LU = 1.0  # input + the gain process_voice reports vs the rendition (AAC drift)

RENDITION_PATHS = ("mediagate", "ffmpeg", "ffmpeg_loudnorm", "ffmpeg_fast")
Sample = dict[str, float]  # one timed run: wall_ms, cpu_s
T = TypeVar("T")


class ProcessVoice(Protocol):
    def __call__(
        self,
        path: str,
        mime: str,
        bins: int,
        settings: RenditionSettings,
        out_path: str,
        silence_dbfs: float = ...,
    ) -> VoiceProcessed | VoiceFailure: ...


def load_process_voice() -> tuple[ProcessVoice | None, str | None]:
    """process_voice, or why it cannot be had: it is being written while this bench is, and
    the probe half of the bench is worth running without it."""
    try:
        # By name, so that type checking passes while the module does not exist yet.
        module = importlib.import_module("mediagate.voice.process")
        process_voice: ProcessVoice = module.process_voice
    except Exception as exc:
        return None, f"process_voice not available: {type(exc).__name__}: {exc}"
    return process_voice, None


# ---------------------------------------------------------------------------------------------
# The commands a user would run


def ffprobe_header(path: Path) -> list[str]:
    return ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", str(path)]


def ffprobe_packets(path: Path) -> list[str]:
    """Every audio packet's timestamp and duration: the same demux-everything work as
    `-count_packets`, but a count alone gives a duration only for fixed-size frames (MP3, AAC),
    not for Opus, Vorbis or PCM, so the packets' times are listed instead."""
    return [
        "ffprobe", "-v", "error", "-select_streams", "a:0",
        "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0", str(path),
    ]  # fmt: skip


def ffmpeg_rendition(path: Path, out: Path, loudnorm: bool, fast: bool = False) -> list[str]:
    # -ar 48000 is the rendition's rate. Without it the plain command keeps the input's rate
    # (16 kHz from the WAV: a third of the encoding work) and loudnorm's output, which runs at
    # 192 kHz inside, reaches the AAC encoder at 96 kHz (twice the work): neither would be
    # the same job as the rendition.
    command = ["ffmpeg", "-v", "error", "-y", "-i", str(path), "-ac", "1", "-ar", "48000"]
    command += ["-c:a", "aac", "-b:a", "48k"]
    if fast:
        # The AAC coder mediagate's rendition uses: the default ("twoloop") costs several
        # times more, so without this variant the comparison would mostly be of coders.
        command += ["-aac_coder", "fast"]
    if loudnorm:
        command += ["-af", "loudnorm=I=-16"]
    return [*command, str(out)]


def header_seconds(stdout: str) -> float | None:
    value = json.loads(stdout).get("format", {}).get("duration")
    return float(value) if value not in (None, "N/A") else None


def packet_seconds(stdout: str) -> float | None:
    """The end of the last packet, from zero: packets before zero are priming samples (AAC
    encoder delay, Opus pre-skip) that players discard, as probe_file discards them."""
    first: float | None = None
    end: float | None = None
    for line in stdout.splitlines():
        fields = line.split(",")  # side-data lines are empty or end in an extra field
        try:
            pts, duration = float(fields[0]), float(fields[1])
        except (IndexError, ValueError):
            continue
        first = pts if first is None else min(first, pts)
        end = pts + duration if end is None else max(end, pts + duration)
    if first is None or end is None:
        return None
    return end - max(first, 0.0)


# ---------------------------------------------------------------------------------------------
# Timing


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_command(command: list[str]) -> tuple[Sample, str]:
    """Wall time and the CPU the child used (all its threads): RUSAGE_CHILDREN grows by what
    each reaped child used, and subprocess.run reaps before it returns."""
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    cpu = _children_cpu() - cpu
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} exited {done.returncode}: {done.stderr.strip()[:300]}")
    return {"wall_ms": wall * 1000, "cpu_s": cpu}, done.stdout


def run_in_process(work: Callable[[], T]) -> tuple[Sample, T]:
    """Wall time and this process's CPU time (every thread's, so FFmpeg's codec threads count
    too): the per-core figure, comparable with a child's rusage."""
    # The cyclic collector is kept out of the timed call by switching it off, not by a
    # gc.collect() before it: a collection walks every object and costs the next call a few
    # tenths of a millisecond in cold caches, a tenth of the probe's budget.
    gc.disable()
    try:
        cpu = time.process_time()
        started = time.perf_counter()
        value = work()
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu
    finally:
        gc.enable()
    return {"wall_ms": wall * 1000, "cpu_s": cpu}, value


def _machine_busy_seconds() -> float:
    """CPU seconds every process on the machine has used (and the hypervisor stolen)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _own_seconds() -> float:
    return time.process_time() + _children_cpu()


class OtherLoad:
    """How many cores others kept busy while an input was measured. This machine is shared
    (test suites, builds): a core's worth of someone else's work slows every path here, the
    in-process ones most, since they share caches with it, and shows up only as noise."""

    def __enter__(self) -> OtherLoad:
        self.cores = 0.0
        self._start = (time.perf_counter(), _machine_busy_seconds(), _own_seconds())
        return self

    def __exit__(self, *exc: object) -> None:
        wall, busy, own = self._start
        others = _machine_busy_seconds() - busy - (_own_seconds() - own)
        self.cores = max(0.0, others / max(time.perf_counter() - wall, 1e-9))


def median(samples: list[Sample], key: str) -> float:
    return statistics.median(sample[key] for sample in samples)


# ---------------------------------------------------------------------------------------------
# Checks on outputs


def loudness_lufs(path: Path, mixed_to_mono: bool = False) -> float | None:
    """Integrated loudness (EBU R128) of a file, by FFmpeg's ebur128 filter.

    mixed_to_mono: of the (L+R)/2 mixdown process_voice makes (aresample rematrix_maxval=1),
    not of the channels as they are. R128 sums the channels' power, so two equal channels
    measure 3 LU louder than their mono mixdown, and input + gain would not predict the
    rendition of a stereo file.
    """
    chain = "ebur128"
    if mixed_to_mono:
        chain = "aresample=rematrix_maxval=1,aformat=channel_layouts=mono," + chain
    done = subprocess.run(
        ["ffmpeg", "-nostats", "-hide_banner", "-i", str(path), "-af", chain, "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.findall(r"^\s+I:\s+(-?[\d.]+) LUFS", done.stderr, re.MULTILINE)
    return float(found[-1]) if found else None  # the last one is the summary's


def rendition_problems(out: Path, seconds: float, settings: RenditionSettings) -> list[str]:
    """Why a rendition is not what RenditionSettings asks for, if it is not."""
    if not out.exists() or out.stat().st_size == 0:
        return ["no output file"]
    head = out.read_bytes()[:HEAD_BYTES]
    facts = probe_file(str(out), sniff(head).mime_type, ProbeLimits())
    if facts.audio is None:
        return [f"not audio: {facts.mime_type} {[f.message for f in facts.findings]}"]
    audio, found = facts.audio, []
    if (facts.mime_type, audio.codec) != (settings.codec.mime_type, settings.codec.value):
        found.append(f"{facts.mime_type} {audio.codec}, not {settings.codec.mime_type}")
    if audio.channels != 1:
        found.append(f"{audio.channels} channels")
    if audio.sample_rate_hz != settings.sample_rate_hz:
        found.append(f"{audio.sample_rate_hz} Hz")
    if abs(audio.duration_seconds - seconds) > DURATION_TOLERANCE_S:
        found.append(f"{audio.duration_seconds:.3f} s of {seconds:.3f} s")
    found += [f"finding: {f.message}" for f in facts.findings]
    return found


def processed_problems(value: object, out: Path, seconds: float) -> list[str]:
    """What process_voice's answer gets wrong about the input and the file it wrote."""
    if isinstance(value, VoiceFailure):
        return [f"VoiceFailure {value.reason}: {value.message}"]
    if not isinstance(value, VoiceProcessed):
        return [f"returned {type(value).__name__}"]
    found = []
    if value.silent:
        found.append("called silent")
    if len(value.peaks) != BINS or not all(0.0 <= p <= 1.0 for p in value.peaks):
        found.append(f"{len(value.peaks)} peaks, not {BINS} in 0..1")
    if abs(value.duration_seconds - seconds) > DURATION_TOLERANCE_S:
        found.append(f"duration {value.duration_seconds:.3f} s of {seconds:.3f} s")
    if out.exists():
        data = out.read_bytes()
        if value.rendition_size_bytes != len(data):
            found.append(f"size {value.rendition_size_bytes}, file has {len(data)}")
        if value.rendition_sha256 != hashlib.sha256(data).hexdigest():
            found.append("sha256 does not match the file")
    return found


# ---------------------------------------------------------------------------------------------
# One input


def measure_probe(path: Path, mime: str, runs: int) -> dict[str, object]:
    limits = ProbeLimits()
    paths: dict[str, Callable[[], tuple[Sample, object]]] = {
        "mediagate": lambda: run_in_process(lambda: probe_file(str(path), mime, limits)),
        "ffprobe": lambda: run_command(ffprobe_header(path)),
        "ffprobe_count": lambda: run_command(ffprobe_packets(path)),
    }
    samples: dict[str, list[Sample]] = {name: [] for name in paths}
    last: dict[str, object] = {}
    for run in range(runs + 1):  # run 0 warms up: imports, libmagic, page cache
        for name, measure in paths.items():
            sample, last[name] = measure()
            if run:
                samples[name].append(sample)
    facts = last["mediagate"]
    assert isinstance(facts, Facts)
    header, packets = last["ffprobe"], last["ffprobe_count"]
    assert isinstance(header, str) and isinstance(packets, str)
    result: dict[str, object] = {
        name: {
            "median_ms": round(median(values, "wall_ms"), 3),
            "min_ms": round(min(s["wall_ms"] for s in values), 3),
            "samples_ms": [round(s["wall_ms"], 3) for s in values],
        }
        for name, values in samples.items()
    }
    return result | {
        "seconds": {
            "mediagate": facts.audio.duration_seconds if facts.audio else None,
            "mediagate_header": facts.audio.header_duration_seconds if facts.audio else None,
            "ffprobe": header_seconds(header),
            "ffprobe_count": packet_seconds(packets),
        },
        "facts": {
            "mime_type": facts.mime_type,
            "audio": asdict(facts.audio) if facts.audio else None,
            "findings": [f.message for f in facts.findings],
        },
    }


def measure_rendition(
    path: Path,
    mime: str,
    seconds: float,
    input_lufs: float | None,
    runs: int,
    process_voice: ProcessVoice | None,
    work: Path,
) -> dict[str, object]:
    settings = RenditionSettings()
    # A directory per input, so no check can pass on a file an earlier input's run left.
    outs = {name: work / path.name / f"{name}.m4a" for name in RENDITION_PATHS}
    outs["mediagate"].parent.mkdir()
    paths: dict[str, Callable[[], tuple[Sample, object]]] = {
        "ffmpeg": lambda: run_command(ffmpeg_rendition(path, outs["ffmpeg"], loudnorm=False)),
        "ffmpeg_loudnorm": lambda: run_command(
            ffmpeg_rendition(path, outs["ffmpeg_loudnorm"], loudnorm=True)
        ),
        "ffmpeg_fast": lambda: run_command(
            ffmpeg_rendition(path, outs["ffmpeg_fast"], loudnorm=False, fast=True)
        ),
    }
    if process_voice is not None:
        pv = process_voice  # bound here so the lambda's type is not Optional
        paths = {
            "mediagate": lambda: run_in_process(
                lambda: pv(str(path), mime, BINS, settings, str(outs["mediagate"]), SILENCE_DBFS)
            ),
            **paths,
        }
    samples: dict[str, list[Sample]] = {name: [] for name in paths}
    last: dict[str, object] = {}
    errors: dict[str, str] = {}
    for run in range(runs + 1):  # run 0 warms up
        for name, measure in paths.items():
            if name in errors:
                continue
            try:
                sample, last[name] = measure()
            except Exception as exc:  # a broken path is reported, the others still run
                errors[name] = f"{type(exc).__name__}: {exc}"
                continue
            if run:
                samples[name].append(sample)
    result: dict[str, object] = {}
    for name in outs:
        if name not in paths:
            continue
        if name in errors:
            result[name] = {"error": errors[name]}
            continue
        problems = rendition_problems(outs[name], seconds, settings)
        if name == "mediagate":
            problems += processed_problems(last[name], outs[name], seconds)
        lufs = loudness_lufs(outs[name])
        value = last.get(name)
        if isinstance(value, VoiceProcessed) and settings.normalise_loudness:
            # process_voice applies one plain gain, capped so the loudest sample stays under
            # a ceiling: the rendition reaches the target only when the speech's peaks allow
            # it. What must hold is that the gain it reports is the gain the file carries.
            expected = None if input_lufs is None else input_lufs + value.gain_db
            if lufs is None or expected is None or abs(lufs - expected) > GAIN_TOLERANCE_LU:
                problems.append(
                    f"loudness {lufs} LUFS, expected {_level(expected)} (input mixed to mono "
                    f"{_level(input_lufs)} + gain {value.gain_db:.2f} dB)"
                )
        if name == "ffmpeg_loudnorm" and (
            lufs is None or abs(lufs - settings.target_lufs) > LOUDNESS_TOLERANCE_LU
        ):
            problems.append(f"loudness {lufs} LUFS, target {settings.target_lufs:g}")
        cpu = median(samples[name], "cpu_s")
        entry: dict[str, object] = {
            "median_ms": round(median(samples[name], "wall_ms"), 1),
            "median_cpu_s": round(cpu, 4),
            "rtf_per_core": round(seconds / cpu, 1) if cpu > 0 else None,
            "samples_ms": [round(s["wall_ms"], 1) for s in samples[name]],
            "samples_cpu_s": [round(s["cpu_s"], 4) for s in samples[name]],
            "output_bytes": outs[name].stat().st_size if outs[name].exists() else 0,
            "output_lufs": lufs,
            "problems": problems,
        }
        if isinstance(value, VoiceProcessed):
            entry["processed"] = {k: v for k, v in asdict(value).items() if k != "peaks"} | {
                "peaks_count": len(value.peaks)
            }
        result[name] = entry
    return result


def measure_input(
    item: VoiceInput,
    probe_runs: int,
    render_runs: int,
    process_voice: ProcessVoice | None,
    work: Path,
) -> dict[str, object]:
    path = INPUT_DIR / item.file_name
    with path.open("rb") as fh:
        sniffed = sniff(fh.read(HEAD_BYTES))  # outside the timing: intake sniffs as it spools
    result: dict[str, object] = {
        "file": item.file_name,
        "description": item.description,
        "bytes": path.stat().st_size,
        "sniffed": sniffed.mime_type,
        "sniff_description": sniffed.description,
    }
    if sniffed.mime_type not in item.sniffed:
        result["input_problem"] = f"sniffed as {sniffed.mime_type}, expected {item.sniffed}"
    with OtherLoad() as load:
        probe = measure_probe(path, sniffed.mime_type, probe_runs)
    result["probe"] = probe
    result["other_cores_busy_during_probe"] = round(load.cores, 2)
    facts = probe["facts"]
    assert isinstance(facts, dict)
    audio = facts["audio"]
    # The real-time factor counts the audio the clip holds, as probe_file measured it.
    seconds = float(audio["duration_seconds"]) if isinstance(audio, dict) else SECONDS
    result["audio_seconds"] = seconds
    # process_voice gets the type intake stores: the probe's refinement of the sniffed one
    # (video/webm without video is audio/webm).
    mime = str(facts["mime_type"])
    input_lufs = loudness_lufs(path, mixed_to_mono=True)  # what process_voice's gain acts on
    result["input_lufs"] = input_lufs
    with OtherLoad() as load:
        result["rendition"] = measure_rendition(
            path, mime, seconds, input_lufs, render_runs, process_voice, work
        )
    result["other_cores_busy_during_rendition"] = round(load.cores, 2)
    return result


# ---------------------------------------------------------------------------------------------
# Report


def _get(result: dict[str, object], *keys: str) -> object:
    value: object = result
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _ms(result: dict[str, object], section: str, name: str, goal: float | None = None) -> str:
    entry = _get(result, section, name)
    if not isinstance(entry, dict):
        return "n/a"
    if "error" in entry:
        return "error"
    text = f"{entry['median_ms']:.1f}" if section == "rendition" else f"{entry['median_ms']:.2f}"
    if entry.get("problems"):
        text += "!"
    if goal is not None and float(entry["median_ms"]) >= goal:
        text += " MISSED"
    return text


def _rtf(result: dict[str, object], name: str, goal: float | None = None) -> str:
    entry = _get(result, "rendition", name)
    if not isinstance(entry, dict) or entry.get("rtf_per_core") is None:
        return "n/a" if not isinstance(entry, dict) or "error" not in entry else "error"
    rtf = float(entry["rtf_per_core"])
    text = f"{rtf:.0f}x"
    if goal is not None and rtf < goal:
        text += " MISSED"
    return text


def _seconds(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, int | float) else "N/A"


def _level(value: object, signed: bool = False) -> str:
    if not isinstance(value, int | float):
        return "n/a"
    return f"{value:+.1f}" if signed else f"{value:.1f}"


def print_table(results: dict[str, dict[str, object]]) -> None:
    header = (
        "format", "probe ms", "ffprobe ms", "ffprobe-count ms", "rendition ms", "RTF",
        "ffmpeg ms", "ffmpeg RTF", "ffmpeg+loudnorm ms",
    )  # fmt: skip
    rows = [
        (
            name,
            _ms(result, "probe", "mediagate", GOAL_PROBE_MS),
            _ms(result, "probe", "ffprobe"),
            _ms(result, "probe", "ffprobe_count"),
            _ms(result, "rendition", "mediagate"),
            _rtf(result, "mediagate", GOAL_RTF),
            _ms(result, "rendition", "ffmpeg"),
            _rtf(result, "ffmpeg"),
            _ms(result, "rendition", "ffmpeg_loudnorm"),
        )
        for name, result in results.items()
    ]
    _print_rows(header, rows)
    print()
    header2 = (
        "format", "probe s", "ffprobe s", "ffprobe-count s", "process_voice s", "LUFS in",
        "gain dB", "LUFS mediagate", "LUFS ffmpeg", "LUFS loudnorm", "ffmpeg+loudnorm RTF",
        "ffmpeg fast ms", "ffmpeg fast RTF",
    )  # fmt: skip
    rows2 = []
    for name, result in results.items():
        seconds = _get(result, "probe", "seconds")
        assert isinstance(seconds, dict)
        processed = _get(result, "rendition", "mediagate", "processed")
        processed = processed if isinstance(processed, dict) else {}
        lufs = [_get(result, "rendition", path, "output_lufs") for path in
                ("mediagate", "ffmpeg", "ffmpeg_loudnorm")]  # fmt: skip
        rows2.append(
            (
                name,
                _seconds(seconds["mediagate"]),
                _seconds(seconds["ffprobe"]),
                _seconds(seconds["ffprobe_count"]),
                _seconds(processed.get("duration_seconds")),
                _level(result.get("input_lufs")),
                _level(processed.get("gain_db"), signed=True),
                *(_level(v) for v in lufs),
                _rtf(result, "ffmpeg_loudnorm"),
                _ms(result, "rendition", "ffmpeg_fast"),
                _rtf(result, "ffmpeg_fast"),
            )
        )
    _print_rows(header2, rows2)


def _print_rows(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(header[i]), *(len(row[i]) for row in rows)) for i in range(len(header))]
    print(" | ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in
                     enumerate(zip(header, widths, strict=True))))  # fmt: skip
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in
                         enumerate(zip(row, widths, strict=True))))  # fmt: skip


def missed_goals(results: dict[str, dict[str, object]]) -> tuple[list[str], list[str]]:
    """The formats that miss the probe goal, and those that miss the rendition goal (a
    rendition with a problem misses it however fast it was)."""
    probe = [
        name
        for name, result in results.items()
        if not isinstance(ms := _get(result, "probe", "mediagate", "median_ms"), float)
        or ms >= GOAL_PROBE_MS
    ]
    rendition = [
        name
        for name, result in results.items()
        if not isinstance(rtf := _get(result, "rendition", "mediagate", "rtf_per_core"), float)
        or rtf < GOAL_RTF
        or bool(_get(result, "rendition", "mediagate", "problems"))
    ]
    return probe, rendition


def other_cores(result: dict[str, object]) -> float:
    """The larger of the two "others kept N cores busy" figures of an input."""
    found = [result.get(f"other_cores_busy_during_{part}") for part in ("probe", "rendition")]
    return max((v for v in found if isinstance(v, float)), default=0.0)


def environment() -> dict[str, object]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for tool in ("ffmpeg", "ffprobe"):
        done = subprocess.run([tool, "-version"], capture_output=True, text=True, check=False)
        versions[tool] = done.stdout.splitlines()[0] if done.stdout else None
    return {
        "cores": os.cpu_count(),
        # Others may share this machine; a high figure here explains noisy results.
        "load_average_at_start": [round(v, 2) for v in os.getloadavg()],
        "cpu": cpu,
        "python": platform.python_version(),
        "pyav": av.__version__,
        # The in-process paths use the FFmpeg inside the PyAV wheel, the CLI baselines
        # Debian's: different versions, so codec speed differences are part of the comparison.
        "ffmpeg_in_pyav": {k: ".".join(map(str, v)) for k, v in av.library_versions.items()},
        **versions,
        "espeak_ng": espeak_version(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    names = [item.name for item in INPUTS]
    parser.add_argument("--quick", action="store_true", help="probe N=5, rendition N=2")
    parser.add_argument("--only", action="append", choices=names, metavar="FORMAT",
                        help=f"repeatable; one of {', '.join(names)}")  # fmt: skip
    parser.add_argument("--probe-runs", type=int, help="timed probe runs (default 20)")
    parser.add_argument("--render-runs", type=int, help="timed rendition runs (default 5)")
    args = parser.parse_args()
    probe_runs = args.probe_runs or (5 if args.quick else 20)
    render_runs = args.render_runs or (2 if args.quick else 5)
    for tool in ("ffmpeg", "ffprobe"):
        if shutil.which(tool) is None:
            raise SystemExit(
                f"{tool} is not installed: apt-get install ffmpeg (or make bench-voice)"
            )

    machine = environment()  # before any work, so its load average is other people's
    wanted = [item for item in INPUTS if not args.only or item.name in args.only]
    manifest = ensure_inputs(INPUT_DIR, wanted)
    process_voice, process_voice_error = load_process_voice()
    started = time.perf_counter()
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="voice-bench-") as work:
        for item in wanted:
            print(f"measuring {item.name} ...", flush=True)
            results[item.name] = measure_input(
                item, probe_runs, render_runs, process_voice, Path(work)
            )
    elapsed = time.perf_counter() - started

    print()
    print_table(results)
    print()
    probe_missed, rendition_missed = missed_goals(results)
    print(
        f"goal: probe under {GOAL_PROBE_MS:g} ms for every format: "
        + (f"MISSED ({', '.join(probe_missed)})" if probe_missed else "met")
    )
    if process_voice_error:
        print(f"goal: rendition at least {GOAL_RTF:g}x real time per core: not measured")
        print(f"  {process_voice_error}")
    else:
        print(
            f"goal: rendition at least {GOAL_RTF:g}x real time per core: "
            + (f"MISSED ({', '.join(rendition_missed)})" if rendition_missed else "met")
        )
    busy = {name: other_cores(result) for name, result in results.items()}
    for name, cores in busy.items():
        if cores > NOISY_OTHER_CORES:
            print(
                f"  {name}: others kept {cores:.2f} cores busy meanwhile: noisy, rerun when quiet"
            )
    for name, result in results.items():
        if result.get("input_problem"):
            print(f"  {name}: input: {result['input_problem']}")
        findings = _get(result, "probe", "facts", "findings")
        if findings:
            print(f"  {name}: probe findings: {findings}")
        for path in RENDITION_PATHS:
            entry = _get(result, "rendition", path)
            if isinstance(entry, dict) and (entry.get("problems") or entry.get("error")):
                print(f"  {name} {path}: {entry.get('error') or '; '.join(entry['problems'])}")
    print(f"({elapsed:.0f} s; probe N={probe_runs}, rendition N={render_runs})")

    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "benchmark": "voice",
        "environment": machine,
        "runs": {"probe": probe_runs, "rendition": render_runs, "warm_up": 1},
        "settings": {
            "rendition": {k: str(v) for k, v in asdict(RenditionSettings()).items()},
            "bins": BINS,
            "silence_dbfs": SILENCE_DBFS,
            "ffmpeg_commands": {
                "ffprobe": " ".join(ffprobe_header(Path("FILE"))),
                "ffprobe_count": " ".join(ffprobe_packets(Path("FILE"))),
                "ffmpeg": " ".join(ffmpeg_rendition(Path("FILE"), Path("OUT.m4a"), False)),
                "ffmpeg_loudnorm": " ".join(ffmpeg_rendition(Path("FILE"), Path("OUT.m4a"), True)),
                "ffmpeg_fast": " ".join(
                    ffmpeg_rendition(Path("FILE"), Path("OUT.m4a"), False, fast=True)
                ),
            },
        },
        "process_voice_error": process_voice_error,
        "inputs": manifest,
        "results": results,
        "goals": {
            "probe_under_ms": GOAL_PROBE_MS,
            "probe_met": not probe_missed,
            "probe_missed": probe_missed,
            "rendition_rtf_per_core_at_least": GOAL_RTF,
            "rendition_met": None if process_voice_error else not rendition_missed,
            "rendition_missed": None if process_voice_error else rendition_missed,
        },
        "machine_busy_during": [name for name, cores in busy.items() if cores > NOISY_OTHER_CORES],
        "load_average_at_end": [round(v, 2) for v in os.getloadavg()],
        "elapsed_seconds": round(elapsed, 1),
    }
    out = RESULTS / "voice.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
