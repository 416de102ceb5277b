// One 3MF model part (an XML document inside the package): resources, objects, meshes, components,
// build items and the core / materials / production rules that apply to them. The package around it
// (zip, relationships, other parts) and the expansion into a triangle soup live in threemf.ts.
import { fail } from "../errors.ts";
import { numEnd, parseNumber } from "../numbers.ts";
import type { SoupResult } from "./stl.ts";
import { type MeshBuf, scanTriangles, scanVertices } from "./threemf-mesh.ts";
import {
  latin,
  nameIs,
  parseXml,
  toUtf8,
  XML_NS,
  type XmlAttrs,
  type XmlElement,
  type XmlHandler,
} from "./xml.ts";
import type { ZipReader } from "./zip.ts";

// a local alias: reading an imported binding in a hot loop can cost a getter call per access
const NE = numEnd;

export const NS_CORE = "http://schemas.microsoft.com/3dmanufacturing/core/2015/02";
export const NS_MATERIAL = "http://schemas.microsoft.com/3dmanufacturing/material/2015/02";
export const NS_PRODUCTION = "http://schemas.microsoft.com/3dmanufacturing/production/2015/06";
/** Extensions whose absence does not change the geometry we compute; others cannot be "required". */
const SUPPORTED_REQUIRED = new Set([NS_MATERIAL, NS_PRODUCTION]);

/** Extension namespaces whose attributes may appear on core elements. */
const KNOWN_EXTENSIONS = new Set([
  NS_MATERIAL,
  NS_PRODUCTION,
  "http://schemas.microsoft.com/3dmanufacturing/beamlattice/2017/02",
  "http://schemas.microsoft.com/3dmanufacturing/slice/2015/07",
  "http://schemas.microsoft.com/3dmanufacturing/trianglesets/2021/07",
  "http://schemas.microsoft.com/3dmanufacturing/securecontent/2019/04",
]);

export const UNIT_SCALE: Record<string, number> = {
  micron: 0.001,
  millimeter: 1,
  centimeter: 10,
  inch: 25.4,
  foot: 304.8,
  meter: 1000,
};

/** Core spec §3.4.1, Table 3-1. */
const WELL_KNOWN_METADATA = new Set([
  "Title",
  "Designer",
  "Description",
  "Copyright",
  "LicenseTerms",
  "Rating",
  "CreationDate",
  "ModificationDate",
  "Application",
]);

const OBJECT_TYPES = new Set(["model", "solidsupport", "support", "surface", "other"]);

type ResourceKind =
  | "object"
  | "basematerials"
  | "colorgroup"
  | "texture2d"
  | "texture2dgroup"
  | "compositematerials"
  | "multiproperties"
  | "other";

export interface MeshObject {
  id: number;
  type: string;
  verts: Float64Array<ArrayBuffer>;
  nv: number;
  tris: Int32Array<ArrayBuffer>;
  nt: number;
  components: { part: Part; objectid: number; m: Float64Array | null }[] | null;
  /** Triangles after expanding components (computed lazily, capped). */
  total: number;
}

export interface Part {
  path: string;
  resources: Map<number, ResourceKind>;
  objects: Map<number, MeshObject>;
  items: { part: Part; objectid: number; m: Float64Array | null }[];
  unit: string;
}

export function invalid(msg: string): never {
  fail("INVALID_3MF", msg);
}

export function normalizePartName(target: string, baseDir: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(target)) {
    invalid(
      `Relationship target "${target}" is not a part inside the package (links outside the package are not allowed).`,
    );
  }
  const full = target.startsWith("/") ? target : `${baseDir}${target}`;
  const out: string[] = [];
  for (const seg of full.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length === 0)
        fail("ZIP_PATH_TRAVERSAL", `Relationship target "${target}" escapes the package.`);
      out.pop();
    } else out.push(seg);
  }
  return out.join("/");
}

