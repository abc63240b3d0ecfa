package dev.mediagate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mediagate.v1.AttachmentServiceGrpc;
import dev.mediagate.v1.Delivery;
import dev.mediagate.v1.DeliveryState;
import dev.mediagate.v1.WatchDeliveryRequest;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** watchDelivery's own logic against a local gRPC server whose WatchDelivery streams are scripted. */
class WatchDeliveryTest {

  private static final DeliveryState PENDING = DeliveryState.DELIVERY_STATE_PENDING;
  private static final DeliveryState UPLOADING = DeliveryState.DELIVERY_STATE_UPLOADING;
  private static final DeliveryState VALIDATED = DeliveryState.DELIVERY_STATE_VALIDATED;
  private static final DeliveryState DELIVERED = DeliveryState.DELIVERY_STATE_DELIVERED;

  /** One scripted stream: these states, then a clean end (error null) or this error. */
  private record Script(List<DeliveryState> states, Status error) {}

  private Server server;
  private MediagateClient client;
  private final AtomicInteger calls = new AtomicInteger();

  private void serve(Script... scripts) throws IOException {
    server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(new AttachmentServiceGrpc.AttachmentServiceImplBase() {
          @Override
          public void watchDelivery(WatchDeliveryRequest request, StreamObserver<Delivery> responses) {
            int call = calls.getAndIncrement();
            if (call >= scripts.length) {
              responses.onError(Status.INTERNAL.withDescription("no more scripted streams").asRuntimeException());
              return;
            }
            for (DeliveryState state : scripts[call].states()) {
              responses.onNext(Delivery.newBuilder().setName(request.getName()).setState(state).build());
            }
            if (scripts[call].error() == null) {
              responses.onCompleted();
            } else {
              responses.onError(scripts[call].error().asRuntimeException());
            }
          }
        })
        .build()
        .start();
    client = MediagateClient.forAddress("127.0.0.1:" + server.getPort()).withTimeout(Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void reopensAWatchThatEndsEarlyOrDrops() throws IOException {
    serve(new Script(List.of(PENDING, UPLOADING), null),
        new Script(List.of(UPLOADING), Status.UNAVAILABLE.withDescription("connection dropped")),
        // Every watch starts with the current state: UPLOADING again, not reported twice.
        new Script(List.of(UPLOADING, VALIDATED, DELIVERED), null));
    List<DeliveryState> seen = new ArrayList<>();
    Delivery delivery = client.watchDelivery("deliveries/d1", d -> seen.add(d.getState()));
    assertEquals(DELIVERED, delivery.getState());
    assertEquals(List.of(PENDING, UPLOADING, VALIDATED, DELIVERED), seen);
    assertEquals(3, calls.get());
  }

  @Test
  void givesUpAfterWatchReopens() throws IOException {
    Script[] scripts = new Script[MediagateClient.WATCH_REOPENS + 1];
    java.util.Arrays.fill(scripts, new Script(List.of(PENDING), null));
    serve(scripts);
    StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
        () -> client.watchDelivery("deliveries/d1", null));
    assertEquals(Status.Code.UNAVAILABLE, error.getStatus().getCode());
    assertEquals(MediagateClient.WATCH_REOPENS + 1, calls.get());
  }

  @Test
  void throwsOtherStreamErrorsAtOnce() throws IOException {
    serve(new Script(List.of(), Status.NOT_FOUND.withDescription("no such delivery")),
        new Script(List.of(DELIVERED), null));
    StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
        () -> client.watchDelivery("deliveries/d1", null));
    assertEquals(Status.Code.NOT_FOUND, error.getStatus().getCode());
    assertEquals(1, calls.get());
  }
}
