"""TLS and mutual TLS on a real server: certificates made per run (tests/support/certs.py),
client certificates mapped to callers, refusals at the handshake and after it, certificate
files replaced under a running server, and the guard against serving the network without
authentication."""

from __future__ import annotations

import hashlib
import os
import ssl
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from mediagate.auth.tokens import new_token, token_hash
from mediagate.client import Credentials, error_details, open_channel
from mediagate.v1 import attachment_pb2 as apb
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from mediagate.v1 import delivery_pb2 as dpb
from tests.samples import images
from tests.support.calls import upload
from tests.support.certs import Authority, Issued
from tests.support.server_process import ServerProcess

Code = grpc.StatusCode
TOKEN = new_token()


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("pki")
    ca = Authority(root / "ca")
    other = Authority(root / "other", "some other CA")
    return {
        "ca": ca,
        "other": other,
        "server": ca.issue("server", "mediagate", server=True),
        "known": ca.issue("known", "svc-known"),
        "san": ca.issue("san", "whatever-cn", sans=("spiffe://acme/svc-san",)),
        "stranger": ca.issue("stranger", "svc-stranger"),
        "expired": ca.issue("expired", "svc-known-expired", expired=True),
        "foreign": other.issue("foreign", "svc-known"),
    }


def _serve(pki: dict[str, object], root: Path, mutual: bool) -> ServerProcess:
    ca, cert = pki["ca"], pki["server"]
    assert isinstance(ca, Authority) and isinstance(cert, Issued)
    # The server's own files live in their own dir, so a test can replace them.
    served = root / "served"
    served.mkdir()
    (served / "tls.crt").write_bytes(cert.cert_pem)
    (served / "tls.key").write_bytes(cert.key_pem)
    callers = root / "callers.toml"
    callers.write_text(
        "[callers.known]\n"
        'tenant = "acme"\nscopes = ["attachments.read", "attachments.write"]\n'
        'subjects = ["CN=svc-known", "CN=svc-known-expired"]\n\n'
        "[callers.san]\n"
        'tenant = "acme"\nscopes = ["attachments.read"]\n'
        'subjects = ["SAN=spiffe://acme/svc-san"]\n\n'
        "[callers.tokened]\n"
        'tenant = "acme"\nscopes = ["attachments.read", "attachments.write"]\n'
        f'tokens = ["{token_hash(TOKEN)}"]\n'
    )
    env = {
        "MEDIAGATE_AUTH_CALLERS_FILE": str(callers),
        "MEDIAGATE_TLS_CERT_FILE": str(served / "tls.crt"),
        "MEDIAGATE_TLS_KEY_FILE": str(served / "tls.key"),
        "MEDIAGATE_TLS_RELOAD_SECONDS": "0.1",
    }
    if mutual:
        env["MEDIAGATE_TLS_CLIENT_CA_FILE"] = str(ca.cert)
    return ServerProcess(root / "data", env)


