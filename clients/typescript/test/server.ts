// Starts a real mediagate server for the tests: `python -m mediagate serve` on a free port with a
// throwaway data dir, ready when its stderr says "listening on 127.0.0.1:PORT".
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The client package folder (this file compiles to build-test/test/server.js). */
const PACKAGE_DIR = fileURLToPath(new URL("../..", import.meta.url));
const READY = /listening on 127\.0\.0\.1:(\d+)/;
const START_TIMEOUT_MS = 60_000;

export interface RunningServer {
  baseUrl: string;
  /** Every stderr line so far (the server keeps logging; we keep reading). */
  log: string[];
  stop(): Promise<number | null>;
}

export async function startServer(): Promise<RunningServer> {
  const python = process.env.MEDIAGATE_PYTHON ?? join(PACKAGE_DIR, "..", "..", ".venv", "bin", "python");
  const dataDir = await mkdtemp(join(tmpdir(), "mediagate-ts-"));
  const child: ChildProcess = spawn(python, ["-m", "mediagate", "serve"], {
    env: {
      ...process.env,
      MEDIAGATE_PORT: "0",
      MEDIAGATE_HOST: "127.0.0.1",
      MEDIAGATE_DATA_DIR: dataDir,
      MEDIAGATE_WORKERS: "1",
    },
    stdio: ["ignore", "inherit", "pipe"],
  });
  const log: string[] = [];
  // Not events.once(): that would also reject on a spawn "error", unhandled.
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`mediagate did not report listening within ${START_TIMEOUT_MS} ms:\n${log.join("\n")}`)),
      START_TIMEOUT_MS,
    );
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${python}: ${error.message}`));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`mediagate exited (${code ?? signal}) before listening:\n${log.join("\n")}`));
    });
    // Drained line by line for the whole life of the process, so the pipe never fills up.
    createInterface({ input: child.stderr! }).on("line", (line) => {
      log.push(line);
      const match = READY.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  }).catch(async (error: unknown) => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const code = await exited;
      await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
