package dev.mediagate.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mediagate.v1.Attachment;
import dev.mediagate.v1.DeliveryMethod;
import dev.mediagate.v1.ErrorReason;
import dev.mediagate.v1.ListProfilesRequest;
import dev.mediagate.v1.ListProfilesResponse;
import dev.mediagate.v1.Preview;
import dev.mediagate.v1.PreviewFormat;
import dev.mediagate.v1.RejectionReason;
import dev.mediagate.v1.UploadHeader;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the client against a real mediagate server started for this class. */
class MediagateClientTest {

  @TempDir
  static Path dataDir;

  @TempDir
  static Path work;

  private static MediagateServer server;
  private static MediagateClient client;

  @BeforeAll
  static void startServer() throws IOException {
    server = MediagateServer.start(dataDir);
    client = TestCredentials.get().alice(server.target()).withTimeout(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      int exit = server.stop();
      assertEquals(0, exit, "mediagate exit code after SIGTERM\n" + server.stderrTail());
    }
  }

  @Test
  void uploadPreviewDownloadRoundTrip() throws IOException {
    byte[] png = gradientPng(64, 48);
    Path file = work.resolve("gradient.png");
    Files.write(file, png);

    Attachment attachment = client.upload(file, UploadHeader.newBuilder()
        .setDeclaredMimeType("image/png")
        .setConversationId("conv-java")
        .putLabels("client", "java")
        .build());

    assertTrue(attachment.getName().matches("attachments/[0-9a-f]{32}"), attachment.getName());
    assertEquals("gradient.png", attachment.getFileName());
    assertEquals("image/png", attachment.getDetectedMimeType());
    assertEquals(png.length, attachment.getSizeBytes());
    assertEquals(sha256Hex(png), attachment.getSha256());
    assertEquals("web-messaging", attachment.getProfile());
    assertEquals("java", attachment.getLabelsOrThrow("client"));
    assertEquals(Attachment.MediaCase.IMAGE, attachment.getMediaCase());
    assertEquals(64, attachment.getImage().getWidth());
    assertEquals(48, attachment.getImage().getHeight());

    Preview preview = client.preview(attachment.getName());
    assertEquals("image/webp", preview.getMimeType());
    assertEquals(PreviewFormat.PREVIEW_FORMAT_WEBP, preview.getSpec().getFormat());
    assertTrue(preview.getWidth() > 0 && preview.getWidth() <= 300, "width " + preview.getWidth());
    // Fits the default 300 x 300 box and is never enlarged: the source size.
    assertEquals(64, preview.getWidth());
    assertEquals(48, preview.getHeight());
    assertEquals(64, preview.getSource().getWidth());
    byte[] webp = preview.getContent().toByteArray();
    assertEquals(preview.getSizeBytes(), webp.length);
    assertEquals("RIFF", new String(webp, 0, 4, StandardCharsets.US_ASCII));
    assertEquals("WEBP", new String(webp, 8, 4, StandardCharsets.US_ASCII));

    ByteArrayOutputStream downloaded = new ByteArrayOutputStream();
    Attachment described = client.downloadTo(attachment.getName(), downloaded);
    assertArrayEquals(png, downloaded.toByteArray());
    assertEquals(attachment.getName(), described.getName());

    Path copy = work.resolve("copy.png");
    client.downloadTo(attachment.getName(), copy);
    assertArrayEquals(png, Files.readAllBytes(copy));
  }

