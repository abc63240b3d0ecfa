"""The callers file: who may call, as which tenant, with which scopes and credentials.

    [callers.billing]
    tenant = "acme"
    scopes = ["attachments.read", "attachments.write"]
    tokens = ["sha256:<hex>"]          # hashes of bearer tokens; several while rotating
    subjects = ["CN=billing"]          # client certificates: "CN=<common name>" or
                                       # "SAN=<subject alternative name>" (DNS, URI, IP)
    disabled = false                   # true refuses the caller whatever it presents

Parsing is strict: an unknown key, an unknown scope, a malformed hash, a tenant that could not
be a path segment, or one token or subject claimed by two callers is an error naming the
caller, because a file that half-loads grants or denies more than its author meant.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mediagate.auth.scopes import Scope
from mediagate.auth.tokens import HASH_PATTERN

# A tenant travels inside signed media URLs' paths and the store's keys.
TENANT_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$")
SUBJECT_PATTERN = re.compile(r"^(CN|SAN)=[\x20-\x7e]{1,512}$")
KEYS = {"tenant", "scopes", "tokens", "subjects", "disabled"}


class CallersFileError(ValueError):
    pass


@dataclass(frozen=True)
class Caller:
    name: str
    tenant: str
    scopes: frozenset[Scope]
    token_hashes: frozenset[str]
    subjects: frozenset[str]
    disabled: bool = False


@dataclass(frozen=True)
class Directory:
    """Callers by token hash and by certificate subject."""

    by_token: Mapping[str, Caller]
    by_subject: Mapping[str, Caller]
    count: int

    def for_token_hash(self, digest: str) -> Caller | None:
        return self.by_token.get(digest)

    def for_subjects(self, subjects: Iterable[str]) -> Caller | None:
        for subject in subjects:
            caller = self.by_subject.get(subject)
            if caller is not None:
                return caller
        return None


def parse_callers(text: str) -> Directory:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CallersFileError(f"not TOML: {exc}") from None
    unknown = set(document) - {"callers"}
    if unknown:
        raise CallersFileError(f"unknown top-level keys {sorted(unknown)}: only [callers.NAME]")
    tables = document.get("callers", {})
    if not isinstance(tables, dict):
        raise CallersFileError("callers must be tables: [callers.NAME]")
    by_token: dict[str, Caller] = {}
    by_subject: dict[str, Caller] = {}
    for name, table in tables.items():
        caller = _caller(name, table)
        for digest in caller.token_hashes:
            if digest in by_token:
                raise CallersFileError(
                    f"callers {by_token[digest].name!r} and {name!r} share a token hash"
                )
            by_token[digest] = caller
        for subject in caller.subjects:
            if subject in by_subject:
                raise CallersFileError(
                    f"callers {by_subject[subject].name!r} and {name!r} share subject {subject!r}"
                )
            by_subject[subject] = caller
    return Directory(by_token, by_subject, len(tables))


def _caller(name: str, table: object) -> Caller:
    where = f"caller {name!r}"
    if not NAME_PATTERN.match(name):
        raise CallersFileError(f"{where}: a name is letters, digits and . _ @ - (at most 128)")
    if not isinstance(table, dict):
        raise CallersFileError(f"{where}: must be a table")
    unknown = set(table) - KEYS
    if unknown:
        raise CallersFileError(f"{where}: unknown keys {sorted(unknown)}")
    tenant = table.get("tenant")
    if not isinstance(tenant, str) or not TENANT_PATTERN.match(tenant):
        raise CallersFileError(
            f"{where}: tenant must be letters, digits and . _ - (at most 64), got {tenant!r}"
        )
    scopes = _strings(where, table, "scopes")
    known = {s.value for s in Scope}
    bad = [s for s in scopes if s not in known]
    if bad:
        raise CallersFileError(f"{where}: unknown scopes {bad}; known: {sorted(known)}")
    tokens = _strings(where, table, "tokens")
    bad = [t for t in tokens if not HASH_PATTERN.match(t)]
    if bad:
        raise CallersFileError(
            f"{where}: tokens are 'sha256:' and 64 lowercase hex digits (never the token itself; "
            "`mediagate token new` prints both)"
        )
    subjects = _strings(where, table, "subjects")
    bad = [s for s in subjects if not SUBJECT_PATTERN.match(s)]
    if bad:
        raise CallersFileError(f"{where}: subjects are 'CN=<name>' or 'SAN=<value>', got {bad}")
    disabled = table.get("disabled", False)
    if not isinstance(disabled, bool):
        raise CallersFileError(f"{where}: disabled must be true or false")
    if not tokens and not subjects:
        raise CallersFileError(f"{where}: needs at least one token or subject")
    return Caller(
        name=name,
        tenant=tenant,
        scopes=frozenset(Scope(s) for s in scopes),
        token_hashes=frozenset(tokens),
        subjects=frozenset(subjects),
        disabled=disabled,
    )


def _strings(where: str, table: dict[str, object], key: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CallersFileError(f"{where}: {key} must be a list of strings")
    return list(value)