@pytest.fixture(scope="module")
def server(
    pki: dict[str, object], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """TLS with bearer tokens."""
    with _serve(pki, tmp_path_factory.mktemp("tls-server"), mutual=False) as process:
        yield process


@pytest.fixture(scope="module")
def mutual(
    pki: dict[str, object], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """Mutual TLS: a client CA, so every connection presents a certificate."""
    with _serve(pki, tmp_path_factory.mktemp("mtls-server"), mutual=True) as process:
        yield process


def stub_with(
    server: ServerProcess,
    pki: dict[str, object],
    client: str | None = None,
    token: str = "",
    ca: Path | None = None,
) -> pb_grpc.AttachmentServiceStub:
    authority = pki["ca"]
    assert isinstance(authority, Authority)
    issued = pki[client] if client else None
    assert issued is None or isinstance(issued, Issued)
    credentials = Credentials(
        token=token,
        tls=True,
        ca_file=ca or authority.cert,
        cert_file=issued.cert if issued else None,
        key_file=issued.key if issued else None,
    )
    return pb_grpc.AttachmentServiceStub(open_channel(server.address, credentials))


def code_of(call: object) -> tuple[Code, str]:
    assert callable(call)
    with pytest.raises(grpc.RpcError) as caught:
        call()
    details = error_details(caught.value)
    return caught.value.code(), details[0].reason if details else ""


@pytest.fixture(scope="module")
def stored(server: ServerProcess, pki: dict[str, object]) -> apb.Attachment:
    return upload(stub_with(server, pki, token=TOKEN), images.jpeg(200, 100), "tls.jpg")


def test_a_token_over_tls_works_and_plaintext_does_not(
    server: ServerProcess, stored: apb.Attachment
) -> None:
    plain = pb_grpc.AttachmentServiceStub(grpc.insecure_channel(server.address))
    request = pb.GetAttachmentRequest(name=stored.name)
    assert code_of(lambda: plain.GetAttachment(request, timeout=5))[0] == Code.UNAVAILABLE


@pytest.fixture(scope="module")
def stored_mutual(mutual: ServerProcess, pki: dict[str, object]) -> apb.Attachment:
    return upload(stub_with(mutual, pki, "known"), images.jpeg(200, 100), "mtls.jpg")


def test_client_certificates_map_to_callers(
    mutual: ServerProcess, pki: dict[str, object], stored_mutual: apb.Attachment
) -> None:
    server, stored = mutual, stored_mutual
    request = pb.GetAttachmentRequest(name=stored.name)
    # CN mapped: the caller "known" of tenant acme, which may read and write.
    known = stub_with(server, pki, "known")
    assert known.GetAttachment(request).sha256 == stored.sha256
    assert upload(known, images.png(9, 9), "by-cert.png").size_bytes > 0
    # SAN mapped: "san" may only read.
    san = stub_with(server, pki, "san")
    assert san.GetAttachment(request).sha256 == stored.sha256
    assert code_of(lambda: upload(san, images.png(9, 9), "no.png")) == (
        Code.PERMISSION_DENIED,
        "PERMISSION_DENIED",
    )
    # Trusted CA, but nobody's subject.
    stranger = stub_with(server, pki, "stranger")
    assert code_of(lambda: stranger.GetAttachment(request)) == (
        Code.UNAUTHENTICATED,
        "UNAUTHENTICATED",
    )


@pytest.mark.parametrize("client", ["expired", "foreign"])
def test_expired_and_untrusted_certificates_fail_the_handshake(
    mutual: ServerProcess, pki: dict[str, object], stored_mutual: apb.Attachment, client: str
) -> None:
    """Both carry a mapped CN ("svc-known" from another CA; the expired one is listed too), so
    only the chain and dates stand between them and the data."""
    stub = stub_with(mutual, pki, client)
    request = pb.GetAttachmentRequest(name=stored_mutual.name)
    assert code_of(lambda: stub.GetAttachment(request, timeout=5))[0] == Code.UNAVAILABLE


def test_a_server_certificate_from_another_ca_is_not_trusted(
    server: ServerProcess, pki: dict[str, object], stored: apb.Attachment
) -> None:
    other = pki["other"]
    assert isinstance(other, Authority)
    stub = stub_with(server, pki, token=TOKEN, ca=other.cert)
    request = pb.GetAttachmentRequest(name=stored.name)
    assert code_of(lambda: stub.GetAttachment(request, timeout=5))[0] == Code.UNAVAILABLE


def _https_get(url: str, ca: Path) -> bytes:
    context = ssl.create_default_context(cafile=str(ca))
    with urllib.request.urlopen(url, timeout=10, context=context) as response:
        body: bytes = response.read()
        return body


def test_media_urls_are_served_over_https(
    server: ServerProcess, pki: dict[str, object], stored: apb.Attachment
) -> None:
    ca = pki["ca"]
    assert isinstance(ca, Authority)
    assert server.media_url.startswith("https://")
    stub = stub_with(server, pki, token=TOKEN)
    link = stub.CreateSignedUrl(dpb.CreateSignedUrlRequest(name=stored.name)).url
    assert link.startswith("https://")
    assert hashlib.sha256(_https_get(link, ca.cert)).hexdigest() == stored.sha256


def test_replaced_certificate_files_are_served_without_a_restart(
    server: ServerProcess, pki: dict[str, object], stored: apb.Attachment, tmp_path: Path
) -> None:
    renewed_ca = Authority(tmp_path / "renewed", "renewed CA")
    renewed = renewed_ca.issue("server", "mediagate", server=True)
    served = Path(server.extra_env["MEDIAGATE_TLS_CERT_FILE"]).parent
    original = {name: (served / name).read_bytes() for name in ("tls.crt", "tls.key")}
    mark = len(server.log)
    try:
        # A renewal as a tool writes it: key first, then certificate, each atomically. In
        # between, the pair does not match and the old one must stay in force.
        for name, data in (("tls.key", renewed.key_pem), ("tls.crt", renewed.cert_pem)):
            (served / f"{name}.new").write_bytes(data)
            os.replace(served / f"{name}.new", served / name)
        # gRPC takes the new files at the next handshake.
        fresh = stub_with(server, pki, token=TOKEN, ca=renewed_ca.cert)
        request = pb.GetAttachmentRequest(name=stored.name)
        assert fresh.GetAttachment(request, timeout=10).sha256 == stored.sha256
        # The HTTP endpoint within its reload interval (0.1 s here): wait for its log line.
        server.wait_for_log("HTTP endpoints serve the reloaded TLS certificate", after=mark)
        link = fresh.CreateSignedUrl(dpb.CreateSignedUrlRequest(name=stored.name)).url
        assert hashlib.sha256(_https_get(link, renewed_ca.cert)).hexdigest() == stored.sha256
    finally:
        for name, data in original.items():
            (served / f"{name}.new").write_bytes(data)
            os.replace(served / f"{name}.new", served / name)


def _start_failure(env: dict[str, str], tmp_path: Path) -> str:
    """The log of a server that must refuse to start, and its exit status checked."""
    result = subprocess.run(
        [sys.executable, "-m", "mediagate", "serve"],
        env={
            **os.environ,
            "MEDIAGATE_PORT": "0",
            "MEDIAGATE_MEDIA_PORT": "0",
            "MEDIAGATE_METRICS_PORT": "0",
            "MEDIAGATE_DATA_DIR": str(tmp_path / "data"),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    return result.stderr


def test_serving_the_network_without_auth_needs_saying_so(tmp_path: Path) -> None:
    log = _start_failure({"MEDIAGATE_HOST": "0.0.0.0"}, tmp_path)
    assert "refusing to listen on 0.0.0.0 with authentication off" in log
    env = {"MEDIAGATE_HOST": "0.0.0.0", "MEDIAGATE_ALLOW_UNAUTHENTICATED": "true"}
    with ServerProcess(tmp_path / "open", env) as process:
        assert "auth=OFF" in process.wait_for_log("listening on")


def test_make_run_defaults_say_plaintext_and_auth_off(tmp_path: Path) -> None:
    with ServerProcess(tmp_path / "data") as process:
        line = process.wait_for_log("listening on 127.0.0.1")
    assert "auth=OFF" in line and "tls=off(plaintext)" in line


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MEDIAGATE_TLS_CERT_FILE": "/nonexistent.crt"}, "needs both"),
        ({"MEDIAGATE_TLS_CLIENT_CA_FILE": "/x.pem"}, "client certificates need"),
        ({"MEDIAGATE_AUTH_CALLERS_FILE": "/nonexistent/callers.toml"}, "callers"),
    ],
)
def test_bad_security_settings_stop_the_start(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    assert message in _start_failure({"MEDIAGATE_HOST": "127.0.0.1", **env}, tmp_path)


def test_with_a_client_ca_a_certificate_is_required_and_a_token_decides(
    mutual: ServerProcess, pki: dict[str, object], stored_mutual: apb.Attachment
) -> None:
    request = pb.GetAttachmentRequest(name=stored_mutual.name)
    # A valid token is not enough without a certificate: the handshake fails first.
    tokened = stub_with(mutual, pki, token=TOKEN)
    assert code_of(lambda: tokened.GetAttachment(request, timeout=5))[0] == Code.UNAVAILABLE
    # A certificate nobody is mapped to, with a valid token: the token's caller.
    both = stub_with(mutual, pki, "stranger", token=TOKEN)
    assert both.GetAttachment(request).sha256 == stored_mutual.sha256
    # A good certificate with a bad token: the token decides, refused.
    bad = stub_with(mutual, pki, "known", token="mgt_" + "y" * 43)
    assert code_of(lambda: bad.GetAttachment(request)) == (Code.UNAUTHENTICATED, "UNAUTHENTICATED")


def test_health_answers_over_tls_without_credentials(
    server: ServerProcess, pki: dict[str, object]
) -> None:
    """Load balancers and the image's HEALTHCHECK carry no token."""
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    ca = pki["ca"]
    assert isinstance(ca, Authority)
    channel = grpc.secure_channel(
        server.address, grpc.ssl_channel_credentials(root_certificates=ca.cert.read_bytes())
    )
    answer = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=10)
    assert answer.status == health_pb2.HealthCheckResponse.SERVING
