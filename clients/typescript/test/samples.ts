// Real files made with the standard library only (and the JPEG with the server's own Pillow).
import { execFileSync } from "node:child_process";
import { deflateSync } from "node:zlib";

import { pythonPath } from "./server.js";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * An 8-bit RGB PNG of width x height: a colour gradient, or seeded noise (which does not
 * compress, to make a file several chunks long).
 */
export function png(width: number, height: number, noise = false): Buffer {
  const rowBytes = 1 + width * 3;
  const raw = Buffer.alloc(rowBytes * height);
  let seed = 0x2545f491;
  for (let y = 0; y < height; y++) {
    raw[y * rowBytes] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const at = y * rowBytes + 1 + x * 3;
      if (noise) {
        for (let i = 0; i < 3; i++) {
          seed ^= seed << 13;
          seed ^= seed >>> 17;
          seed ^= seed << 5;
          raw[at + i] = seed & 0xff;
        }
      } else {
        raw[at] = Math.round((255 * x) / (width - 1));
        raw[at + 1] = Math.round((255 * y) / (height - 1));
        raw[at + 2] = 128;
      }
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(raw)),
    pngChunk("IEND", new Uint8Array(0)),
  ]);
}

/** A valid one-page blank PDF with a correct cross-reference table. */
export function pdf(): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << >> >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, "latin1"));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

/**
 * A small baseline JPEG of width x height (a colour gradient), encoded by Pillow in the server's
 * Python environment: Node has no JPEG encoder.
 */
export function jpeg(width: number, height: number): Buffer {
  const script = [
    "import io, sys",
    "from PIL import Image",
    "w, h = int(sys.argv[1]), int(sys.argv[2])",
    "img = Image.new('RGB', (w, h))",
    "img.putdata([(255 * x // w, 96, 255 * y // h) for y in range(h) for x in range(w)])",
    "out = io.BytesIO()",
    "img.save(out, 'JPEG', quality=85)",
    "sys.stdout.buffer.write(out.getvalue())",
  ].join("\n");
  return execFileSync(pythonPath(), ["-c", script, String(width), String(height)]);
}
