import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import {
  type AnalyzeOptions,
  analyzeModel,
  analyzeStream,
  QUOTE_ERROR_CODES,
  QuoteError,
} from "../src/index.ts";
import { zlibInflateRaw } from "../src/node/index.ts";
import {
  binaryStl,
  CONTENT_TYPES,
  CUBE_MESH,
  CUBE_MODEL,
  make3mf,
  modelXml,
  ROOT_RELS,
  TETRA,
} from "./fixtures.ts";

/** Every bad input must end in a QuoteError with this code (never a crash, never a hang). */
function code(bytes: Uint8Array, options?: AnalyzeOptions): string {
  try {
    analyzeModel(bytes, options);
  } catch (e) {
    expect(e).toBeInstanceOf(QuoteError);
    const q = e as QuoteError;
    expect(QUOTE_ERROR_CODES).toContain(q.code);
    expect(q.message.length).toBeGreaterThan(10);
    return q.code;
  }
  return "ACCEPTED";
}

const enc = (s: string) => strToU8(s);
const withZlib = { inflateRaw: zlibInflateRaw };

describe("bad input: size and format", () => {
  it("empty file", () => expect(code(new Uint8Array(0))).toBe("EMPTY_FILE"));
  it("file over the size limit (checked before parsing)", () => {
    expect(code(binaryStl([TETRA[0]!, TETRA[1]!]), { maxBytes: 100 })).toBe("FILE_TOO_LARGE");
  });
  it("text that is no model", () => {
    expect(
      code(enc("hello, this is a letter and not a 3D model at all; it is long enough to pass 84 bytes!!")),
    ).toBe("UNKNOWN_FORMAT");
    expect(code(enc("hi"))).toBe("UNKNOWN_FORMAT");
  });
  it("invalid options are refused with a code", () => {
    expect(code(binaryStl(TETRA), { maxBytes: -1 })).toBe("INVALID_OPTIONS");
  });
});

describe("bad input: STL", () => {
  it("truncated binary STL", () => {
    const b = binaryStl(TETRA);
    expect(code(b.subarray(0, b.length - 7))).toBe("STL_TRUNCATED");
    expect(code(b.subarray(0, 90))).toBe("STL_TRUNCATED");
  });
  it("wrong triangle count (claims 4 billion)", () =>
    expect(code(binaryStl(TETRA, 0xffffffff))).toBe("STL_TRUNCATED"));
  it("count above the triangle limit", () =>
    expect(code(binaryStl(TETRA), { maxTriangles: 2 })).toBe("TOO_MANY_TRIANGLES"));
  it("NaN and infinite coordinates (binary)", () => {
    expect(code(binaryStl([[0, 0, Number.NaN, 1, 0, 0, 0, 1, 0]]))).toBe("NON_FINITE_COORDINATE");
    expect(code(binaryStl([[0, 0, Number.POSITIVE_INFINITY, 1, 0, 0, 0, 1, 0]]))).toBe(
      "NON_FINITE_COORDINATE",
    );
  });
  const facet = (v: string) =>
    `facet normal 0 0 1\n outer loop\n  vertex ${v}\n  vertex 1 0 0\n  vertex 0 1 0\n endloop\nendfacet\n`;
  it("NaN and infinite coordinates (ASCII)", () => {
    expect(code(enc(`solid x\n${facet("nan 0 0")}endsolid x\n`))).toBe("NON_FINITE_COORDINATE");
    expect(code(enc(`solid x\n${facet("0 -inf 0")}endsolid x\n`))).toBe("NON_FINITE_COORDINATE");
    expect(code(enc(`solid x\n${facet("0 1e999 0")}endsolid x\n`))).toBe("NON_FINITE_COORDINATE");
  });
  it("truncated and malformed ASCII STL", () => {
    const whole = `solid x\n${facet("0 0 0")}endsolid x\n`;
    expect(code(enc(whole.slice(0, 60)))).toBe("STL_PARSE_ERROR");
    expect(code(enc(`solid x\n${facet("0 0 zero")}endsolid x\n`))).toBe("STL_PARSE_ERROR");
    expect(
      code(enc(`solid x\nfacet normal 0 0 1\n outer loop\n vertex 0 0 0\n endloop\nendfacet\nendsolid\n`)),
    ).toBe("STL_PARSE_ERROR");
  });
  it("the streaming parser refuses the same input", async () => {
    const text = enc(`solid x\n${facet("0 0 0")}`.repeat(1).concat("endsolid x\n").padEnd(5000, " "));
    const bad = enc(`solid x\n${facet("0 0 nan")}endsolid x\n`.padEnd(5000, " "));
    await expect(analyzeStream([text.subarray(0, 10), text.subarray(10)])).resolves.toMatchObject({
      triangles: 1,
    });
    await expect(analyzeStream([bad.subarray(0, 4100), bad.subarray(4100)])).rejects.toMatchObject({
      code: "NON_FINITE_COORDINATE",
    });
  });
});

