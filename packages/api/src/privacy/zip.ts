import { Zip, ZipDeflate } from "fflate";

/** One file inside a zip archive: its content arrives chunk by chunk. */
export interface ZipEntry {
  /** Path inside the archive, "/"-separated (fflate marks non-ASCII names as UTF-8). */
  name: string;
  body: Uint8Array | AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;
}

/** The chunks of a body, read one at a time (a web stream through its reader: not every lib types it iterable). */
async function* chunksOf(body: ZipEntry["body"]): AsyncGenerator<Uint8Array> {
  if (body instanceof Uint8Array) {
    yield body;
  } else if ("getReader" in body) {
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      // Stopped early (the archive failed or was abandoned): let the source close its file or request.
      await reader.cancel().catch(() => undefined);
    }
  } else {
    yield* body;
  }
}

/**
 * A standard zip archive written by fflate as the entries are read: each chunk of output is yielded as
 * soon as it is compressed, and the next input chunk is pulled only when the consumer asks for more,
 * so neither the entries nor the archive ever sit in memory whole. No zip64: an export stays far
 * below 4 GB (its embedded files are capped), and fflate refuses larger input rather than write it corrupt.
 */
export async function* zipStream(
  entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>,
  modified: Date,
): AsyncGenerator<Uint8Array> {
  const ready: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else ready.push(chunk);
  });
  function* drain() {
    if (failure) throw failure;
    while (ready.length > 0) yield ready.shift() as Uint8Array;
  }
  for await (const entry of entries) {
    const file = new ZipDeflate(entry.name, { level: 6 });
    file.mtime = modified;
    zip.add(file);
    for await (const chunk of chunksOf(entry.body)) {
      file.push(chunk);
      yield* drain();
    }
    file.push(new Uint8Array(0), true);
    yield* drain();
  }
  zip.end();
  yield* drain();
}
