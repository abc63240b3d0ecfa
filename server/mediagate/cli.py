"""The `mediagate` command: run the server, or try it as a person would (upload, validate, ...)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import grpc
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn
from rich.table import Table

from mediagate.client import (
    RECOMMENDED_CHUNK_BYTES,
    Credentials,
    download_to,
    error_details,
    file_header,
    open_channel,
    type_from_extension,
    upload_requests,
)
from mediagate.v1 import admin_pb2 as admin_types
from mediagate.v1 import admin_service_pb2 as admin_pb
from mediagate.v1 import admin_service_pb2_grpc as admin_grpc
from mediagate.v1 import attachment_pb2 as apb
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from mediagate.v1 import delivery_pb2 as dpb
from mediagate.v1 import imports_pb2 as ipb
from mediagate.v1 import preview_pb2, reasons_pb2, voice_pb2

console = Console()
DEFAULT_ADDRESS = os.environ.get("MEDIAGATE_ADDRESS", "127.0.0.1:50051")
# Hosts that mean "every interface": the health check reaches such a server on loopback.
_ANY_HOST = {"0.0.0.0": "127.0.0.1", "::": "::1", "[::]": "::1", "": "127.0.0.1"}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return _serve()
    if args.command == "genesys-events":
        return _serve(events_only=True)
    if args.command == "token":
        return _new_token()
    if args.command == "health":
        return _health(args)
    if args.command == "migrate-storage":
        return _migrate_storage(args)
    channel = open_channel(args.server or DEFAULT_ADDRESS, _credentials(args))
    stub: object = pb_grpc.AttachmentServiceStub(channel)
    if args.command == "admin":  # the operators' service, on the same channel
        stub = admin_grpc.AdminServiceStub(channel)
    try:
        return int(args.run(stub, args))
    except grpc.RpcError as error:
        _print_error(error)
        return 1
    finally:
        channel.close()


def _serve(events_only: bool = False) -> int:
    from mediagate.app import serve, serve_events
    from mediagate.config import Settings
    from mediagate.telemetry.logs import configure

    settings = Settings()
    configure(settings.log_level, settings.log_format)
    try:
        asyncio.run(serve_events(settings) if events_only else serve(settings))
    except ValueError as exc:  # a setting or file the server cannot start with
        logging.getLogger("mediagate").error("cannot start: %s", exc)
        return 2
    return 0


def _health(args: argparse.Namespace) -> int:
    """grpc.health.v1 Check: exit 0 when SERVING, 1 otherwise (unreachable, slow, NOT_SERVING,
    draining). A container's HEALTHCHECK runs it beside the server, so without --server it asks
    the address the server's own MEDIAGATE_HOST/PORT give. Health needs no token; a TLS port
    needs --tls-ca (MEDIAGATE_TLS_CA) and, on loopback, --tls-server-name."""
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    address = args.server or local_server_address(
        os.environ.get("MEDIAGATE_HOST", "127.0.0.1"), os.environ.get("MEDIAGATE_PORT", "50051")
    )
    with open_channel(address, _credentials(args)) as channel:
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=args.service), timeout=args.timeout
            )
        except grpc.RpcError as error:
            print(f"{address}: {error.code().name} {error.details()}", file=sys.stderr)
            return 1
    status = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
    print(f"{address}: {status}")
    return 0 if reply.status == health_pb2.HealthCheckResponse.SERVING else 1


def local_server_address(host: str, port: str) -> str:
    """Where a process beside the server reaches it: a wildcard bind is asked on loopback."""
    host = _ANY_HOST.get(host, host)
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def _new_token() -> int:
    """Prints a fresh bearer token (give it to the caller) and the line for the callers file."""
    from mediagate.auth.tokens import new_token, token_hash

    token = new_token()
    print(f"token: {token}")
    print(f'callers file: tokens = ["{token_hash(token)}"]')
    return 0


def _credentials(args: argparse.Namespace) -> Credentials:
    """--token/--tls-* over MEDIAGATE_TOKEN and MEDIAGATE_TLS_* (Credentials.from_env)."""
    env = Credentials.from_env()
    ca = args.tls_ca or env.ca_file
    cert = args.tls_cert or env.cert_file
    key = args.tls_key or env.key_file
    return Credentials(
        token=args.token or env.token,
        tls=bool(args.tls or ca or cert or env.tls),
        ca_file=ca,
        cert_file=cert,
        key_file=key,
        server_name=args.tls_server_name or env.server_name,
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mediagate", description=__doc__)
    # None: each command's own default (DEFAULT_ADDRESS; `health` asks MEDIAGATE_HOST/PORT).
    parser.add_argument(
        "--server",
        default=os.environ.get("MEDIAGATE_ADDRESS"),
        help="host:port (MEDIAGATE_ADDRESS)",
    )
    parser.add_argument("--token", default="", help="bearer token (MEDIAGATE_TOKEN)")
    parser.add_argument("--tls", action="store_true", help="TLS with the system's trust store")
    parser.add_argument("--tls-ca", type=Path, help="CA of the server's certificate")
    parser.add_argument("--tls-cert", type=Path, help="client certificate (mutual TLS)")
    parser.add_argument("--tls-key", type=Path, help="its private key")
    parser.add_argument("--tls-server-name", default="", help="name in the server's certificate")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the server (settings from MEDIAGATE_* variables)")
    sub.add_parser("token", help="make a bearer token and print the hash for the callers file")
    p = sub.add_parser(
        "health",
        help="exit 0 if the server answers SERVING (grpc.health.v1); without --server, the "
        "server of MEDIAGATE_HOST/PORT, on loopback when it binds every interface",
    )
    p.add_argument("--service", default="", help='a service name; "" is the whole server')
    p.add_argument("--timeout", type=float, default=3.0, metavar="SECONDS")
    sub.add_parser(
        "genesys-events",
        help="run only the Genesys Cloud event worker (MEDIAGATE_GENESYS_EVENTS, _EVENT_TOPICS)",
    )
    for name, run, help_text in (
        ("upload", _upload, "upload a file and print the stored attachment"),
        ("validate", _validate, "check a file against a profile; nothing is stored"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("file", type=Path)
        p.add_argument("--profile", default="")
        p.add_argument(
            "--mime", default="", help="declared MIME type (default: what the extension implies)"
        )
        p.add_argument("--conversation", default="")
        p.add_argument("--label", action="append", default=[], metavar="KEY=VALUE")
        p.add_argument("--idempotency-key", default="")
        p.add_argument("--chunk-size", type=int, default=RECOMMENDED_CHUNK_BYTES)
        p.set_defaults(run=run)
    p = sub.add_parser("voice", help="upload a voice message (profile 'voice' by default)")
    p.add_argument("file", type=Path)
    p.add_argument("--profile", default="")
    p.add_argument("--conversation", default="")
    p.add_argument("--transcript", default="", help="a transcript you already have")
    p.add_argument("--language", default="", help="BCP 47 language of the transcript")
    p.set_defaults(run=_voice)
    p = sub.add_parser("get-voice", help="show a voice message")
    p.add_argument("name")
    p.set_defaults(run=_get_voice)
    p = sub.add_parser("get", help="show an attachment")
    p.add_argument("name")
    p.set_defaults(run=_get)
    p = sub.add_parser("list", help="list attachments, newest first")
    p.add_argument("--conversation", default="")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(run=_list)
    p = sub.add_parser("download", help="download an attachment's bytes")
    p.add_argument("name")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(run=_download)
    p = sub.add_parser("preview", help="save a preview (WebP 300x300 unless told otherwise)")
    p.add_argument("name")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--width", type=int, default=0)
    p.add_argument("--height", type=int, default=0)
    p.add_argument("--format", choices=["webp", "jpeg", "png"], default="webp")
    p.add_argument("--quality", type=int, default=0)
    p.add_argument("--page", type=int, default=0)
    p.set_defaults(run=_preview)
    p = sub.add_parser(
        "sign-url", help="print a signed media URL (the attachment, a preview or a rendition)"
    )
    p.add_argument("name")
    target = p.add_mutually_exclusive_group()
    target.add_argument("--preview", metavar="WxH", help="a WebP preview within WxH")
    target.add_argument("--rendition", action="store_true", help="a voice message's rendition")
    p.add_argument("--ttl", type=float, default=0, metavar="SECONDS", help="0: server default")
    p.set_defaults(run=_sign_url)
    p = sub.add_parser("delete", help="delete an attachment")
    p.add_argument("name")
    p.set_defaults(run=_delete)
    p = sub.add_parser("deliver", help="deliver an attachment into a Genesys Cloud conversation")
    p.add_argument("name", help="attachments/<id>")
    p.add_argument("--conversation", default="", help="the Genesys Cloud conversation id")
    p.add_argument("--method", choices=["upload", "open-messaging"], default=None)
    p.add_argument("--text", default="")
    p.add_argument("--sender", default="", help="OPEN_MESSAGING: the guest's id")
    p.add_argument("--idempotency-key", default="")
    p.add_argument("--watch", action="store_true", help="follow it to a final state")
    p.set_defaults(run=_deliver)
    p = sub.add_parser("delivery", help="show a delivery (--watch to follow it)")
    p.add_argument("name", help="deliveries/<id>")
    p.add_argument("--watch", action="store_true")
    p.set_defaults(run=_show_delivery)
    p = sub.add_parser("deliveries", help="list an attachment's or a conversation's deliveries")
    p.add_argument("--attachment", default="")
    p.add_argument("--conversation", default="")
    p.set_defaults(run=_list_deliveries)
    p = sub.add_parser("cancel-delivery", help="stop a delivery that is not final")
    p.add_argument("name", help="deliveries/<id>")
    p.set_defaults(run=_cancel_delivery)
    p = sub.add_parser("import", help="take a file in from a URL (ImportFromUrl)")
    p.add_argument("url")
    p.add_argument("--bearer-token", default=os.environ.get("MEDIAGATE_IMPORT_TOKEN", ""))
    p.add_argument("--name", default="", help="file name")
    p.add_argument("--mime", default="", help="declared MIME type")
    p.add_argument("--sha256", default="", help="expected sha256")
    p.add_argument("--size", type=int, default=0, help="expected size in bytes")
    p.add_argument("--profile", default="")
    p.add_argument("--conversation", default="")
    p.add_argument("--idempotency-key", default="")
    p.add_argument("--voice", action="store_true", help="as a voice message")
    p.set_defaults(run=_import)
    p = sub.add_parser("imports", help="list what arrived from URLs, newest first")
    p.add_argument("--conversation", default="")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(run=_list_imports)
    p = sub.add_parser("profiles", help="show the policy profiles and their limits")
    p.set_defaults(run=_profiles)
    _admin_parser(sub)
    _migrate_parser(sub)
    return parser


def _migrate_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "migrate-storage",
        help="copy an embedded data directory (files + SQLite) into S3 + PostgreSQL; "
        "resumable, verified by sha256 (target: MEDIAGATE_S3_*, MEDIAGATE_POSTGRES_DSN)",
    )
    p.add_argument("--from", dest="source", type=Path, required=True, metavar="DATA_DIR")
    p.add_argument("--s3-endpoint", help="MEDIAGATE_S3_ENDPOINT")
    p.add_argument("--s3-bucket", help="MEDIAGATE_S3_BUCKET")
    p.add_argument("--s3-prefix", help="MEDIAGATE_S3_PREFIX")
    p.add_argument("--s3-region", help="MEDIAGATE_S3_REGION")
    # Keys and the DSN's password stay in the environment (MEDIAGATE_S3_ACCESS_KEY_ID,
    # MEDIAGATE_S3_SECRET_ACCESS_KEY, MEDIAGATE_POSTGRES_DSN): a command line is visible to
    # every user of the machine. A DSN without a password may be given here.
    p.add_argument("--postgres-dsn", help="MEDIAGATE_POSTGRES_DSN")
    p.add_argument(
        "--work-dir",
        type=Path,
        help="where each blob is staged while it is sent (room for the largest; default: a "
        "temporary directory)",
    )
    p.add_argument(
        "--dry-run", action="store_true", help="hash the source, look at the target, send nothing"
    )
    p.add_argument(
        "--read-back",
        action="store_true",
        help="also read every uploaded object back and hash it (default: S3's own sha256 check)",
    )
    p.add_argument("--max-blobs", type=int, metavar="N", help="stop after N uploads (run again)")


def _migrate_storage(args: argparse.Namespace) -> int:
    """Exit 0: complete; 1: something failed (listed); 3: stopped by --max-blobs; 2: cannot
    start (settings, a missing source)."""
    import tempfile

    from mediagate.app import s3_location
    from mediagate.config import Settings
    from mediagate.store.blobs import FileBlobStore
    from mediagate.store.catalog import SqliteCatalog
    from mediagate.store.pg_catalog import PgCatalog
    from mediagate.store.s3_blobs import S3BlobStore
    from mediagate.store.s3_client import make_client
    from mediagate.usecases.migrate_storage import NOT_MIGRATED, StorageMigration

    flags = {
        "s3_endpoint": args.s3_endpoint,
        "s3_bucket": args.s3_bucket,
        "s3_prefix": args.s3_prefix,
        "s3_region": args.s3_region,
        "postgres_dsn": args.postgres_dsn,
    }
    s = Settings(**{k: v for k, v in flags.items() if v is not None})
    catalog_file = args.source / "catalog.sqlite3"
    if not catalog_file.is_file():
        print(f"{catalog_file} is missing: not a mediagate data directory", file=sys.stderr)
        return 2
    if not s.s3_bucket or not s.postgres_dsn.get_secret_value():
        print("the target needs MEDIAGATE_S3_BUCKET and MEDIAGATE_POSTGRES_DSN", file=sys.stderr)
        return 2
    location = s3_location(s)
    with tempfile.TemporaryDirectory(prefix="mediagate-migrate.", dir=args.work_dir) as work:
        source_catalog = SqliteCatalog(catalog_file)
        target_catalog = PgCatalog(s.postgres_dsn.get_secret_value(), pool_size=2)
        try:
            migration = StorageMigration(
                FileBlobStore(args.source),
                source_catalog,
                S3BlobStore(
                    make_client(location),
                    location.bucket,
                    Path(work),
                    prefix=location.prefix,
                    part_bytes=s.s3_part_bytes,
                ),
                target_catalog,
                dry_run=args.dry_run,
                read_back=args.read_back,
                max_blobs=args.max_blobs,
                progress=print,
            )
            where = s.s3_endpoint or f"aws:{s.s3_region}"
            print(f"migrating {args.source} -> s3({where}/{s.s3_bucket}/{s.s3_prefix}) + postgres")
            report = migration.run()
        finally:
            source_catalog.close()
            target_catalog.close()
    r = report
    verb = "would copy" if args.dry_run else "copied"
    print(
        f"attachments: {verb} {r.attachments_copied}, already there {r.attachments_present}, "
        f"failed {r.attachments_failed}"
    )
    print(
        f"blobs: {'would send' if args.dry_run else 'sent'} {r.blobs_uploaded} "
        f"({r.bytes_uploaded} bytes), already there {r.blobs_present}, failed {r.blobs_failed}"
    )
    how = "read back and hashed" if args.read_back else "S3's sha256 check, then size and sha256"
    print(f"verified by: {how}")
    if r.usage_matches is not None:
        print(f"usage per tenant: {'matches the source' if r.usage_matches else 'DIFFERS'}")
    print(f"note: {NOT_MIGRATED}")
    if r.stopped_early:
        print(f"stopped after {args.max_blobs} uploads: run again to finish")
        return 3
    if r.failures:
        print(f"{len(r.failures)} failed; they stay in the source:", *r.failures, sep="\n  ")
        return 1
    print("dry run: nothing sent" if args.dry_run else "complete")
    return 0


def _admin_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`mediagate admin ...`: AdminService, for operators (scope "admin" when auth is on)."""
    admin = sub.add_parser("admin", help="operators: sweep, orphans, report, check-profiles")
    commands = admin.add_subparsers(dest="admin_command", required=True)
    p = commands.add_parser("sweep", help="delete every expired attachment now")
    p.set_defaults(run=_admin_sweep)
    p = commands.add_parser(
        "orphans", help="list stored files nothing references (--delete removes them)"
    )
    p.add_argument("--delete", action="store_true", help="remove them (default: a dry run)")
    p.add_argument(
        "--min-age", type=float, default=None, metavar="S", help="seconds (default: 3600)"
    )
    p.set_defaults(run=_admin_orphans)
    p = commands.add_parser("report", help="storage per tenant, disk, deliveries and imports")
    p.set_defaults(run=_admin_report)
    p = commands.add_parser("check-profiles", help="dry run of a profiles file; changes nothing")
    p.add_argument("file", type=Path)
    p.add_argument(
        "--local", action="store_true", help="check here, without a server (against built-ins)"
    )
    p.set_defaults(run=_admin_check_profiles)


