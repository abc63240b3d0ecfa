/**
 * @mediagate/client: a small helper over the generated mediagate.v1 stubs.
 *
 * - {@link createMediagateClient}: a typed AttachmentService client speaking gRPC over HTTP/2, with
 *   credentials: a bearer token ({@link bearerToken}), TLS and a client certificate (mutual TLS).
 * - {@link uploadFile}: streams a file, a buffer or any byte stream as Upload's header-then-chunks
 *   request stream, hashing the bytes (SHA-256) as they are read.
 * - {@link downloadTo}: streams Download into a file or a Writable, with backpressure.
 * - {@link errorDetails}: the google.rpc.ErrorInfo details of a failed call, mapped back to the
 *   generated RejectionReason / ErrorReason enums.
 * - {@link deliver}, {@link watchDelivery}, {@link deliverAndWait}, {@link isFinal}: delivery into
 *   Genesys Cloud, followed to its final state.
 */

import { createHash, type Hash } from "node:crypto";
import { createReadStream, createWriteStream, readFileSync, type ReadStream } from "node:fs";
import { stat, unlink } from "node:fs/promises";
import { basename } from "node:path";
import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";

import { create, type MessageInitShape } from "@bufbuild/protobuf";
import {
  type CallOptions,
  type Client,
  Code,
  ConnectError,
  createClient,
  type Interceptor,
} from "@connectrpc/connect";
import { createGrpcTransport, type GrpcTransportOptions } from "@connectrpc/connect-node";

import { ErrorInfoSchema, RetryInfoSchema } from "./gen/google/rpc/error_details_pb.js";
import type { Attachment } from "./gen/mediagate/v1/attachment_pb.js";
import {
  AttachmentService,
  UploadHeaderSchema,
  type UploadRequestSchema,
} from "./gen/mediagate/v1/attachment_service_pb.js";
import {
  type Delivery,
  type DeliveryMethod,
  DeliveryState,
  type OpenMessagingSenderSchema,
} from "./gen/mediagate/v1/delivery_pb.js";
import {
  ErrorReason,
  ErrorReasonSchema,
  RejectionReason,
  RejectionReasonSchema,
} from "./gen/mediagate/v1/reasons_pb.js";

// The whole mediagate.v1 contract, so callers need one import.
export * from "./gen/mediagate/v1/admin_pb.js";
export * from "./gen/mediagate/v1/admin_service_pb.js";
export * from "./gen/mediagate/v1/attachment_pb.js";
export * from "./gen/mediagate/v1/attachment_service_pb.js";
export * from "./gen/mediagate/v1/delivery_pb.js";
export * from "./gen/mediagate/v1/imports_pb.js";
export * from "./gen/mediagate/v1/preview_pb.js";
export * from "./gen/mediagate/v1/reasons_pb.js";
export * from "./gen/mediagate/v1/voice_pb.js";
// The google.rpc detail messages mediagate sends (the rest: "@mediagate/client/gen/google/rpc/...").
export {
  type ErrorInfo,
  ErrorInfoSchema,
  type RetryInfo,
  RetryInfoSchema,
} from "./gen/google/rpc/error_details_pb.js";

/** The ErrorInfo domain of every mediagate error. */
export const ERROR_DOMAIN = "mediagate.v1";
/** Larger chunks are refused with CHUNK_TOO_LARGE (ListProfiles.max_chunk_size_bytes). */
export const MAX_CHUNK_SIZE = 1024 * 1024;
/** The chunk size measured fastest (ListProfiles.recommended_chunk_size_bytes). */
export const RECOMMENDED_CHUNK_SIZE = 1024 * 1024;

/** A promise client of mediagate.v1.AttachmentService. */
export type MediagateClient = Client<typeof AttachmentService>;

/** PEM text or bytes, given directly or read from a file. */
export type Pem = string | Uint8Array | { file: string };

/**
 * How the client proves who it is, and whom it trusts. A server with auth on refuses calls
 * without a caller's token or client certificate (UNAUTHENTICATED).
 */
export interface Credentials {
  /**
   * A bearer token, sent as "authorization: Bearer <token>" on every call. Over http:// as well,
   * so that a server on loopback with auth on and no TLS (a sidecar, tests) gets it; across a
   * network use https://. When a call carries a token and a certificate, the server goes by the token.
   */
  token?: string;
  /** The CA that signed the server's certificate (https:// only; default: Node's trust store). */
  ca?: Pem;
  /** A client certificate and its key (mutual TLS): the server maps its subject (CN or SAN) to a caller. */
  cert?: Pem;
  key?: Pem;
  /** The name to expect in the server's certificate, if not the URL's host. */
  serverName?: string;
}

