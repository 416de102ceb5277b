import { fail, QuoteError } from "../errors.ts";
import { measureSoup } from "../geometry.ts";
import { numEnd, parseNumber, parseNumberFast } from "../numbers.ts";

// a local alias: reading an imported binding in a hot loop can cost a getter call per access
const NE = numEnd;

import type { SourceUnit } from "../types.ts";
import type { SoupResult } from "./stl.ts";
import { latin, nameIs, parseXml, toUtf8, XML_NS, type XmlAttrs, type XmlElement } from "./xml.ts";
import { type ZipLimits, ZipReader } from "./zip.ts";

export const NS_CORE = "http://schemas.microsoft.com/3dmanufacturing/core/2015/02";
export const NS_MATERIAL = "http://schemas.microsoft.com/3dmanufacturing/material/2015/02";
export const NS_PRODUCTION = "http://schemas.microsoft.com/3dmanufacturing/production/2015/06";
const NS_RELS = "http://schemas.openxmlformats.org/package/2006/relationships";
const REL_MODEL = "http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel";
const REL_PRINTTICKET = "http://schemas.microsoft.com/3dmanufacturing/2013/01/printticket";
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

const UNIT_SCALE: Record<string, number> = {
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

interface MeshObject {
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

interface Part {
  path: string;
  resources: Map<number, ResourceKind>;
  objects: Map<number, MeshObject>;
  items: { part: Part; objectid: number; m: Float64Array | null }[];
  unit: string;
}

export interface ThreeMfResult extends SoupResult {
  unit: SourceUnit;
  scale: number;
  materials: { name?: string; color: string }[];
  buildItems: number;
}

function invalid(msg: string): never {
  fail("INVALID_3MF", msg);
}

function normalizePartName(target: string, baseDir: string): string {
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

interface Rel {
  target: string;
  type: string;
  id: string;
  external: boolean;
}

function parseRels(bytes: Uint8Array, what: string): Rel[] {
  const rels: Rel[] = [];
  const b = toUtf8(bytes);
  const ids = new Set<string>();
  parseXml(
    b,
    {
      open(el, a) {
        if (el.depth === 0) {
          if (!(el.ns === NS_RELS && nameIs(b, el, "Relationships")))
            invalid(`${what} is not an OPC relationships part.`);
          return;
        }
        if (el.depth === 1 && el.ns === NS_RELS && nameIs(b, el, "Relationship")) {
          const target = a.get("Target");
          const type = a.get("Type");
          const id = a.get("Id");
          if (!target || !type || !id) invalid(`${what}: a relationship lacks Target, Type or Id.`);
          if (ids.has(id)) invalid(`${what}: relationship Id "${id}" is used twice.`);
          ids.add(id);
          rels.push({
            target: target.trim(),
            type: type.trim(),
            id,
            external: a.get("TargetMode") === "External",
          });
        }
      },
      close() {},
    },
    what,
  );
  return rels;
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
function compose(inner: Float64Array | null, outer: Float64Array | null): Float64Array | null {
  if (!inner) return outer;
  if (!outer) return inner;
  const r = new Float64Array(12);
  for (let row = 0; row < 4; row++) {
    const x = inner[row * 3]!;
    const y = inner[row * 3 + 1]!;
    const z = inner[row * 3 + 2]!;
    const w = row === 3 ? 1 : 0;
    for (let col = 0; col < 3; col++) {
      r[row * 3 + col] = x * outer[col]! + y * outer[3 + col]! + z * outer[6 + col]! + w * outer[9 + col]!;
    }
  }
  return r;
}

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

export function parse3mf(bytes: Uint8Array, limits: ZipLimits, maxTriangles: number): ThreeMfResult {
  const zip = new ZipReader(bytes, limits);
  if (!zip.has("_rels/.rels") || !zip.has("[Content_Types].xml")) {
    fail("ZIP_NOT_3MF", "This zip archive is not a 3MF package (no [Content_Types].xml or _rels/.rels).");
  }
  // content types must at least be well-formed XML
  parseXml(toUtf8(zip.read("[Content_Types].xml")), { open() {}, close() {} }, "[Content_Types].xml");
  const rootRels = parseRels(zip.read("_rels/.rels"), "_rels/.rels");
  const warnings: SoupResult["warnings"] = [];
  const checkTargets = (rels: Rel[], baseDir: string, what: string) => {
    let printTickets = 0;
    for (const r of rels) {
      if (r.external) continue;
      const name = normalizePartName(r.target, baseDir);
      if (!zip.has(name))
        fail("MISSING_3MF_PART", `${what} refers to "${r.target}", which is not in the package.`);
      if (r.type === REL_PRINTTICKET && ++printTickets > 1)
        invalid(`${what}: more than one PrintTicket relationship.`);
    }
  };
  checkTargets(rootRels, "", "_rels/.rels");
  const modelRels = rootRels.filter((r) => r.type === REL_MODEL);
  if (modelRels.length === 0)
    invalid("The package has no 3D model (no StartPart relationship of the 3D model type).");
  if (modelRels.length > 1) invalid("The package has more than one 3D model StartPart relationship.");
  const rootPath = normalizePartName(modelRels[0]!.target, "");

  const parts = new Map<string, Part>();
  const loading = new Set<string>();
  const materials: { name?: string; color: string }[] = [];
  let totalTris = 0;

  const loadPart = (path: string, isRoot: boolean): Part => {
    const key = path.toLowerCase();
    const done = parts.get(key);
    if (done) return done;
    if (loading.has(key)) invalid(`Model part "${path}" refers to itself through p:path.`);
    if (parts.size >= 64) invalid("Too many model parts.");
    loading.add(key);
    const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/") + 1) : "";
    const relsName = `${dir}_rels/${path.slice(dir.length)}.rels`;
    if (zip.has(relsName)) {
      const rels = parseRels(zip.read(relsName), relsName);
      checkTargets(rels, dir, relsName);
    }
    const part = parseModelPart(path, isRoot);
    loading.delete(key);
    parts.set(key, part);
    return part;
  };

  const parseModelPart = (path: string, isRoot: boolean): Part => {
    const b = toUtf8(zip.read(path));
    const part: Part = { path, resources: new Map(), objects: new Map(), items: [], unit: "millimeter" };
    const what = `3D model part "/${path}"`;
    let sawResources = 0;
    let sawBuild = 0;
    const metadataNames = new Set<string>();
    let declaredNs: Map<string, string> = new Map();
    let ignorable = new Set<string>();
    // current object state
    let obj: MeshObject | null = null;
    let inMesh = false;
    let inVertices = false;
    let inTriangles = false;
    let inComponents = false;
    let inBuild = false;
    let inResources = false;
    let objHasProps = false;
    let verts = new Float64Array(3 * 256);
    let nv = 0;
    let tris = new Int32Array(3 * 256);
    let nt = 0;
    // property resource currently open (for counting children)
    let propKind: ResourceKind | null = null;
    let propCount = 0;
    const propSize = new Map<number, number>();
    let propId = 0;
    let lastPid = -1;

    const checkForeignAttrs = (el: XmlElement, a: XmlAttrs, allowAny: boolean) => {
      for (let k = 0; k < a.count; k++) {
        const ns = a.ns[k]!;
        if (ns === XML_NS) {
          if (a.localName(k) === "space")
            invalid(`${what}: the xml:space attribute is not allowed (core spec §2.3.4).`);
          continue;
        }
        if (ns === "" || allowAny || ignorable.has(ns) || KNOWN_EXTENSIONS.has(ns)) continue;
        invalid(
          `${what}: attribute "${a.localName(k)}" in namespace "${ns}" is not allowed on <${latin(b, el.nameStart, el.nameEnd)}>.`,
        );
      }
    };
    const defineResource = (id: number, kind: ResourceKind) => {
      if (part.resources.has(id)) invalid(`${what}: resource id ${id} is used twice (core spec §3.4.2).`);
      part.resources.set(id, kind);
    };
    const requireKind = (id: number, kinds: ResourceKind[], ctx: string) => {
      const k = part.resources.get(id);
      if (k === undefined)
        invalid(`${what}: ${ctx} refers to resource ${id}, which is not defined before it.`);
      if (!kinds.includes(k))
        invalid(`${what}: ${ctx} refers to resource ${id}, which is a ${k}, not a ${kinds.join(" or ")}.`);
    };
    const isPropertyGroup = (k: ResourceKind | undefined) =>
      k === "basematerials" ||
      k === "colorgroup" ||
      k === "texture2dgroup" ||
      k === "compositematerials" ||
      k === "multiproperties";
    const resolveObjRef = (a: XmlAttrs, ctx: string): { part: Part; objectid: number } => {
      const objectid = intAttr(a, "objectid", ctx, true);
      const pathAttr = a.get("path", NS_PRODUCTION);
      let target = part;
      if (pathAttr !== undefined && normalizePartName(pathAttr, "") !== path) {
        target = loadPart(normalizePartName(pathAttr, ""), false);
      }
      const o = target.objects.get(objectid);
      if (!o) invalid(`${what}: ${ctx} refers to object ${objectid}, which is not defined before it.`);
      return { part: target, objectid };
    };

    parseXml(
      b,
      {
        open(el, a) {
          const d = el.depth;
          const core = el.ns === NS_CORE;
          if (d === 0) {
            if (!core || !nameIs(b, el, "model"))
              invalid(`${what}: the root element must be <model> in the 3MF core namespace.`);
            // namespaces declared on model: collect via attribute-less approach (prefix lookups happen in parser)
            const unit = a.get("unit");
            if (unit !== undefined) {
              if (!(unit in UNIT_SCALE)) invalid(`${what}: unknown unit "${unit}".`);
              part.unit = unit;
            }
            const ign = a.get("Ignorable", "http://schemas.openxmlformats.org/markup-compatibility/2006");
            ignorable = new Set();
            declaredNs = new Map();
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
            checkForeignAttrs(el, a, true);
            return;
          }
          if (!core && el.ns !== NS_MATERIAL) {
            // foreign element: its own business (ignored), but not directly where core forbids it
            if (d === 1 && !ignorable.has(el.ns) && el.ns !== NS_PRODUCTION) {
              // unknown top-level elements in other namespaces are ignored (core spec §2.3.3)
            }
            return;
          }
          if (d === 1) {
            if (!core) return;
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
              } else if (!declaredNs.has(name.slice(0, colon))) {
                invalid(`${what}: metadata name "${name}" uses an undeclared namespace prefix.`);
              }
              if (metadataNames.has(name))
                invalid(`${what}: metadata "${name}" appears twice (core spec §3.4.1).`);
              metadataNames.add(name);
              checkForeignAttrs(el, a, true);
            } else if (nameIs(b, el, "resources")) {
              if (++sawResources > 1) invalid(`${what}: more than one <resources> element.`);
              inResources = true;
              checkForeignAttrs(el, a, false);
            } else if (nameIs(b, el, "build")) {
              if (++sawBuild > 1) invalid(`${what}: more than one <build> element.`);
              inBuild = true;
              checkForeignAttrs(el, a, false);
            } else {
              invalid(`${what}: unexpected element <${latin(b, el.nameStart, el.nameEnd)}> in <model>.`);
            }
            return;
          }
          if (inResources && d === 2) {
            if (core && nameIs(b, el, "object")) {
              const id = intAttr(a, "id", "<object>", true);
              const type = a.get("type") ?? "model";
              if (!OBJECT_TYPES.has(type))
                invalid(`${what}: object ${id} has invalid type "${type}" (core spec §4).`);
              const pid = intAttr(a, "pid", `object ${id}`, false);
              const pindex = intAttr(a, "pindex", `object ${id}`, false);
              if (pindex >= 0 && pid < 0)
                invalid(
                  `${what}: object ${id} has pindex but no pid (core spec §4: pid is REQUIRED if pindex is specified).`,
                );
              if (pid >= 0) {
                const k = part.resources.get(pid);
                if (!isPropertyGroup(k))
                  invalid(`${what}: object ${id} pid ${pid} is not a property group defined before it.`);
              }
              objHasProps = pid >= 0;
              checkForeignAttrs(el, a, true);
              defineResource(id, "object");
              obj = {
                id,
                type,
                verts: new Float64Array(0),
                nv: 0,
                tris: new Int32Array(0),
                nt: 0,
                components: null,
                total: 0,
              };
              nv = 0;
              nt = 0;
              return;
            }
            if (core && nameIs(b, el, "basematerials")) {
              propId = intAttr(a, "id", "<basematerials>", true);
              defineResource(propId, "basematerials");
              propKind = "basematerials";
              propCount = 0;
              return;
            }
            if (el.ns === NS_MATERIAL) {
              const local = latin(b, el.nameStart, el.nameEnd);
              const id = intAttr(a, "id", `<m:${local}>`, true);
              propId = id;
              propCount = 0;
              switch (local) {
                case "colorgroup":
                  propKind = "colorgroup";
                  break;
                case "texture2d": {
                  propKind = "texture2d";
                  const p = a.get("path");
                  if (!p) invalid(`${what}: texture2d ${id} lacks its path.`);
                  const ct = a.get("contenttype");
                  if (ct !== "image/png" && ct !== "image/jpeg") {
                    invalid(
                      `${what}: texture2d ${id} has content type "${ct ?? ""}" (must be image/png or image/jpeg).`,
                    );
                  }
                  if (!zip.has(normalizePartName(p, "")))
                    fail("MISSING_3MF_PART", `${what}: texture "${p}" is not in the package.`);
                  break;
                }
                case "texture2dgroup": {
                  propKind = "texture2dgroup";
                  const texid = intAttr(a, "texid", `texture2dgroup ${id}`, true);
                  requireKind(texid, ["texture2d"], `texture2dgroup ${id}`);
                  break;
                }
                case "compositematerials": {
                  propKind = "compositematerials";
                  const matid = intAttr(a, "matid", `compositematerials ${id}`, true);
                  requireKind(matid, ["basematerials"], `compositematerials ${id} matid`);
                  if (a.get("matindices") === undefined)
                    invalid(`${what}: compositematerials ${id} lacks matindices.`);
                  break;
                }
                case "multiproperties": {
                  propKind = "multiproperties";
                  const pidsAttr = a.get("pids");
                  if (pidsAttr === undefined || pidsAttr.trim() === "")
                    invalid(`${what}: multiproperties ${id} lacks pids.`);
                  const pids = idList(pidsAttr);
                  let mats = 0;
                  let colors = 0;
                  for (const p of pids) {
                    const k = part.resources.get(p);
                    if (k === undefined)
                      invalid(`${what}: multiproperties ${id} refers to undefined resource ${p}.`);
                    if (k === "multiproperties")
                      invalid(
                        `${what}: multiproperties ${id} refers to another multiproperties (materials extension §5).`,
                      );
                    if (k === "basematerials" || k === "compositematerials") mats++;
                    if (k === "colorgroup") colors++;
                    if (!isPropertyGroup(k)) {
                      warnings.push({
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
                  propKind = "other";
              }
              defineResource(id, propKind);
              return;
            }
            // unknown core element in resources
            if (core)
              invalid(`${what}: unexpected element <${latin(b, el.nameStart, el.nameEnd)}> in <resources>.`);
            return;
          }
          if (inResources && d === 3 && propKind !== null) {
            propCount++;
            if (propKind === "basematerials" && core && nameIs(b, el, "base")) {
              const color = a.get("displaycolor");
              if (a.get("name") === undefined || color === undefined)
                invalid(`${what}: a base material lacks name or displaycolor.`);
              if (!COLOR_RE.test(color.trim())) invalid(`${what}: invalid color "${color}".`);
              if (materials.length < 256) materials.push({ name: a.get("name"), color: color.trim() });
            } else if (propKind === "colorgroup" && nameIs(b, el, "color")) {
              const color = a.get("color");
              if (color === undefined) invalid(`${what}: a <m:color> lacks its color (materials extension).`);
              if (!COLOR_RE.test(color.trim())) invalid(`${what}: invalid color "${color}".`);
              if (materials.length < 256) materials.push({ color: color.trim() });
            }
            return;
          }
          if (obj !== null && core) {
            if (d === 3) {
              if (nameIs(b, el, "mesh")) {
                inMesh = true;
                checkForeignAttrs(el, a, false);
              } else if (nameIs(b, el, "components")) {
                inComponents = true;
                obj.components = [];
                checkForeignAttrs(el, a, false);
              } else if (!nameIs(b, el, "metadatagroup")) {
                invalid(`${what}: unexpected element <${latin(b, el.nameStart, el.nameEnd)}> in <object>.`);
              }
              return;
            }
            if (d === 4 && inMesh) {
              if (nameIs(b, el, "vertices")) inVertices = true;
              else if (nameIs(b, el, "triangles")) inTriangles = true;
              checkForeignAttrs(el, a, false);
              return;
            }
            if (d === 5 && inVertices) {
              // <vertex x y z>: parse numbers straight from the bytes
              if (nv * 3 + 3 > verts.length) {
                const nvv = new Float64Array(verts.length * 2);
                nvv.set(verts);
                verts = nvv;
              }
              const ix = a.find("x");
              const iy = a.find("y");
              const iz = a.find("z");
              if (ix < 0 || iy < 0 || iz < 0) invalid(`${what}: a vertex lacks x, y or z.`);
              verts[nv * 3] = num(a, ix, what);
              verts[nv * 3 + 1] = num(a, iy, what);
              verts[nv * 3 + 2] = num(a, iz, what);
              nv++;
              if (a.count > 3) checkForeignAttrs(el, a, true);
              return;
            }
            if (d === 5 && inTriangles) {
              if (nt * 3 + 3 > tris.length) {
                const nt2 = new Int32Array(tris.length * 2);
                nt2.set(tris);
                tris = nt2;
              }
              const i1 = a.find("v1");
              const i2 = a.find("v2");
              const i3 = a.find("v3");
              if (i1 < 0 || i2 < 0 || i3 < 0) invalid(`${what}: a triangle lacks v1, v2 or v3.`);
              const v1 = idx(a, i1, nv, what);
              const v2 = idx(a, i2, nv, what);
              const v3 = idx(a, i3, nv, what);
              tris[nt * 3] = v1;
              tris[nt * 3 + 1] = v2;
              tris[nt * 3 + 2] = v3;
              nt++;
              if (nt > maxTriangles)
                fail("TOO_MANY_TRIANGLES", `The model has more than ${maxTriangles} triangles.`);
              if (a.count > 3) {
                const ip = a.find("pid");
                if (ip >= 0) {
                  const pid = Number(a.value(ip));
                  if (pid !== lastPid) {
                    if (!isPropertyGroup(part.resources.get(pid)))
                      invalid(`${what}: triangle pid ${pid} is not a property group.`);
                    lastPid = pid;
                  }
                }
                if (!objHasProps && (ip >= 0 || a.find("p1") >= 0)) {
                  // core spec §4: an object with triangle properties MUST specify pid and pindex
                  objHasProps = true;
                }
              }
              return;
            }
            if (d === 4 && inComponents && nameIs(b, el, "component")) {
              const ref = resolveObjRef(a, `a component of object ${obj.id}`);
              const ti = a.find("transform");
              const m = ti >= 0 ? parseTransform(a, ti, what) : null;
              obj.components!.push({ ...ref, m });
              return;
            }
            return;
          }
          if (inBuild && d === 2) {
            if (!core || !nameIs(b, el, "item")) return;
            if (a.find("transform") >= 0 && countAttr(a, "transform") > 1)
              invalid(`${what}: duplicated transform.`);
            const ref = resolveObjRef(a, "a build item");
            const target = ref.part.objects.get(ref.objectid)!;
            if (containsOther(target))
              invalid(`${what}: a build item refers to an object of type "other" (core spec §3.4.3.1).`);
            const ti = a.find("transform");
            const m = ti >= 0 ? parseTransform(a, ti, what) : null;
            part.items.push({ ...ref, m });
            checkForeignAttrs(el, a, true);
          }
        },
        fastScan(pos) {
          if (obj === null || !(inVertices || inTriangles)) return pos;
          const buf: MeshBuf = { verts, nv, tris, nt };
          const r = inVertices
            ? scanVertices(b, pos, buf, maxTriangles)
            : scanTriangles(b, pos, buf, maxTriangles);
          verts = buf.verts;
          nv = buf.nv;
          tris = buf.tris;
          nt = buf.nt;
          return r;
        },
        close(depth) {
          if (depth === 1) {
            inResources = false;
            inBuild = false;
          } else if (depth === 2 && obj !== null) {
            if (!obj.components) {
              obj.verts = verts.slice(0, nv * 3);
              obj.nv = nv;
              obj.tris = tris.slice(0, nt * 3);
              obj.nt = nt;
              obj.total = nt;
            } else {
              let total = 0;
              for (const c of obj.components) total += c.part.objects.get(c.objectid)!.total;
              obj.total = total;
            }
            if (obj.total > maxTriangles)
              fail("TOO_MANY_TRIANGLES", `The model has more than ${maxTriangles} triangles.`);
            part.objects.set(obj.id, obj);
            obj = null;
            inMesh = false;
            inComponents = false;
          } else if (depth === 2 && propKind !== null) {
            propSize.set(propId, propCount);
            propKind = null;
          } else if (depth === 3) {
            inMesh = false;
            inComponents = false;
          } else if (depth === 4) {
            inVertices = false;
            inTriangles = false;
          }
        },
      },
      what,
    );
    if (isRoot) {
      if (sawResources === 0) invalid(`${what}: the model has no <resources> element (core spec §3.4).`);
      if (sawBuild === 0) invalid(`${what}: the model has no <build> element (core spec §3.4).`);
    }
    return part;
  };

  const root = loadPart(rootPath, true);
  // expand build items
  let total = 0;
  for (const it of root.items) {
    total += it.part.objects.get(it.objectid)!.total;
    if (total > maxTriangles)
      fail("TOO_MANY_TRIANGLES", `The model has more than ${maxTriangles} triangles.`);
  }
  totalTris = total;
  const soup = new Float64Array(totalTris * 9);
  const ids = new Int32Array(totalTris * 3);
  let vertexTotal = 0;
  const countVerts = (o: MeshObject, depth: number): number => {
    if (depth > 32) invalid("Components are nested more than 32 levels deep.");
    if (!o.components) return o.nv;
    let n = 0;
    for (const c of o.components) n += countVerts(c.part.objects.get(c.objectid)!, depth + 1);
    return n;
  };
  for (const it of root.items) vertexTotal += countVerts(it.part.objects.get(it.objectid)!, 0);
  const allVerts = new Float64Array(vertexTotal * 3);
  let w = 0;
  let vbase = 0;
  const emit = (o: MeshObject, m: Float64Array | null, depth: number) => {
    if (depth > 32) invalid("Components are nested more than 32 levels deep.");
    if (o.components) {
      for (const c of o.components) emit(c.part.objects.get(c.objectid)!, compose(c.m, m), depth + 1);
      return;
    }
    const v = o.verts;
    const t = o.tris;
    let flip = false;
    const tv = allVerts.subarray(vbase * 3, vbase * 3 + v.length);
    if (m) {
      for (let k = 0; k < v.length; k += 3) {
        const x = v[k]!;
        const y = v[k + 1]!;
        const z = v[k + 2]!;
        tv[k] = x * m[0]! + y * m[3]! + z * m[6]! + m[9]!;
        tv[k + 1] = x * m[1]! + y * m[4]! + z * m[7]! + m[10]!;
        tv[k + 2] = x * m[2]! + y * m[5]! + z * m[8]! + m[11]!;
      }
      const det =
        m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) -
        m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) +
        m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
      // core spec §3.3: a negative determinant must not turn the volume inside out
      flip = det < 0;
    } else {
      tv.set(v);
    }
    for (let k = 0; k < o.nt * 3; k += 3) {
      const ia = t[k]!;
      const ib = t[flip ? k + 2 : k + 1]!;
      const ic = t[flip ? k + 1 : k + 2]!;
      const a = ia * 3;
      const bb = ib * 3;
      const c = ic * 3;
      const ti = (w / 3) | 0;
      ids[ti] = vbase + ia;
      ids[ti + 1] = vbase + ib;
      ids[ti + 2] = vbase + ic;
      soup[w] = tv[a]!;
      soup[w + 1] = tv[a + 1]!;
      soup[w + 2] = tv[a + 2]!;
      soup[w + 3] = tv[bb]!;
      soup[w + 4] = tv[bb + 1]!;
      soup[w + 5] = tv[bb + 2]!;
      soup[w + 6] = tv[c]!;
      soup[w + 7] = tv[c + 1]!;
      soup[w + 8] = tv[c + 2]!;
      w += 9;
    }
    vbase += o.nv;
  };
  for (const it of root.items) emit(it.part.objects.get(it.objectid)!, it.m, 0);
  const unit = root.unit as SourceUnit;
  return {
    soup,
    triangles: totalTris,
    measures: measureSoup(soup, totalTris),
    indexed: { ids, verts: allVerts, count: vertexTotal },
    warnings,
    unit,
    scale: UNIT_SCALE[unit]!,
    materials,
    buildItems: root.items.length,
  };
}

interface MeshBuf {
  verts: Float64Array<ArrayBuffer>;
  nv: number;
  tris: Int32Array<ArrayBuffer>;
  nt: number;
}

function isWsB(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function readIndex(b: Uint8Array, j: number): number {
  let v = 0;
  let k = j;
  while (k < b.length && b[k]! >= 48 && b[k]! <= 57 && k - j < 10) {
    v = v * 10 + (b[k]! - 48);
    k++;
  }
  NE.pos = k;
  return k === j ? -1 : v;
}

/** <vertex x=".." y=".." z=".."/> repeated, parsed straight from the bytes (locals, no closure state). */
function scanVertices(b: Uint8Array, pos: number, buf: MeshBuf, _maxTriangles: number): number {
  let i = pos;
  let verts = buf.verts;
  let nv = buf.nv;
  const n = b.length;
  outer: for (;;) {
    let j = i;
    while (j < n && isWsB(b[j]!)) j++;
    // "<vertex" + whitespace
    if (
      b[j] !== 60 ||
      b[j + 1] !== 118 ||
      b[j + 2] !== 101 ||
      b[j + 3] !== 114 ||
      b[j + 4] !== 116 ||
      b[j + 5] !== 101 ||
      b[j + 6] !== 120 ||
      !isWsB(b[j + 7] ?? 0)
    ) {
      break;
    }
    j += 8;
    let x = Number.NaN;
    let y = Number.NaN;
    let z = Number.NaN;
    let seen = 0;
    for (;;) {
      while (j < n && isWsB(b[j]!)) j++;
      const c = b[j];
      if (c === 47 && b[j + 1] === 62) {
        j += 2;
        break;
      }
      // single-letter x / y / z followed by ="
      const bit = c === 120 ? 1 : c === 121 ? 2 : c === 122 ? 4 : 0;
      if (bit === 0 || seen & bit || b[j + 1] !== 61 || (b[j + 2] !== 34 && b[j + 2] !== 39)) break outer;
      const q = b[j + 2]!;
      const v = parseNumberFast(b, j + 3);
      const e = NE.pos;
      if (e === j + 3 || b[e] !== q || !Number.isFinite(v)) break outer; // generic path reports it
      if (bit === 1) x = v;
      else if (bit === 2) y = v;
      else z = v;
      seen |= bit;
      j = e + 1;
      if (!isWsB(b[j] ?? 0) && b[j] !== 47) break outer;
    }
    if (seen !== 7) break;
    if (nv * 3 + 3 > verts.length) {
      const nvv = new Float64Array(verts.length * 2);
      nvv.set(verts);
      verts = nvv;
    }
    verts[nv * 3] = x;
    verts[nv * 3 + 1] = y;
    verts[nv * 3 + 2] = z;
    nv++;
    i = j;
  }

  buf.verts = verts;
  buf.nv = nv;
  return i;
}

/** <triangle v1=".." v2=".." v3=".."/> repeated (no properties), parsed straight from the bytes. */
function scanTriangles(b: Uint8Array, pos: number, buf: MeshBuf, maxTriangles: number): number {
  let i = pos;
  let tris = buf.tris;
  let nt = buf.nt;
  const nv = buf.nv;
  const n = b.length;
  outer: for (;;) {
    let j = i;
    while (j < n && isWsB(b[j]!)) j++;
    // "<triangle" + whitespace
    if (
      b[j] !== 60 ||
      b[j + 1] !== 116 ||
      b[j + 2] !== 114 ||
      b[j + 3] !== 105 ||
      b[j + 4] !== 97 ||
      b[j + 5] !== 110 ||
      b[j + 6] !== 103 ||
      b[j + 7] !== 108 ||
      b[j + 8] !== 101 ||
      !isWsB(b[j + 9] ?? 0)
    ) {
      break;
    }
    j += 10;
    let v1 = -1;
    let v2 = -1;
    let v3 = -1;
    for (;;) {
      while (j < n && isWsB(b[j]!)) j++;
      const c = b[j];
      if (c === 47 && b[j + 1] === 62) {
        j += 2;
        break;
      }
      if (c !== 118 || b[j + 2] !== 61 || (b[j + 3] !== 34 && b[j + 3] !== 39)) break outer;
      const which = b[j + 1];
      const q = b[j + 3]!;
      const v = readIndex(b, j + 4);
      const e = NE.pos;
      if (v < 0 || b[e] !== q || v >= nv) break outer; // generic path reports it
      if (which === 49 && v1 < 0) v1 = v;
      else if (which === 50 && v2 < 0) v2 = v;
      else if (which === 51 && v3 < 0) v3 = v;
      else break outer;
      j = e + 1;
      if (!isWsB(b[j] ?? 0) && b[j] !== 47) break outer;
    }
    if (v1 < 0 || v2 < 0 || v3 < 0) break;
    if (nt * 3 + 3 > tris.length) {
      const nt2 = new Int32Array(tris.length * 2);
      nt2.set(tris);
      tris = nt2;
    }
    tris[nt * 3] = v1;
    tris[nt * 3 + 1] = v2;
    tris[nt * 3 + 2] = v3;
    nt++;
    if (nt > maxTriangles) fail("TOO_MANY_TRIANGLES", `The model has more than ${maxTriangles} triangles.`);
    i = j;
  }

  buf.tris = tris;
  buf.nt = nt;
  buf.nv = nv;
  return i;
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

export { QuoteError };
