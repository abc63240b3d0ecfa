package dev.mediagate.client;

import com.google.protobuf.UnsafeByteOperations;
import dev.mediagate.v1.Attachment;
import dev.mediagate.v1.AttachmentServiceGrpc;
import dev.mediagate.v1.DeliverAttachmentRequest;
import dev.mediagate.v1.Delivery;
import dev.mediagate.v1.DeliveryMethod;
import dev.mediagate.v1.DeliveryState;
import dev.mediagate.v1.DownloadRequest;
import dev.mediagate.v1.DownloadResponse;
import dev.mediagate.v1.GetAttachmentRequest;
import dev.mediagate.v1.GetPreviewRequest;
import dev.mediagate.v1.OpenMessagingSender;
import dev.mediagate.v1.Preview;
import dev.mediagate.v1.PreviewSpec;
import dev.mediagate.v1.UploadHeader;
import dev.mediagate.v1.UploadRequest;
import dev.mediagate.v1.WatchDeliveryRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingClientCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.TlsChannelCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A small client over the generated {@link AttachmentServiceGrpc} stubs: uploads in chunks of the
 * recommended size with the header first, downloads to a stream or file, previews, and delivery
 * into Genesys Cloud followed to its final state.
 *
 * <p>Every call throws {@link StatusRuntimeException} when the server refuses it; read the reasons
 * with {@link ErrorDetails#from(StatusRuntimeException)}. Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * try (MediagateClient client = MediagateClient.newBuilder("mediagate.internal:50051")
 *     .trustCertificates(Path.of("/etc/mediagate/ca.pem"))
 *     .token(System.getenv("MEDIAGATE_TOKEN"))
 *     .build()) {
 *   Attachment a = client.upload(Path.of("photo.png"), UploadHeader.getDefaultInstance());
 *   Preview p = client.preview(a.getName());
 *   client.downloadTo(a.getName(), Path.of("copy.png"));
 * }
 * }</pre>
 */
public final class MediagateClient implements AutoCloseable {

  /** The chunk size the server measured fastest, and also the largest it accepts (1 MiB). */
  public static final int RECOMMENDED_CHUNK_BYTES = 1024 * 1024;

  /**
   * How many times {@link #watchDelivery} opens the watch again after one that ended (or lost its
   * connection) before a final state.
   */
  public static final int WATCH_REOPENS = 3;

  private final Channel channel;
  private final ManagedChannel owned;
  private final Duration timeout;
  private final int chunkBytes;

  /** A client over a channel the caller owns (and closes). */
  public MediagateClient(Channel channel) {
    this(channel, null, null, RECOMMENDED_CHUNK_BYTES);
  }