function parseTransform(a: XmlAttrs, i: number, what: string): Float64Array {
  const b = a.b;
  let p = a.valueStart(i);
  const e = a.valueEnd(i);
  const m = new Float64Array(12);
  for (let k = 0; k < 12; k++) {
    while (p < e && (b[p] === 32 || b[p] === 9 || b[p] === 10 || b[p] === 13)) p++;
    const v = parseNumber(b, p, e);
    if (NE.pos === p || !Number.isFinite(v)) invalid(`${what}: transform must be 12 numbers.`);
    m[k] = v;
    p = NE.pos;
    if (p < e && !(b[p] === 32 || b[p] === 9 || b[p] === 10 || b[p] === 13))
      invalid(`${what}: malformed transform.`);
  }
  while (p < e && (b[p] === 32 || b[p] === 9 || b[p] === 10 || b[p] === 13)) p++;
  if (p !== e) invalid(`${what}: transform must be 12 numbers.`);
  return m;
}

/** m = a ∘ b (apply b first, then a); 3MF row-vector convention: p' = p·M. */

const COLOR_RE = /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/;

function intAttr(a: XmlAttrs, name: string, what: string, required: boolean): number {
  const i = a.find(name);
  if (i < 0) {
    if (required) invalid(`${what} lacks the required attribute "${name}".`);
    return -1;
  }
  const s = a.value(i).trim();
  if (!/^\d{1,10}$/.test(s)) invalid(`${what}: attribute ${name}="${s.slice(0, 40)}" is not a valid index.`);
  const v = Number(s);
  if (v > 2147483647) invalid(`${what}: ${name} is out of range.`);
  return v;
}

function idList(s: string | undefined): number[] {
  if (s === undefined) return [];
  return s
    .trim()
    .split(/\s+/)
    .filter((x) => x !== "")
    .map((x) => {
      if (!/^\d{1,10}$/.test(x)) invalid(`"${x.slice(0, 20)}" is not a resource id.`);
      return Number(x);
    });
}

function containsOther(o: MeshObject): boolean {
  if (o.type === "other" && !o.components) return true;
  if (o.components) {
    for (const c of o.components) if (containsOther(c.part.objects.get(c.objectid)!)) return true;
  }
  return false;
}

function countAttr(a: XmlAttrs, name: string): number {
  let n = 0;
  for (let k = 0; k < a.count; k++) if (a.ns[k] === "" && a.localName(k) === name) n++;
  return n;
}

function num(a: XmlAttrs, i: number, what: string): number {
  const b = a.b;
  let s = a.valueStart(i);
  let e = a.valueEnd(i);
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  const v = parseNumber(b, s, e);
  if (NE.pos !== e || s === e) {
    const text = latin(b, s, Math.min(e, s + 40));
    if (/^[+-]?(nan|inf)/i.test(text))
      fail("NON_FINITE_COORDINATE", `${what}: coordinate "${text}" is not finite.`);
    fail("INVALID_NUMBER", `${what}: "${text}" is not a number.`);
  }
  if (!Number.isFinite(v)) fail("NON_FINITE_COORDINATE", `${what}: a coordinate is not finite.`);
  return v;
}

function idx(a: XmlAttrs, i: number, nv: number, what: string): number {
  const b = a.b;
  let s = a.valueStart(i);
  const e = a.valueEnd(i);
  while (s < e && b[s] === 32) s++;
  let v = 0;
  let p = s;
  while (p < e && b[p]! >= 48 && b[p]! <= 57 && p - s < 11) {
    v = v * 10 + (b[p]! - 48);
    p++;
  }
  while (p < e && b[p] === 32) p++;
  if (p !== e || s === e)
    fail("INVALID_3MF", `${what}: "${latin(b, s, Math.min(e, s + 20))}" is not a vertex index.`);
  if (v >= nv) {
    fail("INDEX_OUT_OF_RANGE", `${what}: a triangle refers to vertex ${v} but the mesh has ${nv} vertices.`);
  }
  return v;
}

/** What a model part needs from the package around it. */
export interface PackageContext {
  zip: ZipReader;
  maxTriangles: number;
  warnings: SoupResult["warnings"];
  /** Base materials and colours, across all parts (at most 256 kept). */
  materials: { name?: string; color: string }[];
  /** Another model part, loaded (once) for a production-extension p:path reference. */
  loadPart(path: string): Part;
}

const isPropertyGroup = (k: ResourceKind | undefined) =>
  k === "basematerials" ||
  k === "colorgroup" ||
  k === "texture2dgroup" ||
  k === "compositematerials" ||
  k === "multiproperties";

