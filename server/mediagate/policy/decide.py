"""Facts + Profile -> findings. The rules a file must pass, in the order that explains it best.

Intake calls the early checks while bytes arrive so it can stop reading at once; `decide` runs
after the probe and returns every reason found, the most decisive first.
"""

from __future__ import annotations

from mediagate.inspect.facts import Facts
from mediagate.inspect.id3v2 import AFTER_TAG, ID3_TAGGED
from mediagate.inspect.ole import GENERIC_OLE
from mediagate.media.declared import Declared
from mediagate.media.mime import (
    GENERIC,
    LEGACY_OFFICE,
    OOXML,
    compatible,
    normalise,
    type_for_extension,
)
from mediagate.policy.profiles import Profile
from mediagate.reasons import Finding, Reason

# What libmagic calls programs and scripts; refused as EXECUTABLE whatever the profile says.
EXECUTABLE_TYPES = frozenset(
    {
        "application/x-executable",
        "application/x-pie-executable",
        "application/x-sharedlib",
        "application/x-object",
        "application/x-coredump",
        "application/x-dosexec",
        "application/x-msdownload",
        "application/vnd.microsoft.portable-executable",
        "application/x-mach-binary",
        "application/x-elf",
        "application/x-msi",
        "application/java-archive",
        "application/x-java-applet",
        "application/x-bytecode.python",
        "text/x-shellscript",
        "application/x-shellscript",
        "text/x-msdos-batch",
        "text/x-python",
        "text/x-perl",
        "text/x-php",
        "application/x-httpd-php",
    }
)

# What a head-only libmagic answer may still turn into once the probe sees the whole file.
_MAY_BECOME: dict[str, frozenset[str]] = {
    "application/zip": OOXML | {"application/zip"},
    "video/mp4": frozenset({"audio/mp4", "video/mp4"}),
    "video/webm": frozenset({"audio/webm", "video/webm"}),
    "video/ogg": frozenset({"audio/ogg"}),
    "text/xml": frozenset({"image/svg+xml", "text/xml"}),
    "application/xml": frozenset({"image/svg+xml", "application/xml"}),
    "text/plain": frozenset({"text/plain", "text/csv"}),
    "audio/aac": frozenset({"audio/aac", "audio/mp4"}),
    # A head that is all ID3 tag (a big cover): the audio after it decides.
    ID3_TAGGED: AFTER_TAG,
    # A password-protected Office file is an OLE container around the OOXML; the probe says
    # ENCRYPTED, which tells the guest more than "unsupported type".
    "application/encrypted": OOXML,
    # A compound file's streams, not libmagic's reading of its head, say which Office 97-2003
    # type it is (libmagic names none without summary information).
    **{mime: LEGACY_OFFICE for mime in LEGACY_OFFICE | GENERIC_OLE},
}

# Most decisive first: what the bytes are and hide beats how they are damaged, which beats
# what the caller said about them. ENCRYPTED precedes UNSUPPORTED_TYPE because an encrypted
# container's type is unknowable, and "it is password-protected" is what the guest can act on.
_PRECEDENCE = [
    Reason.EMPTY,
    Reason.TOO_LARGE,
    Reason.SIZE_MISMATCH,
    Reason.CHECKSUM_MISMATCH,
    Reason.EXECUTABLE,
    Reason.MALWARE,
    Reason.ENCRYPTED,
    Reason.UNSUPPORTED_TYPE,
    Reason.ACTIVE_CONTENT,
    Reason.POLYGLOT,
    Reason.DECOMPRESSION_BOMB,
    Reason.TOO_MANY_PIXELS,
    Reason.TOO_MANY_FRAMES,
    Reason.TOO_MANY_PAGES,
    Reason.TRUNCATED,
    Reason.CORRUPT,
    Reason.TOO_LONG,
    Reason.TOO_SHORT,
    Reason.TYPE_MISMATCH,
    Reason.EXTENSION_MISMATCH,
]
_RANK = {reason: i for i, reason in enumerate(_PRECEDENCE)}


