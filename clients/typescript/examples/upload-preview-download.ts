// Upload a file, fetch a preview, download it back; a refused file prints its typed reasons.
//   node build-test/examples/upload-preview-download.js photo.jpg   (after `bash test.sh`)
// MEDIAGATE_URL defaults to http://127.0.0.1:50051 (`make run` at the repository root);
// MEDIAGATE_TOKEN is the bearer token for a server with auth on, MEDIAGATE_TLS_CA the CA to trust
// for an https:// URL.
import { writeFile } from "node:fs/promises";

import { Code, ConnectError } from "@connectrpc/connect";
import {
  createMediagateClient,
  downloadTo,
  ErrorReason,
  errorDetails,
  PreviewFormat,
  RejectionReason,
  uploadFile,
} from "@mediagate/client";

const path = process.argv[2] ?? "photo.jpg";
const ca = process.env.MEDIAGATE_TLS_CA;
const client = createMediagateClient(process.env.MEDIAGATE_URL ?? "http://127.0.0.1:50051", {
  defaultTimeoutMs: 60_000,
  credentials: { token: process.env.MEDIAGATE_TOKEN, ...(ca ? { ca: { file: ca } } : {}) },
});

try {
  // Header first, then 1 MiB chunks; file name and size come from the file, sha256 is computed
  // while reading and checked against the stored Attachment.
  const attachment = await uploadFile(client, path, {
    declaredMimeType: "image/jpeg",
    conversationId: "c-123",
    labels: { channel: "web-messaging" },
  });
  console.log(`${attachment.name}: ${attachment.detectedMimeType}, ${attachment.sizeBytes} bytes, sha256 ${attachment.sha256}`);
  if (attachment.media.case === "image") {
    console.log(`  ${attachment.media.value.width}x${attachment.media.value.height}`);
  }

  const preview = await client.getPreview({
    name: attachment.name,
    spec: { maxWidth: 300, maxHeight: 300, format: PreviewFormat.WEBP },
  });
  await writeFile("preview.webp", preview.content);
  console.log(`preview: ${preview.mimeType} ${preview.width}x${preview.height}`);

  const { bytesWritten } = await downloadTo(client, attachment.name, "copy.bin");
  console.log(`downloaded ${bytesWritten} bytes to copy.bin`);
} catch (err) {
  if (!(err instanceof ConnectError)) throw err;
  console.error(`${Code[err.code]}: ${err.rawMessage}`);
  for (const detail of errorDetails(err)) {
    const facts = Object.entries(detail.metadata).map(([k, v]) => `${k}=${v}`).join(", ");
    console.error(`  ${detail.reason} ${facts}`);
    if (detail.kind === "rejection" && detail.enumValue === RejectionReason.TOO_LARGE) {
      console.error(`  the limit is ${detail.metadata.limit} bytes`);
    } else if (detail.kind === "error" && detail.enumValue === ErrorReason.OVERLOADED) {
      console.error("  busy: retry later");
    }
  }
  process.exitCode = 1;
}
