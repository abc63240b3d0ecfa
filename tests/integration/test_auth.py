"""Identity and tenant isolation against a real server with auth on (a callers file), plus the
Genesys Cloud fake so deliveries and imports are real too.

Callers: alice and reader in tenant "acme" (reader may only read), bob in tenant "globex",
ops with only the admin scope, a disabled caller. Every cross-tenant call must look exactly like
a call for something that does not exist.
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from mediagate.auth.tokens import new_token, token_hash
from mediagate.client import Credentials, error_details, open_channel
from mediagate.v1 import attachment_pb2 as apb
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from mediagate.v1 import delivery_pb2 as dpb
from mediagate.v1 import imports_pb2 as ipb
from mediagate.v1 import preview_pb2
from tests.fakes.genesys import FakeGenesysThread
from tests.integration.test_deliveries import genesys_env
from tests.integration.test_voice import send as send_voice
from tests.samples import images, voice
from tests.support.calls import upload
from tests.support.server_process import ServerProcess

Code = grpc.StatusCode
TOKENS = {name: new_token() for name in ("alice", "reader", "bob", "ops", "off", "spare")}


def callers_toml(tokens: dict[str, list[str]] | None = None, disabled: str = "off") -> str:
    """The callers file; `tokens` overrides a caller's list of token hashes (rotation)."""
    hashes = {name: [token_hash(t)] for name, t in TOKENS.items()}
    hashes.update(tokens or {})
    every = '"attachments.read", "attachments.write", "attachments.delete", '
    every += '"deliveries.write", "imports.write"'
    table = {
        "alice": ("acme", every),
        "reader": ("acme", '"attachments.read"'),
        "bob": ("globex", every),
        "ops": ("acme", '"admin"'),
        "off": ("acme", every),
    }
    text = ""
    for name, (tenant, scopes) in table.items():
        listed = ", ".join(f'"{h}"' for h in hashes[name])
        text += f'[callers.{name}]\ntenant = "{tenant}"\nscopes = [{scopes}]\n'
        text += f"tokens = [{listed}]\n"
        if name == disabled:
            text += "disabled = true\n"
        text += "\n"
    return text


def rewrite(path: Path, text: str) -> None:
    """Replaces the file atomically, as an operator's deploy tool would."""
    fresh = path.with_suffix(".new")
    fresh.write_text(text)
    os.replace(fresh, path)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeGenesysThread]:
    with FakeGenesysThread() as running:
        yield running


@pytest.fixture(scope="module")
def callers_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("auth") / "callers.toml"
    path.write_text(callers_toml())
    return path


@pytest.fixture(scope="module")
def server(
    fake: FakeGenesysThread, callers_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    env = {
        **genesys_env(fake),
        "MEDIAGATE_AUTH_CALLERS_FILE": str(callers_file),
        "MEDIAGATE_IMPORT_ALLOWED_HOSTS": "127.0.0.1",
        "MEDIAGATE_IMPORT_ALLOW_HTTP": "true",
        "MEDIAGATE_IMPORT_ALLOWED_NETWORKS": "127.0.0.1/32",
    }
    with ServerProcess(tmp_path_factory.mktemp("auth-server") / "data", env) as process:
        yield process


@pytest.fixture(autouse=True)
def fresh_callers(callers_file: Path) -> Iterator[None]:
    yield
    rewrite(callers_file, callers_toml())


def stub_as(server: ServerProcess, token: str = "") -> pb_grpc.AttachmentServiceStub:
    return pb_grpc.AttachmentServiceStub(open_channel(server.address, Credentials(token=token)))


def refusal(call: Callable[[], object]) -> tuple[Code, str, dict[str, str]]:
    with pytest.raises(grpc.RpcError) as caught:
        result = call()
        if isinstance(result, Iterator):
            list(result)
    error = caught.value
    details = error_details(error)
    reason = details[0].reason if details else ""
    return error.code(), reason, details[0].metadata if details else {}


@pytest.fixture(scope="module")
def acme_file(server: ServerProcess) -> apb.Attachment:
    return upload(stub_as(server, TOKENS["alice"]), images.jpeg(320, 200), "acme.jpg")


def test_health_is_open_and_reflection_is_off_by_default(server: ServerProcess) -> None:
    channel = grpc.insecure_channel(server.address)
    health = health_pb2_grpc.HealthStub(channel)
    answer = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=10)
    assert answer.status == health_pb2.HealthCheckResponse.SERVING
    reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
    request = reflection_pb2.ServerReflectionRequest(list_services="")
    with pytest.raises(grpc.RpcError) as caught:
        list(reflection.ServerReflectionInfo(iter([request]), timeout=10))
    assert caught.value.code() == Code.UNIMPLEMENTED


