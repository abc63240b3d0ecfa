package dev.mediagate.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local Genesys Cloud fake in a child process: {@code python -m tests.fakes.genesys --port 0}
 * from the repository root. It prints {@code fake genesys listening on URL integration=ID} and then
 * {@code conversation=ID} (a conversation ready for UPLOAD deliveries); {@link #stop()} sends
 * SIGTERM.
 */
final class FakeGenesys {

  private static final Pattern LISTENING =
      Pattern.compile("^fake genesys listening on (http://\\S+) integration=(\\S+)$");
  private static final Pattern CONVERSATION = Pattern.compile("^conversation=(\\S+)$");
  private static final long START_TIMEOUT_SECONDS = 60;
  private static final long STOP_TIMEOUT_SECONDS = 30;

  private final Process process;
  private final Deque<String> lastLines = new ArrayDeque<>();
  final String baseUrl;
  final String integrationId;
  final String conversationId;

  private FakeGenesys() throws IOException {
    ProcessBuilder builder = new ProcessBuilder(List.of(
        MediagateServer.python().toString(), "-m", "tests.fakes.genesys", "--port", "0"));
    builder.directory(MediagateServer.repositoryRoot().toFile());
    builder.environment().put("PYTHONPATH", MediagateServer.repositoryRoot().toString());
    builder.redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    process = builder.start();
    process.getOutputStream().close();

    CompletableFuture<List<String>> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> drain(ready), "genesys-fake-output");
    reader.setDaemon(true);
    reader.start();
    List<String> lines;
    try {
      lines = ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IOException("the Genesys fake did not start: " + e.getMessage() + "\n" + outputTail(), e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the Genesys fake", e);
    }
    Matcher listening = LISTENING.matcher(lines.get(0));
    Matcher conversation = CONVERSATION.matcher(lines.get(1));
    if (!listening.matches() || !conversation.matches()) {
      process.destroyForcibly();
      throw new IOException("unexpected output from the Genesys fake:\n" + String.join("\n", lines));
    }
    baseUrl = listening.group(1);
    integrationId = listening.group(2);
    conversationId = conversation.group(1);
  }

  static FakeGenesys start() throws IOException {
    return new FakeGenesys();
  }

  /** Reads every line until EOF; the first two that look like the fake's own complete {@code ready}. */
  private void drain(CompletableFuture<List<String>> ready) {
    List<String> first = new java.util.ArrayList<>();
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        remember(line);
        if (first.size() < 2 && (line.startsWith("fake genesys listening on ") || line.startsWith("conversation="))) {
          first.add(line);
          if (first.size() == 2) {
            ready.complete(List.copyOf(first));
          }
        }
      }
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
    ready.completeExceptionally(new IOException("output closed before the fake was ready"));
  }

  private void remember(String line) {
    synchronized (lastLines) {
      lastLines.addLast(line);
      if (lastLines.size() > 40) {
        lastLines.removeFirst();
      }
    }
  }

  String outputTail() {
    synchronized (lastLines) {
      return String.join("\n", lastLines);
    }
  }

  /** SIGTERM, then waits for the exit; returns the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException("the Genesys fake ignored SIGTERM for " + STOP_TIMEOUT_SECONDS + " s\n"
          + outputTail());
    }
    return process.exitValue();
  }
}
