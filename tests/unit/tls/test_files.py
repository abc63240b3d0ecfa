"""TLS files reloaded on change, and never a half-written pair."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from mediagate.tls.files import TlsFiles
from tests.support.certs import Authority


def put(src: Path, dst: Path) -> None:
    shutil.copy(src, dst.with_suffix(".tmp"))
    os.replace(dst.with_suffix(".tmp"), dst)


def test_reload_only_a_matching_pair(tmp_path: Path) -> None:
    ca = Authority(tmp_path / "ca")
    first, second = ca.issue("one", "a", server=True), ca.issue("two", "b", server=True)
    cert, key = tmp_path / "tls.crt", tmp_path / "tls.key"
    put(first.cert, cert)
    put(first.key, key)
    files = TlsFiles(cert, key, None)
    assert files.refresh() == 0  # nothing changed
    put(second.key, key)  # the key of a renewal, its certificate not yet written
    assert files.refresh() == 0 and files.material.certificate == first.cert_pem
    put(second.cert, cert)
    assert files.refresh() == 1 and files.material.key == second.key_pem


def test_missing_or_mismatched_files_stop_the_start(tmp_path: Path) -> None:
    ca = Authority(tmp_path / "ca")
    one, two = ca.issue("one", "a", server=True), ca.issue("two", "b", server=True)
    with pytest.raises(ValueError, match="TLS files"):
        TlsFiles(tmp_path / "absent.crt", one.key, None)
    with pytest.raises(ValueError, match="TLS files"):
        TlsFiles(one.cert, two.key, None)
