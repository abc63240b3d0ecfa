from __future__ import annotations

from mediagate.inspect.facts import AudioFacts, DocumentFacts, Facts, ImageFacts
from mediagate.media.mime import DOCX
from mediagate.policy.decide import (
    Declared,
    check_declared_size,
    check_head_type,
    check_received_size,
    decide,
    refuse_head,
)
from mediagate.policy.profiles import VOICE, WEB_MESSAGING
from mediagate.reasons import Finding, Reason

SHA = "a" * 64


def reasons(findings: list[Finding]) -> list[Reason]:
    return [f.reason for f in findings]


def jpeg_facts(width: int = 100, height: int = 100, frames: int = 1) -> Facts:
    return Facts("image/jpeg", image=ImageFacts(width, height, frames, False, 0, "JPEG"))


def test_a_clean_jpeg_is_accepted() -> None:
    assert decide(jpeg_facts(), WEB_MESSAGING, Declared("a.jpg", "image/jpeg"), 10, SHA) == []


def test_an_empty_file_is_only_empty() -> None:
    found = decide(Facts("inode/x-empty"), WEB_MESSAGING, Declared("a.jpg", "image/jpeg"), 0, "")
    assert reasons(found) == [Reason.EMPTY]


def test_declared_generic_types_declare_nothing() -> None:
    for declared in ("", "application/octet-stream"):
        assert decide(jpeg_facts(), WEB_MESSAGING, Declared("a", declared), 10, SHA) == []


def test_a_pdf_declared_png_is_a_type_mismatch_with_both_types() -> None:
    facts = Facts("application/pdf", document=DocumentFacts(1))
    found = decide(facts, WEB_MESSAGING, Declared("x.pdf", "image/png"), 10, SHA)
    assert reasons(found) == [Reason.TYPE_MISMATCH]
    assert found[0].metadata == {
        "declared_mime_type": "image/png",
        "detected_mime_type": "application/pdf",
    }


def test_aliases_and_compatible_types_are_not_mismatches() -> None:
    facts = Facts("text/plain")
    assert decide(facts, WEB_MESSAGING, Declared("t.csv", "text/csv"), 10, SHA) == []
    assert decide(jpeg_facts(), WEB_MESSAGING, Declared("p.JPG", "image/jpg"), 10, SHA) == []


def test_an_executable_named_jpg_is_executable_first() -> None:
    facts = Facts("application/x-pie-executable")
    found = decide(facts, WEB_MESSAGING, Declared("cat.jpg", "image/jpeg"), 10, SHA)
    assert reasons(found) == [Reason.EXECUTABLE, Reason.TYPE_MISMATCH, Reason.EXTENSION_MISMATCH]


def test_size_and_checksum_disagreements() -> None:
    found = decide(jpeg_facts(), WEB_MESSAGING, Declared("a.jpg", "", 11, "b" * 64), 10, SHA)
    assert reasons(found) == [Reason.SIZE_MISMATCH, Reason.CHECKSUM_MISMATCH]
    assert found[0].metadata == {"limit": "11", "actual": "10"}


def test_pixel_and_frame_limits_carry_limit_and_actual() -> None:
    found = decide(jpeg_facts(10_000, 10_000, 2_000), WEB_MESSAGING, Declared(), 10, SHA)
    assert reasons(found) == [Reason.TOO_MANY_PIXELS, Reason.TOO_MANY_FRAMES]
    assert found[0].metadata == {"limit": "50000000", "actual": "100000000"}


def test_probe_findings_come_before_declaration_findings_and_are_not_repeated() -> None:
    facts = jpeg_facts(10_000, 10_000)
    facts.findings = [
        Finding(Reason.TRUNCATED, "cut"),
        Finding(Reason.POLYGLOT, "zip after EOI"),
        Finding(Reason.TOO_MANY_PIXELS, "probe saw it too"),
    ]
    found = decide(facts, WEB_MESSAGING, Declared("a.png", ""), 10, SHA)
    assert reasons(found) == [
        Reason.POLYGLOT,
        Reason.TOO_MANY_PIXELS,
        Reason.TRUNCATED,
        Reason.EXTENSION_MISMATCH,
    ]