def _header(args: argparse.Namespace) -> pb.UploadHeader:
    labels = dict(item.split("=", 1) for item in args.label)
    return file_header(
        args.file,
        # Without --mime, what the extension implies: declaring nothing would hide a lie
        # about the type from the server (no TYPE_MISMATCH).
        declared_mime_type=args.mime or type_from_extension(args.file),
        profile=args.profile,
        conversation_id=args.conversation,
        labels=labels,
        idempotency_key=args.idempotency_key,
    )


def _send(args: argparse.Namespace, call: Callable[[Iterator[pb.UploadRequest]], object]) -> object:
    size = args.file.stat().st_size
    with (
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            console=console,
            transient=True,
        ) as progress,
        args.file.open("rb") as source,
    ):
        task = progress.add_task(args.file.name, total=size)
        requests = upload_requests(
            source,
            _header(args),
            args.chunk_size,
            on_progress=lambda n: progress.advance(task, n),
        )
        return call(requests)


def _upload(stub: pb_grpc.AttachmentServiceStub, args: argparse.Namespace) -> int:
    attachment = _send(args, stub.Upload)
    assert isinstance(attachment, apb.Attachment)
    console.print(f"[green]accepted[/green] {attachment.name}")
    _print_attachment(attachment)
    return 0


def _validate(stub: pb_grpc.AttachmentServiceStub, args: argparse.Namespace) -> int:
    verdict = _send(args, stub.Validate)
    assert isinstance(verdict, apb.Verdict)
    if verdict.accepted:
        console.print(
            f"[green]accepted[/green] as {verdict.detected_mime_type} "
            f"under profile {verdict.profile}"
        )
        return 0
    console.print(f"[red]rejected[/red] ({verdict.detected_mime_type or 'type unknown'}):")
    for rejection in verdict.rejections:
        reason = reasons_pb2.RejectionReason.Name(rejection.reason).removeprefix(
            "REJECTION_REASON_"
        )
        console.print(f"  [bold]{reason}[/bold]  {rejection.message}")
    return 2