/** Reads one model part; `isRoot`: the StartPart, which must have <resources> and <build>. */
export function readModelPart(ctx: PackageContext, path: string, isRoot: boolean): Part {
  const reader = new ModelPartReader(ctx, path);
  parseXml(reader.b, reader, reader.what);
  if (isRoot) {
    if (reader.sawResources === 0)
      invalid(`${reader.what}: the model has no <resources> element (core spec §3.4).`);
    if (reader.sawBuild === 0) invalid(`${reader.what}: the model has no <build> element (core spec §3.4).`);
  }
  return reader.part;
}

/** The XML handler of one model part: element by element, by depth and by what is open. */
class ModelPartReader implements XmlHandler {
  readonly b: Uint8Array;
  readonly part: Part;
  readonly what: string;
  sawResources = 0;
  sawBuild = 0;
  private readonly metadataNames = new Set<string>();
  private declaredNs = new Map<string, string>();
  private ignorable = new Set<string>();
  // the object being read
  private obj: MeshObject | null = null;
  private inMesh = false;
  private inVertices = false;
  private inTriangles = false;
  private inComponents = false;
  private inBuild = false;
  private inResources = false;
  private objHasProps = false;
  private verts = new Float64Array(3 * 256);
  private nv = 0;
  private tris = new Int32Array(3 * 256);
  private nt = 0;
  // the property resource being read
  private propKind: ResourceKind | null = null;
  private lastPid = -1;

  constructor(
    private readonly ctx: PackageContext,
    private readonly path: string,
  ) {
    this.b = toUtf8(ctx.zip.read(path));
    this.part = { path, resources: new Map(), objects: new Map(), items: [], unit: "millimeter" };
    this.what = `3D model part "/${path}"`;
  }

  open(el: XmlElement, a: XmlAttrs): void {
    const d = el.depth;
    const core = el.ns === NS_CORE;
    if (d === 0) {
      this.openModel(el, a);
      return;
    }
    // foreign elements are their own business and ignored (core spec §2.3.3)
    if (!core && el.ns !== NS_MATERIAL) return;
    if (d === 1) {
      if (core) this.openModelChild(el, a);
      return;
    }
    if (this.inResources && d === 2) this.openResource(el, a, core);
    else if (this.inResources && d === 3 && this.propKind !== null) this.openProperty(el, a, core);
    else if (this.obj !== null && core) this.openObjectChild(this.obj, el, a, d);
    else if (this.inBuild && d === 2 && core && nameIs(this.b, el, "item")) this.openBuildItem(el, a);
  }

  fastScan(pos: number): number {
    if (this.obj === null || !(this.inVertices || this.inTriangles)) return pos;
    const buf: MeshBuf = { verts: this.verts, nv: this.nv, tris: this.tris, nt: this.nt };
    const max = this.ctx.maxTriangles;
    const r = this.inVertices ? scanVertices(this.b, pos, buf, max) : scanTriangles(this.b, pos, buf, max);
    this.verts = buf.verts;
    this.nv = buf.nv;
    this.tris = buf.tris;
    this.nt = buf.nt;
    return r;
  }

  close(depth: number): void {
    if (depth === 1) {
      this.inResources = false;
      this.inBuild = false;
    } else if (depth === 2 && this.obj !== null) {
      this.closeObject(this.obj);
    } else if (depth === 2 && this.propKind !== null) {
      this.propKind = null;
    } else if (depth === 3) {
      this.inMesh = false;
      this.inComponents = false;
    } else if (depth === 4) {
      this.inVertices = false;
      this.inTriangles = false;
    }
  }

