package dev.mediagate.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real mediagate server in a child process: {@code python -m mediagate serve} on a free port of
 * 127.0.0.1 with its own data directory and auth on (the callers file of {@link TestCredentials}). The port comes from the "listening on 127.0.0.1:PORT"
 * line on stderr; a reader thread keeps draining stderr afterwards (keeping its last lines for
 * failure messages). {@link #stop()} sends SIGTERM and waits for the exit.
 */
final class MediagateServer {

  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final long START_TIMEOUT_SECONDS = 120;
  private static final long STOP_TIMEOUT_SECONDS = 30;

  private final Process process;
  private final int port;
  private final Deque<String> lastLines = new ArrayDeque<>();

  private MediagateServer(Path python, Path dataDir, Map<String, String> extraEnv) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(List.of(python.toString(), "-m", "mediagate", "serve"));
    builder.environment().put("MEDIAGATE_PORT", "0");
    builder.environment().put("MEDIAGATE_HOST", "127.0.0.1");
    builder.environment().put("MEDIAGATE_DATA_DIR", dataDir.toString());
    builder.environment().put("MEDIAGATE_WORKERS", "1");
    // The HTTP media endpoint on a free port too (its default is 8080), so that several servers
    // (this suite's two, another client's) can run at once.
    builder.environment().put("MEDIAGATE_MEDIA_PORT", "0");
    builder.environment().put("MEDIAGATE_METRICS_PORT", "0");
    // Auth on: only this run's callers (TestCredentials) get in.
    builder.environment().put("MEDIAGATE_AUTH_CALLERS_FILE",
        TestCredentials.get().path("callers.toml").toString());
    builder.environment().putAll(extraEnv);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    process = builder.start();
    process.getOutputStream().close();

    CompletableFuture<Integer> listening = new CompletableFuture<>();
    Thread reader = new Thread(() -> drain(listening), "mediagate-stderr");
    reader.setDaemon(true);
    reader.start();
    try {
      port = listening.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IOException("mediagate did not start: " + e.getMessage() + "\n" + stderrTail(), e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting mediagate", e);
    }
  }

  /**
   * Starts a server with the interpreter from MEDIAGATE_PYTHON, or the repository's
   * .venv/bin/python two levels above this client's folder (the working directory of the tests).
   */
  static MediagateServer start(Path dataDir) throws IOException {
    return start(dataDir, Map.of());
  }

  /** A server with the settings every test server has, plus {@code extraEnv} (which wins). */
  static MediagateServer start(Path dataDir, Map<String, String> extraEnv) throws IOException {
    return new MediagateServer(python(), dataDir, extraEnv);
  }

  /** MEDIAGATE_PYTHON, or the repository's .venv/bin/python. */
  static Path python() throws IOException {
    String configured = System.getenv("MEDIAGATE_PYTHON");
    Path python = configured != null && !configured.isEmpty()
        ? Path.of(configured)
        : repositoryRoot().resolve(".venv/bin/python");
    if (!Files.isExecutable(python)) {
      throw new IOException("no Python interpreter at " + python
          + " (set MEDIAGATE_PYTHON, or run `make setup` at the repository root)");
    }
    return python;
  }

  /** The repository's root: two levels above this client's folder (the tests' working directory). */
  static Path repositoryRoot() {
    return Path.of("../..").toAbsolutePath().normalize();
  }

  String target() {
    return "127.0.0.1:" + port;
  }

  private void drain(CompletableFuture<Integer> listening) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        remember(line);
        if (!listening.isDone()) {
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            listening.complete(Integer.parseInt(m.group(1)));
          }
        }
      }
    } catch (IOException e) {
      listening.completeExceptionally(e);
    }
    listening.completeExceptionally(new IOException("stderr closed before the listening line"));
  }

  private void remember(String line) {
    synchronized (lastLines) {
      lastLines.addLast(line);
      if (lastLines.size() > 40) {
        lastLines.removeFirst();
      }
    }
  }

  String stderrTail() {
    synchronized (lastLines) {
      return String.join("\n", lastLines);
    }
  }

  /** SIGTERM, then waits for a graceful exit; returns the exit code. */
  int stop() throws InterruptedException {
    process.destroy(); // SIGTERM on Linux
    if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException("mediagate ignored SIGTERM for " + STOP_TIMEOUT_SECONDS + " s\n"
          + stderrTail());
    }
    return process.exitValue();
  }
}