/** Options of {@link createMediagateClient}: {@link Credentials}, plus any of createGrpcTransport's. */
export type MediagateClientOptions = Omit<GrpcTransportOptions, "baseUrl"> & { credentials?: Credentials };

/** An interceptor adding "authorization: Bearer <token>" to every call (for transports made by hand). */
export function bearerToken(token: string): Interceptor {
  const value = `Bearer ${token}`;
  return (next) => async (req) => {
    req.header.set("authorization", value);
    return next(req);
  };
}

function readPem(pem: Pem): string | Uint8Array {
  return typeof pem === "object" && "file" in pem ? readFileSync(pem.file) : pem;
}

/**
 * A client for a mediagate server: gRPC over HTTP/2, cleartext for http://, TLS for https://.
 *
 * ```ts
 * const client = createMediagateClient("https://mediagate.internal:50051", {
 *   credentials: { token: process.env.MEDIAGATE_TOKEN, ca: { file: "/etc/mediagate/ca.pem" } },
 * });
 * ```
 *
 * Every option of createGrpcTransport (interceptors, defaultTimeoutMs, nodeOptions, ...) can be
 * passed too; the token's interceptor runs before yours, and the TLS files are added to nodeOptions.
 */
export function createMediagateClient(baseUrl: string, options: MediagateClientOptions = {}): MediagateClient {
  const { credentials = {}, ...transport } = options;
  const tls = { ca: credentials.ca, cert: credentials.cert, key: credentials.key };
  const usesTls = Object.values(tls).some((v) => v !== undefined) || credentials.serverName !== undefined;
  if (usesTls && !baseUrl.startsWith("https://")) {
    throw new Error(`TLS credentials need an https:// URL, not ${baseUrl}`);
  }
  if ((credentials.cert === undefined) !== (credentials.key === undefined)) {
    throw new Error("a client certificate needs both cert and key");
  }
  const nodeOptions = { ...transport.nodeOptions };
  for (const [name, pem] of Object.entries(tls)) {
    if (pem !== undefined) Object.assign(nodeOptions, { [name]: readPem(pem) });
  }
  if (credentials.serverName !== undefined) Object.assign(nodeOptions, { servername: credentials.serverName });
  const interceptors = [
    ...(credentials.token ? [bearerToken(credentials.token)] : []),
    ...(transport.interceptors ?? []),
  ];
  return createClient(
    AttachmentService,
    createGrpcTransport({ ...transport, baseUrl, nodeOptions, interceptors }),
  );
}

/** What {@link uploadFile} reads: a file path (or file: URL), bytes in memory, or a byte stream (a Node Readable, an async generator, an array of chunks...). */
export type UploadSource = string | URL | Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface UploadOptions {
  /** Bytes per chunk message, 1..MAX_CHUNK_SIZE; default RECOMMENDED_CHUNK_SIZE (1 MiB). */
  chunkSize?: number;
  /** Per-call options (signal, timeoutMs, headers, ...). */
  callOptions?: CallOptions;
}

/** The server stored something other than what was sent (the Attachment's sha256 differs). */
export class IntegrityError extends Error {
  constructor(
    message: string,
    readonly expectedSha256: string,
    readonly actualSha256: string,
  ) {
    super(message);
    this.name = "IntegrityError";
  }
}

/**
 * Uploads a file, a buffer or a byte stream: the header first, then chunks of `chunkSize`
 * bytes (the last one shorter), never more than about two chunks in memory.
 *
 * For a path the header defaults to the file's base name and size (`declaredSizeBytes`); for a
 * Uint8Array to its length. When the header carries no `sha256`, the bytes are hashed with
 * SHA-256 while they are read and the stored Attachment's sha256 must equal that digest; when it
 * carries one, the server verifies it (CHECKSUM_MISMATCH) and the Attachment must echo it.
 * A mismatch throws {@link IntegrityError}. A repeated `idempotencyKey` with the same bytes
 * returns the first attachment (answered from the header when it carries the sha256); with other
 * bytes the server refuses it (ALREADY_EXISTS, IDEMPOTENCY_KEY_REUSED). A refused file rejects
 * with a ConnectError: read its reasons with {@link errorDetails}.
 */