  /** <model>: unit, namespaces, required extensions. */
  private openModel(el: XmlElement, a: XmlAttrs): void {
    const { b, what } = this;
    if (el.ns !== NS_CORE || !nameIs(b, el, "model"))
      invalid(`${what}: the root element must be <model> in the 3MF core namespace.`);
    const unit = a.get("unit");
    if (unit !== undefined) {
      if (!(unit in UNIT_SCALE)) invalid(`${what}: unknown unit "${unit}".`);
      this.part.unit = unit;
    }
    const ign = a.get("Ignorable", "http://schemas.openxmlformats.org/markup-compatibility/2006");
    const ignorable = new Set<string>();
    const declaredNs = new Map<string, string>();
    this.ignorable = ignorable;
    this.declaredNs = declaredNs;
    // resolve requiredextensions / Ignorable prefixes by scanning the raw start tag's xmlns declarations
    const tagStart = b.lastIndexOf(60, el.nameStart);
    const tagEnd = b.indexOf(62, el.nameStart);
    const tag = new TextDecoder().decode(b.subarray(tagStart, tagEnd));
    for (const m of tag.matchAll(/xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']([^"']*)["']/g)) {
      declaredNs.set(m[1]!, m[2]!);
    }
    if (ign) for (const p of ign.trim().split(/\s+/)) ignorable.add(declaredNs.get(p) ?? p);
    const req = a.get("requiredextensions");
    if (req) {
      for (const p of req.trim().split(/\s+/)) {
        if (p === "") continue;
        const uri = declaredNs.get(p);
        if (uri === undefined) invalid(`${what}: required extension prefix "${p}" is not declared.`);
        if (!SUPPORTED_REQUIRED.has(uri)) {
          fail(
            "UNSUPPORTED_3MF_EXTENSION",
            `The 3MF file requires the extension "${uri}", which this quote engine does not support.`,
          );
        }
      }
    }
    this.checkForeignAttrs(el, a, true);
  }

  /** <metadata>, <resources> or <build>. */
  private openModelChild(el: XmlElement, a: XmlAttrs): void {
    const { b, what } = this;
    if (nameIs(b, el, "metadata")) {
      const name = a.get("name");
      if (name === undefined || name.trim() === "")
        invalid(`${what}: <metadata> lacks its name (core spec §3.4.1).`);
      const colon = name.indexOf(":");
      if (colon < 0) {
        if (!WELL_KNOWN_METADATA.has(name)) {
          invalid(
            `${what}: metadata name "${name}" is neither a well-known name nor namespace-qualified (core spec §3.4.1).`,
          );
        }
      } else if (!this.declaredNs.has(name.slice(0, colon))) {
        invalid(`${what}: metadata name "${name}" uses an undeclared namespace prefix.`);
      }
      if (this.metadataNames.has(name))
        invalid(`${what}: metadata "${name}" appears twice (core spec §3.4.1).`);
      this.metadataNames.add(name);
      this.checkForeignAttrs(el, a, true);
    } else if (nameIs(b, el, "resources")) {
      if (++this.sawResources > 1) invalid(`${what}: more than one <resources> element.`);
      this.inResources = true;
      this.checkForeignAttrs(el, a, false);
    } else if (nameIs(b, el, "build")) {
      if (++this.sawBuild > 1) invalid(`${what}: more than one <build> element.`);
      this.inBuild = true;
      this.checkForeignAttrs(el, a, false);
    } else {
      invalid(`${what}: unexpected element <${latin(b, el.nameStart, el.nameEnd)}> in <model>.`);
    }
  }

  /** A child of <resources>: an object or a property resource. */
  private openResource(el: XmlElement, a: XmlAttrs, core: boolean): void {
    const { b, what } = this;
    if (core && nameIs(b, el, "object")) {
      this.openObject(el, a);
    } else if (core && nameIs(b, el, "basematerials")) {
      const id = intAttr(a, "id", "<basematerials>", true);
      this.defineResource(id, "basematerials");
      this.propKind = "basematerials";
    } else if (el.ns === NS_MATERIAL) {
      this.openMaterialResource(el, a);
    } else if (core) {
      invalid(`${what}: unexpected element <${latin(b, el.nameStart, el.nameEnd)}> in <resources>.`);
    }
  }

  private openObject(el: XmlElement, a: XmlAttrs): void {
    const what = this.what;
    const id = intAttr(a, "id", "<object>", true);
    const type = a.get("type") ?? "model";
    if (!OBJECT_TYPES.has(type)) invalid(`${what}: object ${id} has invalid type "${type}" (core spec §4).`);
    const pid = intAttr(a, "pid", `object ${id}`, false);
    const pindex = intAttr(a, "pindex", `object ${id}`, false);
    if (pindex >= 0 && pid < 0)
      invalid(
        `${what}: object ${id} has pindex but no pid (core spec §4: pid is REQUIRED if pindex is specified).`,
      );
    if (pid >= 0) {
      const k = this.part.resources.get(pid);
      if (!isPropertyGroup(k))
        invalid(`${what}: object ${id} pid ${pid} is not a property group defined before it.`);
    }
    this.objHasProps = pid >= 0;
    this.checkForeignAttrs(el, a, true);
    this.defineResource(id, "object");
    this.obj = {
      id,
      type,
      verts: new Float64Array(0),
      nv: 0,
      tris: new Int32Array(0),
      nt: 0,
      components: null,
      total: 0,
    };
    this.nv = 0;
    this.nt = 0;
  }

