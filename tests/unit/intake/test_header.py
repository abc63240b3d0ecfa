from __future__ import annotations

import pytest

from mediagate.intake.header import Header, HeaderError, parse_header, sanitise_file_name
from mediagate.intake.parts import HeaderFields


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("photo.jpg", "photo.jpg"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\guest\\scan.pdf", "scan.pdf"),
        ("bad\x00name\x1b[31m.png", "badname[31m.png"),
        ("..", ""),
        ("é" * 200 + ".txt", ("é" * 127)),
    ],
)
def test_file_names_lose_paths_and_control_characters(raw: str, clean: str) -> None:
    assert sanitise_file_name(raw) == clean


def _parse(**overrides: object) -> Header:
    fields: dict[str, object] = {"file_name": "a.jpg", "declared_mime_type": "Image/JPG; q=1"}
    fields.update(overrides)
    return parse_header(HeaderFields(**fields), "web-messaging")  # type: ignore[arg-type]


def test_defaults_and_normalised_mime() -> None:
    header = _parse()
    assert header.profile == "web-messaging"
    assert header.declared.mime_type == "image/jpeg"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sha256", "ABC"),
        ("sha256", "A" * 64),
        ("declared_size_bytes", -1),
        ("labels", {"": "x"}),
        ("labels", {"k": "v" * 256}),
        ("labels", {f"k{i}": "v" for i in range(65)}),
        ("idempotency_key", "k" * 129),
        ("declared_mime_type", "image/" + "x" * 250),
    ],
)
def test_malformed_fields_name_the_field(field: str, value: object) -> None:
    with pytest.raises(HeaderError) as error:
        _parse(**{field: value})
    assert error.value.field == field
