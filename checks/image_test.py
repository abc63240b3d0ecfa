"""`make image-test`: build the Dockerfile with buildah and run the image as it would run.

No Docker engine runs on these machines and no container registry is reachable, so:
- buildah (Debian's package) builds with the vfs storage driver and chroot isolation, as root;
- the base, debian:bookworm-slim, is made here with debootstrap (minbase bookworm) and tagged
  localhost/debian:bookworm-slim, which the Dockerfile's FROM resolves to with --pull=never.
  It is kept as an OCI layout in /var/cache/mediagate-image-base, so later runs skip it.
  It stands in for the real base (its contents and digest differ): the Dockerfile's own steps
  run for real (apt-get, uv sync against uv.lock, the user, the paths), the base is not the one
  a registry would give.

Then: the image as it comes (0.0.0.0, no callers file) must refuse to start. Its CMD runs as
its USER with host networking on free loopback ports, a fresh directory as /data and a callers
file mounted read-only as a secret (auth on, as a deployment runs it); the image's HEALTHCHECK
command must pass; from this host an upload without a token is UNAUTHENTICATED, and with one an
upload and a download go through; the files in /data and the server's processes must be uid
10001.
Every phase is timed. Exit 0 only when all of that held; everything made is removed.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import psutil
from PIL import Image

from mediagate.auth.tokens import new_token, token_hash
from mediagate.client import Credentials, download_to, open_channel, upload_requests
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("MEDIAGATE_IMAGE_CACHE", "/var/cache/mediagate-image-base"))
BASE_LAYOUT = CACHE / "debian-bookworm-minbase.oci"
# The buildah store of one run, in memory: vfs copies the whole tree at every container and
# commit, and on this machine's disk a build took 140-210 s where tmpfs takes 50-75 s (a store
# on disk also took 40 s to delete); it is removed whole at the end. ~3 GB at the peak.
# MEDIAGATE_IMAGE_STORE puts it elsewhere.
STORE = Path(
    tempfile.mkdtemp(
        prefix="mediagate-image-",
        dir=os.environ.get("MEDIAGATE_IMAGE_STORE")
        or ("/dev/shm" if Path("/dev/shm").is_dir() else None),
    )
)
BASE = "localhost/debian:bookworm-slim"
UID = 10001
_LISTENING = re.compile(r"listening on ([\d.]+):(\d+)")


class Failed(Exception):
    pass


class Phases:
    """Wall-clock seconds per phase, printed as they end and again as a table at the end."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.started = time.monotonic()

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start = time.monotonic()
        print(f"== {name}", flush=True)
        try:
            yield
        finally:
            self.seconds[name] = time.monotonic() - start
            print(f"== {name}: {self.seconds[name]:.1f} s", flush=True)

    def report(self) -> None:
        print("make image-test phases:")
        for name, seconds in self.seconds.items():
            print(f"  {name:<14} {seconds:7.1f} s")
        print(f"  {'total':<14} {time.monotonic() - self.started:7.1f} s")


# Every container runs with chroot isolation (root needs no runc) in the host's network.
RUN = ["run", "--isolation", "chroot", "--network", "host"]


def buildah_command(*args: str) -> list[str]:
    store = ["--storage-driver", "vfs", "--root", f"{STORE}/root", "--runroot", f"{STORE}/run"]
    return ["buildah", *store, *args]


def buildah(*args: str, capture: bool = True, check: bool = True) -> str:
    command = buildah_command(*args)
    done = subprocess.run(command, capture_output=capture, text=True)
    if check and done.returncode != 0:
        raise Failed(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr or ''}")
    return (done.stdout or "").strip()


def install_tools() -> None:
    missing = [tool for tool in ("buildah", "debootstrap") if shutil.which(tool) is None]
    if not missing:
        print("buildah and debootstrap already installed")
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "buildah", "debootstrap"],
        check=True,
        env=env,
    )


def make_base() -> None:
    """localhost/debian:bookworm-slim: debootstrap once per machine (kept in CACHE as an OCI
    layout), then loaded into this run's store."""
    if not (BASE_LAYOUT / "index.json").exists():
        debootstrap_base()
    image = buildah("pull", "--quiet", f"oci:{BASE_LAYOUT}")
    buildah("tag", image, BASE)