export async function uploadFile(
  client: MediagateClient,
  pathOrStream: UploadSource,
  header: MessageInitShape<typeof UploadHeaderSchema> = {},
  { chunkSize = RECOMMENDED_CHUNK_SIZE, callOptions }: UploadOptions = {},
): Promise<Attachment> {
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new RangeError(`chunkSize must be an integer in 1..${MAX_CHUNK_SIZE}, got ${chunkSize}`);
  }
  const head = create(UploadHeaderSchema, header);
  let source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  let file: ReadStream | undefined;
  if (typeof pathOrStream === "string" || pathOrStream instanceof URL) {
    const path = pathOrStream instanceof URL ? fileURLToPath(pathOrStream) : pathOrStream;
    const info = await stat(path);
    head.fileName ||= basename(path);
    if (head.declaredSizeBytes === 0n) head.declaredSizeBytes = BigInt(info.size);
    source = file = createReadStream(path, { highWaterMark: chunkSize });
  } else if (pathOrStream instanceof Uint8Array) {
    if (head.declaredSizeBytes === 0n) head.declaredSizeBytes = BigInt(pathOrStream.byteLength);
    source = [pathOrStream];
  } else {
    source = pathOrStream;
  }
  const hash = head.sha256 === "" ? createHash("sha256") : undefined;
  const requests = uploadRequests(head, source, chunkSize, hash);
  let attachment: Attachment;
  try {
    attachment = await client.upload(requests, callOptions);
  } finally {
    // The server may answer before reading everything (a refusal decided by the first bytes):
    // release the source now rather than when it is garbage collected. Not awaited, as a source
    // may be in the middle of a read.
    file?.destroy();
    void requests.return(undefined).catch(() => undefined);
  }
  const expected = hash ? hash.digest("hex") : head.sha256;
  // The server never answers a key with other bytes, so the comparison always holds; with a
  // declared sha256 it may answer a repeated key from the header alone, hence `expected`.
  if (attachment.sha256 !== expected) {
    throw new IntegrityError(
      `${attachment.name}: server sha256 ${attachment.sha256} differs from the sent bytes' ${expected}`,
      expected,
      attachment.sha256,
    );
  }
  return attachment;
}

/**
 * Upload's (and Validate's) request stream: `header`, then `source` re-cut into chunks of
 * exactly `chunkSize` bytes (the last one shorter), each fed to `hash` if given.
 */
export async function* uploadRequests(
  header: MessageInitShape<typeof UploadHeaderSchema>,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  chunkSize: number = RECOMMENDED_CHUNK_SIZE,
  hash?: Hash,
): AsyncGenerator<MessageInitShape<typeof UploadRequestSchema>> {
  yield { content: { case: "header", value: header } };
  for await (const chunk of rechunk(source, chunkSize)) {
    hash?.update(chunk);
    yield { content: { case: "chunk", value: chunk } };
  }
}

/** Re-cuts a byte stream into pieces of exactly `size` bytes (the last one shorter). */
async function* rechunk(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  size: number,
): AsyncGenerator<Uint8Array> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  for await (const piece of source) {
    if (!(piece instanceof Uint8Array)) {
      throw new TypeError("upload source must yield Uint8Array chunks (open streams without an encoding)");
    }
    let bytes = piece;
    if (pendingBytes === 0 && bytes.byteLength === size) {
      yield bytes; // the common case for a file read with highWaterMark = size: no copy
      continue;
    }
    while (bytes.byteLength > 0) {
      const take = Math.min(size - pendingBytes, bytes.byteLength);
      pending.push(bytes.subarray(0, take));
      pendingBytes += take;
      bytes = bytes.subarray(take);
      if (pendingBytes === size) {
        yield concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
      }
    }
  }
  if (pendingBytes > 0) yield concat(pending, pendingBytes);
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

export interface DownloadOptions {
  /** Byte offset to start at (0..size). */
  readOffset?: bigint;
  /** At most this many bytes; 0 means to the end. */
  readLimit?: bigint;
  /** End the Writable when the download is done (default true; as stream.pipeline). */
  end?: boolean;
  callOptions?: CallOptions;
}

export interface DownloadResult {
  attachment: Attachment;
  bytesWritten: number;
}

/**
 * Streams an attachment's bytes into a file path (created or truncated; removed again if the
 * download fails) or a Writable, honouring backpressure. A whole-file download is checked
 * against the Attachment's sha256 ({@link IntegrityError} on a difference).
 */