def _voice(stub: pb_grpc.AttachmentServiceStub, args: argparse.Namespace) -> int:
    upload_header = file_header(args.file, profile=args.profile, conversation_id=args.conversation)
    header = pb.VoiceMessageHeader(
        upload=upload_header, transcript=args.transcript, transcript_language=args.language
    )

    def stream() -> Iterator[pb.UploadVoiceMessageRequest]:
        yield pb.UploadVoiceMessageRequest(header=header)
        with args.file.open("rb") as source:
            while chunk := source.read(RECOMMENDED_CHUNK_BYTES):
                yield pb.UploadVoiceMessageRequest(chunk=chunk)

    message = stub.UploadVoiceMessage(stream())
    console.print(f"[green]accepted[/green] {message.attachment.name}")
    _print_voice(message)
    return 0


def _get_voice(stub: pb_grpc.AttachmentServiceStub, args: argparse.Namespace) -> int:
    _print_voice(stub.GetVoiceMessage(pb.GetVoiceMessageRequest(name=args.name)))
    return 0


_BARS = " ▁▂▃▄▅▆▇█"


def _print_voice(message: voice_pb2.VoiceMessage) -> None:
    seconds = message.duration.ToTimedelta().total_seconds()
    source = voice_pb2.TranscriptSource.Name(message.transcript.source).removeprefix(
        "TRANSCRIPT_SOURCE_"
    )
    console.print(
        f"{seconds:.2f} s, {message.container}/{message.codec}, {message.sample_rate_hz} Hz, "
        f"{message.channels} ch"
    )
    console.print("".join(_BARS[round(p * (len(_BARS) - 1))] for p in message.waveform))
    console.print(f"transcript ({source.lower()}): {message.transcript.text}")
    for rendition in message.renditions:
        console.print(
            f"rendition {rendition.name}: {rendition.mime_type}, {rendition.size_bytes} bytes, "
            f"gain {rendition.gain_db:+.1f} dB"
        )


