package dev.mediagate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mediagate.v1.Attachment;
import dev.mediagate.v1.Delivery;
import dev.mediagate.v1.DeliveryMethod;
import dev.mediagate.v1.DeliveryState;
import dev.mediagate.v1.DeliveryTransition;
import dev.mediagate.v1.UploadHeader;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery into Genesys Cloud end to end: the local Genesys fake and a mediagate server pointed at
 * it, both started for this class. (A server without Genesys settings is in MediagateClientTest.)
 */
class DeliveryTest {

  /** The server's first delivery waits for its Genesys SDK to load (~15 s of CPU). */
  private static final Duration WATCH_DEADLINE = Duration.ofSeconds(120);

  @TempDir
  static Path dataDir;

  private static FakeGenesys fake;
  private static MediagateServer server;
  private static MediagateClient client;

  @BeforeAll
  static void start() throws IOException {
    fake = FakeGenesys.start();
    server = MediagateServer.start(dataDir, Map.of(
        "MEDIAGATE_GENESYS_CLIENT_ID", "mediagate-test",
        "MEDIAGATE_GENESYS_CLIENT_SECRET", "s3cret",
        "MEDIAGATE_GENESYS_BASE_URL", fake.baseUrl,
        "MEDIAGATE_GENESYS_INTEGRATION_ID", fake.integrationId,
        "MEDIAGATE_GENESYS_REQUESTS_PER_SECOND", "0"));
    client = TestCredentials.get().alice(server.target()).withTimeout(WATCH_DEADLINE);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (client != null) {
      client.close();
    }
    try {
      if (server != null) {
        int exit = server.stop();
        assertEquals(0, exit, "mediagate exit code after SIGTERM\n" + server.stderrTail());
      }
    } finally {
      if (fake != null) {
        int exit = fake.stop();
        assertEquals(0, exit, "Genesys fake exit code after SIGTERM\n" + fake.outputTail());
      }
    }
  }

  @Test
  void deliverAndWaitByUploadReachesDelivered() throws IOException {
    byte[] jpeg = jpeg(48, 32);
    Attachment attachment = client.upload(new ByteArrayInputStream(jpeg), UploadHeader.newBuilder()
        .setFileName("photo.jpg")
        .setDeclaredMimeType("image/jpeg")
        .setConversationId(fake.conversationId)
        .build());
    assertEquals("image/jpeg", attachment.getDetectedMimeType());

    String key = "java-client-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    List<DeliveryState> seen = new ArrayList<>();
    Delivery delivery;
    try {
      delivery = client.deliverAndWait(attachment.getName(), fake.conversationId,
          DeliveryMethod.DELIVERY_METHOD_UPLOAD, key, d -> seen.add(d.getState()));
    } catch (RuntimeException e) {
      throw new AssertionError("deliverAndWait: " + e + " " + ErrorDetails.fromThrowable(e)
          + "\nserver log:\n" + server.stderrTail() + "\nfake log:\n" + fake.outputTail(), e);
    }

    List<DeliveryState> expected = List.of(
        DeliveryState.DELIVERY_STATE_PENDING,
        DeliveryState.DELIVERY_STATE_UPLOADING,
        DeliveryState.DELIVERY_STATE_VALIDATED,
        DeliveryState.DELIVERY_STATE_DELIVERED);
    assertEquals(DeliveryState.DELIVERY_STATE_DELIVERED, delivery.getState(), "failure: " + delivery.getFailure());
    assertEquals(expected, delivery.getHistoryList().stream().map(DeliveryTransition::getState).toList());
    assertFalse(delivery.getPlatformMediaId().isEmpty(), "no platform_media_id: " + delivery);
    assertEquals(attachment.getName(), delivery.getAttachment());
    assertEquals(fake.conversationId, delivery.getConversationId());
    assertEquals(DeliveryMethod.DELIVERY_METHOD_UPLOAD, delivery.getMethod());
    assertEquals(key, delivery.getIdempotencyKey());
    // onState saw the states in order (a watcher that falls behind may skip, never reorder).
    assertFalse(seen.isEmpty());
    assertEquals(DeliveryState.DELIVERY_STATE_DELIVERED, seen.get(seen.size() - 1));
    assertEquals(expected.stream().filter(seen::contains).toList(), seen);

    // The same key again: the same delivery, nothing sent twice.
    Delivery again = client.deliver(attachment.getName(), fake.conversationId,
        DeliveryMethod.DELIVERY_METHOD_UPLOAD, key);
    assertEquals(delivery.getName(), again.getName());
    assertEquals(DeliveryState.DELIVERY_STATE_DELIVERED, again.getState());

    // A finished delivery's watch answers with its final state at once.
    assertEquals(DeliveryState.DELIVERY_STATE_DELIVERED, client.watchDelivery(delivery.getName(), null).getState());
  }

  @Test
  void isFinal() {
    for (DeliveryState state : DeliveryState.values()) {
      if (state == DeliveryState.UNRECOGNIZED) {
        continue;
      }
      boolean expected = state == DeliveryState.DELIVERY_STATE_DELIVERED
          || state == DeliveryState.DELIVERY_STATE_FAILED
          || state == DeliveryState.DELIVERY_STATE_CANCELLED;
      assertEquals(expected, MediagateClient.isFinal(state), state.name());
    }
  }

  /** A small baseline JPEG (a colour gradient) made with ImageIO. */
  static byte[] jpeg(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, new Color(x * 255 / width, 96, y * 255 / height).getRGB());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      assertTrue(ImageIO.write(image, "jpg", out), "no JPEG writer");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }
}