export async function downloadTo(
  client: MediagateClient,
  name: string,
  writable: Writable | string | URL,
  { readOffset = 0n, readLimit = 0n, end = true, callOptions }: DownloadOptions = {},
): Promise<DownloadResult> {
  const path =
    typeof writable === "string" ? writable : writable instanceof URL ? fileURLToPath(writable) : undefined;
  const target = path === undefined ? (writable as Writable) : createWriteStream(path);
  const whole = readOffset === 0n && readLimit === 0n;
  const hash = whole ? createHash("sha256") : undefined;
  let attachment: Attachment | undefined;
  let bytesWritten = 0;
  async function* data(): AsyncGenerator<Uint8Array> {
    for await (const response of client.download({ name, readOffset, readLimit }, callOptions)) {
      if (response.attachment) attachment = response.attachment;
      if (response.data.byteLength === 0) continue;
      hash?.update(response.data);
      bytesWritten += response.data.byteLength;
      yield response.data;
    }
  }
  try {
    await pipeline(data, target, { end: path !== undefined || end });
  } catch (error) {
    if (path !== undefined) await unlink(path).catch(() => undefined);
    throw error;
  }
  if (!attachment) throw new Error(`${name}: the Download stream carried no Attachment`);
  if (hash) {
    const actual = hash.digest("hex");
    if (actual !== attachment.sha256) {
      if (path !== undefined) await unlink(path).catch(() => undefined);
      throw new IntegrityError(
        `${name}: downloaded bytes hash to ${actual}, the Attachment says ${attachment.sha256}`,
        attachment.sha256,
        actual,
      );
    }
  }
  return { attachment, bytesWritten };
}

/** One google.rpc.ErrorInfo of a failed call, its reason mapped to the generated enum. */
export type ErrorDetail =
  | { kind: "rejection"; reason: string; enumValue: RejectionReason; metadata: Record<string, string> }
  | { kind: "error"; reason: string; enumValue: ErrorReason; metadata: Record<string, string> }
  | { kind: "unknown"; reason: string; enumValue: undefined; metadata: Record<string, string> };

/**
 * Every mediagate ErrorInfo (domain "mediagate.v1") in a failed call's google.rpc.Status, the
 * decisive one first. `kind` says which enum `enumValue` belongs to: "rejection" for a
 * RejectionReason (the file was refused), "error" for an ErrorReason, "unknown" for a reason
 * this client's contract does not know yet (a newer server). Anything that is not a
 * ConnectError, or carries no details, gives [].
 */
export function errorDetails(err: unknown): ErrorDetail[] {
  if (!(err instanceof ConnectError)) return [];
  return err
    .findDetails(ErrorInfoSchema)
    .filter((info) => info.domain === ERROR_DOMAIN)
    .map((info): ErrorDetail => {
      const metadata = { ...info.metadata };
      const rejection = RejectionReasonSchema.values.find(
        (v) => v.number !== 0 && v.name === `REJECTION_REASON_${info.reason}`,
      );
      if (rejection) {
        return { kind: "rejection", reason: info.reason, enumValue: rejection.number as RejectionReason, metadata };
      }
      const error = ErrorReasonSchema.values.find((v) => v.number !== 0 && v.name === `ERROR_REASON_${info.reason}`);
      if (error) {
        return { kind: "error", reason: info.reason, enumValue: error.number as ErrorReason, metadata };
      }
      return { kind: "unknown", reason: info.reason, enumValue: undefined, metadata };
    });
}

/** The delay google.rpc.RetryInfo asks for (RESOURCE_EXHAUSTED OVERLOADED), in ms, if any. */
export function retryDelayMs(err: unknown): number | undefined {
  if (!(err instanceof ConnectError)) return undefined;
  const info = err.findDetails(RetryInfoSchema)[0];
  if (!info?.retryDelay) return undefined;
  return Number(info.retryDelay.seconds) * 1000 + Math.round(info.retryDelay.nanos / 1e6);
}

/** Whether a delivery in `state` is done: DELIVERED, FAILED or CANCELLED never change again. */
export function isFinal(state: DeliveryState): boolean {
  return (
    state === DeliveryState.DELIVERED || state === DeliveryState.FAILED || state === DeliveryState.CANCELLED
  );
}

export interface DeliverOptions {
  /** Text to go with the attachment, at most 4096 bytes (UPLOAD: a second message after the media). */
  text?: string;
  /**
   * The same key (per tenant) returns the same Delivery and sends nothing more: reuse it when
   * retrying. Empty or absent: the server makes one, so a retry is a new delivery.
   */
  idempotencyKey?: string;
  /** OPEN_MESSAGING: the guest the message is from (required there; ignored by UPLOAD). */
  sender?: MessageInitShape<typeof OpenMessagingSenderSchema>;
  /** Per-call options (signal, timeoutMs, headers, ...). */
  callOptions?: CallOptions;
}

