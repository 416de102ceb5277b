import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeModel } from "../src/index.ts";
import { type AnalysisPool, createAnalysisPool, STREAM_WINDOW } from "../src/node/index.ts";
import { CORPUS, corpusFile } from "./corpus.ts";
import { binaryStl, TETRA, torusStl } from "./fixtures.ts";

/** Piece sizes that cut records, headers and batches anywhere (50-byte records, 84-byte header). */
const ODD = [1, 7, 49, 50, 51, 83, 997, 4093, 65_537, 1_048_573];

async function* pieces(bytes: Uint8Array, offset = 0) {
  let at = 0;
  for (let k = offset; at < bytes.length; k++) {
    const n = ODD[k % ODD.length]!;
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

/** The analysis (or the error's code and message) either way. */
async function outcome(promise: Promise<unknown>) {
  try {
    return { ok: await promise };
  } catch (e) {
    const q = e as { code?: string; message: string };
    return { error: { code: q.code, message: q.message } };
  }
}

describe("analysis while the model arrives (AnalysisPool.stream)", () => {
  let dir = "";
  const pool = createAnalysisPool({ size: 2 });
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ktizo-stream-"));
  });
  afterAll(async () => {
    await pool.close();
    await rm(dir, { recursive: true, force: true });
  });

  const streamed = async (pool: AnalysisPool, bytes: Uint8Array, path: string, offset = 0) => {
    const s = pool.stream();
    for await (const piece of pieces(bytes, offset)) await s.write(piece);
    return s.end(path);
  };

  // past the first kilobyte, so the stream is read in the worker (smaller files are read from disk)
  const base = torusStl(3_000);
  const edited = (edit: (b: Uint8Array, dv: DataView) => void, bytes = base.slice()) => {
    edit(bytes, new DataView(bytes.buffer));
    return bytes;
  };
  const synthetic: Record<string, Uint8Array> = {
    torus: torusStl(60_000),
    tetra: binaryStl(TETRA),
    "no triangles": binaryStl([]),
    "trailing bytes": new Uint8Array([...base, ...new Uint8Array(77)]),
    "solid header, binary body": edited((b) => b.set(new TextEncoder().encode("solid by a CAD program"))),
    "truncated (count says more)": base.subarray(0, base.length - 20),
    "count over the limit": edited((_, dv) => dv.setUint32(80, 6_000_000, true)),
    "non-finite coordinate": edited((_, dv) => dv.setFloat32(84 + 50 * 2_000 + 16, Number.NaN, true)),
    "shorter than a header": binaryStl(TETRA).subarray(0, 60),
    "binary with a wrong size": binaryStl(TETRA).subarray(0, 84 + 50 * 3 + 20),
  };
  const corpus = readdirSync(join(CORPUS, "stl"))
    .filter((f) => /\.stl(\.gz)?$/i.test(f))
    .map((f) => f.replace(/\.gz$/, ""));

  it.each([
    ...Object.keys(synthetic).map((name) => ["synthetic", name]),
    ...corpus.map((f) => ["corpus", f]),
  ])("%s %s: the same analysis or error as the file, cut anywhere", async (kind, name) => {
    const bytes = kind === "corpus" ? corpusFile(`stl/${name}`) : synthetic[name]!;
    const path = join(dir, `${kind}-${name.replace(/[^\w.]/g, "_")}`);
    await writeFile(path, bytes);
    const expected = await outcome(pool.analyzeFile(path));
    // the pool's analysis of the file is the engine's, in one piece
    expect(expected).toEqual(await outcome(Promise.resolve().then(() => analyzeModel(bytes))));
    for (const offset of [0, 3]) {
      expect(await outcome(streamed(pool, bytes, path, offset))).toEqual(expected);
    }
    expect(pool.pending).toBe(0);
  });

  it("reads a binary STL in the worker as it arrives, and text formats from the file", async () => {
    const torus = torusStl(20_000);
    const path = join(dir, "torus-count.stl");
    await writeFile(path, torus);
    const before = pool.stats.streamed;
    await streamed(pool, torus, path);
    expect(pool.stats.streamed).toBe(before + 1);
    const ascii = corpus.find((f) => /ascii/i.test(f))!;
    const text = corpusFile(`stl/${ascii}`);
    const textPath = join(dir, "ascii.stl");
    await writeFile(textPath, text);
    await streamed(pool, text, textPath);
    expect(pool.stats.streamed).toBe(before + 1);
  });

  it("slows the writer while the worker is busy: at most the window waits in memory", async () => {
    const one = createAnalysisPool({ size: 1 });
    try {
      const large = torusStl(600_000); // ~30 MB
      const path = join(dir, "large.stl");
      await writeFile(path, large);
      // the only worker is busy with another model; the stream's pieces wait for it
      const busy = one.analyze(large.slice()).then(() => "busy done" as const);
      const s = one.stream();
      let accepted = 0;
      let stalled = false;
      for await (const piece of pieces(large)) {
        const wrote = s.write(piece);
        accepted += piece.length;
        if (!stalled && (await Promise.race([wrote, busy])) === "busy done") {
          stalled = true;
          // the writer was held back before the whole file was handed over
          expect(accepted).toBeLessThan(large.length);
          expect(accepted).toBeLessThanOrEqual(STREAM_WINDOW + 2 * 1_048_576);
        }
        await wrote;
      }
      expect(stalled).toBe(true);
      expect(await s.end(path)).toEqual(analyzeModel(large));
    } finally {
      await one.close();
    }
  });

  it("fills the same few buffers again: the worker hands each back with its acknowledgement", async () => {
    const one = createAnalysisPool({ size: 1 });
    try {
      const large = torusStl(400_000); // ~20 MB: 20 pieces of 1 MB
      const path = join(dir, "reused.stl");
      await writeFile(path, large);
      const s = one.stream();
      for (let at = 0; at < large.length; at += 65_536) await s.write(large.subarray(at, at + 65_536));
      expect(await s.end(path)).toEqual(analyzeModel(large));
      // the window's worth and the one being filled, not one buffer per megabyte
      expect(one.stats.streamBuffers).toBeGreaterThan(0);
      expect(one.stats.streamBuffers).toBeLessThanOrEqual(STREAM_WINDOW / 1_048_576 + 2);
      // a second upload reuses none of them: they went with the last stream
      const again = one.stream();
      for (let at = 0; at < large.length; at += 65_536) await again.write(large.subarray(at, at + 65_536));
      expect(await again.end(path)).toEqual(analyzeModel(large));
      expect(one.stats.streamBuffers).toBeLessThanOrEqual(2 * (STREAM_WINDOW / 1_048_576 + 2));
    } finally {
      await one.close();
    }
  });

  it("uploads at once reuse their buffers: the ones handed back are kept for all the open streams", async () => {
    const two = createAnalysisPool({ size: 2 });
    try {
      const MB = 1_048_576;
      const torus = torusStl(140_000); // ~7 MB
      const path = join(dir, "at-once.stl");
      await writeFile(path, torus);
      const uploads = Array.from({ length: 10 }, () => two.stream());
      const writeRange = async (from: number, to: number) => {
        for (const s of uploads)
          for (let at = from; at < to; at += 65_536)
            await s.write(torus.subarray(at, Math.min(to, at + 65_536)));
      };
      /** Every piece sent so far has been read and its buffer handed back (replies come in order). */
      const settled = () => Promise.all([two.analyze(binaryStl(TETRA)), two.analyze(binaryStl(TETRA))]);
      // three full pieces each, within the window (nothing waits): 30 buffers out
      await writeRange(0, 3 * MB);
      expect(two.stats.streamBuffers).toBe(30);
      await settled();
      // all 30 came back while the ten were open: the next three pieces each take them again
      await writeRange(3 * MB, 6 * MB);
      expect(two.stats.streamBuffers).toBe(30);
      await writeRange(6 * MB, torus.length);
      const expected = analyzeModel(torus);
      for (const s of uploads) expect(await s.end(path)).toEqual(expected);
      expect(two.pending).toBe(0);
    } finally {
      await two.close();
    }
  });

  it("gives the SHA-256 of the bytes written: from the worker that read them, or hashed as they came", async () => {
    const ascii = corpus.find((f) => /ascii/i.test(f))!;
    const cases = {
      "binary STL (read by a worker)": torusStl(30_000),
      "ASCII STL (read from the file)": corpusFile(`stl/${ascii}`),
      "shorter than the first kilobyte": binaryStl(TETRA),
      "binary start of the wrong size": base.subarray(0, base.length - 20),
    };
    const before = pool.stats.streamed;
    for (const [name, bytes] of Object.entries(cases)) {
      const path = join(dir, `digest-${name.replace(/\W/g, "_")}`);
      await writeFile(path, bytes);
      for (const offset of [0, 5]) {
        const s = pool.stream();
        for await (const piece of pieces(bytes, offset)) await s.write(piece);
        const sha256 = createHash("sha256").update(bytes).digest("hex");
        expect(await s.digest(path), name).toBe(sha256);
        // asked again: the same answer (the hash is not finished twice)
        expect(await s.digest(path), name).toBe(sha256);
        expect(await outcome(s.end(path)), name).toEqual(await outcome(pool.analyzeFile(path)));
      }
    }
    // the binary STL's two streams were read by a worker
    expect(pool.stats.streamed).toBe(before + 2);
    expect(pool.pending).toBe(0);
  });

  it("hashes the file when the worker's stream ended early (here: the pool closed)", async () => {
    const one = createAnalysisPool({ size: 1 });
    const torus = torusStl(40_000);
    const path = join(dir, "dropped.stl");
    await writeFile(path, torus);
    const s = one.stream();
    await s.write(torus.subarray(0, 1_500_000));
    await one.close();
    await s.write(torus.subarray(1_500_000));
    expect(await s.digest(path)).toBe(createHash("sha256").update(torus).digest("hex"));
    await expect(s.end(path)).rejects.toMatchObject({ code: "POOL_CLOSED" });
  });

  it("an aborted stream is forgotten: nothing pending, later writes ignored", async () => {
    const torus = torusStl(40_000);
    const s = pool.stream();
    await s.write(torus.subarray(0, 1_500_000));
    expect(pool.pending).toBe(1);
    s.abort();
    expect(pool.pending).toBe(0);
    await s.write(torus.subarray(1_500_000));
    expect(pool.pending).toBe(0);
    // the pool still works
    const path = join(dir, "after-abort.stl");
    await writeFile(path, torus);
    expect(await streamed(pool, torus, path)).toEqual(analyzeModel(torus));
  });
});