def check_declared_size(declared: Declared, profile: Profile) -> Finding | None:
    if declared.size_bytes > profile.max_size_bytes:
        return _too_large(profile, declared.size_bytes, "declares")
    return None


def check_received_size(received: int, profile: Profile) -> Finding | None:
    if received > profile.max_size_bytes:
        return _too_large(profile, received, "sent more than")
    return None


def check_head_type(sniffed_mime: str, profile: Profile) -> Finding | None:
    """Refuses on the first KiBs when no probe could turn the type into an accepted one."""
    if sniffed_mime in EXECUTABLE_TYPES:
        return _executable(sniffed_mime)
    if sniffed_mime == "inode/x-empty":
        return None  # the end of the stream decides EMPTY
    candidates = _MAY_BECOME.get(sniffed_mime, frozenset({sniffed_mime}))
    if candidates & profile.accepted_mime_types:
        return None
    return _unsupported(sniffed_mime, profile)


def refuse_head(sniffed_mime: str, profile: Profile, declared: Declared) -> list[Finding]:
    """Every reason the first KiBs already give to refuse the file, the most decisive first;
    empty when no probe could be ruled out. Beside the type's own refusal (EXECUTABLE or
    UNSUPPORTED_TYPE), what the caller declared is judged now too: reading stops here, so
    TYPE_MISMATCH and EXTENSION_MISMATCH would otherwise never be told."""
    refused = check_head_type(sniffed_mime, profile)
    if refused is None:
        return []
    # A declaration the probe could still have made true (a zip head becoming a DOCX) is
    # not a mismatch.
    candidates = _MAY_BECOME.get(sniffed_mime, frozenset({sniffed_mime}))
    mismatches = [
        finding
        for finding in _declarations(sniffed_mime, declared, profile)
        if not any(compatible(finding.metadata["declared_mime_type"], c) for c in candidates)
    ]
    return _dedupe(sorted([refused, *mismatches], key=lambda f: _RANK[f.reason]))


def decide(
    facts: Facts, profile: Profile, declared: Declared, size_bytes: int, sha256: str
) -> list[Finding]:
    """Every reason the profile refuses this file, the most decisive first; empty = accepted."""
    if size_bytes == 0:
        return [Finding(Reason.EMPTY, "The file is empty.", {"actual": "0"})]
    findings: list[Finding] = []
    too_large = check_received_size(size_bytes, profile)
    if too_large:
        findings.append(too_large)
    if declared.size_bytes and declared.size_bytes != size_bytes:
        findings.append(
            Finding(
                Reason.SIZE_MISMATCH,
                f"The header declared {declared.size_bytes} bytes but {size_bytes} arrived.",
                {"limit": str(declared.size_bytes), "actual": str(size_bytes)},
            )
        )
    if declared.sha256 and declared.sha256 != sha256:
        findings.append(
            Finding(
                Reason.CHECKSUM_MISMATCH,
                "The bytes received do not match the header's sha256.",
                {"limit": declared.sha256, "actual": sha256},
            )
        )
    mime = facts.mime_type
    if mime in EXECUTABLE_TYPES:
        findings.append(_executable(mime))
    elif mime not in profile.accepted_mime_types:
        findings.append(_unsupported(mime, profile))
    findings.extend(facts.findings)
    findings.extend(_limits(facts, profile))
    findings.extend(_declarations(mime, declared, profile))
    # A stable sort: of two findings with one reason, the first found (the probe's) is kept.
    return _dedupe(sorted(findings, key=lambda f: _RANK[f.reason]))


def _limits(facts: Facts, profile: Profile) -> list[Finding]:
    found: list[Finding] = []
    if facts.image and facts.image.width * facts.image.height > profile.max_pixels:
        actual = facts.image.width * facts.image.height
        found.append(
            Finding(
                Reason.TOO_MANY_PIXELS,
                f"The image has {actual} pixels; the limit is {profile.max_pixels}.",
                {"limit": str(profile.max_pixels), "actual": str(actual)},
            )
        )
    if facts.image and facts.image.frame_count > profile.max_frames:
        found.append(
            Finding(
                Reason.TOO_MANY_FRAMES,
                f"The image has {facts.image.frame_count} frames; the limit is "
                f"{profile.max_frames}.",
                {"limit": str(profile.max_frames), "actual": str(facts.image.frame_count)},
            )
        )
    if facts.document and facts.document.page_count > profile.max_pages:
        found.append(
            Finding(
                Reason.TOO_MANY_PAGES,
                f"The document has {facts.document.page_count} pages; the limit is "
                f"{profile.max_pages}.",
                {"limit": str(profile.max_pages), "actual": str(facts.document.page_count)},
            )
        )
    if facts.audio:
        found.extend(_audio_limits(facts, profile))
    return found


