"""Credentials for the generated clients' live tests (clients/*/test.sh), made fresh per run:

    python -m tests.support.client_credentials DIR

writes into DIR
    callers.toml            alice (tenant acme) and bob (tenant globex), every scope each;
                            alice is also the client certificate CN=alice
    alice.token, bob.token  their bearer tokens (the file holds only the hashes)
    ca.pem                  the CA that signed the server's and alice's certificates
    server.crt, server.key  for 127.0.0.1 / localhost (MEDIAGATE_TLS_CERT_FILE / _KEY_FILE)
    alice.crt, alice.key    alice's client certificate (mutual TLS)

One script for the Go, TypeScript and Java suites, so the three test the same callers the same
way, and none of them needs its own certificate tooling.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from mediagate.auth.tokens import new_token, token_hash
from tests.support.certs import Authority

# Every scope a caller can have: the client suites exercise uploads, deletes, deliveries and
# imports, and the tenant boundary (not the scopes) is what they test.
SCOPES = (
    '"attachments.read", "attachments.write", "attachments.delete", '
    '"deliveries.write", "imports.write", "admin"'
)
CALLERS = {"alice": "acme", "bob": "globex"}


def write(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    callers = ""
    for name, tenant in CALLERS.items():
        token = new_token()
        (directory / f"{name}.token").write_text(token)
        callers += f'[callers.{name}]\ntenant = "{tenant}"\nscopes = [{SCOPES}]\n'
        callers += f'tokens = ["{token_hash(token)}"]\n'
        if name == "alice":
            callers += 'subjects = ["CN=alice"]\n'
        callers += "\n"
    (directory / "callers.toml").write_text(callers)

    authority = Authority(directory / "pki", "mediagate clients test CA")
    shutil.copyfile(authority.cert, directory / "ca.pem")
    for stem, issued in (
        ("server", authority.issue("server", "mediagate", server=True)),
        ("alice", authority.issue("alice", "alice")),
    ):
        shutil.copyfile(issued.cert, directory / f"{stem}.crt")
        shutil.copyfile(issued.key, directory / f"{stem}.key")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.support.client_credentials DIR", file=sys.stderr)
        return 2
    write(Path(argv[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
