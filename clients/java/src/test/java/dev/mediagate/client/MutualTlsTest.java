package dev.mediagate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mediagate.v1.Attachment;
import dev.mediagate.v1.ErrorReason;
import dev.mediagate.v1.GetAttachmentRequest;
import dev.mediagate.v1.ListProfilesRequest;
import dev.mediagate.v1.UploadHeader;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server with TLS and a client CA (mutual TLS), certificates made for this run. */
class MutualTlsTest {

  @TempDir
  static Path dataDir;

  private static TestCredentials credentials;
  private static MediagateServer server;

  @BeforeAll
  static void start() throws IOException {
    credentials = TestCredentials.get();
    server = MediagateServer.start(dataDir, Map.of(
        "MEDIAGATE_TLS_CERT_FILE", credentials.path("server.crt").toString(),
        "MEDIAGATE_TLS_KEY_FILE", credentials.path("server.key").toString(),
        "MEDIAGATE_TLS_CLIENT_CA_FILE", credentials.path("ca.pem").toString()));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (server != null) {
      assertEquals(0, server.stop(), "mediagate exit code after SIGTERM\n" + server.stderrTail());
    }
  }

  private static MediagateClient.Builder overTls() {
    return MediagateClient.newBuilder(server.target()).trustCertificates(credentials.path("ca.pem"));
  }

  private static MediagateClient.Builder withAliceCertificate() {
    return overTls().clientCertificate(credentials.path("alice.crt"), credentials.path("alice.key"));
  }

  @Test
  void aClientCertificateIsItsCallerAndATokenOverItDecides() throws IOException {
    try (MediagateClient alice = withAliceCertificate().build().withTimeout(Duration.ofSeconds(30))) {
      byte[] png = MediagateClientTest.gradientPng(24, 16);
      Attachment stored = alice.upload(new ByteArrayInputStream(png),
          UploadHeader.newBuilder().setFileName("over-mtls.png").build());
      var get = GetAttachmentRequest.newBuilder().setName(stored.getName()).build();
      assertEquals(stored.getSha256(), alice.blockingStub().getAttachment(get).getSha256());

      // Bob's token over alice's certificate: the token decides, and bob's tenant has no such thing.
      try (MediagateClient bob = withAliceCertificate().token(credentials.bobToken).build()
          .withTimeout(Duration.ofSeconds(30))) {
        MediagateClientTest.assertRefused(Status.Code.NOT_FOUND, ErrorReason.ERROR_REASON_ATTACHMENT_NOT_FOUND,
            assertThrows(StatusRuntimeException.class, () -> bob.blockingStub().getAttachment(get)));
      }
    }
  }

  @Test
  void withoutAClientCertificateOrWithoutTlsThereIsNoConnection() throws IOException {
    try (MediagateClient tokenOnly = overTls().token(credentials.aliceToken).build()
            .withTimeout(Duration.ofSeconds(30));
        MediagateClient plaintext = MediagateClient.newBuilder(server.target())
            .token(credentials.aliceToken).build().withTimeout(Duration.ofSeconds(30))) {
      for (MediagateClient client : new MediagateClient[] {tokenOnly, plaintext}) {
        StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
            () -> client.blockingStub().listProfiles(ListProfilesRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAVAILABLE, error.getStatus().getCode(), error.toString());
      }
    }
  }
}
