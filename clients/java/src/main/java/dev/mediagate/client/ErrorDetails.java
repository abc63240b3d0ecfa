package dev.mediagate.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.mediagate.v1.ErrorReason;
import dev.mediagate.v1.RejectionReason;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the rich error details mediagate puts in the {@code grpc-status-details-bin} trailer: a
 * {@code google.rpc.Status} whose details hold one {@code google.rpc.ErrorInfo} per reason found,
 * the most decisive first.
 *
 * <pre>{@code
 * try {
 *   client.upload(path, header);
 * } catch (StatusRuntimeException e) {
 *   for (ErrorDetail d : ErrorDetails.from(e)) {
 *     if (d.is(RejectionReason.REJECTION_REASON_TYPE_MISMATCH)) { ... d.metadata() ... }
 *   }
 * }
 * }</pre>
 */
public final class ErrorDetails {

  /** The ErrorInfo domain of every mediagate reason. */
  public static final String DOMAIN = "mediagate.v1";

  private static final String REJECTION_PREFIX = "REJECTION_REASON_";
  private static final String ERROR_PREFIX = "ERROR_REASON_";

  private ErrorDetails() {}

  /** Every ErrorInfo of a failed call, in the server's order (the decisive one first). */
  public static List<ErrorDetail> from(StatusRuntimeException error) {
    return fromThrowable(error);
  }

  /** Every ErrorInfo of a failed call, in the server's order (the decisive one first). */
  public static List<ErrorDetail> from(StatusException error) {
    return fromThrowable(error);
  }

  /**
   * Every ErrorInfo of the first {@link StatusRuntimeException} or {@link StatusException} in
   * {@code error}'s cause chain; empty when there is none or it carries no rich status.
   */
  public static List<ErrorDetail> fromThrowable(Throwable error) {
    com.google.rpc.Status status = StatusProto.fromThrowable(error);
    List<ErrorDetail> found = new ArrayList<>();
    if (status == null) {
      return found;
    }
    for (Any any : status.getDetailsList()) {
      if (any.is(ErrorInfo.class)) {
        ErrorInfo info = unpack(any, ErrorInfo.class);
        found.add(new ErrorDetail(info.getDomain(), info.getReason(), info.getMetadataMap()));
      }
    }
    return found;
  }

  /** The first (decisive) ErrorInfo, if any. */
  public static Optional<ErrorDetail> first(Throwable error) {
    return fromThrowable(error).stream().findFirst();
  }

  /** How long to wait before retrying (google.rpc.RetryInfo, sent with OVERLOADED), if given. */
  public static Optional<Duration> retryDelay(Throwable error) {
    com.google.rpc.Status status = StatusProto.fromThrowable(error);
    if (status == null) {
      return Optional.empty();
    }
    for (Any any : status.getDetailsList()) {
      if (any.is(RetryInfo.class)) {
        com.google.protobuf.Duration d = unpack(any, RetryInfo.class).getRetryDelay();
        return Optional.of(Duration.ofSeconds(d.getSeconds(), d.getNanos()));
      }
    }
    return Optional.empty();
  }

  /** Maps a reason string such as {@code "TOO_LARGE"} to its RejectionReason value. */
  public static Optional<RejectionReason> rejectionReason(String reason) {
    var value = RejectionReason.getDescriptor().findValueByName(REJECTION_PREFIX + reason);
    return value == null || value.getNumber() == 0
        ? Optional.empty()
        : Optional.of(RejectionReason.valueOf(value));
  }

  /** Maps a reason string such as {@code "ATTACHMENT_NOT_FOUND"} to its ErrorReason value. */
  public static Optional<ErrorReason> errorReason(String reason) {
    var value = ErrorReason.getDescriptor().findValueByName(ERROR_PREFIX + reason);
    return value == null || value.getNumber() == 0
        ? Optional.empty()
        : Optional.of(ErrorReason.valueOf(value));
  }

  /** The reason string the server sends for a RejectionReason ({@code "TOO_LARGE"}). */
  public static String reasonName(RejectionReason reason) {
    return reason.name().substring(REJECTION_PREFIX.length());
  }

  /** The reason string the server sends for an ErrorReason ({@code "ATTACHMENT_NOT_FOUND"}). */
  public static String reasonName(ErrorReason reason) {
    return reason.name().substring(ERROR_PREFIX.length());
  }

  private static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("malformed " + type.getSimpleName() + " in status details", e);
    }
  }
}