  /** A materials-extension resource (colorgroup, texture2d, texture2dgroup, compositematerials, multiproperties). */
  private openMaterialResource(el: XmlElement, a: XmlAttrs): void {
    const { b, what, part } = this;
    const local = latin(b, el.nameStart, el.nameEnd);
    const id = intAttr(a, "id", `<m:${local}>`, true);
    let kind: ResourceKind;
    switch (local) {
      case "colorgroup":
        kind = "colorgroup";
        break;
      case "texture2d": {
        kind = "texture2d";
        const p = a.get("path");
        if (!p) invalid(`${what}: texture2d ${id} lacks its path.`);
        const ct = a.get("contenttype");
        if (ct !== "image/png" && ct !== "image/jpeg") {
          invalid(
            `${what}: texture2d ${id} has content type "${ct ?? ""}" (must be image/png or image/jpeg).`,
          );
        }
        if (!this.ctx.zip.has(normalizePartName(p, "")))
          fail("MISSING_3MF_PART", `${what}: texture "${p}" is not in the package.`);
        break;
      }
      case "texture2dgroup": {
        kind = "texture2dgroup";
        const texid = intAttr(a, "texid", `texture2dgroup ${id}`, true);
        this.requireKind(texid, ["texture2d"], `texture2dgroup ${id}`);
        break;
      }
      case "compositematerials": {
        kind = "compositematerials";
        const matid = intAttr(a, "matid", `compositematerials ${id}`, true);
        this.requireKind(matid, ["basematerials"], `compositematerials ${id} matid`);
        if (a.get("matindices") === undefined) invalid(`${what}: compositematerials ${id} lacks matindices.`);
        break;
      }
      case "multiproperties": {
        kind = "multiproperties";
        const pidsAttr = a.get("pids");
        if (pidsAttr === undefined || pidsAttr.trim() === "")
          invalid(`${what}: multiproperties ${id} lacks pids.`);
        const pids = idList(pidsAttr);
        let mats = 0;
        let colors = 0;
        for (const p of pids) {
          const k = part.resources.get(p);
          if (k === undefined) invalid(`${what}: multiproperties ${id} refers to undefined resource ${p}.`);
          if (k === "multiproperties")
            invalid(
              `${what}: multiproperties ${id} refers to another multiproperties (materials extension §5).`,
            );
          if (k === "basematerials" || k === "compositematerials") mats++;
          if (k === "colorgroup") colors++;
          if (!isPropertyGroup(k)) {
            this.ctx.warnings.push({
              code: "3MF_PROPERTY_REFERENCE",
              message: `multiproperties ${id} lists resource ${p} (a ${k}), which is not a property group; colours may be wrong.`,
            });
          }
        }
        if (mats > 1)
          invalid(
            `${what}: multiproperties ${id} contains more than one material group (materials extension §5).`,
          );
        if (colors > 1)
          invalid(
            `${what}: multiproperties ${id} contains more than one color group (materials extension §5).`,
          );
        const blends = a.get("blendmethods");
        if (blends !== undefined && blends.trim().split(/\s+/).length > pids.length - 1) {
          invalid(`${what}: multiproperties ${id} has more blend methods than pids minus one.`);
        }
        break;
      }
      default:
        kind = "other";
    }
    this.propKind = kind;
    this.defineResource(id, kind);
  }

