"""The authenticator on a real callers file: which credential wins, what a refusal says, and
reloads (the file rewritten between calls, as an operator does)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mediagate.auth.authenticate import Authenticator, CallersFile
from mediagate.auth.callers import CallersFileError
from mediagate.auth.tokens import new_token, token_hash
from mediagate.errors import ErrorReason, MediagateError

TOKEN, SECOND = new_token(), new_token()


def write(path: Path, text: str) -> None:
    fresh = path.with_suffix(".tmp")
    fresh.write_text(text)
    os.replace(fresh, path)


def callers(*hashes: str, disabled: bool = False) -> str:
    listed = ", ".join(f'"{h}"' for h in hashes)
    return (
        f'[callers.app]\ntenant = "acme"\nscopes = ["attachments.read"]\ntokens = [{listed}]\n'
        f'subjects = ["CN=app"]\ndisabled = {"true" if disabled else "false"}\n'
    )


@pytest.fixture
def file(tmp_path: Path) -> Path:
    path = tmp_path / "callers.toml"
    path.write_text(callers(token_hash(TOKEN)))
    return path


def why(auth: Authenticator, header: str | None, subjects: list[str] | None = None) -> str:
    with pytest.raises(MediagateError) as caught:
        auth.identify(header, subjects or [])
    assert caught.value.reason == ErrorReason.UNAUTHENTICATED
    assert TOKEN not in str(caught.value) and SECOND not in str(caught.value)
    return caught.value.metadata["why"]


def test_a_token_or_a_certificate_names_the_caller(file: Path) -> None:
    auth = Authenticator(CallersFile(file))
    assert auth.identify(f"Bearer {TOKEN}", []).caller == "app"
    assert auth.identify(f"bearer   {TOKEN} ", []).tenant == "acme"
    assert auth.identify(None, ["CN=app"]).caller == "app"


def test_refusals_say_why_and_never_which_token(file: Path) -> None:
    auth = Authenticator(CallersFile(file))
    assert why(auth, None) == "missing"
    assert why(auth, f"Bearer {SECOND}") == "unknown"
    assert why(auth, f"Token {TOKEN}") == "malformed"
    assert why(auth, "Bearer") == "malformed"
    assert why(auth, "Bearer " + "x" * 5000) == "malformed"
    assert why(auth, "Bearer tok en with spaces") == "malformed"
    assert why(auth, None, ["CN=someone-else"]) == "unknown"
    # A bad token is refused even with a good certificate.
    assert why(auth, f"Bearer {SECOND}", ["CN=app"]) == "unknown"


def test_rotation_revocation_and_a_broken_rewrite(file: Path) -> None:
    auth = Authenticator(CallersFile(file))
    write(file, callers(token_hash(TOKEN), token_hash(SECOND)))
    assert auth.identify(f"Bearer {SECOND}", []).caller == "app"
    write(file, callers(token_hash(SECOND)))
    assert why(auth, f"Bearer {TOKEN}") == "unknown"
    write(file, callers(token_hash(SECOND), disabled=True))
    assert why(auth, f"Bearer {SECOND}") == "disabled"
    # A rewrite that does not parse leaves the last good file in force.
    write(file, "[callers.app\n")
    assert why(auth, f"Bearer {SECOND}") == "disabled"
    write(file, callers(token_hash(SECOND)))
    assert auth.identify(f"Bearer {SECOND}", []).caller == "app"
    file.unlink()  # gone: the last good one stays too
    assert auth.identify(f"Bearer {SECOND}", []).caller == "app"


def test_the_first_load_must_succeed(tmp_path: Path) -> None:
    with pytest.raises(CallersFileError):
        CallersFile(tmp_path / "absent.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[callers.x]\n")
    with pytest.raises(CallersFileError):
        CallersFile(bad)