/**
 * Starts delivering the attachment `name` ("attachments/{id}") into the Genesys Cloud
 * conversation `conversationId` by `method` (UNSPECIFIED: the server's default), and resolves to
 * the Delivery as accepted (PENDING, or further along for a repeated idempotency key). A server
 * without Genesys Cloud settings rejects with FAILED_PRECONDITION, ErrorReason
 * DELIVERY_NOT_CONFIGURED (see {@link errorDetails}).
 */
export async function deliver(
  client: MediagateClient,
  name: string,
  conversationId: string,
  method: DeliveryMethod,
  { text = "", idempotencyKey = "", sender, callOptions }: DeliverOptions = {},
): Promise<Delivery> {
  return client.deliverAttachment({ name, conversationId, method, text, idempotencyKey, sender }, callOptions);
}

export interface WatchOptions {
  /**
   * Called with the current state first, then with each new state, in order; never twice in a
   * row for the same state (also across reopened watches). A watcher that falls behind may skip
   * states.
   */
  onState?: (delivery: Delivery) => void;
  /** How many times a watch that ended before a final state is opened again (default 3). */
  maxReopens?: number;
  /**
   * Options of every WatchDelivery call. Prefer `signal` (e.g. AbortSignal.timeout(120_000)) for
   * an overall deadline: `timeoutMs` applies to each watch anew.
   */
  callOptions?: CallOptions;
}

/** Every watch of a delivery ended before a final state. */
export class WatchEndedError extends Error {
  constructor(
    message: string,
    /** The delivery as last seen, if any state was seen. */
    readonly lastSeen: Delivery | undefined,
  ) {
    super(message);
    this.name = "WatchEndedError";
  }
}

/**
 * Follows the delivery `name` ("deliveries/{id}") with WatchDelivery and resolves to it in its
 * final state (DELIVERED, FAILED or CANCELLED; a FAILED delivery resolves, read its `failure`).
 *
 * A stream that ends without a final state, or loses its connection (UNAVAILABLE), is opened
 * again, up to `maxReopens` times: each watch starts with the current state, so nothing is
 * missed. Then it rejects with {@link WatchEndedError} (after clean ends) or the last
 * UNAVAILABLE ConnectError. Any other stream error (NOT_FOUND DELIVERY_NOT_FOUND, a deadline,
 * an abort) rejects at once as the ConnectError it is.
 *
 * The platform takes its time (and a server's first delivery waits for its Genesys SDK to load):
 * give the watch a generous deadline.
 */
export async function watchDelivery(
  client: MediagateClient,
  name: string,
  { onState, maxReopens = 3, callOptions }: WatchOptions = {},
): Promise<Delivery> {
  let last: Delivery | undefined;
  let reported = DeliveryState.UNSPECIFIED;
  for (let attempt = 0; ; attempt++) {
    let dropped: ConnectError | undefined;
    try {
      for await (const delivery of client.watchDelivery({ name }, callOptions)) {
        last = delivery;
        if (delivery.state !== reported) {
          reported = delivery.state;
          onState?.(delivery);
        }
        // Leaving the loop cancels the stream; the server ends it after a final state anyway.
        if (isFinal(delivery.state)) return delivery;
      }
    } catch (error) {
      if (!(error instanceof ConnectError) || error.code !== Code.Unavailable) throw error;
      dropped = error;
    }
    if (callOptions?.signal?.aborted) {
      throw new ConnectError(`watch of ${name} aborted`, Code.Canceled);
    }
    if (attempt >= maxReopens) {
      if (dropped) throw dropped;
      throw new WatchEndedError(
        `${name}: ${attempt + 1} watches ended before a final state (last: ${DeliveryState[reported]})`,
        last,
      );
    }
    // A short pause before opening again, so a restarting server has a moment.
    await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
  }
}

/**
 * {@link deliver}, then {@link watchDelivery} of the new delivery: resolves to the Delivery in
 * its final state. `callOptions` apply to DeliverAttachment; `watch.callOptions` to the watches.
 */
export async function deliverAndWait(
  client: MediagateClient,
  name: string,
  conversationId: string,
  method: DeliveryMethod,
  options: DeliverOptions & { watch?: WatchOptions } = {},
): Promise<Delivery> {
  const started = await deliver(client, name, conversationId, method, options);
  return watchDelivery(client, started.name, options.watch);
}
