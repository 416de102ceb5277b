import { fail } from "../errors.ts";

/**
 * A small, fast, non-validating XML tokenizer over UTF-8 bytes (no strings for the hot path).
 * Refuses DTDs and entity declarations, checks well-formedness (matching tags, one root,
 * unique attributes, declared namespace prefixes) and resolves namespaces.
 * Hand-written rather than a library parser: a 3MF mesh is millions of vertex and triangle elements,
 * read here straight from the bytes without a string or object per attribute. `pnpm bench:quote`
 * holds that to its 250 ms target on 3DBenchy.3mf (README "Benchmark"), and test/bad-input.test.ts
 * to refusing DTDs and entity declarations (billion laughs), which general parsers expand.
 */
export interface XmlElement {
  /** Namespace URI of the element ("" when none). */
  ns: string;
  /** Byte range of the local name. */
  nameStart: number;
  nameEnd: number;
  /** Number of attributes (excluding xmlns declarations). */
  attrCount: number;
  depth: number;
}

export interface XmlHandler {
  open(el: XmlElement, attrs: XmlAttrs): void;
  close(depth: number): void;
  /** Text content (raw bytes, entities not decoded); only called for non-blank text. */
  text?(start: number, end: number, depth: number): void;
  /**
   * Called after a non-empty start tag: the handler may consume simple repetitive content itself and
   * return the position where generic parsing resumes (or `pos` to decline). It must stop before
   * anything it does not fully understand, so that the generic tokenizer checks it.
   */
  fastScan?(pos: number): number;
}

const MAX_DEPTH = 256;

export const XML_NS = "http://www.w3.org/XML/1998/namespace";

/** Attribute storage reused for every element; offsets into the document bytes. */
export class XmlAttrs {
  // per attribute: prefixStart, prefixEnd, localStart, localEnd, valueStart, valueEnd
  off = new Int32Array(6 * 32);
  ns: string[] = [];
  count = 0;
  constructor(readonly b: Uint8Array) {}
  /** Index of the attribute with this local name and namespace ("" = no namespace), or -1. */
  find(local: string, ns = ""): number {
    const o = this.off;
    const b = this.b;
    const len = local.length;
    outer: for (let i = 0; i < this.count; i++) {
      const s = o[i * 6 + 2]!;
      if (o[i * 6 + 3]! - s !== len || this.ns[i] !== ns) continue;
      for (let k = 0; k < len; k++) if (b[s + k] !== local.charCodeAt(k)) continue outer;
      return i;
    }
    return -1;
  }
  valueStart(i: number): number {
    return this.off[i * 6 + 4]!;
  }
  valueEnd(i: number): number {
    return this.off[i * 6 + 5]!;
  }
  /** Decoded string value (entities resolved). */
  value(i: number): string {
    return decodeText(this.b, this.off[i * 6 + 4]!, this.off[i * 6 + 5]!);
  }
  localName(i: number): string {
    return latin(this.b, this.off[i * 6 + 2]!, this.off[i * 6 + 3]!);
  }
  get(local: string, ns = ""): string | undefined {
    const i = this.find(local, ns);
    return i < 0 ? undefined : this.value(i);
  }
}

const utf8 = new TextDecoder("utf-8");