def _get(stub: pb_grpc.AttachmentServiceStub, args: argparse.Namespace) -> int:
    _print_attachment(stub.GetAttachment(pb.GetAttachmentRequest(name=args.name)))
    return 0


def _list(stub: pb_grpc.AttachmentServiceStub, args: argparse.Namespace) -> int:
    table = Table("name", "file", "type", "bytes", "created")
    response = stub.ListAttachments(
        pb.ListAttachmentsRequest(page_size=args.limit, conversation_id=args.conversation)
    )
    for a in response.attachments:
        table.add_row(
            a.name,
            a.file_name,
            a.detected_mime_type,
            str(a.size_bytes),
            a.create_time.ToDatetime().isoformat(timespec="seconds"),
        )
    console.print(table)
    return 0


def _download(stub: pb_grpc.AttachmentServiceStub, args: argparse.Namespace) -> int:
    with args.output.open("wb") as target:
        written = download_to(stub, args.name, target)
    console.print(f"wrote {written} bytes to {args.output}")
    return 0


def _preview(stub: pb_grpc.AttachmentServiceStub, args: argparse.Namespace) -> int:
    spec = preview_pb2.PreviewSpec(
        max_width=args.width,
        max_height=args.height,
        format=f"PREVIEW_FORMAT_{args.format.upper()}",
        quality=args.quality,
        page=args.page,
    )
    result = stub.GetPreview(pb.GetPreviewRequest(name=args.name, spec=spec))
    args.output.write_bytes(result.content)
    page = (
        f", page {result.source.page} of {result.source.page_count}" if result.source.page else ""
    )
    console.print(
        f"wrote {result.width}x{result.height} {result.mime_type} ({result.size_bytes} bytes"
        f"{page}) to {args.output}"
    )
    return 0


