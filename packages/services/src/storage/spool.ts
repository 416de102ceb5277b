import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ServiceInputError } from "../errors.ts";

/**
 * Writes a stream to `path` chunk by chunk (never the whole content in memory) and returns its size.
 * Past `maxBytes` it stops reading, removes the partial file and refuses the input.
 */
export async function writeStreamToFile(
  body: AsyncIterable<Uint8Array>,
  path: string,
  maxBytes: number,
): Promise<number> {
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.byteLength;
      if (size > maxBytes) done(new ServiceInputError("bytes", `must be at most ${maxBytes} bytes`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.from(body, { objectMode: false }), limit, createWriteStream(path));
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return size;
}
