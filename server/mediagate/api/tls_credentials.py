"""gRPC server credentials from the TLS files, reloaded at the next handshake after they change
(grpc asks the fetcher before each handshake; a stat of two or three files). With a client CA,
client certificates are required and verified: grpc-python has no "ask but do not require"
(its require_client_authentication=False means "do not ask")."""

from __future__ import annotations

import grpc

from mediagate.tls.files import Material, TlsFiles


def _configuration(material: Material) -> grpc.ServerCertificateConfiguration:
    return grpc.ssl_server_certificate_configuration(
        [(material.key, material.certificate)], root_certificates=material.client_ca
    )


def server_credentials(files: TlsFiles) -> grpc.ServerCredentials:
    loaded = [files.generation]

    def fetch() -> grpc.ServerCertificateConfiguration | None:
        generation = files.refresh()
        if generation == loaded[0]:
            return None
        loaded[0] = generation
        return _configuration(files.material)

    return grpc.dynamic_ssl_server_credentials(
        _configuration(files.material),
        fetch,  # type: ignore[arg-type]  # None means "no change" (grpc's docs)
        require_client_authentication=files.client_ca is not None,
    )