def _sign_url(stub: pb_grpc.AttachmentServiceStub, args: argparse.Namespace) -> int:
    request = dpb.CreateSignedUrlRequest(name=args.name)
    if args.preview:
        width, _, height = args.preview.lower().partition("x")
        if not (width.isdigit() and height.isdigit()):
            console.print("[red]--preview is WxH, e.g. 300x300[/red]")
            return 2
        request.preview.CopyFrom(
            preview_pb2.PreviewSpec(max_width=int(width), max_height=int(height))
        )
    elif args.rendition:
        request.voice_rendition = True
    if args.ttl:
        request.ttl.FromNanoseconds(int(args.ttl * 1e9))
    link = stub.CreateSignedUrl(request)
    print(link.url)  # plain: a URL must not be wrapped or styled
    return 0


def _delete(stub: pb_grpc.AttachmentServiceStub, args: argparse.Namespace) -> int:
    stub.DeleteAttachment(pb.DeleteAttachmentRequest(name=args.name))
    console.print(f"deleted {args.name}")
    return 0


def _profiles(stub: pb_grpc.AttachmentServiceStub, args: argparse.Namespace) -> int:
    response = stub.ListProfiles(pb.ListProfilesRequest())
    for p in response.profiles:
        default = " (default)" if p.name == response.default_profile else ""
        console.print(f"[bold]{p.name}[/bold]{default}: {p.description}")
        console.print(f"  max {p.max_size_bytes} bytes; types: {', '.join(p.accepted_mime_types)}")
    console.print(
        f"chunks: at most {response.max_chunk_size_bytes} bytes, "
        f"{response.recommended_chunk_size_bytes} recommended"
    )
    return 0