@pytest.mark.parametrize(
    ("token", "why"),
    [
        (None, "missing"),
        ("mgt_" + "x" * 43, "unknown"),
        ("short", "malformed"),
        ("Basic dXNlcjpwYXNz", "malformed"),
        ("x" * 2000, "malformed"),
    ],
)
def test_calls_without_good_credentials_are_unauthenticated(
    server: ServerProcess, acme_file: apb.Attachment, token: str | None, why: str
) -> None:
    channel = grpc.insecure_channel(server.address)
    stub = pb_grpc.AttachmentServiceStub(channel)
    if token is None:
        metadata: tuple[tuple[str, str], ...] = ()
    elif token.startswith("Basic"):
        metadata = (("authorization", token),)
    else:
        metadata = (("authorization", f"Bearer {token}"),)
    request = pb.GetAttachmentRequest(name=acme_file.name)
    code, reason, meta = refusal(lambda: stub.GetAttachment(request, metadata=metadata, timeout=10))
    assert (code, reason, meta.get("why")) == (Code.UNAUTHENTICATED, "UNAUTHENTICATED", why)
    # An upload is refused before its stream is read: nothing is stored for anyone.
    data = images.png(8, 8)
    code, reason, _ = refusal(lambda: stub.Upload(iter(_upload_requests(data)), metadata=metadata))
    assert code == Code.UNAUTHENTICATED


def _upload_requests(data: bytes) -> list[pb.UploadRequest]:
    from tests.support.calls import header, requests_for

    return list(requests_for(data, header(data, "x.png")))


def test_scopes_limit_what_a_known_caller_may_do(
    server: ServerProcess, acme_file: apb.Attachment
) -> None:
    reader = stub_as(server, TOKENS["reader"])
    assert reader.GetAttachment(pb.GetAttachmentRequest(name=acme_file.name)).sha256
    assert refusal(lambda: upload(reader, images.png(8, 8), "r.png"))[:2] == (
        Code.PERMISSION_DENIED,
        "PERMISSION_DENIED",
    )
    code, reason, meta = refusal(
        lambda: reader.DeleteAttachment(pb.DeleteAttachmentRequest(name=acme_file.name))
    )
    assert (code, reason, meta["scope"]) == (
        Code.PERMISSION_DENIED,
        "PERMISSION_DENIED",
        "attachments.delete",
    )
    request = dpb.DeliverAttachmentRequest(name=acme_file.name, conversation_id="c")
    assert refusal(lambda: reader.DeliverAttachment(request))[2]["scope"] == "deliveries.write"
    fetch = pb.ImportFromUrlRequest(url="https://example.com/x.png")
    assert refusal(lambda: reader.ImportFromUrl(fetch))[2]["scope"] == "imports.write"
    ops = stub_as(server, TOKENS["ops"])  # admin only: not an attachment reader
    assert refusal(lambda: ops.GetAttachment(pb.GetAttachmentRequest(name=acme_file.name)))[2] == {
        "scope": "attachments.read",
        "caller": "ops",
    }


def test_another_tenants_attachment_does_not_exist(
    server: ServerProcess, acme_file: apb.Attachment
) -> None:
    bob = stub_as(server, TOKENS["bob"])
    name = acme_file.name
    missing = (Code.NOT_FOUND, "ATTACHMENT_NOT_FOUND")
    never = pb.GetAttachmentRequest(name="attachments/" + "0" * 32)
    # What bob sees for acme's file is what he sees for a name that never existed.
    assert refusal(lambda: bob.GetAttachment(never))[:2] == missing
    assert refusal(lambda: bob.GetAttachment(pb.GetAttachmentRequest(name=name)))[:2] == missing
    assert refusal(lambda: bob.Download(pb.DownloadRequest(name=name)))[:2] == missing
    spec = preview_pb2.PreviewSpec(max_width=64)
    assert refusal(lambda: bob.GetPreview(pb.GetPreviewRequest(name=name, spec=spec)))[:2] == (
        missing
    )
    signing = dpb.CreateSignedUrlRequest(name=name)
    assert refusal(lambda: bob.CreateSignedUrl(signing))[:2] == missing
    assert refusal(lambda: bob.DeleteAttachment(pb.DeleteAttachmentRequest(name=name)))[:2] == (
        missing
    )
    listed = bob.ListAttachments(pb.ListAttachmentsRequest(page_size=100))
    assert name not in [a.name for a in listed.attachments]
    delivering = dpb.DeliverAttachmentRequest(name=name, conversation_id="conv")
    assert refusal(lambda: bob.DeliverAttachment(delivering))[0] == Code.NOT_FOUND
    # Still there for its own tenant after all that.
    alice = stub_as(server, TOKENS["alice"])
    assert alice.GetAttachment(pb.GetAttachmentRequest(name=name)).sha256 == acme_file.sha256


