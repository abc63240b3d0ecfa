"""The callers file parser: strict, naming the caller at fault."""

from __future__ import annotations

import pytest

from mediagate.auth.callers import CallersFileError, parse_callers
from mediagate.auth.scopes import Scope
from mediagate.auth.tokens import new_token, token_hash, well_formed

HASH = token_hash("mgt_" + "a" * 43)
OTHER = token_hash("mgt_" + "b" * 43)


def test_a_good_file() -> None:
    directory = parse_callers(
        f'[callers.billing]\ntenant = "acme"\nscopes = ["attachments.read"]\ntokens = ["{HASH}"]\n'
        '[callers.ops]\ntenant = "acme"\nscopes = ["admin"]\nsubjects = ["CN=ops", "SAN=ops.x"]\n'
    )
    caller = directory.for_token_hash(HASH)
    assert caller is not None and caller.name == "billing" and caller.tenant == "acme"
    assert caller.scopes == {Scope.ATTACHMENTS_READ}
    ops = directory.for_subjects(["CN=nobody", "SAN=ops.x"])
    assert ops is not None and ops.name == "ops"
    assert directory.for_token_hash(OTHER) is None
    assert directory.count == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[callers.a\n", "not TOML"),
        ("x = 1\n", "unknown top-level"),
        (f'[callers.a]\ntenant = "t"\ntokens = ["{HASH}"]\nrole = "x"\n', "unknown keys"),
        (f'[callers.a]\ntenant = "../x"\ntokens = ["{HASH}"]\n', "tenant must be"),
        (f'[callers.a]\ntokens = ["{HASH}"]\n', "tenant must be"),
        (f'[callers.a]\ntenant = "t"\nscopes = ["root"]\ntokens = ["{HASH}"]\n', "unknown scopes"),
        ('[callers.a]\ntenant = "t"\ntokens = ["mgt_plaintexttoken1234"]\n', "never the token"),
        ('[callers.a]\ntenant = "t"\nsubjects = ["O=acme"]\n', "subjects are"),
        ('[callers.a]\ntenant = "t"\n', "at least one token or subject"),
        (f'[callers.a]\ntenant = "t"\ntokens = ["{HASH}"]\ndisabled = "yes"\n', "disabled"),
        (f'[callers.a]\ntenant = "t"\ntokens = "{HASH}"\n', "list of strings"),
        (
            f'[callers.a]\ntenant = "t"\ntokens = ["{HASH}"]\n'
            f'[callers.b]\ntenant = "u"\ntokens = ["{HASH}"]\n',
            "share a token",
        ),
        (
            '[callers.a]\ntenant = "t"\nsubjects = ["CN=x"]\n'
            '[callers.b]\ntenant = "u"\nsubjects = ["CN=x"]\n',
            "share subject",
        ),
        (f'[callers."a b"]\ntenant = "t"\ntokens = ["{HASH}"]\n', "a name is"),
    ],
)
def test_bad_files_are_refused_whole(text: str, message: str) -> None:
    with pytest.raises(CallersFileError, match=message):
        parse_callers(text)


def test_tokens_are_random_and_only_their_hash_is_kept() -> None:
    a, b = new_token(), new_token()
    assert a != b and well_formed(a) and a.startswith("mgt_")
    assert token_hash(a).startswith("sha256:") and a not in token_hash(a)
    assert token_hash(a) == token_hash(a) != token_hash(b)
