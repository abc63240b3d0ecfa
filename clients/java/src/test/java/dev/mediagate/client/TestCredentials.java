package dev.mediagate.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * This run's callers and certificates, made once per JVM by the repository's
 * {@code python -m tests.support.client_credentials DIR}: alice of tenant acme (also the client
 * certificate CN=alice), bob of tenant globex, their tokens, a CA, a server certificate. Every
 * test server gets the callers file (auth on); the folder is removed when the JVM exits.
 */
final class TestCredentials {

  private static TestCredentials made;

  final Path dir;
  final String aliceToken;
  final String bobToken;

  private TestCredentials(Path dir) throws IOException {
    this.dir = dir;
    this.aliceToken = Files.readString(dir.resolve("alice.token"), StandardCharsets.UTF_8).strip();
    this.bobToken = Files.readString(dir.resolve("bob.token"), StandardCharsets.UTF_8).strip();
  }

  static synchronized TestCredentials get() throws IOException {
    if (made == null) {
      made = make();
    }
    return made;
  }

  Path path(String name) {
    return dir.resolve(name);
  }

  /** A client of {@code target} calling as alice (her token), plaintext. */
  MediagateClient alice(String target) throws IOException {
    return MediagateClient.newBuilder(target).token(aliceToken).build();
  }

  private static TestCredentials make() throws IOException {
    Path dir = Files.createTempDirectory("mediagate-java-credentials-");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> remove(dir)));
    Path root = MediagateServer.repositoryRoot();
    ProcessBuilder builder = new ProcessBuilder(List.of(
        MediagateServer.python().toString(), "-m", "tests.support.client_credentials", dir.toString()));
    builder.directory(root.toFile());
    String pythonPath = System.getenv("PYTHONPATH");
    builder.environment().put("PYTHONPATH",
        pythonPath == null || pythonPath.isEmpty() ? root.toString() : root + ":" + pythonPath);
    builder.redirectErrorStream(true);
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException("tests.support.client_credentials failed:\n"
            + new String(output, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making test credentials", e);
    }
    return new TestCredentials(dir);
  }

  private static void remove(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