  /** A child of a property resource: base materials and colours are kept for the analysis. */
  private openProperty(el: XmlElement, a: XmlAttrs, core: boolean): void {
    const { b, what } = this;
    const materials = this.ctx.materials;
    if (this.propKind === "basematerials" && core && nameIs(b, el, "base")) {
      const color = a.get("displaycolor");
      if (a.get("name") === undefined || color === undefined)
        invalid(`${what}: a base material lacks name or displaycolor.`);
      if (!COLOR_RE.test(color.trim())) invalid(`${what}: invalid color "${color}".`);
      if (materials.length < 256) materials.push({ name: a.get("name"), color: color.trim() });
    } else if (this.propKind === "colorgroup" && nameIs(b, el, "color")) {
      const color = a.get("color");
      if (color === undefined) invalid(`${what}: a <m:color> lacks its color (materials extension).`);
      if (!COLOR_RE.test(color.trim())) invalid(`${what}: invalid color "${color}".`);
      if (materials.length < 256) materials.push({ color: color.trim() });
    }
  }

  /** Inside an <object>: <mesh>, <vertices>, <triangles>, each vertex and triangle, <components>. */
  private openObjectChild(obj: MeshObject, el: XmlElement, a: XmlAttrs, d: number): void {
    const { b, what } = this;
    if (d === 3) {
      if (nameIs(b, el, "mesh")) {
        this.inMesh = true;
        this.checkForeignAttrs(el, a, false);
      } else if (nameIs(b, el, "components")) {
        this.inComponents = true;
        obj.components = [];
        this.checkForeignAttrs(el, a, false);
      } else if (!nameIs(b, el, "metadatagroup")) {
        invalid(`${what}: unexpected element <${latin(b, el.nameStart, el.nameEnd)}> in <object>.`);
      }
    } else if (d === 4 && this.inMesh) {
      if (nameIs(b, el, "vertices")) this.inVertices = true;
      else if (nameIs(b, el, "triangles")) this.inTriangles = true;
      this.checkForeignAttrs(el, a, false);
    } else if (d === 5 && this.inVertices) {
      this.readVertex(el, a);
    } else if (d === 5 && this.inTriangles) {
      this.readTriangle(a);
    } else if (d === 4 && this.inComponents && nameIs(b, el, "component")) {
      const ref = this.resolveObjRef(a, `a component of object ${obj.id}`);
      const ti = a.find("transform");
      const m = ti >= 0 ? parseTransform(a, ti, what) : null;
      obj.components!.push({ ...ref, m });
    }
  }

  /** <vertex x y z> the fast scan left to the generic path: numbers straight from the bytes. */
  private readVertex(el: XmlElement, a: XmlAttrs): void {
    const what = this.what;
    const nv = this.nv;
    if (nv * 3 + 3 > this.verts.length) {
      const nvv = new Float64Array(this.verts.length * 2);
      nvv.set(this.verts);
      this.verts = nvv;
    }
    const verts = this.verts;
    const ix = a.find("x");
    const iy = a.find("y");
    const iz = a.find("z");
    if (ix < 0 || iy < 0 || iz < 0) invalid(`${what}: a vertex lacks x, y or z.`);
    verts[nv * 3] = num(a, ix, what);
    verts[nv * 3 + 1] = num(a, iy, what);
    verts[nv * 3 + 2] = num(a, iz, what);
    this.nv = nv + 1;
    if (a.count > 3) this.checkForeignAttrs(el, a, true);
  }

  /** <triangle v1 v2 v3> (with properties, or whatever the fast scan left). */
  private readTriangle(a: XmlAttrs): void {
    const what = this.what;
    const nt = this.nt;
    if (nt * 3 + 3 > this.tris.length) {
      const nt2 = new Int32Array(this.tris.length * 2);
      nt2.set(this.tris);
      this.tris = nt2;
    }
    const tris = this.tris;
    const i1 = a.find("v1");
    const i2 = a.find("v2");
    const i3 = a.find("v3");
    if (i1 < 0 || i2 < 0 || i3 < 0) invalid(`${what}: a triangle lacks v1, v2 or v3.`);
    const v1 = idx(a, i1, this.nv, what);
    const v2 = idx(a, i2, this.nv, what);
    const v3 = idx(a, i3, this.nv, what);
    tris[nt * 3] = v1;
    tris[nt * 3 + 1] = v2;
    tris[nt * 3 + 2] = v3;
    this.nt = nt + 1;
    const max = this.ctx.maxTriangles;
    if (nt + 1 > max) fail("TOO_MANY_TRIANGLES", `The model has more than ${max} triangles.`);
    if (a.count > 3) {
      const ip = a.find("pid");
      if (ip >= 0) {
        const pid = Number(a.value(ip));
        if (pid !== this.lastPid) {
          if (!isPropertyGroup(this.part.resources.get(pid)))
            invalid(`${what}: triangle pid ${pid} is not a property group.`);
          this.lastPid = pid;
        }
      }
      if (!this.objHasProps && (ip >= 0 || a.find("p1") >= 0)) {
        // core spec §4: an object with triangle properties MUST specify pid and pindex
        this.objHasProps = true;
      }
    }
  }