describe("bad input: OBJ", () => {
  it("out-of-range and zero indices", () => {
    expect(code(enc("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 4\n"))).toBe("INDEX_OUT_OF_RANGE");
    expect(code(enc("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 -4\n"))).toBe("INDEX_OUT_OF_RANGE");
    expect(code(enc("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 0 1 2\n"))).toBe("INDEX_OUT_OF_RANGE");
    expect(code(enc("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 99999999999999999999\n"))).toBe("INDEX_OUT_OF_RANGE");
  });
  it("NaN coordinates and garbage numbers", () => {
    expect(code(enc("v nan 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n"))).toBe("NON_FINITE_COORDINATE");
    expect(code(enc("v 0 0 0\nv 1 x 0\nv 0 1 0\nf 1 2 3\n"))).toBe("OBJ_PARSE_ERROR");
  });
});

describe("bad input: zip and 3MF", () => {
  it("a zip that is not a 3MF", () => {
    expect(code(zipSync({ "readme.txt": enc("hello") }))).toBe("ZIP_NOT_3MF");
  });
  it("truncated zip", () => {
    const z = make3mf(CUBE_MODEL);
    expect(code(z.subarray(0, Math.floor(z.length / 2)))).toBe("ZIP_INVALID");
  });
  it("path traversal entries", () => {
    const evil = zipSync({ "[Content_Types].xml": enc(CONTENT_TYPES), "../../etc/passwd": enc("x") });
    expect(code(evil)).toBe("ZIP_PATH_TRAVERSAL");
    const abs = zipSync({ "/etc/cron.d/x": enc("x"), "_rels/.rels": enc(ROOT_RELS) });
    expect(code(abs)).toBe("ZIP_PATH_TRAVERSAL");
  });
  it("too many entries", () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 50; i++) files[`f${i}.txt`] = new Uint8Array(0);
    expect(code(make3mf(CUBE_MODEL, files), { maxZipEntries: 20 })).toBe("ZIP_TOO_MANY_ENTRIES");
  });

  // 64 MB of '<' compresses to ~64 KB: a 1000:1 bomb. The limits stop inflation after at most one slice.
  const bombModel = new Uint8Array(64 * 1024 * 1024).fill(0x3c);
  const bomb = make3mf(bombModel);
  /** The same bomb with its sizes in both headers rewritten to claim 100 bytes: limits must not trust headers. */
  const lying = (() => {
    const b = bomb.slice();
    const dv = new DataView(b.buffer);
    for (let i = 0; i + 4 <= b.length; i++) {
      const sig = dv.getUint32(i, true);
      if (sig === 0x04034b50 && b[i + 30 + 12] === 0x6d /* "3D/3dmodel.model": 'm' at offset 12 */)
        dv.setUint32(i + 22, 100, true);
      if (sig === 0x02014b50 && b[i + 46 + 12] === 0x6d) dv.setUint32(i + 24, 100, true);
    }
    return b;
  })();
  it("zip bomb: compression ratio limit, while inflating (fflate and zlib)", () => {
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(code(bomb)).toBe("ZIP_BOMB");
    expect(code(bomb, withZlib)).toBe("ZIP_BOMB");
    expect(code(lying)).toBe("ZIP_BOMB");
    expect(code(lying, withZlib)).toBe("ZIP_BOMB");
  });
  it("zip bomb: total uncompressed bytes limit", () => {
    const opts = { maxUncompressedBytes: 4 * 1024 * 1024, maxCompressionRatio: 1e6 };
    expect(code(bomb, opts)).toBe("ZIP_BOMB");
    expect(code(bomb, { ...opts, ...withZlib })).toBe("ZIP_BOMB");
  });

  it("XML with a DTD or entity declarations (billion laughs) is refused", () => {
    const laughs = `<?xml version="1.0"?>\n<!DOCTYPE model [\n<!ENTITY lol "lol">\n<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n${CUBE_MODEL.slice(CUBE_MODEL.indexOf("<model"))}`;
    expect(code(make3mf(laughs))).toBe("XML_DTD_FORBIDDEN");
    const external = CUBE_MODEL.replace(
      "<model",
      '<!DOCTYPE model SYSTEM "http://example.com/x.dtd">\n<model',
    );
    expect(code(make3mf(external))).toBe("XML_DTD_FORBIDDEN");
  });
  it("undefined entity references", () => {
    expect(code(make3mf(CUBE_MODEL.replace('unit="millimeter"', 'unit="&xxe;"')))).toBe("XML_MALFORMED");
  });
  it("malformed and truncated XML", () => {
    expect(code(make3mf(CUBE_MODEL.slice(0, CUBE_MODEL.length - 30)))).toBe("XML_MALFORMED");
    expect(code(make3mf(CUBE_MODEL.replace("</resources>", "</resource>")))).toBe("XML_MALFORMED");
    const deep = modelXml(`${"<x:a xmlns:x='urn:x'>".repeat(100_000)}`, "");
    expect(code(make3mf(deep, {}, 0))).toBe("XML_MALFORMED");
  });
  it("NaN, infinite and non-numeric coordinates in 3MF", () => {
    expect(code(make3mf(CUBE_MODEL.replace('x="10" y="0" z="0"', 'x="NaN" y="0" z="0"')))).toBe(
      "NON_FINITE_COORDINATE",
    );
    expect(code(make3mf(CUBE_MODEL.replace('x="10" y="0" z="0"', 'x="INF" y="0" z="0"')))).toBe(
      "NON_FINITE_COORDINATE",
    );
    expect(code(make3mf(CUBE_MODEL.replace('x="10" y="0" z="0"', 'x="1e400" y="0" z="0"')))).toBe(
      "NON_FINITE_COORDINATE",
    );
    expect(code(make3mf(CUBE_MODEL.replace('x="10" y="0" z="0"', 'x="1,5" y="0" z="0"')))).toBe(
      "INVALID_NUMBER",
    );
  });
  it("out-of-range vertex indices in 3MF", () => {
    expect(code(make3mf(CUBE_MODEL.replace('v1="0" v2="2" v3="1"', 'v1="0" v2="2" v3="8"')))).toBe(
      "INDEX_OUT_OF_RANGE",
    );
    expect(code(make3mf(CUBE_MODEL.replace('v1="0" v2="2" v3="1"', 'v1="0" v2="2" v3="-1"')))).toBe(
      "INVALID_3MF",
    );
  });
  it("component explosion is refused by counting, before any expansion", () => {
    let res = `<object id="1" type="model">${CUBE_MESH}</object>`;
    for (let id = 2; id <= 5; id++) {
      res += `<object id="${id}" type="model"><components>${`<component objectid="${id - 1}"/>`.repeat(1000)}</components></object>`;
    }
    expect(code(make3mf(modelXml(res, '<item objectid="5"/>')))).toBe("TOO_MANY_TRIANGLES");
  });
  it("components that refer to themselves or to later objects", () => {
    const self = modelXml(
      `<object id="1" type="model"><components><component objectid="1"/></components></object>`,
    );
    expect(code(make3mf(self))).toBe("INVALID_3MF");
  });
  it("an extension the engine cannot honour, when required", () => {
    const m = CUBE_MODEL.replace("<model ", '<model xmlns:v="urn:volumetric" requiredextensions="v" ');
    expect(code(make3mf(m))).toBe("UNSUPPORTED_3MF_EXTENSION");
  });
  it("a model part that is missing", () => {
    const z = zipSync({ "[Content_Types].xml": enc(CONTENT_TYPES), "_rels/.rels": enc(ROOT_RELS) });
    expect(code(z)).toBe("MISSING_3MF_PART");
  });
  it("the valid fixture itself is accepted (the tests above change one thing each)", () => {
    const a = analyzeModel(make3mf(CUBE_MODEL));
    expect(a.triangles).toBe(12);
    expect(a.volumeMm3).toBeCloseTo(1000, 9);
    expect(a.watertight).toBe(true);
  });
});

describe("bad input: memory stays bounded by the triangle limit", () => {
  it("an OBJ of 6 million tiny faces is refused before its positions are allocated", () => {
    const face = "f 1 2 3\n";
    const text = `v 0 0 0\nv 1 0 0\nv 0 1 0\n${face.repeat(5_000_001)}`;
    expect(code(enc(text))).toBe("TOO_MANY_TRIANGLES");
  });
  it("one polygon with millions of corners counts as its triangles", () => {
    const text = `v 0 0 0\nv 1 0 0\nv 0 1 0\nf ${"1 2 3 ".repeat(2_000_000)}\n`;
    expect(code(enc(text), { maxTriangles: 1_000_000 })).toBe("TOO_MANY_TRIANGLES");
  });
});
