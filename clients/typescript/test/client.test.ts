// End to end against a real mediagate server with auth on: upload -> preview -> download,
// rejections read through errorDetails(), and credentials (tokens, tenants, TLS).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";

import { Code, ConnectError } from "@connectrpc/connect";
import {
  type Attachment,
  createMediagateClient,
  type Delivery,
  deliver,
  deliverAndWait,
  DeliveryMethod,
  DeliveryState,
  downloadTo,
  ErrorReason,
  errorDetails,
  ImportState,
  isFinal,
  type MediagateClient,
  RECOMMENDED_CHUNK_SIZE,
  RejectionReason,
  uploadFile,
  uploadRequests,
  watchDelivery,
  WatchEndedError,
} from "@mediagate/client";

import { jpeg, pdf, png } from "./samples.js";
import {
  type FakeGenesys,
  makeCredentials,
  type RunningServer,
  startFakeGenesys,
  startServer,
  type TestCredentials,
} from "./server.js";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("mediagate TypeScript client against a real server", () => {
  let credentials: TestCredentials;
  let server: RunningServer;
  let client: MediagateClient;
  let work: string;
  const image = png(64, 48);
  let uploaded: Attachment;
  /** The suite's caller: alice, tenant acme. */
  const asAlice = (baseUrl: string) => createMediagateClient(baseUrl, { credentials: { token: credentials.aliceToken } });

  before(async () => {
    credentials = await makeCredentials();
    server = await startServer(credentials);
    client = asAlice(server.baseUrl);
    work = await mkdtemp(join(tmpdir(), "mediagate-ts-client-"));
  });

  after(async () => {
    const code = await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
    await credentials?.remove();
    assert.equal(code, 0, `server exit code after SIGTERM; log:\n${server?.log.join("\n")}`);
  });

  test("uploadFile streams a PNG file (header first) and the server stores those bytes", async () => {
    const path = join(work, "photo.png");
    await writeFile(path, image);
    uploaded = await uploadFile(client, path, { declaredMimeType: "image/png", labels: { test: "ts" } });
    assert.match(uploaded.name, /^attachments\/[0-9a-f]{32}$/);
    assert.equal(uploaded.fileName, "photo.png");
    assert.equal(uploaded.detectedMimeType, "image/png");
    assert.equal(uploaded.declaredMimeType, "image/png");
    assert.equal(uploaded.sha256, sha256(image));
    assert.equal(uploaded.sizeBytes, BigInt(image.length));
    assert.equal(uploaded.profile, "web-messaging");
    assert.deepEqual(uploaded.labels, { test: "ts" });
    assert.equal(uploaded.media.case, "image");
    assert.equal(uploaded.media.value?.width, 64);
    assert.equal(uploaded.media.value?.height, 48);
  });

  test("GetPreview renders WebP by default, within the 300 px box", async () => {
    const preview = await client.getPreview({ name: uploaded.name });
    assert.equal(preview.mimeType, "image/webp");
    assert.ok(preview.width > 0 && preview.width <= 300, `width ${preview.width}`);
    assert.ok(preview.height > 0 && preview.height <= 300, `height ${preview.height}`);
    // An image is never enlarged: 64x48 stays 64x48.
    assert.deepEqual([preview.width, preview.height], [64, 48]);
    const content = Buffer.from(preview.content);
    assert.equal(content.subarray(0, 4).toString("latin1"), "RIFF");
    assert.equal(content.subarray(8, 12).toString("latin1"), "WEBP");
    assert.equal(preview.sizeBytes, BigInt(content.length));
    assert.equal(preview.source?.width, 64);
    assert.equal(preview.source?.height, 48);
  });

  test("downloadTo writes the same bytes to a file and to a Writable", async () => {
    const target = join(work, "downloaded.png");
    const result = await downloadTo(client, uploaded.name, target);
    assert.equal(result.attachment.name, uploaded.name);
    assert.equal(result.bytesWritten, image.length);
    assert.ok(Buffer.compare(await readFile(target), image) === 0, "downloaded file differs");

    const parts: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        parts.push(chunk);
        done();
      },
    });
    await downloadTo(client, uploaded.name, sink);
    assert.ok(Buffer.compare(Buffer.concat(parts), image) === 0, "downloaded stream differs");

    const tail = await downloadTo(client, uploaded.name, join(work, "tail.bin"), { readOffset: 8n, readLimit: 16n });
    assert.equal(tail.bytesWritten, 16);
    assert.ok(Buffer.compare(await readFile(join(work, "tail.bin")), image.subarray(8, 24)) === 0);
  });

  test("uploadRequests sends the header, then the stream re-cut to exactly the chunk size", async () => {
    const big = png(800, 600, true); // noise: ~1.4 MB, two 1 MiB chunks
    const pieces = function* () {
      for (let at = 0; at < big.length; at += 100_003) yield big.subarray(at, at + 100_003);
    };
    const sent = [];
    for await (const request of uploadRequests({ fileName: "noise.png" }, pieces())) sent.push(request);
    assert.equal(sent[0]?.content?.case, "header");
    const sizes = sent.slice(1).map((r) => (r.content?.case === "chunk" ? r.content.value.length : -1));
    assert.deepEqual(sizes, [RECOMMENDED_CHUNK_SIZE, big.length - RECOMMENDED_CHUNK_SIZE]);

    async function* stream() {
      yield* pieces();
    }
    const attachment = await uploadFile(client, stream(), { fileName: "noise.png" });
    assert.equal(attachment.sha256, sha256(big));
    assert.equal(attachment.sizeBytes, BigInt(big.length));
    assert.equal(attachment.detectedMimeType, "image/png");

    // Small chunks and a caller-supplied sha256 (verified by the server).
    const small = await uploadFile(client, image, { fileName: "again.png", sha256: sha256(image) }, { chunkSize: 1000 });
    assert.equal(small.sha256, sha256(image));
    await assert.rejects(uploadFile(client, image, {}, { chunkSize: RECOMMENDED_CHUNK_SIZE + 1 }), RangeError);
  });

  test("a repeated idempotency_key returns the first attachment; other bytes are refused", async () => {
    const first = await uploadFile(client, image, { fileName: "once.png", idempotencyKey: "ts-retry-1" });
    const again = await uploadFile(client, image, { fileName: "twice.png", idempotencyKey: "ts-retry-1" });
    assert.equal(again.name, first.name);
    assert.equal(again.fileName, "once.png");
    // With the sha256 declared, the server answers from the header.
    const declared = { fileName: "thrice.png", idempotencyKey: "ts-retry-1", sha256: sha256(image) };
    assert.equal((await uploadFile(client, image, declared)).name, first.name);
    const other = png(800, 600, true);
    let caught: unknown;
    try {
      await uploadFile(client, other, { fileName: "other.png", idempotencyKey: "ts-retry-1" });
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof ConnectError, `expected a ConnectError, got ${String(caught)}`);
    assert.equal(caught.code, Code.AlreadyExists);
    const details = errorDetails(caught);
    assert.deepEqual(
      details.map((d) => [d.kind, d.reason]),
      [["error", "IDEMPOTENCY_KEY_REUSED"]],
    );
  });

  test("a PDF declared as image/png is refused: INVALID_ARGUMENT, RejectionReason.TYPE_MISMATCH", async () => {
    const before = (await client.listAttachments({ pageSize: 1000 })).attachments.length;
    const doc = pdf();
    let caught: unknown;
    try {
      await uploadFile(client, doc, { fileName: "doc.pdf", declaredMimeType: "image/png" });
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof ConnectError, `expected a ConnectError, got ${String(caught)}`);
    assert.equal(caught.code, Code.InvalidArgument);
    const details = errorDetails(caught);
    assert.ok(details.length >= 1, "no ErrorInfo details");
    const [first] = details;
    assert.equal(first?.kind, "rejection");
    assert.equal(first?.reason, "TYPE_MISMATCH");
    assert.equal(first?.enumValue, RejectionReason.TYPE_MISMATCH);
    assert.equal(first?.metadata.declared_mime_type, "image/png");
    assert.equal(first?.metadata.detected_mime_type, "application/pdf");
    const after = (await client.listAttachments({ pageSize: 1000 })).attachments.length;
    assert.equal(after, before, "a refused file must not be kept");

    // Validate answers the same question without failing.
    const verdict = await client.validate(
      uploadRequests({ fileName: "doc.pdf", declaredMimeType: "image/png" }, [doc]),
    );
    assert.equal(verdict.accepted, false);
    assert.equal(verdict.rejections[0]?.reason, RejectionReason.TYPE_MISMATCH);
  });

  test("a declared size over the limit is refused before the chunks: TOO_LARGE with limit and actual", async () => {
    const size = 12 * 1024 * 1024;
    async function* zeros() {
      for (let sent = 0; sent < size; sent += RECOMMENDED_CHUNK_SIZE) yield new Uint8Array(RECOMMENDED_CHUNK_SIZE);
    }
    await assert.rejects(
      uploadFile(client, zeros(), { fileName: "big.bin", declaredSizeBytes: BigInt(size) }),
      (error: unknown) => {
        assert.ok(error instanceof ConnectError);
        assert.equal(error.code, Code.InvalidArgument);
        const [first] = errorDetails(error);
        assert.equal(first?.kind, "rejection");
        assert.equal(first?.enumValue, RejectionReason.TOO_LARGE);
        assert.equal(first?.metadata.actual, String(size));
        assert.equal(first?.metadata.limit, String(10 * 1024 * 1024)); // the web-messaging profile
        return true;
      },
    );
  });

  test("errorDetails maps protocol reasons to ErrorReason", async () => {
    const missing = `attachments/${"0".repeat(32)}`;
    await assert.rejects(client.getAttachment({ name: missing }), (error: unknown) => {
      assert.ok(error instanceof ConnectError);
      assert.equal(error.code, Code.NotFound);
      assert.deepEqual(errorDetails(error), [
        { kind: "error", reason: "ATTACHMENT_NOT_FOUND", enumValue: ErrorReason.ATTACHMENT_NOT_FOUND, metadata: { name: missing } },
      ]);
      return true;
    });
    await assert.rejects(client.getAttachment({ name: "photo.png" }), (error: unknown) => {
      assert.equal(errorDetails(error)[0]?.enumValue, ErrorReason.INVALID_NAME);
      return true;
    });
    assert.deepEqual(errorDetails(new Error("not an RPC error")), []);
  });

  test("deliver without Genesys settings: FAILED_PRECONDITION, ErrorReason.DELIVERY_NOT_CONFIGURED", async () => {
    const attachment = await uploadFile(client, jpeg(16, 16), { fileName: "photo.jpg" });
    await assert.rejects(
      deliver(client, attachment.name, "conversation-1", DeliveryMethod.UPLOAD, { idempotencyKey: "ts-not-configured" }),
      (error: unknown) => {
        assert.ok(error instanceof ConnectError);
        assert.equal(error.code, Code.FailedPrecondition);
        const [first] = errorDetails(error);
        assert.equal(first?.kind, "error");
        assert.equal(first?.reason, "DELIVERY_NOT_CONFIGURED");
        assert.equal(first?.enumValue, ErrorReason.DELIVERY_NOT_CONFIGURED);
        return true;
      },
    );
  });

  /** Asserts that `call` fails with `code` and the ErrorInfo reason `reason`. */
  const refused = (call: Promise<unknown>, code: Code, reason: ErrorReason) =>
    assert.rejects(call, (error: unknown) => {
      assert.ok(error instanceof ConnectError, String(error));
      assert.equal(error.code, code, error.message);
      assert.equal(errorDetails(error)[0]?.enumValue, reason, error.message);
      return true;
    });

  describe("credentials", () => {
    test("without a token, or with an unknown one, calls are UNAUTHENTICATED", async () => {
      const name = uploaded.name;
      const anonymous = createMediagateClient(server.baseUrl);
      await refused(anonymous.getAttachment({ name }), Code.Unauthenticated, ErrorReason.UNAUTHENTICATED);
      await refused(
        uploadFile(anonymous, png(8, 8), { fileName: "anonymous.png" }),
        Code.Unauthenticated,
        ErrorReason.UNAUTHENTICATED,
      );
      const stranger = createMediagateClient(server.baseUrl, { credentials: { token: "mgt_not-a-token-anyone-was-given" } });
      await refused(stranger.getAttachment({ name }), Code.Unauthenticated, ErrorReason.UNAUTHENTICATED);
    });

    test("another tenant's attachment is NOT_FOUND: get, download, delete, list", async () => {
      const mine = await uploadFile(client, png(12, 12), { fileName: "alice.png" });
      const bob = createMediagateClient(server.baseUrl, { credentials: { token: credentials.bobToken } });
      const notFound = ErrorReason.ATTACHMENT_NOT_FOUND;
      await refused(bob.getAttachment({ name: mine.name }), Code.NotFound, notFound);
      const received: Uint8Array[] = [];
      const sink = new Writable({ write: (chunk: Uint8Array, _encoding, done) => (received.push(chunk), done()) });
      await refused(downloadTo(bob, mine.name, sink), Code.NotFound, notFound);
      assert.equal(received.length, 0);
      await refused(bob.deleteAttachment({ name: mine.name }), Code.NotFound, notFound);
      const listed = await bob.listAttachments({});
      assert.ok(!listed.attachments.some((a) => a.name === mine.name), "bob's list shows alice's attachment");
      assert.equal((await client.getAttachment({ name: mine.name })).sha256, mine.sha256);
    });

    // TLS with bearer tokens (no client CA: the token is the credential).
    describe("over TLS", () => {
      let tlsServer: RunningServer;

      before(async () => {
        tlsServer = await startServer(credentials, {
          MEDIAGATE_TLS_CERT_FILE: credentials.path("server.crt"),
          MEDIAGATE_TLS_KEY_FILE: credentials.path("server.key"),
        });
      });

      after(async () => {
        const code = await tlsServer?.stop();
        assert.equal(code, 0, `TLS server exit code after SIGTERM; log:\n${tlsServer?.log.join("\n")}`);
      });

      test("a token over https:// trusting this run's CA works; without the CA or the token it does not", async () => {
        assert.match(tlsServer.baseUrl, /^https:/);
        const ca = { file: credentials.path("ca.pem") };
        const alice = createMediagateClient(tlsServer.baseUrl, { credentials: { token: credentials.aliceToken, ca } });
        const stored = await uploadFile(alice, image, { fileName: "over-tls.png" });
        assert.equal(stored.sha256, sha256(image));
        assert.equal((await alice.getAttachment({ name: stored.name })).sha256, stored.sha256);

        const anonymous = createMediagateClient(tlsServer.baseUrl, { credentials: { ca } });
        await refused(anonymous.getAttachment({ name: stored.name }), Code.Unauthenticated, ErrorReason.UNAUTHENTICATED);
        // Node's own trust store does not know this run's CA.
        const untrusting = createMediagateClient(tlsServer.baseUrl, { credentials: { token: credentials.aliceToken } });
        // (connect-node reports the failed handshake as INTERNAL "unable to verify the first certificate").
        await assert.rejects(untrusting.getAttachment({ name: stored.name }), (error: unknown) => {
          assert.ok(error instanceof ConnectError);
          assert.match(error.message, /certificate/, error.message);
          return true;
        });
      });

      test("TLS settings on an http:// URL are refused at once", () => {
        assert.throws(
          () => createMediagateClient(server.baseUrl, { credentials: { ca: { file: credentials.path("ca.pem") } } }),
          /https:\/\//,
        );
      });
    });
  });

  // A server that may fetch from plain-http loopback URLs (production: https, Genesys hosts).
  describe("importFromUrl and listImports", () => {
    let importing: RunningServer;
    let imports: MediagateClient;
    let files: Server;
    let filesUrl: string;
    const photo = png(40, 30);

    before(async () => {
      files = createServer((_request, response) => {
        response.writeHead(200, { "Content-Type": "image/png", "Content-Length": photo.length });
        response.end(photo);
      });
      await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
      filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
      importing = await startServer(credentials, {
        MEDIAGATE_IMPORT_ALLOWED_HOSTS: "127.0.0.1",
        MEDIAGATE_IMPORT_ALLOW_HTTP: "true",
        MEDIAGATE_IMPORT_ALLOWED_NETWORKS: "127.0.0.1/32",
      });
      imports = asAlice(importing.baseUrl);
    });

    after(async () => {
      const code = await importing?.stop();
      await new Promise((resolve) => files?.close(resolve));
      assert.equal(code, 0, `import server exit code after SIGTERM; log:\n${importing?.log.join("\n")}`);
    });

    test("a URL's file becomes an Attachment; a metadata address is URL_NOT_ALLOWED; both are listed", async () => {
      const attachment = await imports.importFromUrl({
        url: `${filesUrl}/photo.png?signature=secret`,
        header: { fileName: "photo.png", conversationId: "ts-imports", sha256: sha256(photo) },
      });
      assert.equal(attachment.sha256, sha256(photo));
      assert.equal(attachment.detectedMimeType, "image/png");

      await assert.rejects(
        imports.importFromUrl({ url: "http://169.254.169.254/latest/meta-data/", header: { conversationId: "ts-imports" } }),
        (error: unknown) => {
          assert.ok(error instanceof ConnectError);
          assert.equal(error.code, Code.InvalidArgument);
          const [first] = errorDetails(error);
          assert.equal(first?.enumValue, ErrorReason.URL_NOT_ALLOWED);
          assert.equal(first?.metadata.why, "host");
          return true;
        },
      );

      const listed = await imports.listImports({ conversationId: "ts-imports" });
      const [refused, accepted] = listed.imports; // newest first
      assert.equal(listed.imports.length, 2);
      assert.equal(accepted?.state, ImportState.ACCEPTED);
      assert.equal(accepted?.attachment, attachment.name);
      assert.equal(accepted?.url, `${filesUrl}/photo.png`, "the query (a signature) is never shown");
      assert.equal(refused?.state, ImportState.FAILED);
      assert.equal(refused?.reason, "URL_NOT_ALLOWED");
    });
  });

  // A second server pointed at the local Genesys Cloud fake.
  describe("delivery into Genesys Cloud (tests/fakes/genesys)", () => {
    let fake: FakeGenesys;
    let genesysServer: RunningServer;
    let genesys: MediagateClient;
    // The server's first delivery waits for its Genesys SDK to load (~15 s of CPU).
    const WATCH_DEADLINE_MS = 120_000;

    before(async () => {
      fake = await startFakeGenesys();
      genesysServer = await startServer(credentials, {
        MEDIAGATE_GENESYS_CLIENT_ID: "mediagate-test",
        MEDIAGATE_GENESYS_CLIENT_SECRET: "s3cret",
        MEDIAGATE_GENESYS_BASE_URL: fake.baseUrl,
        MEDIAGATE_GENESYS_INTEGRATION_ID: fake.integrationId,
        MEDIAGATE_GENESYS_REQUESTS_PER_SECOND: "0",
      });
      genesys = asAlice(genesysServer.baseUrl);
    });

    after(async () => {
      const code = await genesysServer?.stop();
      const fakeCode = await fake?.stop();
      assert.equal(code, 0, `delivery server exit code after SIGTERM; log:\n${genesysServer?.log.join("\n")}`);
      assert.equal(fakeCode, 0, `Genesys fake exit code after SIGTERM; log:\n${fake?.log.join("\n")}`);
    });

    test(
      "deliverAndWait by UPLOAD: DELIVERED via PENDING, UPLOADING, VALIDATED; the same key is the same delivery",
      { timeout: WATCH_DEADLINE_MS + 30_000 },
      async () => {
        const attachment = await uploadFile(genesys, jpeg(48, 32), {
          fileName: "photo.jpg",
          declaredMimeType: "image/jpeg",
          conversationId: fake.conversationId,
        });
        assert.equal(attachment.detectedMimeType, "image/jpeg");

        const idempotencyKey = `ts-client-${process.pid}-${Date.now()}`;
        const seen: DeliveryState[] = [];
        const delivery = await deliverAndWait(genesys, attachment.name, fake.conversationId, DeliveryMethod.UPLOAD, {
          idempotencyKey,
          watch: {
            onState: (d) => seen.push(d.state),
            callOptions: { signal: AbortSignal.timeout(WATCH_DEADLINE_MS) },
          },
        }).catch((error: unknown) => {
          throw new Error(`deliverAndWait: ${String(error)}\nserver log:\n${genesysServer.log.join("\n")}`);
        });

        const expected = [DeliveryState.PENDING, DeliveryState.UPLOADING, DeliveryState.VALIDATED, DeliveryState.DELIVERED];
        assert.equal(delivery.state, DeliveryState.DELIVERED, `failure: ${JSON.stringify(delivery.failure)}`);
        assert.deepEqual(
          delivery.history.map((t) => t.state),
          expected,
        );
        assert.ok(delivery.platformMediaId.length > 0, "platform_media_id is empty");
        assert.equal(delivery.attachment, attachment.name);
        assert.equal(delivery.conversationId, fake.conversationId);
        assert.equal(delivery.method, DeliveryMethod.UPLOAD);
        assert.equal(delivery.idempotencyKey, idempotencyKey);
        // onState saw states in order (a watcher that falls behind may skip, never reorder), ending DELIVERED.
        assert.equal(seen.at(-1), DeliveryState.DELIVERED);
        assert.deepEqual(seen, expected.filter((s) => seen.includes(s)));

        const again = await deliver(genesys, attachment.name, fake.conversationId, DeliveryMethod.UPLOAD, { idempotencyKey });
        assert.equal(again.name, delivery.name);
        assert.equal(again.state, DeliveryState.DELIVERED);

        // A finished delivery's watch answers with its final state at once.
        const watched = await watchDelivery(genesys, delivery.name);
        assert.equal(watched.state, DeliveryState.DELIVERED);
      },
    );
  });
});

