package dev.mediagate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import dev.mediagate.v1.Attachment;
import dev.mediagate.v1.ErrorReason;
import dev.mediagate.v1.Import;
import dev.mediagate.v1.ImportFromUrlRequest;
import dev.mediagate.v1.ImportState;
import dev.mediagate.v1.ListImportsRequest;
import dev.mediagate.v1.UploadHeader;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ImportFromUrl and ListImports against a real server that may fetch from plain-http loopback URLs
 * (production: https on Genesys Cloud's hosts only), with the file served by the JDK's HttpServer.
 */
class ImportTest {

  @TempDir
  static Path dataDir;

  private static HttpServer files;
  private static MediagateServer server;
  private static MediagateClient client;
  private static byte[] photo;

  @BeforeAll
  static void start() throws IOException {
    photo = png(40, 30);
    files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    files.createContext("/", exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "image/png");
      exchange.sendResponseHeaders(200, photo.length);
      try (OutputStream body = exchange.getResponseBody()) {
        body.write(photo);
      }
    });
    files.start();
    server = MediagateServer.start(dataDir, Map.of(
        "MEDIAGATE_IMPORT_ALLOWED_HOSTS", "127.0.0.1",
        "MEDIAGATE_IMPORT_ALLOW_HTTP", "true",
        "MEDIAGATE_IMPORT_ALLOWED_NETWORKS", "127.0.0.1/32"));
    client = TestCredentials.get().alice(server.target()).withTimeout(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (client != null) {
      client.close();
    }
    if (files != null) {
      files.stop(0);
    }
    if (server != null) {
      int exit = server.stop();
      assertEquals(0, exit, "mediagate exit code after SIGTERM\n" + server.stderrTail());
    }
  }

  @Test
  void importsAUrlRefusesAMetadataAddressAndListsBoth() throws IOException {
    String base = "http://127.0.0.1:" + files.getAddress().getPort();
    Path saved = Files.write(dataDir.resolve("photo.png"), photo);
    String sha256 = MediagateClient.sha256Hex(saved);
    Attachment attachment = client.blockingStub().importFromUrl(ImportFromUrlRequest.newBuilder()
        .setUrl(base + "/photo.png?signature=secret")
        .setHeader(UploadHeader.newBuilder()
            .setFileName("photo.png").setConversationId("java-imports").setSha256(sha256))
        .build());
    assertEquals(sha256, attachment.getSha256());
    assertEquals("image/png", attachment.getDetectedMimeType());

    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
        () -> client.blockingStub().importFromUrl(ImportFromUrlRequest.newBuilder()
            .setUrl("http://169.254.169.254/latest/meta-data/")
            .setHeader(UploadHeader.newBuilder().setConversationId("java-imports"))
            .build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
    ErrorDetail first = ErrorDetails.first(refused).orElseThrow();
    assertEquals(ErrorReason.ERROR_REASON_URL_NOT_ALLOWED, first.errorReason().orElseThrow());
    assertEquals("host", first.metadata().get("why"));

    List<Import> imports = client.blockingStub()
        .listImports(ListImportsRequest.newBuilder().setConversationId("java-imports").build())
        .getImportsList();
    assertEquals(2, imports.size());
    Import failed = imports.get(0); // newest first
    Import accepted = imports.get(1);
    assertEquals(ImportState.IMPORT_STATE_ACCEPTED, accepted.getState());
    assertEquals(attachment.getName(), accepted.getAttachment());
    assertEquals(base + "/photo.png", accepted.getUrl(), "the query (a signature) is never shown");
    assertEquals(ImportState.IMPORT_STATE_FAILED, failed.getState());
    assertEquals("URL_NOT_ALLOWED", failed.getReason());
  }

  private static byte[] png(int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, new Color(255 * x / width, 255 * y / height, 128).getRGB());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
