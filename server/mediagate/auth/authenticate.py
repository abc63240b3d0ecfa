"""Deciding who a call comes from: its bearer token or its client certificate, looked up in the
callers file, which is reread whenever it changes.

THREAT MODEL
- Who calls: internal services on the network (Go, Java, TypeScript, Python), each with its
  own token or client certificate, each confined to one tenant. An attacker may reach the port
  (a compromised neighbour, a misrouted network) with no credentials, stolen ones, revoked
  ones, or garbage.
- What a valid credential gives: the scopes of exactly one caller in exactly one tenant. The
  tenant is never taken from the request: every read and write below the edge is keyed by the
  tenant this module returns, so another tenant's attachment, delivery or import is simply not
  found (NOT_FOUND, its existence not revealed).
- Tokens at rest: the callers file stores SHA-256 hashes only (auth/tokens.py); a token is 256
  random bits, so the hash gives nothing back. Tokens are never logged, echoed in an error or
  compared byte by byte: the lookup is by hash, and the refusal says only why (missing,
  malformed, unknown, disabled), never which token.
- Rotation and revocation without restart: the file is reread when its inode, size or mtime
  changes (checked on every call: one stat). Rotation is "add the new hash, move callers over,
  remove the old hash"; revocation is removing a hash (or `disabled = true`), effective from the
  next call. A file that no longer parses is logged as an error and the last good one stays in
  force, so a typo cannot open the door or lock everyone out; fix the file and it loads.
- Certificates: the TLS layer (grpc) has already verified the chain against the client CA and
  the validity dates; an unknown, untrusted or expired certificate never gets here. What is
  checked here is that its subject (CN) or a subject alternative name is mapped to a caller;
  a verified certificate that maps to nobody is UNAUTHENTICATED.
- When a call carries both a token and a certificate, the token decides: a bad token is
  refused even with a good certificate, so a caller cannot launder a revoked token through a
  shared certificate.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from mediagate.auth.callers import Caller, CallersFileError, Directory, parse_callers
from mediagate.auth.scopes import ALL_SCOPES, Scope
from mediagate.auth.tokens import token_hash, well_formed
from mediagate.errors import ErrorReason, MediagateError

log = logging.getLogger(__name__)

BEARER = "bearer"
# A header longer than this is not a token this server issued; refused before any work.
MAX_HEADER_LENGTH = 1024


@dataclass(frozen=True)
class Identity:
    caller: str
    tenant: str
    scopes: frozenset[Scope]
    authenticated: bool = True

    def may(self, scope: Scope) -> bool:
        return scope in self.scopes


def anonymous(caller: str, tenant: str) -> Identity:
    """Auth off (loopback development): every caller is the one tenant, with every scope."""
    return Identity(caller=caller, tenant=tenant, scopes=ALL_SCOPES, authenticated=False)


def unauthenticated(why: str, message: str) -> MediagateError:
    return MediagateError(ErrorReason.UNAUTHENTICATED, message, {"why": why})


class CallersFile:
    """The callers file, reloaded when it changes. The first load must succeed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._signature = self._stat()
            self._directory = parse_callers(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CallersFileError(f"cannot read {path}: {exc}") from None
        self._rejected: tuple[int, int, int] | None = None

    def _stat(self) -> tuple[int, int, int]:
        st = os.stat(self.path)
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def directory(self) -> Directory:
        try:
            signature = self._stat()
        except OSError as exc:
            self._complain(None, f"cannot stat it ({exc.strerror})")
            return self._directory
        if signature != self._signature and signature != self._rejected:
            self._reload(signature)
        return self._directory

    def _reload(self, signature: tuple[int, int, int]) -> None:
        try:
            directory = parse_callers(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, CallersFileError) as exc:
            self._complain(signature, str(exc))
            return
        self._directory, self._signature, self._rejected = directory, signature, None
        log.info("callers file %s reloaded: %d callers", self.path, directory.count)

    def _complain(self, signature: tuple[int, int, int] | None, why: str) -> None:
        if signature is not None and signature == self._rejected:
            return
        self._rejected = signature
        log.error("callers file %s not reloaded, the last good one stays: %s", self.path, why)


class Authenticator:
    def __init__(self, callers: CallersFile) -> None:
        self.callers = callers

    def identify(self, authorization: str | None, subjects: Iterable[str]) -> Identity:
        """The caller of a call with this authorization header value (None: absent) and these
        verified certificate subjects ("CN=..", "SAN=..")."""
        directory = self.callers.directory()
        if authorization is not None:
            caller = directory.for_token_hash(token_hash(_bearer_token(authorization)))
            if caller is None:
                raise unauthenticated("unknown", "The bearer token is not valid.")
        else:
            subject_list = list(subjects)
            if not subject_list:
                raise unauthenticated(
                    "missing", "Credentials are required: a bearer token or a client certificate."
                )
            caller = directory.for_subjects(subject_list)
            if caller is None:
                raise unauthenticated(
                    "unknown", "The client certificate is not mapped to any caller."
                )
        return _identity(caller)


def _bearer_token(header: str) -> str:
    if len(header) > MAX_HEADER_LENGTH:
        raise unauthenticated("malformed", "The authorization header is too long.")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != BEARER or not well_formed(token):
        raise unauthenticated("malformed", "The authorization header must be 'Bearer <token>'.")
    return token


def _identity(caller: Caller) -> Identity:
    if caller.disabled:
        raise unauthenticated("disabled", "This caller is disabled.")
    return Identity(caller=caller.name, tenant=caller.tenant, scopes=caller.scopes)