def test_another_tenants_voice_message_does_not_exist(server: ServerProcess) -> None:
    alice, bob = stub_as(server, TOKENS["alice"]), stub_as(server, TOKENS["bob"])
    message = send_voice(alice, voice.speech("wav", 2.0), "hello.wav")
    asked = pb.GetVoiceMessageRequest(name=message.attachment.name)
    assert alice.GetVoiceMessage(asked).attachment.name == message.attachment.name
    assert refusal(lambda: bob.GetVoiceMessage(asked))[0] == Code.NOT_FOUND


def test_a_signed_url_reaches_only_its_own_tenants_bytes(
    server: ServerProcess, acme_file: apb.Attachment
) -> None:
    alice = stub_as(server, TOKENS["alice"])
    link = alice.CreateSignedUrl(dpb.CreateSignedUrlRequest(name=acme_file.name)).url
    with urllib.request.urlopen(link, timeout=10) as response:
        assert hashlib.sha256(response.read()).hexdigest() == acme_file.sha256
    # The tenant is inside the signed path: moving it to another tenant breaks the signature.
    moved = link.replace("/v1/media/acme/", "/v1/media/globex/")
    assert moved != link
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(moved, timeout=10)
    assert caught.value.code == 403


def test_another_tenants_deliveries_and_imports_do_not_exist(
    server: ServerProcess, fake: FakeGenesysThread, acme_file: apb.Attachment
) -> None:
    alice, bob = stub_as(server, TOKENS["alice"]), stub_as(server, TOKENS["bob"])
    conversation = fake.add_conversation()
    delivery = alice.DeliverAttachment(
        dpb.DeliverAttachmentRequest(name=acme_file.name, conversation_id=conversation.id)
    )
    missing = (Code.NOT_FOUND, "DELIVERY_NOT_FOUND")
    asked = dpb.GetDeliveryRequest(name=delivery.name)
    assert alice.GetDelivery(asked).name == delivery.name
    assert refusal(lambda: bob.GetDelivery(asked))[:2] == missing
    assert (
        refusal(lambda: bob.CancelDelivery(dpb.CancelDeliveryRequest(name=delivery.name)))[:2]
        == missing
    )
    assert (
        refusal(lambda: bob.WatchDelivery(dpb.WatchDeliveryRequest(name=delivery.name)))[:2]
        == missing
    )
    by_conversation = dpb.ListDeliveriesRequest(conversation_id=conversation.id)
    assert [d.name for d in alice.ListDeliveries(by_conversation).deliveries] == [delivery.name]
    assert list(bob.ListDeliveries(by_conversation).deliveries) == []

    data = images.png(40, 30)
    item = fake.host_media(data, "image/png", "guest.png")
    header = pb.UploadHeader(file_name="guest.png", conversation_id="conv-imports")
    alice.ImportFromUrl(pb.ImportFromUrlRequest(url=item.url, header=header), timeout=60)
    mine = alice.ListImports(ipb.ListImportsRequest(conversation_id="conv-imports"))
    assert len(mine.imports) == 1
    theirs = bob.ListImports(ipb.ListImportsRequest(conversation_id="conv-imports"))
    assert list(theirs.imports) == []