  @Test
  void uploadsAStreamOfSeveralChunks() throws IOException {
    ListProfilesResponse profiles = client.blockingStub().listProfiles(ListProfilesRequest.getDefaultInstance());
    assertEquals(MediagateClient.RECOMMENDED_CHUNK_BYTES, profiles.getRecommendedChunkSizeBytes());
    assertEquals(MediagateClient.RECOMMENDED_CHUNK_BYTES, profiles.getMaxChunkSizeBytes());

    // Noise does not compress: a PNG of about 2.9 MB, so three 1 MiB chunks.
    byte[] png = noisePng(1200, 800);
    assertTrue(png.length > 2 * MediagateClient.RECOMMENDED_CHUNK_BYTES, "png is " + png.length + " bytes");

    // No size or sha256 in the header: the helper hashes on the way and checks the answer.
    Attachment attachment = client.upload(new ByteArrayInputStream(png),
        UploadHeader.newBuilder().setFileName("noise.png").build());
    assertEquals("image/png", attachment.getDetectedMimeType());
    assertEquals(png.length, attachment.getSizeBytes());
    assertEquals(sha256Hex(png), attachment.getSha256());
    assertEquals(1200, attachment.getImage().getWidth());

    ByteArrayOutputStream downloaded = new ByteArrayOutputStream();
    client.downloadTo(attachment.getName(), downloaded);
    assertArrayEquals(png, downloaded.toByteArray());
  }

  @Test
  void typeMismatchIsATypedRejection() {
    byte[] text = "Just a note, not a picture.\n".getBytes(StandardCharsets.UTF_8);
    StatusRuntimeException error = assertThrows(StatusRuntimeException.class, () ->
        client.upload(new ByteArrayInputStream(text), UploadHeader.newBuilder()
            .setFileName("note.txt")
            .setDeclaredMimeType("image/png")
            .setDeclaredSizeBytes(text.length)
            .build()));

    assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
    List<ErrorDetail> details = ErrorDetails.from(error);
    assertFalse(details.isEmpty(), "no ErrorInfo in " + error);
    ErrorDetail first = details.get(0);
    assertEquals(ErrorDetails.DOMAIN, first.domain());
    assertEquals("TYPE_MISMATCH", first.reason());
    assertEquals(RejectionReason.REJECTION_REASON_TYPE_MISMATCH, first.rejectionReason().orElseThrow());
    assertTrue(first.is(RejectionReason.REJECTION_REASON_TYPE_MISMATCH));
    assertTrue(first.errorReason().isEmpty());
    assertEquals(RejectionReason.REJECTION_REASON_TYPE_MISMATCH, first.reasonEnum().orElseThrow());
    assertEquals("image/png", first.metadata().get("declared_mime_type"));
    assertEquals("text/plain", first.metadata().get("detected_mime_type"));
  }

  @Test
  void stopsSendingOnceTheServerHasRefused() {
    // A 64 MiB shell script, made on the fly: the server refuses the type from the first 64 KiB
    // and answers at once; the helper must stop reading instead of pushing all 64 MiB.
    long total = 64L * 1024 * 1024;
    CountingScript source = new CountingScript(total);
    StatusRuntimeException error = assertThrows(StatusRuntimeException.class, () ->
        client.upload(source, UploadHeader.newBuilder().setFileName("run.sh").build()));

    assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
    ErrorDetail first = ErrorDetails.first(error).orElseThrow();
    assertTrue(first.is(RejectionReason.REJECTION_REASON_EXECUTABLE)
            || first.is(RejectionReason.REJECTION_REASON_UNSUPPORTED_TYPE),
        "details: " + ErrorDetails.from(error));
    // Well under the profile's 10 MiB limit, so the refusal was not TOO_LARGE after the fact.
    assertTrue(source.read < 10L * 1024 * 1024, "read " + source.read + " of " + total + " bytes");
  }

  /** "#!/bin/sh" and then echo lines, up to {@code total} bytes, counting what was read. */
  private static final class CountingScript extends java.io.InputStream {
    private static final byte[] HEAD = "#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LINE = "echo 'hello from a script'\n".getBytes(StandardCharsets.US_ASCII);
    private final long total;
    long read;

    CountingScript(long total) {
      this.total = total;
    }