  private MediagateClient(Channel channel, ManagedChannel owned, Duration timeout, int chunkBytes) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.owned = owned;
    this.timeout = timeout;
    this.chunkBytes = chunkBytes;
  }

  /**
   * A client with its own plaintext, anonymous channel to {@code host:port} (a server with auth
   * off); {@link #close()} shuts it down. With credentials: {@link #newBuilder}.
   */
  public static MediagateClient forAddress(String target) {
    ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
    return new MediagateClient(channel, channel, null, RECOMMENDED_CHUNK_BYTES);
  }

  /**
   * A builder of a client with its own channel to {@code host:port} and the credentials given: a
   * bearer token, TLS, a client certificate (mutual TLS). Without any, plaintext and anonymous.
   */
  public static Builder newBuilder(String target) {
    return new Builder(target);
  }

  /**
   * An interceptor adding {@code authorization: Bearer <token>} to every call, for channels made
   * by hand: {@code ManagedChannelBuilder.forTarget(t).intercept(MediagateClient.bearerToken(token))}.
   *
   * <p>An interceptor rather than {@link io.grpc.CallCredentials}, so that nothing can withhold
   * the token from a server on loopback with auth on and no TLS (a sidecar, tests).
   */
  public static ClientInterceptor bearerToken(String token) {
    if (token == null || token.isEmpty()) {
      throw new IllegalArgumentException("empty bearer token");
    }
    String value = "Bearer " + token;
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            headers.put(AUTHORIZATION, value);
            super.start(listener, headers);
          }
        };
      }
    };
  }

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * Credentials and transport for {@link #newBuilder}. A server with auth on refuses calls
   * without a caller's token or client certificate (UNAUTHENTICATED); the caller's tenant decides
   * what exists (another tenant's attachment is NOT_FOUND).
   */
  public static final class Builder {
    private final String target;
    private String token;
    private boolean tls;
    private Path trustedCertificates;
    private Path certificateChain;
    private Path privateKey;
    private String authority;

    private Builder(String target) {
      this.target = Objects.requireNonNull(target, "target");
    }

    /**
     * Sends {@code authorization: Bearer <token>} on every call, over plaintext as well (a server
     * on loopback with auth on and no TLS); across a network add TLS. When a call carries a token
     * and a certificate, the server goes by the token. Null or empty: no token.
     */
    public Builder token(String token) {
      this.token = token == null || token.isEmpty() ? null : token;
      return this;
    }

    /** Speaks TLS, trusting the system's (the JDK's) certificate authorities. */
    public Builder useTransportSecurity() {
      this.tls = true;
      return this;
    }

    /** Speaks TLS, trusting server certificates signed by the CA(s) in this PEM file. */
    public Builder trustCertificates(Path caPem) {
      this.tls = true;
      this.trustedCertificates = Objects.requireNonNull(caPem, "caPem");
      return this;
    }

    /**
     * Presents this PEM client certificate (chain) and PKCS#8 PEM key: mutual TLS, where the
     * server maps the certificate's subject (CN or SAN) to a caller. Implies TLS.
     */
    public Builder clientCertificate(Path certificatePem, Path keyPem) {
      this.tls = true;
      this.certificateChain = Objects.requireNonNull(certificatePem, "certificatePem");
      this.privateKey = Objects.requireNonNull(keyPem, "keyPem");
      return this;
    }

    /** The name to expect in the server's certificate (and send as :authority), if not the target's host. */
    public Builder overrideAuthority(String authority) {
      this.authority = authority;
      return this;
    }

    /** The client; {@link MediagateClient#close()} shuts its channel down. */
    public MediagateClient build() throws IOException {
      ChannelCredentials credentials = InsecureChannelCredentials.create();
      if (tls) {
        TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
        if (trustedCertificates != null) {
          b.trustManager(trustedCertificates.toFile());
        }
        if (certificateChain != null) {
          b.keyManager(certificateChain.toFile(), privateKey.toFile());
        }
        credentials = b.build();
      }
      ManagedChannelBuilder<?> channel = Grpc.newChannelBuilder(target, credentials);
      if (authority != null) {
        channel.overrideAuthority(authority);
      }
      if (token != null) {
        channel.intercept(bearerToken(token));
      }
      ManagedChannel built = channel.build();
      return new MediagateClient(built, built, null, RECOMMENDED_CHUNK_BYTES);
    }
  }

  /** The same client with a deadline of {@code timeout} from the start of each call. */
  public MediagateClient withTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    return new MediagateClient(channel, owned, timeout, chunkBytes);
  }

  /** The same client uploading in chunks of {@code bytes} (1 .. 1 MiB). */
  public MediagateClient withChunkSize(int bytes) {
    if (bytes < 1 || bytes > RECOMMENDED_CHUNK_BYTES) {
      throw new IllegalArgumentException("chunk size must be 1.." + RECOMMENDED_CHUNK_BYTES + ": " + bytes);
    }
    return new MediagateClient(channel, owned, timeout, bytes);
  }

  /** The generated blocking stub, with this client's deadline, for every other call. */
  public AttachmentServiceGrpc.AttachmentServiceBlockingStub blockingStub() {
    var stub = AttachmentServiceGrpc.newBlockingStub(channel);
    return timeout == null ? stub : stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The generated async stub, with this client's deadline. */
  public AttachmentServiceGrpc.AttachmentServiceStub asyncStub() {
    var stub = AttachmentServiceGrpc.newStub(channel);
    return timeout == null ? stub : stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Uploads a file. Fields the header leaves unset are filled from the file: {@code file_name},
   * {@code declared_size_bytes} and {@code sha256} (one extra read of the file, so the server
   * verifies the bytes end to end and answers CHECKSUM_MISMATCH if they changed on the way).
   */
  public Attachment upload(Path file, UploadHeader header) throws IOException {
    UploadHeader.Builder filled = header.toBuilder();
    if (filled.getFileName().isEmpty()) {
      filled.setFileName(Objects.toString(file.getFileName(), ""));
    }
    if (filled.getDeclaredSizeBytes() == 0) {
      filled.setDeclaredSizeBytes(Files.size(file));
    }
    if (filled.getSha256().isEmpty()) {
      filled.setSha256(sha256Hex(file));
    }
    try (InputStream in = Files.newInputStream(file)) {
      return upload(in, filled.build());
    }
  }

  /**
   * Streams {@code source} to Upload: the header first, then chunks of the configured size (1 MiB
   * by default), each sent only when the transport is ready for it, so at most about one chunk is
   * held in memory. The SHA-256 of the bytes sent is computed on the way and compared with the
   * stored attachment's (or, when the header declares a sha256, the declared one: the server may
   * then answer a repeated idempotency key from the header alone).
   * Stops sending as soon as the server has answered (it refuses some files from the first bytes).
   * Does not close {@code source}.
   *
   * @throws StatusRuntimeException the server's refusal; see {@link ErrorDetails}
   * @throws IOException reading {@code source} failed (the call is cancelled), or the stored digest
   *     differs from the bytes sent
   */
  public Attachment upload(InputStream source, UploadHeader header) throws IOException {
    MessageDigest digest = sha256();
    UploadCall call = new UploadCall();
    asyncStub().upload(call);
    ClientCallStreamObserver<UploadRequest> requests = call.requests;
    try {
      if (call.awaitReady()) {
        requests.onNext(UploadRequest.newBuilder().setHeader(header).build());
        while (true) {
          byte[] chunk = new byte[chunkBytes];
          int n = source.readNBytes(chunk, 0, chunkBytes);
          if (n == 0 || !call.awaitReady()) {
            break;
          }
          digest.update(chunk, 0, n);
          requests.onNext(UploadRequest.newBuilder()
              .setChunk(UnsafeByteOperations.unsafeWrap(chunk, 0, n))
              .build());
          if (n < chunkBytes) {
            break;
          }
        }
        if (!call.isDone()) {
          requests.onCompleted();
        }
      }
    } catch (IOException | RuntimeException | Error e) {
      requests.cancel("upload source failed", e);
      throw e;
    }
    Attachment attachment = call.await();
    String sent = HexFormat.of().formatHex(digest.digest());
    String expected = header.getSha256().isEmpty() ? sent : header.getSha256();
    if (!attachment.getSha256().equals(expected)) {
      throw new IOException("stored " + attachment.getName() + " has sha256 " + attachment.getSha256()
          + " but the bytes sent hash to " + sent);
    }
    return attachment;
  }

  /**
   * Streams an attachment's bytes into {@code target} (not closed) and returns the attachment.
   * The bytes are checked against the attachment's size and sha256.
   *
   * @throws StatusRuntimeException e.g. NOT_FOUND with ErrorReason ATTACHMENT_NOT_FOUND
   * @throws IOException writing failed (the call is cancelled), or the bytes did not match
   */
  public Attachment downloadTo(String name, OutputStream target) throws IOException {
    MessageDigest digest = sha256();
    Context.CancellableContext context = Context.current().withCancellation();
    Context previous = context.attach();
    try {
      Iterator<DownloadResponse> responses =
          blockingStub().download(DownloadRequest.newBuilder().setName(name).build());
      Attachment attachment = null;
      long written = 0;
      while (responses.hasNext()) {
        DownloadResponse response = responses.next();
        if (response.hasAttachment()) {
          attachment = response.getAttachment();
        }
        for (var buffer : response.getData().asReadOnlyByteBufferList()) {
          digest.update(buffer.duplicate());
        }
        response.getData().writeTo(target);
        written += response.getData().size();
      }
      if (attachment == null) {
        throw new IOException("Download of " + name + " carried no attachment");
      }
      String got = HexFormat.of().formatHex(digest.digest());
      if (written != attachment.getSizeBytes() || !got.equals(attachment.getSha256())) {
        throw new IOException("Download of " + name + " gave " + written + " bytes with sha256 " + got
            + ", expected " + attachment.getSizeBytes() + " bytes with sha256 " + attachment.getSha256());
      }
      return attachment;
    } finally {
      context.detach(previous);
      context.cancel(null); // ends the call if we stopped early; a no-op after it completed
    }
  }

  /** Downloads an attachment into {@code file} (created or replaced). */
  public Attachment downloadTo(String name, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      return downloadTo(name, out);
    }
  }

  /** The default preview: WebP, fitting in 300 x 300, quality 80, first page. */
  public Preview preview(String name) {
    return preview(name, PreviewSpec.getDefaultInstance());
  }

  public Preview preview(String name, PreviewSpec spec) {
    return blockingStub().getPreview(GetPreviewRequest.newBuilder().setName(name).setSpec(spec).build());
  }

  public Attachment get(String name) {
    return blockingStub().getAttachment(GetAttachmentRequest.newBuilder().setName(name).build());
  }

  /** Whether a delivery in {@code state} is done: DELIVERED, FAILED and CANCELLED never change. */
  public static boolean isFinal(DeliveryState state) {
    return state == DeliveryState.DELIVERY_STATE_DELIVERED
        || state == DeliveryState.DELIVERY_STATE_FAILED
        || state == DeliveryState.DELIVERY_STATE_CANCELLED;
  }

  /** {@link #deliver(String, String, DeliveryMethod, String, String, OpenMessagingSender)} without text or sender. */
  public Delivery deliver(String name, String conversationId, DeliveryMethod method, String idempotencyKey) {
    return deliver(name, conversationId, method, idempotencyKey, null, null);
  }

  /**
   * Starts delivering the attachment {@code name} ("attachments/{id}") into the Genesys Cloud
   * conversation {@code conversationId} and returns the Delivery as accepted (PENDING, or further
   * along for a repeated key).
   *
   * @param method         UPLOAD or OPEN_MESSAGING; UNSPECIFIED for the server's default
   * @param idempotencyKey the same key returns the same Delivery and sends nothing more (reuse it
   *                       when retrying); null or empty: the server makes one
   * @param text           sent with the attachment (at most 4096 bytes), or null
   * @param sender         OPEN_MESSAGING: the guest the message is from (required there); or null
   * @throws StatusRuntimeException e.g. FAILED_PRECONDITION with ErrorReason DELIVERY_NOT_CONFIGURED
   *     from a server without Genesys Cloud settings
   */
  public Delivery deliver(String name, String conversationId, DeliveryMethod method, String idempotencyKey,
      String text, OpenMessagingSender sender) {
    DeliverAttachmentRequest.Builder request = DeliverAttachmentRequest.newBuilder()
        .setName(name)
        .setConversationId(Objects.toString(conversationId, ""))
        .setMethod(method)
        .setIdempotencyKey(Objects.toString(idempotencyKey, ""))
        .setText(Objects.toString(text, ""));
    if (sender != null) {
      request.setSender(sender);
    }
    return blockingStub().deliverAttachment(request.build());
  }

  /**
   * Follows the delivery {@code name} ("deliveries/{id}") with WatchDelivery and returns it in its
   * final state (DELIVERED, FAILED or CANCELLED; a FAILED delivery is returned, not thrown: read
   * {@link Delivery#getFailure()}). {@code onState}, if not null, gets the current state first and
   * then each new state, in order, never twice in a row for the same state.
   *
   * <p>A watch that ends without a final state, or loses its connection (UNAVAILABLE), is opened
   * again up to {@link #WATCH_REOPENS} times (each watch starts with the current state, so nothing
   * is missed); after that an UNAVAILABLE StatusRuntimeException is thrown. Other errors (NOT_FOUND
   * DELIVERY_NOT_FOUND, DEADLINE_EXCEEDED, ...) are thrown at once. This client's timeout
   * ({@link #withTimeout}) bounds the whole watch, reopens included: make it generous, as the
   * platform takes its time.
   */
  public Delivery watchDelivery(String name, Consumer<Delivery> onState) {
    Deadline deadline = timeout == null ? null : Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS);
    WatchDeliveryRequest request = WatchDeliveryRequest.newBuilder().setName(name).build();
    DeliveryState reported = DeliveryState.DELIVERY_STATE_UNSPECIFIED;
    for (int attempt = 0; ; attempt++) {
      StatusRuntimeException dropped = null;
      var stub = AttachmentServiceGrpc.newBlockingStub(channel);
      if (deadline != null) {
        stub = stub.withDeadline(deadline);
      }
      Context.CancellableContext context = Context.current().withCancellation();
      Context previous = context.attach();
      try {
        Iterator<Delivery> states = stub.watchDelivery(request);
        while (states.hasNext()) {
          Delivery delivery = states.next();
          if (delivery.getState() != reported) {
            reported = delivery.getState();
            if (onState != null) {
              onState.accept(delivery);
            }
          }
          if (isFinal(delivery.getState())) {
            return delivery;
          }
        }
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
          throw e;
        }
        dropped = e;
      } finally {
        context.detach(previous);
        context.cancel(null); // ends the stream once a final state is read
      }
      if (attempt >= WATCH_REOPENS) {
        if (dropped != null) {
          throw dropped;
        }
        throw Status.UNAVAILABLE
            .withDescription(name + ": " + (attempt + 1) + " watches ended before a final state (last: "
                + reported + ")")
            .asRuntimeException();
      }
      try {
        // A short pause before opening again, so a restarting server has a moment.
        Thread.sleep(100L << attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Status.CANCELLED.withDescription("watch of " + name + " interrupted").withCause(e).asRuntimeException();
      }
    }
  }

  /** {@link #deliverAndWait(String, String, DeliveryMethod, String, String, OpenMessagingSender, Consumer)} without text or sender. */
  public Delivery deliverAndWait(String name, String conversationId, DeliveryMethod method, String idempotencyKey,
      Consumer<Delivery> onState) {
    return deliverAndWait(name, conversationId, method, idempotencyKey, null, null, onState);
  }

  /**
   * {@link #deliver} and then {@link #watchDelivery} of the new delivery: returns it in its final
   * state, calling {@code onState} (if not null) for each state on the way.
   */
  public Delivery deliverAndWait(String name, String conversationId, DeliveryMethod method, String idempotencyKey,
      String text, OpenMessagingSender sender, Consumer<Delivery> onState) {
    Delivery started = deliver(name, conversationId, method, idempotencyKey, text, sender);
    return watchDelivery(started.getName(), onState);
  }

  /** Lowercase hex SHA-256 of a file, as UploadHeader.sha256 wants it. */
  public static String sha256Hex(Path file) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Shuts down the channel if {@link #forAddress} made it; otherwise does nothing. */
  @Override
  public void close() {
    if (owned != null) {
      owned.shutdown();
      try {
        if (!owned.awaitTermination(5, TimeUnit.SECONDS)) {
          owned.shutdownNow();
        }
      } catch (InterruptedException e) {
        owned.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The response side of one Upload call, plus the readiness signal the sender waits on. */
  private static final class UploadCall implements ClientResponseObserver<UploadRequest, Attachment> {
    private final Object lock = new Object();
    private final CountDownLatch finished = new CountDownLatch(1);
    private ClientCallStreamObserver<UploadRequest> requests;
    private boolean done;
    private Attachment result;
    private Throwable error;

    @Override
    public void beforeStart(ClientCallStreamObserver<UploadRequest> requestStream) {
      this.requests = requestStream;
      requestStream.setOnReadyHandler(() -> {
        synchronized (lock) {
          lock.notifyAll();
        }
      });
    }

    @Override
    public void onNext(Attachment value) {
      synchronized (lock) {
        result = value;
      }
    }

    @Override
    public void onError(Throwable t) {
      finish(t);
    }

    @Override
    public void onCompleted() {
      finish(null);
    }

    private void finish(Throwable t) {
      synchronized (lock) {
        error = t;
        done = true;
        lock.notifyAll();
      }
      finished.countDown();
    }

    boolean isDone() {
      synchronized (lock) {
        return done;
      }
    }

    /** Waits until the transport takes another message; false once the call has ended. */
    boolean awaitReady() throws InterruptedIOException {
      synchronized (lock) {
        try {
          while (!done && !requests.isReady()) {
            lock.wait();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          requests.cancel("interrupted", e);
          throw new InterruptedIOException("upload interrupted");
        }
        return !done;
      }
    }

    /** The call's answer, or its failure as a StatusRuntimeException with the trailers. */
    Attachment await() throws InterruptedIOException {
      try {
        finished.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        requests.cancel("interrupted", e);
        throw new InterruptedIOException("upload interrupted");
      }
      synchronized (lock) {
        if (error != null) {
          // A new exception so the stack shows the caller; trailers keep the rich details.
          throw new StatusRuntimeException(Status.fromThrowable(error).withCause(error),
              Status.trailersFromThrowable(error));
        }
        if (result == null) {
          throw Status.INTERNAL.withDescription("Upload completed without an attachment").asRuntimeException();
        }
        return result;
      }
    }
  }
}