_METHODS = {
    "upload": dpb.DELIVERY_METHOD_UPLOAD,
    "open-messaging": dpb.DELIVERY_METHOD_OPEN_MESSAGING,
    None: dpb.DELIVERY_METHOD_UNSPECIFIED,
}


def _deliver(stub: pb_grpc.AttachmentServiceStub, args: argparse.Namespace) -> int:
    request = dpb.DeliverAttachmentRequest(
        name=args.name,
        conversation_id=args.conversation,
        method=_METHODS[args.method],
        text=args.text,
        idempotency_key=args.idempotency_key,
    )
    if args.sender:
        request.sender.id = args.sender
    delivery = stub.DeliverAttachment(request)
    if not args.watch:
        _print_delivery(delivery)
        return 0
    return _watch(stub, delivery.name)


def _show_delivery(stub: pb_grpc.AttachmentServiceStub, args: argparse.Namespace) -> int:
    if args.watch:
        return _watch(stub, args.name)
    _print_delivery(stub.GetDelivery(dpb.GetDeliveryRequest(name=args.name)))
    return 0


def _watch(stub: pb_grpc.AttachmentServiceStub, name: str) -> int:
    """Prints each state as it is entered; exit code 0 only for DELIVERED."""
    last: dpb.Delivery | None = None
    for delivery in stub.WatchDelivery(dpb.WatchDeliveryRequest(name=name)):
        state = dpb.DeliveryState.Name(delivery.state).removeprefix("DELIVERY_STATE_")
        console.print(f"{delivery.name}  [bold]{state}[/bold]")
        last = delivery
    if last is not None:
        _print_delivery(last)
    return 0 if last is not None and last.state == dpb.DELIVERY_STATE_DELIVERED else 1


def _list_deliveries(stub: pb_grpc.AttachmentServiceStub, args: argparse.Namespace) -> int:
    request = dpb.ListDeliveriesRequest(
        attachment=args.attachment, conversation_id=args.conversation, page_size=100
    )
    table = Table("name", "attachment", "method", "state", "conversation")
    while True:
        page = stub.ListDeliveries(request)
        for d in page.deliveries:
            table.add_row(
                d.name,
                d.attachment,
                dpb.DeliveryMethod.Name(d.method).removeprefix("DELIVERY_METHOD_"),
                dpb.DeliveryState.Name(d.state).removeprefix("DELIVERY_STATE_"),
                d.conversation_id,
            )
        if not page.next_page_token:
            break
        request.page_token = page.next_page_token
    console.print(table)
    return 0