def test_page_tokens_cannot_cross_tenants(server: ServerProcess) -> None:
    alice, bob = stub_as(server, TOKENS["alice"]), stub_as(server, TOKENS["bob"])
    for n in range(3):
        upload(alice, images.png(8 + n, 8), f"p{n}.png", conversation_id="conv-pages")
        upload(bob, images.png(8 + n, 9), f"q{n}.png", conversation_id="conv-pages")
    first = alice.ListAttachments(
        pb.ListAttachmentsRequest(conversation_id="conv-pages", page_size=1)
    )
    assert first.next_page_token
    code, reason, _ = refusal(
        lambda: bob.ListAttachments(
            pb.ListAttachmentsRequest(
                conversation_id="conv-pages", page_size=1, page_token=first.next_page_token
            )
        )
    )
    assert (code, reason) == (Code.INVALID_ARGUMENT, "INVALID_PAGE_TOKEN")
    # A token bob forges to name acme gets him nothing either.
    import base64
    import json

    own = bob.ListAttachments(pb.ListAttachmentsRequest(conversation_id="conv-pages", page_size=1))
    raw = json.loads(base64.urlsafe_b64decode(own.next_page_token + "=="))
    raw["t"] = "acme"
    forged = base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=")
    request = pb.ListAttachmentsRequest(conversation_id="conv-pages", page_token=forged)
    assert refusal(lambda: bob.ListAttachments(request))[1] == "INVALID_PAGE_TOKEN"
    # Whole listings stay in their tenant.
    everything = bob.ListAttachments(
        pb.ListAttachmentsRequest(conversation_id="conv-pages", page_size=100)
    )
    assert sorted(a.file_name for a in everything.attachments) == ["q0.png", "q1.png", "q2.png"]


def test_rotation_and_revocation_take_effect_without_a_restart(
    server: ServerProcess, callers_file: Path, acme_file: apb.Attachment
) -> None:
    asked = pb.GetAttachmentRequest(name=acme_file.name)
    old, new = TOKENS["alice"], new_token()
    # Rotation, step 1: both the old and the new token work.
    rewrite(callers_file, callers_toml({"alice": [token_hash(old), token_hash(new)]}))
    assert stub_as(server, new).GetAttachment(asked).sha256 == acme_file.sha256
    assert stub_as(server, old).GetAttachment(asked).sha256 == acme_file.sha256
    # Step 2: the old one is removed; it stops working at the next call.
    rewrite(callers_file, callers_toml({"alice": [token_hash(new)]}))
    assert stub_as(server, new).GetAttachment(asked).sha256 == acme_file.sha256
    code, _, meta = refusal(lambda: stub_as(server, old).GetAttachment(asked))
    assert (code, meta["why"]) == (Code.UNAUTHENTICATED, "unknown")
    # Revoking a whole caller.
    rewrite(callers_file, callers_toml({"alice": [token_hash(new)]}, disabled="alice"))
    code, _, meta = refusal(lambda: stub_as(server, new).GetAttachment(asked))
    assert (code, meta["why"]) == (Code.UNAUTHENTICATED, "disabled")


def test_a_disabled_caller_is_refused(server: ServerProcess, acme_file: apb.Attachment) -> None:
    off = stub_as(server, TOKENS["off"])
    code, _, meta = refusal(lambda: off.GetAttachment(pb.GetAttachmentRequest(name=acme_file.name)))
    assert (code, meta["why"]) == (Code.UNAUTHENTICATED, "disabled")


def test_a_broken_callers_file_keeps_the_last_good_one(
    server: ServerProcess, callers_file: Path, acme_file: apb.Attachment
) -> None:
    mark = len(server.log)
    rewrite(callers_file, callers_toml() + "[callers.broken\n")
    alice = stub_as(server, TOKENS["alice"])
    assert alice.GetAttachment(pb.GetAttachmentRequest(name=acme_file.name)).sha256
    server.wait_for_log("callers file .* not reloaded", after=mark)


def test_the_token_never_reaches_the_log(server: ServerProcess) -> None:
    for name in ("alice", "bob", "reader"):
        assert TOKENS[name] not in "".join(server.log)


def test_the_admin_service_needs_the_admin_scope(server: ServerProcess) -> None:
    from mediagate.v1 import admin_service_pb2 as admin_pb2
    from mediagate.v1 import admin_service_pb2_grpc

    def admin_as(token: str) -> admin_service_pb2_grpc.AdminServiceStub:
        channel = open_channel(server.address, Credentials(token=token))
        return admin_service_pb2_grpc.AdminServiceStub(channel)

    report = admin_as(TOKENS["ops"]).GetStorageReport(admin_pb2.GetStorageReportRequest())
    assert report is not None
    code, reason, meta = refusal(
        lambda: admin_as(TOKENS["alice"]).GetStorageReport(admin_pb2.GetStorageReportRequest())
    )
    assert (code, reason, meta["scope"]) == (Code.PERMISSION_DENIED, "PERMISSION_DENIED", "admin")
    code, _, _ = refusal(lambda: admin_as("").GetStorageReport(admin_pb2.GetStorageReportRequest()))
    assert code == Code.UNAUTHENTICATED
