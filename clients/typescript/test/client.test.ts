// End to end against a real mediagate server: upload -> preview -> download, and rejections
// read through errorDetails().
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";

import { Code, ConnectError } from "@connectrpc/connect";
import {
  type Attachment,
  createMediagateClient,
  downloadTo,
  ErrorReason,
  errorDetails,
  type MediagateClient,
  RECOMMENDED_CHUNK_SIZE,
  RejectionReason,
  uploadFile,
  uploadRequests,
} from "@mediagate/client";

import { pdf, png } from "./samples.js";
import { type RunningServer, startServer } from "./server.js";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("mediagate TypeScript client against a real server", () => {
  let server: RunningServer;
  let client: MediagateClient;
  let work: string;
  const image = png(64, 48);
  let uploaded: Attachment;

  before(async () => {
    server = await startServer();
    client = createMediagateClient(server.baseUrl);
    work = await mkdtemp(join(tmpdir(), "mediagate-ts-client-"));
  });

  after(async () => {
    const code = await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
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
});