def _import(stub: pb_grpc.AttachmentServiceStub, args: argparse.Namespace) -> int:
    header = pb.UploadHeader(
        file_name=args.name,
        declared_mime_type=args.mime,
        declared_size_bytes=args.size,
        sha256=args.sha256,
        profile=args.profile,
        conversation_id=args.conversation,
        idempotency_key=args.idempotency_key,
    )
    request = pb.ImportFromUrlRequest(
        url=args.url, bearer_token=args.bearer_token, header=header, voice_message=args.voice
    )
    _print_attachment(stub.ImportFromUrl(request))
    return 0


def _list_imports(stub: pb_grpc.AttachmentServiceStub, args: argparse.Namespace) -> int:
    request = ipb.ListImportsRequest(conversation_id=args.conversation, page_size=100)
    table = Table("name", "source", "state", "file", "attachment / reason", "conversation")
    shown = 0
    while shown < args.limit:
        page = stub.ListImports(request)
        for i in page.imports[: args.limit - shown]:
            table.add_row(
                i.name,
                ipb.ImportSource.Name(i.source).removeprefix("IMPORT_SOURCE_"),
                ipb.ImportState.Name(i.state).removeprefix("IMPORT_STATE_"),
                i.file_name or i.url,
                i.attachment or i.reason,
                i.conversation_id,
            )
            shown += 1
        if not page.next_page_token:
            break
        request.page_token = page.next_page_token
    console.print(table)
    return 0


def _cancel_delivery(stub: pb_grpc.AttachmentServiceStub, args: argparse.Namespace) -> int:
    _print_delivery(stub.CancelDelivery(dpb.CancelDeliveryRequest(name=args.name)))
    return 0


def _print_delivery(d: dpb.Delivery) -> None:
    table = Table(show_header=False)
    table.add_row("name", d.name)
    table.add_row("attachment", d.attachment)
    table.add_row("method", dpb.DeliveryMethod.Name(d.method).removeprefix("DELIVERY_METHOD_"))
    table.add_row("state", dpb.DeliveryState.Name(d.state).removeprefix("DELIVERY_STATE_"))
    table.add_row("conversation", d.conversation_id)
    table.add_row(
        "history",
        " -> ".join(
            dpb.DeliveryState.Name(t.state).removeprefix("DELIVERY_STATE_") for t in d.history
        ),
    )
    if d.platform_media_id:
        table.add_row("platform media", d.platform_media_id)
    if d.platform_message_ids:
        table.add_row("platform messages", ", ".join(d.platform_message_ids))
    if d.fetch_count:
        table.add_row("fetches", str(d.fetch_count))
    if d.HasField("failure"):
        f = d.failure
        reason = dpb.DeliveryFailureReason.Name(f.reason).removeprefix("DELIVERY_FAILURE_REASON_")
        detail = ", ".join(
            part
            for part in (
                f.platform_reason,
                f"HTTP {f.http_status}" if f.http_status else "",
                f"missing {f.missing_permission}" if f.missing_permission else "",
            )
            if part
        )
        table.add_row("failure", f"{reason} ({detail}) {f.message}" if detail else f.message)
    console.print(table)


def _print_attachment(a: apb.Attachment) -> None:
    table = Table(show_header=False, box=None)
    for field, value in (
        ("name", a.name),
        ("file", a.file_name),
        ("detected", a.detected_mime_type),
        ("declared", a.declared_mime_type or "-"),
        ("bytes", str(a.size_bytes)),
        ("sha256", a.sha256),
        ("profile", a.profile),
        ("conversation", a.conversation_id or "-"),
        ("expires", a.expire_time.ToDatetime().isoformat(timespec="seconds")),
    ):
        table.add_row(field, value)
    media = a.WhichOneof("media")
    if media:
        table.add_row(media, str(getattr(a, media)).replace("\n", "  ").strip())
    console.print(table)


def _admin_sweep(stub: admin_grpc.AdminServiceStub, args: argparse.Namespace) -> int:
    swept = stub.RunRetentionSweep(admin_pb.RunRetentionSweepRequest())
    console.print(
        f"removed {swept.attachments_removed} expired attachments "
        f"({swept.logical_bytes_removed} bytes); {swept.bytes_freed} bytes freed on disk"
    )
    return 0


