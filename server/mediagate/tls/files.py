"""The server's certificate, key and (for mutual TLS) client CA, read from PEM files and reread
when any of them changes, so a renewed certificate (cert-manager, certbot, a mounted secret) is
served without a restart.

A half-written renewal is the hazard: the new certificate on disk with the old key. Material is
only taken when the certificate and key belong together (checked by loading them into an
SSLContext); otherwise the last good pair stays in use and the next change is tried again.
"""

from __future__ import annotations

import logging
import os
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

Signature = tuple[tuple[int, int, int], ...]


@dataclass(frozen=True)
class Material:
    certificate: bytes
    key: bytes
    client_ca: bytes | None


class TlsFiles:
    def __init__(self, certificate: Path, key: Path, client_ca: Path | None) -> None:
        self.certificate, self.key, self.client_ca = certificate, key, client_ca
        try:  # the first read must succeed: start fails otherwise
            self._signature = self._stat()
            self.material = self._read()
        except (OSError, ssl.SSLError) as exc:
            raise ValueError(f"TLS files: {exc}") from None
        # Bumped at each reload; each consumer (the gRPC port, the HTTP endpoints) compares it
        # with the one it last loaded. grpc calls refresh from its own threads, hence the lock.
        self.generation = 0
        self._lock = threading.Lock()

    def _paths(self) -> list[Path]:
        return [self.certificate, self.key, *([self.client_ca] if self.client_ca else [])]

    def _stat(self) -> Signature:
        return tuple(
            (st.st_ino, st.st_size, st.st_mtime_ns) for st in (os.stat(p) for p in self._paths())
        )

    def _read(self) -> Material:
        material = Material(
            self.certificate.read_bytes(),
            self.key.read_bytes(),
            self.client_ca.read_bytes() if self.client_ca else None,
        )
        check = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        check.load_cert_chain(self.certificate, self.key)  # raises if they do not match
        if self.client_ca:
            check.load_verify_locations(cafile=str(self.client_ca))
        return material

    def refresh(self) -> int:
        """Rereads the files if they changed; the generation now in force."""
        with self._lock:
            self._refresh()
            return self.generation

    def _refresh(self) -> None:
        try:
            signature = self._stat()
        except OSError as exc:
            log.error("TLS files not reloaded, the current certificate stays: %s", exc)
            return
        if signature == self._signature:
            return
        # Taken as seen either way: a bad state is reported once, and tried again at the next
        # change (the key of a renewal written after its certificate).
        self._signature = signature
        try:
            material = self._read()
        except (OSError, ssl.SSLError, ValueError) as exc:
            log.error("TLS files not reloaded, the current certificate stays: %s", exc)
            return
        self.material = material
        self.generation += 1
        log.info("TLS certificate reloaded from %s", self.certificate)
