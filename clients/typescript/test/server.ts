// Starts a real mediagate server for the tests: `python -m mediagate serve` on a free port with a
// throwaway data dir and auth on, ready when its stderr says "listening on 127.0.0.1:PORT".
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

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

/** The repository's root (the client package is clients/typescript). */
export const REPO_ROOT = join(PACKAGE_DIR, "..", "..");

/** The Python that runs the server (and the Genesys fake): MEDIAGATE_PYTHON, or the repository's .venv. */
export function pythonPath(): string {
  return process.env.MEDIAGATE_PYTHON ?? join(REPO_ROOT, ".venv", "bin", "python");
}

/** This run's callers and certificates (tests/support/client_credentials.py). */
export interface TestCredentials {
  dir: string;
  /** Tenant acme; also the client certificate CN=alice. */
  aliceToken: string;
  /** Tenant globex. */
  bobToken: string;
  path(name: string): string;
  remove(): Promise<void>;
}

/**
 * Makes a callers file (alice of tenant acme, bob of tenant globex), their tokens, a CA, a server
 * certificate and alice's client certificate in a fresh folder, with the repository's script.
 */
export async function makeCredentials(): Promise<TestCredentials> {
  const dir = await mkdtemp(join(tmpdir(), "mediagate-ts-credentials-"));
  const pythonPathEnv = [REPO_ROOT, process.env.PYTHONPATH].filter(Boolean).join(":");
  await promisify(execFile)(pythonPath(), ["-m", "tests.support.client_credentials", dir], {
    cwd: REPO_ROOT,
    env: { ...process.env, PYTHONPATH: pythonPathEnv },
  });
  const path = (name: string) => join(dir, name);
  const token = async (name: string) => (await readFile(path(`${name}.token`), "utf8")).trim();
  return {
    dir,
    aliceToken: await token("alice"),
    bobToken: await token("bob"),
    path,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Starts a server with the settings every test server has (auth on with `credentials`' callers
 * file), plus `extraEnv` (which wins). With MEDIAGATE_TLS_CERT_FILE in it, baseUrl is https://.
 */
export async function startServer(
  credentials: TestCredentials,
  extraEnv: Record<string, string> = {},
): Promise<RunningServer> {
  const python = pythonPath();
  const dataDir = await mkdtemp(join(tmpdir(), "mediagate-ts-"));
  const child: ChildProcess = spawn(python, ["-m", "mediagate", "serve"], {
    env: {
      ...process.env,
      MEDIAGATE_PORT: "0",
      MEDIAGATE_HOST: "127.0.0.1",
      MEDIAGATE_DATA_DIR: dataDir,
      MEDIAGATE_WORKERS: "1",
      // The HTTP media endpoint on a free port too (its default is 8080), so that several servers
      // (this suite's two, another client's) can run at once.
      MEDIAGATE_MEDIA_PORT: "0",
      MEDIAGATE_METRICS_PORT: "0",
      MEDIAGATE_AUTH_CALLERS_FILE: credentials.path("callers.toml"),
      ...extraEnv,
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
    baseUrl: `${extraEnv.MEDIAGATE_TLS_CERT_FILE ? "https" : "http"}://127.0.0.1:${port}`,
    log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const code = await exited;
      await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

const FAKE_LISTENING = /^fake genesys listening on (http:\/\/\S+) integration=(\S+)$/;
const FAKE_CONVERSATION = /^conversation=(\S+)$/;

export interface FakeGenesys {
  baseUrl: string;
  integrationId: string;
  /** A conversation the fake made at start, ready for UPLOAD deliveries. */
  conversationId: string;
  /** Every line it printed. */
  log: string[];
  stop(): Promise<number | null>;
}

/**
 * Starts the local Genesys Cloud fake (`python -m tests.fakes.genesys --port 0`, from the
 * repository root) and reads its two stdout lines: its URL and integration id, then a
 * conversation id. stop() sends SIGTERM and waits for the exit.
 */
export async function startFakeGenesys(): Promise<FakeGenesys> {
  const python = pythonPath();
  const child = spawn(python, ["-m", "tests.fakes.genesys", "--port", "0"], {
    cwd: REPO_ROOT,
    env: { ...process.env, PYTHONPATH: REPO_ROOT },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  createInterface({ input: child.stderr! }).on("line", (line) => log.push(line));
  const lines: string[] = [];
  const ready = new Promise<[RegExpExecArray, RegExpExecArray]>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the Genesys fake did not print its two lines within ${START_TIMEOUT_MS} ms:\n${log.join("\n")}`)),
      START_TIMEOUT_MS,
    );
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${python}: ${error.message}`));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the Genesys fake exited (${code ?? signal}) before it was ready:\n${log.join("\n")}`));
    });
    createInterface({ input: child.stdout! }).on("line", (line) => {
      log.push(line);
      lines.push(line);
      if (lines.length !== 2) return;
      clearTimeout(timer);
      const listening = FAKE_LISTENING.exec(lines[0]!);
      const conversation = FAKE_CONVERSATION.exec(lines[1]!);
      if (listening && conversation) resolve([listening, conversation]);
      else reject(new Error(`unexpected output from the Genesys fake:\n${lines.join("\n")}`));
    });
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    return exited;
  };
  try {
    const [listening, conversation] = await ready;
    return {
      baseUrl: listening[1]!,
      integrationId: listening[2]!,
      conversationId: conversation[1]!,
      log,
      stop,
    };
  } catch (error) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
    throw error;
  }
}