def _admin_orphans(stub: admin_grpc.AdminServiceStub, args: argparse.Namespace) -> int:
    request = admin_pb.CleanOrphansRequest(dry_run=not args.delete)
    if args.min_age is not None:
        request.min_age.FromNanoseconds(int(args.min_age * 1e9))
    answer = stub.CleanOrphans(request)
    table = Table("kind", "path", "bytes", "written", "removed")
    for o in answer.orphans:
        table.add_row(
            admin_types.OrphanKind.Name(o.kind).removeprefix("ORPHAN_KIND_"),
            o.path,
            str(o.size_bytes),
            o.modify_time.ToDatetime().isoformat(timespec="seconds"),
            "yes" if o.removed else "no",
        )
    console.print(table)
    more = " (list truncated)" if answer.orphans_truncated else ""
    console.print(
        f"found {answer.found_count} orphans, {answer.found_bytes} bytes{more}; removed "
        f"{answer.removed_count} ({answer.removed_bytes} bytes)"
        f"{'; dry run, nothing removed' if answer.dry_run else ''}; "
        f"{answer.young_count} younger than min-age left alone"
    )
    return 0


def _admin_report(stub: admin_grpc.AdminServiceStub, args: argparse.Namespace) -> int:
    r = stub.GetStorageReport(admin_pb.GetStorageReportRequest())
    quota = f"{r.quota_bytes or '-'} bytes, {r.quota_attachments or '-'} attachments"
    table = Table("tenant", "attachments", "logical bytes", title=f"tenants (quota: {quota})")
    for t in r.tenants:
        table.add_row(t.tenant, str(t.attachment_count), str(t.logical_bytes))
    console.print(table)
    for label, value in (
        ("stored (catalog)", f"{r.catalog_bytes} bytes, cap {r.storage_cap_bytes or '-'}"),
        ("blobs on disk", f"{r.blob_count} files, {r.blob_bytes} bytes"),
        (
            "preview cache",
            f"{r.preview_cache_entries} entries, {r.preview_cache_bytes} bytes "
            f"of {r.preview_cache_budget_bytes or '-'}",
        ),
        ("other derived", f"{r.derived_bytes} bytes"),
        ("staging", f"{r.staging_files} files, {r.staging_bytes} bytes"),
        ("disk free", f"{r.free_bytes} bytes (min free {r.min_free_bytes})"),
        (
            "deliveries",
            ", ".join(
                f"{dpb.DeliveryState.Name(c.state).removeprefix('DELIVERY_STATE_')}={c.count}"
                for c in r.deliveries
            )
            or "-",
        ),
        (
            "imports",
            ", ".join(
                f"{ipb.ImportState.Name(c.state).removeprefix('IMPORT_STATE_')}={c.count}"
                for c in r.imports
            )
            or "-",
        ),
    ):
        console.print(f"{label}: {value}")
    return 0


def _admin_check_profiles(stub: admin_grpc.AdminServiceStub, args: argparse.Namespace) -> int:
    try:
        text = args.file.read_text()
    except OSError as exc:
        console.print(f"[red]cannot read {args.file}[/red]: {exc}")
        return 2
    if args.local:
        answer = _check_profiles_here(text)
    else:
        answer = stub.CheckProfiles(admin_pb.CheckProfilesRequest(toml=text))
    if not answer.valid:
        console.print(f"[red]invalid[/red]: the server would not start with {args.file}:")
        for error in answer.errors:
            console.print(f"  {error}", markup=False)
        return 2
    console.print(f"[green]valid[/green]: {len(answer.profiles)} profiles")
    for p in answer.profiles:
        retention = p.retention.ToTimedelta()
        console.print(
            f"  [bold]{p.name}[/bold]: max {p.max_size_bytes} bytes, "
            f"{len(p.accepted_mime_types)} types, kept {retention}"
        )
    for label, names in (
        ("added", answer.added),
        ("changed", answer.changed),
        ("removed", answer.removed),
    ):
        if names:
            console.print(f"{label}: {', '.join(names)}")
    return 0


def _check_profiles_here(text: str) -> admin_pb.CheckProfilesResponse:
    """--local: the same check, in this process, against the built-in profiles."""
    from mediagate.api.admin_convert import profiles_check
    from mediagate.config import Settings
    from mediagate.policy.profiles import BUILT_IN
    from mediagate.usecases.admin import check_profiles

    settings = Settings()
    required = (settings.default_profile, settings.voice_profile)
    return profiles_check(check_profiles(text, BUILT_IN, required))


def _print_error(error: grpc.RpcError) -> None:
    console.print(f"[red]{error.code().name}[/red]: {error.details()}")
    for detail in error_details(error):
        extra = ", ".join(f"{k}={v}" for k, v in sorted(detail.metadata.items()))
        console.print(f"  [bold]{detail.reason}[/bold] {extra}")


if __name__ == "__main__":
    sys.exit(main())
