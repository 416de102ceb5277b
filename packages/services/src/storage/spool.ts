import { createWriteStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { inputErrorFrom, ServiceInputError } from "../errors.ts";
import { type PutStreamInput, putStreamSchema } from "./types.ts";

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

/**
 * What committing a staged file checks before anything is stored: the metadata (as `putStream` does)
 * and the size written to `path` against `maxBytes`.
 */
export async function checkStaged(
  path: string,
  input: Omit<PutStreamInput, "body">,
  maxBytes: number,
): Promise<{ contentType: string; fileName: string; size: number }> {
  const parsed = putStreamSchema.safeParse(input);
  if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
  const { size } = await stat(path);
  if (size > maxBytes) throw new ServiceInputError("bytes", `must be at most ${maxBytes} bytes`);
  return { contentType: parsed.data.contentType, fileName: parsed.data.fileName, size };
}
