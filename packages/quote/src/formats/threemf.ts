// 3MF: the OPC package (zip, content types, relationships, which parts exist), loading its model
// parts (threemf-model.ts reads each one) and expanding the build items, components and transforms
// into one indexed triangle soup.
import { fail, QuoteError } from "../errors.ts";
import { measureSoup } from "../geometry.ts";
import type { SourceUnit } from "../types.ts";
import type { SoupResult } from "./stl.ts";
import {
  invalid,
  type MeshObject,
  normalizePartName,
  type PackageContext,
  type Part,
  readModelPart,
  UNIT_SCALE,
} from "./threemf-model.ts";
import { nameIs, parseXml, toUtf8 } from "./xml.ts";
import { type ZipLimits, ZipReader } from "./zip.ts";

const NS_RELS = "http://schemas.openxmlformats.org/package/2006/relationships";
const REL_MODEL = "http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel";
const REL_PRINTTICKET = "http://schemas.microsoft.com/3dmanufacturing/2013/01/printticket";

export interface ThreeMfResult extends SoupResult {
  unit: SourceUnit;
  scale: number;
  materials: { name?: string; color: string }[];
  buildItems: number;
}

export function parse3mf(bytes: Uint8Array, limits: ZipLimits, maxTriangles: number): ThreeMfResult {
  const { zip, rootPath } = openPackage(bytes, limits);
  const warnings: SoupResult["warnings"] = [];
  const materials: { name?: string; color: string }[] = [];
  const parts = new Map<string, Part>();
  const loading = new Set<string>();
  const loadPart = (path: string, isRoot: boolean): Part => {
    const key = path.toLowerCase();
    const done = parts.get(key);
    if (done) return done;
    if (loading.has(key)) invalid(`Model part "${path}" refers to itself through p:path.`);
    if (parts.size >= 64) invalid("Too many model parts.");
    loading.add(key);
    const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/") + 1) : "";
    const relsName = `${dir}_rels/${path.slice(dir.length)}.rels`;
    if (zip.has(relsName)) checkTargets(zip, parseRels(zip.read(relsName), relsName), dir, relsName);
    const part = readModelPart(ctx, path, isRoot);
    loading.delete(key);
    parts.set(key, part);
    return part;
  };
  const ctx: PackageContext = { zip, maxTriangles, warnings, materials, loadPart: (p) => loadPart(p, false) };
  const root = loadPart(rootPath, true);
  const { soup, triangles, indexed } = expandBuild(root, maxTriangles);
  const unit = root.unit as SourceUnit;
  return {
    soup,
    triangles,
    measures: measureSoup(soup, triangles),
    indexed,
    warnings,
    unit,
    scale: UNIT_SCALE[unit]!,
    materials,
    buildItems: root.items.length,
  };
}

/** The zip, its content types and root relationships checked; the path of the one 3D model StartPart. */
function openPackage(bytes: Uint8Array, limits: ZipLimits): { zip: ZipReader; rootPath: string } {
  const zip = new ZipReader(bytes, limits);
  if (!zip.has("_rels/.rels") || !zip.has("[Content_Types].xml")) {
    fail("ZIP_NOT_3MF", "This zip archive is not a 3MF package (no [Content_Types].xml or _rels/.rels).");
  }
  // content types must at least be well-formed XML
  parseXml(toUtf8(zip.read("[Content_Types].xml")), { open() {}, close() {} }, "[Content_Types].xml");
  const rootRels = parseRels(zip.read("_rels/.rels"), "_rels/.rels");
  checkTargets(zip, rootRels, "", "_rels/.rels");
  const modelRels = rootRels.filter((r) => r.type === REL_MODEL);
  if (modelRels.length === 0)
    invalid("The package has no 3D model (no StartPart relationship of the 3D model type).");
  if (modelRels.length > 1) invalid("The package has more than one 3D model StartPart relationship.");
  return { zip, rootPath: normalizePartName(modelRels[0]!.target, "") };
}

/** Every internal relationship target exists; at most one PrintTicket. */
function checkTargets(zip: ZipReader, rels: Rel[], baseDir: string, what: string): void {
  let printTickets = 0;
  for (const r of rels) {
    if (r.external) continue;
    const name = normalizePartName(r.target, baseDir);
    if (!zip.has(name))
      fail("MISSING_3MF_PART", `${what} refers to "${r.target}", which is not in the package.`);
    if (r.type === REL_PRINTTICKET && ++printTickets > 1)
      invalid(`${what}: more than one PrintTicket relationship.`);
  }
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

/**
 * The build items with their components and transforms multiplied out, as a float64 soup plus the
 * file's own vertex indices (so topology can skip the exact weld). Counts are checked against
 * `maxTriangles` before anything is allocated.
 */
function expandBuild(
  root: Part,
  maxTriangles: number,
): { soup: Float64Array; triangles: number; indexed: NonNullable<SoupResult["indexed"]> } {
  // expand build items
  let total = 0;
  for (const it of root.items) {
    total += it.part.objects.get(it.objectid)!.total;
    if (total > maxTriangles)
      fail("TOO_MANY_TRIANGLES", `The model has more than ${maxTriangles} triangles.`);
  }
  const soup = new Float64Array(total * 9);
  const ids = new Int32Array(total * 3);
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
  return { soup, triangles: total, indexed: { ids, verts: allVerts, count: vertexTotal } };
}

export { QuoteError };