def test_audio_duration_bounds_and_codecs() -> None:
    def audio(seconds: float, codec: str = "opus") -> Facts:
        return Facts("audio/ogg", audio=AudioFacts(seconds, codec, 48000, 1, 32000, "ogg"))

    assert decide(audio(59.0), VOICE, Declared(), 10, SHA) == []
    long = decide(audio(61.0), VOICE, Declared(), 10, SHA)
    assert reasons(long) == [Reason.TOO_LONG]
    assert long[0].metadata == {"limit": "60", "actual": "61.000"}
    assert reasons(decide(audio(5.0, "flac"), VOICE, Declared(), 10, SHA)) == [
        Reason.UNSUPPORTED_TYPE
    ]


def test_early_checks() -> None:
    assert (
        check_declared_size(Declared(size_bytes=WEB_MESSAGING.max_size_bytes), WEB_MESSAGING)
        is None
    )
    big = check_declared_size(Declared(size_bytes=WEB_MESSAGING.max_size_bytes + 1), WEB_MESSAGING)
    assert big is not None and big.reason is Reason.TOO_LARGE
    over = check_received_size(WEB_MESSAGING.max_size_bytes + 1, WEB_MESSAGING)
    assert over is not None and over.reason is Reason.TOO_LARGE
    assert check_head_type("image/jpeg", WEB_MESSAGING) is None
    # A head-only answer that the probe may still refine is given the benefit of the doubt.
    assert check_head_type("application/zip", WEB_MESSAGING) is None
    assert check_head_type("video/mp4", VOICE) is None
    refused = check_head_type("image/tiff", WEB_MESSAGING)
    assert refused is not None and refused.reason is Reason.UNSUPPORTED_TYPE
    exe = check_head_type("application/x-executable", WEB_MESSAGING)
    assert exe is not None and exe.reason is Reason.EXECUTABLE


def test_an_encrypted_office_file_says_encrypted_first() -> None:
    assert check_head_type("application/encrypted", WEB_MESSAGING) is None
    facts = Facts("application/encrypted", findings=[Finding(Reason.ENCRYPTED, "locked")])
    found = decide(facts, WEB_MESSAGING, Declared("a.docx", ""), 10, SHA)
    assert reasons(found) == [Reason.ENCRYPTED, Reason.UNSUPPORTED_TYPE, Reason.EXTENSION_MISMATCH]


def test_every_reason_has_a_place_in_the_order() -> None:
    from mediagate.policy.decide import _PRECEDENCE

    assert sorted(_PRECEDENCE) == sorted(Reason)


def test_an_early_refusal_carries_every_reason_already_known() -> None:
    found = refuse_head("application/x-executable", WEB_MESSAGING, Declared("cat.png", "image/png"))
    assert reasons(found) == [Reason.EXECUTABLE, Reason.TYPE_MISMATCH, Reason.EXTENSION_MISMATCH]
    assert found[1].metadata == {
        "declared_mime_type": "image/png",
        "detected_mime_type": "application/x-executable",
    }
    # The same order as decide gives once the whole file is in.
    whole = decide(
        Facts("application/x-executable"), WEB_MESSAGING, Declared("cat.png", "image/png"), 10, SHA
    )
    assert reasons(whole) == reasons(found)


def test_an_early_refusal_without_declarations_has_one_reason() -> None:
    assert reasons(refuse_head("image/tiff", WEB_MESSAGING, Declared("scan", ""))) == [
        Reason.UNSUPPORTED_TYPE
    ]
    assert reasons(
        refuse_head("image/tiff", WEB_MESSAGING, Declared("scan.tif", "image/tiff"))
    ) == [Reason.UNSUPPORTED_TYPE]


def test_a_head_let_through_has_no_early_reasons_whatever_was_declared() -> None:
    assert refuse_head("image/jpeg", WEB_MESSAGING, Declared("a.pdf", "application/pdf")) == []


def test_a_declaration_the_probe_could_still_make_true_is_no_early_mismatch() -> None:
    # A zip head under a profile taking no zip: refused, but a DOCX declaration may be true.
    found = refuse_head("application/zip", VOICE, Declared("letter.docx", DOCX))
    assert reasons(found) == [Reason.UNSUPPORTED_TYPE]
    lying = refuse_head("application/zip", VOICE, Declared("note.mp3", "audio/mpeg"))
    assert reasons(lying) == [
        Reason.UNSUPPORTED_TYPE,
        Reason.TYPE_MISMATCH,
        Reason.EXTENSION_MISMATCH,
    ]