export function latin(b: Uint8Array, s: number, e: number): string {
  let out = "";
  for (let i = s; i < e; i++) out += String.fromCharCode(b[i]!);
  return out;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export function decodeText(b: Uint8Array, s: number, e: number): string {
  const raw = utf8.decode(b.subarray(s, e));
  if (raw.indexOf("&") < 0) return raw;
  return raw.replace(/&([^;]{0,12});/g, (_m, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X")) {
      const cp = Number.parseInt(name.slice(2), 16);
      if (Number.isFinite(cp) && cp >= 0 && cp <= 0x10ffff) return String.fromCodePoint(cp);
    } else if (name.startsWith("#")) {
      const cp = Number.parseInt(name.slice(1), 10);
      if (Number.isFinite(cp) && cp >= 0 && cp <= 0x10ffff) return String.fromCodePoint(cp);
    } else if (name in ENTITIES) return ENTITIES[name]!;
    fail("XML_MALFORMED", `Unknown entity "&${name};": custom entities are not allowed.`);
  });
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function isNameChar(c: number): boolean {
  // anything that ends a name in a tag
  return !(isWs(c) || c === 47 || c === 62 || c === 61 || c === 60 || c === 34 || c === 39 || c === 0);
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || c >= 128;
}

function indexOfSeq(b: Uint8Array, from: number, seq: number[]): number {
  const n = b.length - seq.length;
  const c0 = seq[0]!;
  outer: for (let i = from; i <= n; i++) {
    if (b[i] !== c0) continue;
    for (let k = 1; k < seq.length; k++) if (b[i + k] !== seq[k]) continue outer;
    return i;
  }
  return -1;
}

const DOCTYPE = "DOCTYPE";

/** Normalises the encoding: strips a UTF-8 BOM, converts UTF-16 to UTF-8, refuses anything else. */
export function toUtf8(bytes: Uint8Array): Uint8Array {
  let b = bytes;
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) {
    const text = new TextDecoder(b[0] === 0xff ? "utf-16le" : "utf-16be", { fatal: true }).decode(
      b.subarray(2),
    );
    b = new TextEncoder().encode(text.replace(/^(<\?xml[^>]*?encoding=["'])utf-16(["'])/i, "$1UTF-8$2"));
  } else if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
    b = b.subarray(3);
  }
  // validate UTF-8 only when there is something other than ASCII (the usual case is pure ASCII)
  let ascii = true;
  const head = Math.min(b.length, (4 - (b.byteOffset & 3)) & 3);
  const words = (b.length - head) >>> 2;
  for (let i = 0; i < head; i++) if (b[i]! >= 0x80) ascii = false;
  if (ascii && words > 0) {
    const w = new Uint32Array(b.buffer, b.byteOffset + head, words);
    let acc = 0;
    for (let i = 0; i < words; i++) acc |= w[i]!;
    if (acc & 0x80808080) ascii = false;
  }
  for (let i = head + words * 4; i < b.length; i++) if (b[i]! >= 0x80) ascii = false;
  if (!ascii) {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(b);
    } catch {
      fail("XML_ENCODING", "The XML is not valid UTF-8 (3MF requires UTF-8 or UTF-16).");
    }
  }
  return b;
}

export function parseXml(b: Uint8Array, h: XmlHandler, what: string): void {
  const n = b.length;
  const attrs = new XmlAttrs(b);
  const el: XmlElement = { ns: "", nameStart: 0, nameEnd: 0, attrCount: 0, depth: 0 };
  // open element stack: name ranges
  const stackS = new Int32Array(MAX_DEPTH);
  const stackE = new Int32Array(MAX_DEPTH);
  // namespace scopes: parallel arrays, with the depth at which each was declared
  const nsPrefix: string[] = ["xml"];
  const nsUri: string[] = [XML_NS];
  const nsDepth: number[] = [-1];
  let depth = 0;
  let rootSeen = false;
  let rootClosed = false;
  let i = 0;
  const err = (msg: string): never => fail("XML_MALFORMED", `${what}: ${msg}`);
  const lookup = (prefix: string): string | undefined => {
    for (let k = nsPrefix.length - 1; k >= 0; k--) if (nsPrefix[k] === prefix) return nsUri[k];
    return undefined;
  };
  // declaration
  if (b[0] === 60 && b[1] === 63) {
    const end = indexOfSeq(b, 2, [63, 62]);
    if (end < 0) err("unterminated XML declaration");
    const decl = latin(b, 0, end);
    const m = /encoding\s*=\s*["']([^"']*)["']/.exec(decl);
    if (m && !/^utf-?8$/i.test(m[1]!)) {
      fail("XML_ENCODING", `${what}: encoding "${m[1]}" is not supported (3MF requires UTF-8 or UTF-16).`);
    }
    i = end + 2;
  }
  while (i < n) {
    // text
    const t0 = i;
    let nonBlank = false;
    while (i < n && b[i] !== 60) {
      if (!nonBlank && !isWs(b[i]!)) nonBlank = true;
      i++;
    }
    if (nonBlank) {
      if (depth === 0) err("text outside the root element");
      h.text?.(t0, i, depth);
    }
    if (i >= n) break;
    // b[i] === '<'
    const c = b[i + 1] ?? 0;
    if (c === 63 /* ? */) {
      const end = indexOfSeq(b, i + 2, [63, 62]);
      if (end < 0) err("unterminated processing instruction");
      if (b[i + 2] === 120 && b[i + 3] === 109 && b[i + 4] === 108 && isWs(b[i + 5] ?? 0)) {
        err("XML declaration not at the start of the document");
      }
      i = end + 2;
      continue;
    }
    if (c === 33 /* ! */) {
      if (b[i + 2] === 45 && b[i + 3] === 45) {
        const end = indexOfSeq(b, i + 4, [45, 45, 62]);
        if (end < 0) err("unterminated comment");
        i = end + 3;
        continue;
      }
      if (latin(b, i + 2, i + 9) === "[CDATA[") {
        if (depth === 0) err("CDATA outside the root element");
        const end = indexOfSeq(b, i + 9, [93, 93, 62]);
        if (end < 0) err("unterminated CDATA section");
        h.text?.(i + 9, end, depth);
        i = end + 3;
        continue;
      }
      const word = latin(b, i + 2, i + 2 + DOCTYPE.length).toUpperCase();
      if (
        word === DOCTYPE ||
        word.startsWith("ENTITY") ||
        word.startsWith("ELEMENT") ||
        word.startsWith("ATTLIST")
      ) {
        fail(
          "XML_DTD_FORBIDDEN",
          `${what}: the XML contains a document type definition (DTD); DTDs and entity declarations are refused.`,
        );
      }
      err("unexpected markup declaration");
    }
    if (c === 47 /* / */) {
      // end tag
      let j = i + 2;
      const s = j;
      while (j < n && isNameChar(b[j]!)) j++;
      const e = j;
      while (j < n && isWs(b[j]!)) j++;
      if (b[j] !== 62) err("malformed end tag");
      if (depth === 0) err("end tag without a start tag");
      const os = stackS[depth - 1]!;
      const oe = stackE[depth - 1]!;
      if (oe - os !== e - s) err(`mismatched end tag </${latin(b, s, e)}>`);
      for (let k = 0; k < e - s; k++)
        if (b[os + k] !== b[s + k]) err(`mismatched end tag </${latin(b, s, e)}>`);
      depth--;
      while (nsDepth.length > 1 && nsDepth[nsDepth.length - 1]! >= depth) {
        nsDepth.pop();
        nsPrefix.pop();
        nsUri.pop();
      }
      h.close(depth);
      if (depth === 0) rootClosed = true;
      i = j + 1;
      continue;
    }
    // start tag
    if (rootClosed) err("more than one root element");
    let j = i + 1;
    const s = j;
    if (!isNameStart(b[j] ?? 0)) err("invalid element name");
    while (j < n && isNameChar(b[j]!)) j++;
    const e = j;
    if (depth >= MAX_DEPTH) err(`elements nested deeper than ${MAX_DEPTH}`);
    // attributes
    attrs.count = 0;
    let selfClose = false;
    const declStart = nsPrefix.length;
    for (;;) {
      const ws0 = j;
      while (j < n && isWs(b[j]!)) j++;
      if (j >= n) err("unterminated start tag");
      const ch = b[j]!;
      if (ch === 62) {
        j++;
        break;
      }
      if (ch === 47) {
        if (b[j + 1] !== 62) err("malformed start tag");
        selfClose = true;
        j += 2;
        break;
      }
      if (j === ws0) err("attributes must be separated by whitespace");
      const as = j;
      if (!isNameStart(ch)) err("invalid attribute name");
      let colon = -1;
      while (j < n && isNameChar(b[j]!)) {
        if (b[j] === 58 && colon < 0) colon = j;
        j++;
      }
      const ae = j;
      while (j < n && isWs(b[j]!)) j++;
      if (b[j] !== 61) err(`attribute "${latin(b, as, ae)}" has no value`);
      j++;
      while (j < n && isWs(b[j]!)) j++;
      const q = b[j];
      if (q !== 34 && q !== 39) err("attribute value must be quoted");
      j++;
      const vs = j;
      while (j < n && b[j] !== q) {
        if (b[j] === 60) err("'<' in attribute value");
        j++;
      }
      if (j >= n) err("unterminated attribute value");
      const ve = j;
      j++;
      // namespace declaration?
      const isXmlns =
        ae - as >= 5 &&
        b[as] === 120 &&
        b[as + 1] === 109 &&
        b[as + 2] === 108 &&
        b[as + 3] === 110 &&
        b[as + 4] === 115;
      if (isXmlns && (ae - as === 5 || colon === as + 5)) {
        const prefix = ae - as === 5 ? "" : latin(b, as + 6, ae);
        for (let k = declStart; k < nsPrefix.length; k++) {
          if (nsPrefix[k] === prefix) err(`duplicate namespace declaration "${latin(b, as, ae)}"`);
        }
        nsPrefix.push(prefix);
        nsUri.push(decodeText(b, vs, ve));
        nsDepth.push(depth);
        continue;
      }
      // duplicate attribute check (by raw qualified name)
      const o = attrs.off;
      for (let k = 0; k < attrs.count; k++) {
        const ps = o[k * 6]!;
        const le = o[k * 6 + 3]!;
        if (le - ps === ae - as) {
          let same = true;
          for (let m = 0; m < ae - as; m++) {
            if (b[ps + m] !== b[as + m]) {
              same = false;
              break;
            }
          }
          if (same) err(`duplicate attribute "${latin(b, as, ae)}"`);
        }
      }
      if (attrs.count * 6 + 6 > o.length) {
        const no = new Int32Array(o.length * 2);
        no.set(o);
        attrs.off = no;
      }
      const base = attrs.count * 6;
      attrs.off[base] = as;
      attrs.off[base + 1] = colon < 0 ? as : colon;
      attrs.off[base + 2] = colon < 0 ? as : colon + 1;
      attrs.off[base + 3] = ae;
      attrs.off[base + 4] = vs;
      attrs.off[base + 5] = ve;
      attrs.count++;
    }
    // resolve attribute namespaces (only prefixed ones have one)
    for (let k = 0; k < attrs.count; k++) {
      const ps = attrs.off[k * 6]!;
      const pe = attrs.off[k * 6 + 1]!;
      if (pe === ps) {
        attrs.ns[k] = "";
      } else {
        const prefix = latin(b, ps, pe);
        attrs.ns[k] = lookup(prefix) ?? err(`undeclared namespace prefix "${prefix}"`);
      }
    }
    // element namespace
    let colon = -1;
    for (let k = s; k < e; k++) {
      if (b[k] === 58) {
        colon = k;
        break;
      }
    }
    let ns: string;
    if (colon < 0) {
      ns = lookup("") ?? "";
      el.nameStart = s;
    } else {
      const prefix = latin(b, s, colon);
      ns = lookup(prefix) ?? err(`undeclared namespace prefix "${prefix}"`);
      el.nameStart = colon + 1;
    }
    el.ns = ns;
    el.nameEnd = e;
    el.attrCount = attrs.count;
    el.depth = depth;
    if (depth === 0) rootSeen = true;
    stackS[depth] = s;
    stackE[depth] = e;
    depth++;
    h.open(el, attrs);
    if (!selfClose && h.fastScan) j = h.fastScan(j);
    if (selfClose) {
      depth--;
      while (nsDepth.length > 1 && nsDepth[nsDepth.length - 1]! >= depth) {
        nsDepth.pop();
        nsPrefix.pop();
        nsUri.pop();
      }
      h.close(depth);
      if (depth === 0) rootClosed = true;
    }
    i = j;
  }
  if (!rootSeen) err("no root element");
  if (depth !== 0) err("the document ends before all elements are closed (truncated)");
}

export function nameIs(b: Uint8Array, el: XmlElement, name: string): boolean {
  const len = name.length;
  if (el.nameEnd - el.nameStart !== len) return false;
  const s = el.nameStart;
  for (let k = 0; k < len; k++) if (b[s + k] !== name.charCodeAt(k)) return false;
  return true;
}