def debootstrap_base() -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    rootfs = Path(tempfile.mkdtemp(prefix="rootfs-", dir=CACHE))
    try:
        subprocess.run(
            ["debootstrap", "--variant=minbase", "bookworm", str(rootfs)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        # Slim, as the real one: no package lists or downloaded .debs.
        for cached in ("var/lib/apt/lists", "var/cache/apt/archives"):
            for item in (rootfs / cached).glob("*"):
                if item.is_file():
                    item.unlink()
        env = _machine_trust(rootfs)
        container = buildah("from", "scratch")
        try:
            mount = buildah("mount", container)
            subprocess.run(["cp", "-a", f"{rootfs}/.", mount], check=True)
            buildah("umount", container)
            buildah("config", "--cmd", "/bin/bash", *env, container)
            buildah("commit", "--quiet", container, BASE)
        finally:
            buildah("rm", container, check=False)
        partial = BASE_LAYOUT.with_suffix(".partial")
        shutil.rmtree(partial, ignore_errors=True)
        buildah("push", "--quiet", BASE, f"oci:{partial}")
        partial.rename(BASE_LAYOUT)  # whole or not at all: a cut run leaves no half cache
        buildah("rmi", BASE)
    finally:
        shutil.rmtree(rootfs, ignore_errors=True)


def _machine_trust(rootfs: Path) -> list[str]:
    """This machine reaches PyPI through a TLS-intercepting proxy whose CA it trusts in
    /usr/local/share/ca-certificates. The stand-in base trusts the same (the Dockerfile's
    `apt-get install ca-certificates` adds them to the bundle), and points pip and uv at that
    bundle, as a build host behind such a proxy configures its base. A real base has neither."""
    extra = sorted(Path("/usr/local/share/ca-certificates").glob("*.crt"))
    if not extra:
        return []
    target = rootfs / "usr/local/share/ca-certificates"
    target.mkdir(parents=True, exist_ok=True)
    for cert in extra:
        shutil.copy2(cert, target / cert.name)
    bundle = "/etc/ssl/certs/ca-certificates.crt"
    return ["--env", f"SSL_CERT_FILE={bundle}", "--env", f"PIP_CERT={bundle}"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 90)).save(out, "PNG")
    return out.getvalue()


class Running:
    """The image's CMD in a buildah container; its stderr drained by a thread."""

    def __init__(
        self,
        container: str,
        user: str,
        command: list[str],
        env: dict[str, str],
        volumes: list[str],
    ) -> None:
        self.lines: list[str] = []
        self.ready: queue.Queue[str | None] = queue.Queue()
        args = [*RUN, "--user", user]
        for key, value in env.items():
            args += ["--env", f"{key}={value}"]
        for volume in volumes:
            args += ["--volume", volume]
        args += [container, "--", *command]
        self.process = subprocess.Popen(
            buildah_command(*args),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stderr is not None
        announced = False
        for line in self.process.stderr:
            self.lines.append(line)
            match = _LISTENING.search(line)
            if match and not announced:
                announced = True
                self.ready.put(f"{match.group(1)}:{match.group(2)}")
        if not announced:
            self.ready.put(None)

    def servers(self) -> list[psutil.Process]:
        """The server and its worker processes: every process under buildah's own."""
        try:
            below = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        return [p for p in below if "buildah" not in " ".join(_cmdline(p))]

    def stop(self, timeout: float = 60.0) -> None:
        main = [p for p in self.servers() if "serve" in _cmdline(p)]
        for process in main or [psutil.Process(self.process.pid)]:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            for process in [*self.servers(), psutil.Process(self.process.pid)]:
                with contextlib.suppress(psutil.NoSuchProcess):
                    process.kill()
            self.process.wait(10)
            raise Failed("the server did not stop within 60 s of SIGTERM") from None


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


def config(image: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(buildah("inspect", "--type", "image", image))
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--keep-image", action="store_true", help="save the image as mediagate-image.oci.tar"
    )
    args = parser.parse_args()
    phases = Phases()
    image = f"localhost/mediagate:image-test-{os.getpid()}"
    container = ""
    running: Running | None = None
    data_dir = Path(tempfile.mkdtemp(prefix="mediagate-image-data-"))
    cleanup = [STORE, data_dir]
    try:
        with phases.phase("install"):
            install_tools()
        with phases.phase("base"):
            make_base()
        with phases.phase("build"):
            # --format docker: the OCI format has no HEALTHCHECK. No --layers: with vfs each
            # cached step is a full copy of the tree, which made a cold build 2.5 times slower.
            build = ["bud", "--isolation", "chroot", "--pull=never", "--format", "docker"]
            buildah(*build, "--tag", image, str(ROOT), capture=False)
        with phases.phase("inspect"):
            container = buildah("from", "--quiet", image)
            described = config(image)
            oci = described["OCIv1"]
            docker = described["Docker"]
            assert isinstance(oci, dict) and isinstance(docker, dict)
            user: str = oci["config"]["User"]
            command: list[str] = oci["config"]["Cmd"]
            healthcheck: list[str] = docker["config"]["Healthcheck"]["Test"]
            volumes = oci["config"].get("Volumes") or {}
            ports = oci["config"].get("ExposedPorts") or {}
            print(f"user={user} cmd={command} healthcheck={healthcheck}")
            print(f"volumes={sorted(volumes)} ports={sorted(ports)}")
            if user.split(":")[0] != str(UID):
                raise Failed(f"the image's USER is {user!r}, not {UID}")
            if "/data" not in volumes:
                raise Failed("the image declares no /data volume")
            for port in ("50051/tcp", "8080/tcp", "9464/tcp"):
                if port not in ports:
                    raise Failed(f"the image does not expose {port}")
            # The image's own /data, which a fresh named volume copies: uid 10001's.
            owner = buildah(*RUN, container, "--", "stat", "-c", "%u:%g", "/data")
            if owner != f"{UID}:{UID}":
                raise Failed(f"/data in the image belongs to {owner}, not {UID}:{UID}")
            # PyAV's wheel carries FFmpeg's libraries; libmagic comes from Debian.
            probe = (
                "import av, magic; print('av', av.__version__, 'libavcodec', "
                "av.library_versions['libavcodec'], '/', magic.from_buffer(b'%PDF-1.4'))"
            )
            print(buildah(*RUN, container, "--", "python", "-c", probe))
            # buildah 1.28 mounts the image's own volume over a --volume at the same path
            # (the server then writes into a scratch copy), so this working container drops the
            # declaration; the image keeps it (checked above).
            buildah("config", "--volume", "/data-", container)
        with phases.phase("safe default"):
            refuse_without_auth(container, user, command, data_dir)
        with phases.phase("start"):
            os.chown(data_dir, UID, UID)
            data_dir.chmod(0o750)
            # As a deployment runs it: a callers file mounted read-only as a secret.
            token = new_token()
            secrets = Path(tempfile.mkdtemp(prefix="mediagate-image-secrets-"))
            cleanup.append(secrets)
            (secrets / "callers.toml").write_text(
                '[callers.image-test]\ntenant = "image-test"\n'
                'scopes = ["attachments.read", "attachments.write"]\n'
                f'tokens = ["{token_hash(token)}"]\n'
            )
            secrets.chmod(0o755)
            (secrets / "callers.toml").chmod(0o644)
            grpc_port, media_port, metrics_port = free_port(), free_port(), free_port()
            env = {
                # Loopback, not the image's 0.0.0.0: the container shares the host's network.
                "MEDIAGATE_HOST": "127.0.0.1",
                "MEDIAGATE_PORT": str(grpc_port),
                "MEDIAGATE_MEDIA_PORT": str(media_port),
                "MEDIAGATE_METRICS_PORT": str(metrics_port),
                "MEDIAGATE_WORKERS": "1",
                "MEDIAGATE_RENDER_WORKERS": "1",
                "MEDIAGATE_VOICE_WORKERS": "1",
                "MEDIAGATE_AUTH_CALLERS_FILE": "/run/secrets/mediagate/callers.toml",
            }
            volumes = [f"{data_dir}:/data", f"{secrets}:/run/secrets/mediagate:ro"]
            running = Running(container, user, command, env, volumes)
            try:
                address = running.ready.get(timeout=120)
            except queue.Empty:
                address = None
            if address is None:
                raise Failed("the server never logged 'listening on':\n" + "".join(running.lines))
            print(f"listening on {address}")
        with phases.phase("health"):
            kind, *check = healthcheck
            if kind != "CMD":
                raise Failed(f"HEALTHCHECK is {healthcheck}, expected the exec form")
            env_args = [arg for k, v in env.items() for arg in ("--env", f"{k}={v}")]
            print(buildah(*RUN, "--user", user, *env_args, container, "--", *check))
        with phases.phase("round trip"):
            round_trip(address, token)
        with phases.phase("ownership"):
            check_ownership(data_dir, running)
        return 0
    except Failed as failure:
        print(f"make image-test FAILED: {failure}", file=sys.stderr)
        if running is not None:
            print("server log:\n" + "".join(running.lines[-50:]), file=sys.stderr)
        return 1
    finally:
        with phases.phase("teardown"):
            if running is not None:
                running.stop()
            if container:
                buildah("rm", container, check=False)
            if args.keep_image:
                buildah("push", "--quiet", image, f"oci-archive:{ROOT}/mediagate-image.oci.tar")
                print(f"image kept in {ROOT}/mediagate-image.oci.tar")
            for path in cleanup:
                shutil.rmtree(path, ignore_errors=True)
        phases.report()


def refuse_without_auth(container: str, user: str, command: list[str], data: Path) -> None:
    """The image as it comes (0.0.0.0, no callers file) must refuse to start: anyone reaching the
    port would own every attachment. It exits before it binds anything."""
    scratch = Path(tempfile.mkdtemp(prefix="mediagate-image-refuse-"))
    try:
        os.chown(scratch, UID, UID)
        done = subprocess.run(
            buildah_command(
                *RUN, "--user", user, "--volume", f"{scratch}:/data", container, "--", *command
            ),
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if done.returncode == 0 or "refusing to listen on 0.0.0.0" not in done.stderr:
        raise Failed(
            f"the image started without authentication on 0.0.0.0 (exit {done.returncode}):\n"
            + done.stderr[-3000:]
        )
    said = next(line for line in done.stderr.splitlines() if "refusing to listen" in line)
    print(f"exit {done.returncode}: {said[:300]}")


def round_trip(address: str, token: str) -> None:
    """Without a token: UNAUTHENTICATED. With it: an upload and a download from this host
    through the container's gRPC port."""
    content = png()
    header = pb.UploadHeader(
        file_name="image-test.png",
        declared_mime_type="image/png",
        declared_size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    with grpc.insecure_channel(address) as anonymous:
        try:
            pb_grpc.AttachmentServiceStub(anonymous).Upload(
                upload_requests(io.BytesIO(content), header), timeout=60
            )
            raise Failed("an upload without a token was accepted")
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.UNAUTHENTICATED:
                raise Failed(f"an upload without a token: {error.code()}") from None
    with open_channel(address, Credentials(token=token)) as channel:
        stub = pb_grpc.AttachmentServiceStub(channel)
        attachment = stub.Upload(upload_requests(io.BytesIO(content), header), timeout=60)
        copy = io.BytesIO()
        download_to(stub, attachment.name, copy, timeout=60)
    if copy.getvalue() != content:
        raise Failed(f"{attachment.name} came back different ({len(copy.getvalue())} bytes)")
    print(f"uploaded and downloaded {attachment.name}: {len(content)} bytes, same sha256")


def check_ownership(data_dir: Path, running: Running) -> None:
    """What the server wrote in /data, and the server's processes, belong to uid 10001."""
    paths = [data_dir, *data_dir.rglob("*")]
    foreign = [p for p in paths if p.lstat().st_uid != UID or p.lstat().st_gid != UID]
    if foreign:
        raise Failed(f"not {UID}:{UID} in /data: {[str(p) for p in foreign[:10]]}")
    if not any(p.name == "catalog.sqlite3" for p in paths):
        raise Failed(f"no catalog.sqlite3 in /data: {[str(p) for p in paths[:20]]}")
    processes = running.servers()
    if not any("serve" in _cmdline(p) for p in processes):
        raise Failed("no server process found under buildah run")
    for process in processes:
        uids = process.uids()
        if {uids.real, uids.effective, uids.saved} != {UID}:
            raise Failed(f"{_cmdline(process)} runs as {uids}, not {UID}")
    print(f"{len(paths)} paths in /data and {len(processes)} processes, all uid {UID}")


if __name__ == "__main__":
    sys.exit(main())