def _audio_limits(facts: Facts, profile: Profile) -> list[Finding]:
    assert facts.audio is not None
    audio = facts.audio
    found: list[Finding] = []
    seconds = f"{audio.duration_seconds:.3f}"
    if profile.max_audio_seconds and audio.duration_seconds > profile.max_audio_seconds:
        found.append(
            Finding(
                Reason.TOO_LONG,
                f"The audio lasts {audio.duration_seconds:.1f} s; the limit is "
                f"{profile.max_audio_seconds:g} s.",
                {"limit": f"{profile.max_audio_seconds:g}", "actual": seconds},
            )
        )
    if profile.min_audio_seconds and audio.duration_seconds < profile.min_audio_seconds:
        found.append(
            Finding(
                Reason.TOO_SHORT,
                f"The audio lasts {audio.duration_seconds:.1f} s; at least "
                f"{profile.min_audio_seconds:g} s is required.",
                {"limit": f"{profile.min_audio_seconds:g}", "actual": seconds},
            )
        )
    codecs = profile.audio_codecs.get(facts.mime_type)
    if codecs is not None and audio.codec not in codecs:
        found.append(
            Finding(
                Reason.UNSUPPORTED_TYPE,
                f"{facts.mime_type} with the {audio.codec} codec is not accepted "
                f"(accepted: {', '.join(sorted(codecs))}).",
                {"detected_mime_type": facts.mime_type, "kind": audio.codec},
            )
        )
    return found


def _declarations(mime: str, declared: Declared, profile: Profile) -> list[Finding]:
    found: list[Finding] = []
    declared_mime = normalise(declared.mime_type)
    if (
        profile.reject_type_mismatch
        and declared_mime not in GENERIC
        and not compatible(declared_mime, mime)
    ):
        found.append(
            Finding(
                Reason.TYPE_MISMATCH,
                f"Declared as {declared_mime}, but the bytes are {mime}.",
                {"declared_mime_type": declared_mime, "detected_mime_type": mime},
            )
        )
    by_extension = type_for_extension(declared.file_name)
    if (
        profile.reject_extension_mismatch
        and by_extension is not None
        and not compatible(by_extension, mime)
    ):
        found.append(
            Finding(
                Reason.EXTENSION_MISMATCH,
                f"The name {declared.file_name!r} promises {by_extension}, but the bytes are "
                f"{mime}.",
                {"declared_mime_type": by_extension, "detected_mime_type": mime},
            )
        )
    return found


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per reason: the probe and the limits may both see the same thing."""
    seen: set[Reason] = set()
    unique: list[Finding] = []
    for finding in findings:
        if finding.reason not in seen:
            seen.add(finding.reason)
            unique.append(finding)
    return unique


def _too_large(profile: Profile, actual: int, verb: str) -> Finding:
    return Finding(
        Reason.TOO_LARGE,
        f"The file {verb} {actual} bytes; profile {profile.name!r} allows "
        f"{profile.max_size_bytes}.",
        {"limit": str(profile.max_size_bytes), "actual": str(actual)},
    )


def _executable(mime: str) -> Finding:
    return Finding(
        Reason.EXECUTABLE,
        f"The bytes are a program or script ({mime}), whatever the name says.",
        {"detected_mime_type": mime},
    )


def _unsupported(mime: str, profile: Profile) -> Finding:
    return Finding(
        Reason.UNSUPPORTED_TYPE,
        f"{mime} is not accepted by profile {profile.name!r}.",
        {"detected_mime_type": mime},
    )
