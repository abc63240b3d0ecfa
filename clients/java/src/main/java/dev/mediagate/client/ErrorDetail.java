package dev.mediagate.client;

import dev.mediagate.v1.ErrorReason;
import dev.mediagate.v1.RejectionReason;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code google.rpc.ErrorInfo} of a failed mediagate call.
 *
 * @param domain   the ErrorInfo domain; {@value ErrorDetails#DOMAIN} for mediagate's own reasons
 * @param reason   the reason as sent: a {@link RejectionReason} or {@link ErrorReason} value name
 *                 without its prefix, e.g. {@code "TYPE_MISMATCH"}
 * @param metadata the facts that explain it ({@code detected_mime_type}, {@code limit}, ...)
 */
public record ErrorDetail(String domain, String reason, Map<String, String> metadata) {

  public ErrorDetail {
    metadata = Map.copyOf(metadata);
  }

  /** The reason as a RejectionReason: why the file itself was refused. */
  public Optional<RejectionReason> rejectionReason() {
    return ErrorDetails.DOMAIN.equals(domain) ? ErrorDetails.rejectionReason(reason) : Optional.empty();
  }

  /** The reason as an ErrorReason: protocol misuse, unknown resources, load. */
  public Optional<ErrorReason> errorReason() {
    return ErrorDetails.DOMAIN.equals(domain) ? ErrorDetails.errorReason(reason) : Optional.empty();
  }

  /**
   * The generated enum value the reason names: a {@link RejectionReason}, an {@link ErrorReason},
   * or empty for a reason this client does not know (a newer server, another domain).
   */
  public Optional<Enum<?>> reasonEnum() {
    Optional<Enum<?>> rejection = rejectionReason().map(r -> r);
    return rejection.isPresent() ? rejection : errorReason().map(r -> r);
  }

  /** Whether this detail carries the given rejection reason. */
  public boolean is(RejectionReason expected) {
    return rejectionReason().filter(expected::equals).isPresent();
  }

  /** Whether this detail carries the given error reason. */
  public boolean is(ErrorReason expected) {
    return errorReason().filter(expected::equals).isPresent();
  }
}