    @Override
    public int read() {
      if (read >= total) {
        return -1;
      }
      long at = read++;
      return at < HEAD.length ? HEAD[(int) at] : LINE[(int) ((at - HEAD.length) % LINE.length)];
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (read >= total) {
        return -1;
      }
      int n = (int) Math.min(len, total - read);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) read();
      }
      return n;
    }
  }

  @Test
  void checksumMismatchIsATypedRejection() {
    byte[] png = gradientPng(16, 16);
    String wrong = sha256Hex("other bytes".getBytes(StandardCharsets.UTF_8));
    StatusRuntimeException error = assertThrows(StatusRuntimeException.class, () ->
        client.upload(new ByteArrayInputStream(png), UploadHeader.newBuilder()
            .setFileName("small.png")
            .setSha256(wrong)
            .build()));

    assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
    assertTrue(ErrorDetails.from(error).stream().anyMatch(d -> d.is(RejectionReason.REJECTION_REASON_CHECKSUM_MISMATCH)),
        "details: " + ErrorDetails.from(error));
  }

  @Test
  void unknownAttachmentIsATypedError() {
    String name = "attachments/" + "0".repeat(32);
    StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
        () -> client.downloadTo(name, new ByteArrayOutputStream()));

    assertEquals(Status.Code.NOT_FOUND, error.getStatus().getCode());
    ErrorDetail first = ErrorDetails.first(error).orElseThrow();
    assertEquals("ATTACHMENT_NOT_FOUND", first.reason());
    assertEquals(ErrorReason.ERROR_REASON_ATTACHMENT_NOT_FOUND, first.errorReason().orElseThrow());
    assertTrue(first.rejectionReason().isEmpty());

    StatusRuntimeException invalid = assertThrows(StatusRuntimeException.class, () -> client.get("not-a-name"));
    assertEquals(Status.Code.INVALID_ARGUMENT, invalid.getStatus().getCode());
    assertTrue(ErrorDetails.first(invalid).orElseThrow().is(ErrorReason.ERROR_REASON_INVALID_NAME));
  }

  @Test
  void deliverWithoutGenesysSettingsIsNotConfigured() throws IOException {
    Attachment attachment = client.upload(new ByteArrayInputStream(DeliveryTest.jpeg(16, 16)),
        UploadHeader.newBuilder().setFileName("photo.jpg").build());
    StatusRuntimeException error = assertThrows(StatusRuntimeException.class, () -> client.deliver(
        attachment.getName(), "conversation-1", DeliveryMethod.DELIVERY_METHOD_UPLOAD, "java-not-configured"));

    assertEquals(Status.Code.FAILED_PRECONDITION, error.getStatus().getCode());
    ErrorDetail first = ErrorDetails.first(error).orElseThrow();
    assertEquals("DELIVERY_NOT_CONFIGURED", first.reason());
    assertEquals(ErrorReason.ERROR_REASON_DELIVERY_NOT_CONFIGURED, first.errorReason().orElseThrow());
    assertTrue(first.is(ErrorReason.ERROR_REASON_DELIVERY_NOT_CONFIGURED));
  }

  @Test
  void reasonNamesMapBothWays() {
    for (RejectionReason reason : RejectionReason.values()) {
      if (reason == RejectionReason.UNRECOGNIZED || reason == RejectionReason.REJECTION_REASON_UNSPECIFIED) {
        continue;
      }
      assertEquals(reason, ErrorDetails.rejectionReason(ErrorDetails.reasonName(reason)).orElseThrow());
      assertTrue(ErrorDetails.errorReason(ErrorDetails.reasonName(reason)).isEmpty(), reason.name());
    }
    for (ErrorReason reason : ErrorReason.values()) {
      if (reason == ErrorReason.UNRECOGNIZED || reason == ErrorReason.ERROR_REASON_UNSPECIFIED) {
        continue;
      }
      assertEquals(reason, ErrorDetails.errorReason(ErrorDetails.reasonName(reason)).orElseThrow());
    }
    assertTrue(ErrorDetails.rejectionReason("UNSPECIFIED").isEmpty());
    assertTrue(new ErrorDetail("other.domain", "TOO_LARGE", java.util.Map.of()).reasonEnum().isEmpty());
  }

  /** Asserts the status code and the ErrorInfo reason of a refused call. */
  static void assertRefused(Status.Code code, ErrorReason reason, StatusRuntimeException error) {
    assertEquals(code, error.getStatus().getCode(), error.toString());
    assertEquals(reason, ErrorDetails.first(error).orElseThrow().errorReason().orElseThrow(),
        "details: " + ErrorDetails.from(error));
  }

  @Test
  void callsWithoutAValidTokenAreUnauthenticated() throws IOException {
    Attachment mine = client.upload(new ByteArrayInputStream(gradientPng(16, 16)),
        UploadHeader.newBuilder().setFileName("mine.png").build());
    var get = dev.mediagate.v1.GetAttachmentRequest.newBuilder().setName(mine.getName()).build();
    try (MediagateClient anonymous = MediagateClient.newBuilder(server.target()).build();
        MediagateClient stranger = MediagateClient.newBuilder(server.target())
            .token("mgt_not-a-token-anyone-was-given").build()) {
      assertRefused(Status.Code.UNAUTHENTICATED, ErrorReason.ERROR_REASON_UNAUTHENTICATED,
          assertThrows(StatusRuntimeException.class, () -> anonymous.blockingStub().getAttachment(get)));
      assertRefused(Status.Code.UNAUTHENTICATED, ErrorReason.ERROR_REASON_UNAUTHENTICATED,
          assertThrows(StatusRuntimeException.class, () -> stranger.blockingStub().getAttachment(get)));
      // Uploads (client streams) carry the token too.
      assertRefused(Status.Code.UNAUTHENTICATED, ErrorReason.ERROR_REASON_UNAUTHENTICATED,
          assertThrows(StatusRuntimeException.class, () -> anonymous.upload(
              new ByteArrayInputStream(gradientPng(8, 8)),
              UploadHeader.newBuilder().setFileName("anonymous.png").build())));
    }
  }

  @Test
  void anotherTenantsAttachmentIsNotFound() throws IOException {
    Attachment mine = client.upload(new ByteArrayInputStream(gradientPng(20, 10)),
        UploadHeader.newBuilder().setFileName("alice.png").build());
    try (MediagateClient bob = MediagateClient.newBuilder(server.target())
        .token(TestCredentials.get().bobToken).build()) {
      ErrorReason notFound = ErrorReason.ERROR_REASON_ATTACHMENT_NOT_FOUND;
      var get = dev.mediagate.v1.GetAttachmentRequest.newBuilder().setName(mine.getName()).build();
      assertRefused(Status.Code.NOT_FOUND, notFound,
          assertThrows(StatusRuntimeException.class, () -> bob.blockingStub().getAttachment(get)));
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      assertRefused(Status.Code.NOT_FOUND, notFound,
          assertThrows(StatusRuntimeException.class, () -> bob.downloadTo(mine.getName(), sink)));
      assertEquals(0, sink.size(), "bob received alice's bytes");
      var delete = dev.mediagate.v1.DeleteAttachmentRequest.newBuilder().setName(mine.getName()).build();
      assertRefused(Status.Code.NOT_FOUND, notFound,
          assertThrows(StatusRuntimeException.class, () -> bob.blockingStub().deleteAttachment(delete)));
      var listed = bob.blockingStub().listAttachments(
          dev.mediagate.v1.ListAttachmentsRequest.getDefaultInstance());
      assertFalse(listed.getAttachmentsList().stream().anyMatch(a -> a.getName().equals(mine.getName())),
          "bob's list shows alice's attachment");
    }
    assertEquals(mine.getSha256(), client.blockingStub().getAttachment(
        dev.mediagate.v1.GetAttachmentRequest.newBuilder().setName(mine.getName()).build()).getSha256());
  }

  static byte[] gradientPng(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, new Color(x * 255 / width, y * 255 / height, 128).getRGB());
      }
    }
    return encodePng(image);
  }

  private static byte[] noisePng(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(42);
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        row[x] = random.nextInt(1 << 24);
      }
      image.setRGB(0, y, width, 1, row, 0, width);
    }
    return encodePng(image);
  }

  private static byte[] encodePng(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("no PNG writer");
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    byte[] bytes = out.toByteArray();
    assertEquals("PNG", new String(Arrays.copyOfRange(bytes, 1, 4), StandardCharsets.US_ASCII));
    return bytes;
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