  /** </object>: its mesh is kept, or its component count totalled (and checked against the limit). */
  private closeObject(obj: MeshObject): void {
    if (!obj.components) {
      obj.verts = this.verts.slice(0, this.nv * 3);
      obj.nv = this.nv;
      obj.tris = this.tris.slice(0, this.nt * 3);
      obj.nt = this.nt;
      obj.total = this.nt;
    } else {
      let total = 0;
      for (const c of obj.components) total += c.part.objects.get(c.objectid)!.total;
      obj.total = total;
    }
    const max = this.ctx.maxTriangles;
    if (obj.total > max) fail("TOO_MANY_TRIANGLES", `The model has more than ${max} triangles.`);
    this.part.objects.set(obj.id, obj);
    this.obj = null;
    this.inMesh = false;
    this.inComponents = false;
  }

  /** <item> in <build>. */
  private openBuildItem(el: XmlElement, a: XmlAttrs): void {
    const what = this.what;
    if (a.find("transform") >= 0 && countAttr(a, "transform") > 1) invalid(`${what}: duplicated transform.`);
    const ref = this.resolveObjRef(a, "a build item");
    const target = ref.part.objects.get(ref.objectid)!;
    if (containsOther(target))
      invalid(`${what}: a build item refers to an object of type "other" (core spec §3.4.3.1).`);
    const ti = a.find("transform");
    const m = ti >= 0 ? parseTransform(a, ti, what) : null;
    this.part.items.push({ ...ref, m });
    this.checkForeignAttrs(el, a, true);
  }

  private checkForeignAttrs(el: XmlElement, a: XmlAttrs, allowAny: boolean): void {
    for (let k = 0; k < a.count; k++) {
      const ns = a.ns[k]!;
      if (ns === XML_NS) {
        if (a.localName(k) === "space")
          invalid(`${this.what}: the xml:space attribute is not allowed (core spec §2.3.4).`);
        continue;
      }
      if (ns === "" || allowAny || this.ignorable.has(ns) || KNOWN_EXTENSIONS.has(ns)) continue;
      invalid(
        `${this.what}: attribute "${a.localName(k)}" in namespace "${ns}" is not allowed on <${latin(this.b, el.nameStart, el.nameEnd)}>.`,
      );
    }
  }

  private defineResource(id: number, kind: ResourceKind): void {
    if (this.part.resources.has(id))
      invalid(`${this.what}: resource id ${id} is used twice (core spec §3.4.2).`);
    this.part.resources.set(id, kind);
  }

  private requireKind(id: number, kinds: ResourceKind[], ctx: string): void {
    const k = this.part.resources.get(id);
    if (k === undefined)
      invalid(`${this.what}: ${ctx} refers to resource ${id}, which is not defined before it.`);
    if (!kinds.includes(k))
      invalid(`${this.what}: ${ctx} refers to resource ${id}, which is a ${k}, not a ${kinds.join(" or ")}.`);
  }

  /** objectid (and p:path, production extension) of a component or build item, defined before use. */
  private resolveObjRef(a: XmlAttrs, ctx: string): { part: Part; objectid: number } {
    const objectid = intAttr(a, "objectid", ctx, true);
    const pathAttr = a.get("path", NS_PRODUCTION);
    let target = this.part;
    if (pathAttr !== undefined && normalizePartName(pathAttr, "") !== this.path) {
      target = this.ctx.loadPart(normalizePartName(pathAttr, ""));
    }
    const o = target.objects.get(objectid);
    if (!o) invalid(`${this.what}: ${ctx} refers to object ${objectid}, which is not defined before it.`);
    return { part: target, objectid };
  }
}