// watchDelivery's own logic against a fake client: what it does when a watch ends early.
describe("watchDelivery against scripted streams", () => {
  type Step = DeliveryState | Error;
  function fakeClient(streams: Step[][]): { client: MediagateClient; calls: () => number } {
    let calls = 0;
    const client = {
      watchDelivery(): AsyncIterable<Delivery> {
        const steps = streams[calls++] ?? [new ConnectError("no more scripted streams", Code.Internal)];
        return (async function* () {
          for (const step of steps) {
            if (step instanceof Error) throw step;
            yield { name: "deliveries/d1", state: step } as Delivery;
          }
        })();
      },
    } as unknown as MediagateClient;
    return { client, calls: () => calls };
  }
  const { PENDING, UPLOADING, VALIDATED, DELIVERED } = DeliveryState;

  test("a watch that ends early or drops is opened again; states are reported once, in order", async () => {
    const { client, calls } = fakeClient([
      [PENDING, UPLOADING],
      [UPLOADING, new ConnectError("connection dropped", Code.Unavailable)],
      [UPLOADING, VALIDATED, DELIVERED],
    ]);
    const seen: DeliveryState[] = [];
    const final = await watchDelivery(client, "deliveries/d1", { onState: (d) => seen.push(d.state) });
    assert.equal(final.state, DELIVERED);
    assert.deepEqual(seen, [PENDING, UPLOADING, VALIDATED, DELIVERED]);
    assert.equal(calls(), 3);
  });

  test("gives up with WatchEndedError after maxReopens", async () => {
    const { client, calls } = fakeClient([[PENDING], [PENDING], [PENDING]]);
    await assert.rejects(watchDelivery(client, "deliveries/d1", { maxReopens: 2 }), (error: unknown) => {
      assert.ok(error instanceof WatchEndedError);
      assert.equal(error.lastSeen?.state, PENDING);
      return true;
    });
    assert.equal(calls(), 3);
  });

  test("other stream errors reject at once", async () => {
    const { client, calls } = fakeClient([[new ConnectError("no such delivery", Code.NotFound)], [DELIVERED]]);
    await assert.rejects(watchDelivery(client, "deliveries/d1"), (error: unknown) => {
      assert.ok(error instanceof ConnectError);
      assert.equal(error.code, Code.NotFound);
      return true;
    });
    assert.equal(calls(), 1);
  });

  test("isFinal", () => {
    assert.deepEqual(
      Object.values(DeliveryState).filter((v): v is DeliveryState => typeof v === "number" && isFinal(v)),
      [DeliveryState.DELIVERED, DeliveryState.FAILED, DeliveryState.CANCELLED],
    );
  });
});
