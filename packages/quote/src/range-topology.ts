import {
  classify,
  countAtMost,
  degenerateBound,
  type JoinedVertices,
  type RangeWeld,
  type SmallAreas,
  type TopologyCounts,
  ufFind,
} from "./geometry.ts";

/**
 * Topology of an ASCII STL parsed in ranges, with most of the work done in the range workers: each
 * range classifies its own edges in its own vertex numbering (`rangeEdges`, in parallel), and the
 * finish only corrects the edges whose two ends appear in more than one range and joins the ranges'
 * shells (`joinRangeTopology`). The counts are those of classifying the joined mesh in one piece:
 * an edge of one range keeps its class, since a range's vertex ids map one to one onto the joined ids
 * (distinct points stay distinct) and an edge's class does not depend on which end has the lower id.
 */

/** One range's edges, classified in its own vertex numbering. */
export interface RangeEdges {
  open: number;
  nonManifold: number;
  inconsistent: number;
  /** Each local vertex's shell within the range (0 … shells - 1). */
  shell: Int32Array;
  shells: number;
  /**
   * The smallest squared doubled-area normals of all its triangles (`SmallAreas`, collapsed ones
   * included, whose is 0): which are degenerate is known once the tolerance is.
   */
  small: Float64Array;
  cutoff: number;
}

/**
 * Classifies one range's edges (`ids`: its corners' local vertex ids, `count` distinct vertices;
 * `small`: its triangles' smallest areas, kept while they were measured).
 */
export function rangeEdges(ids: Int32Array, count: number, small: SmallAreas): RangeEdges {
  const triangles = ids.length / 3;
  // positions are not needed: only collapsed triangles are counted here, the areas are in `small`
  const st = classify(null, triangles, ids, count, -1);
  const shell = new Int32Array(count);
  let shells = 0;
  const parent = st.parent;
  for (let v = 0; v < count; v++) if (ufFind(parent, v) === v) shell[v] = shells++;
  for (let v = 0; v < count; v++) shell[v] = shell[ufFind(parent, v)]!;
  return {
    open: st.open,
    nonManifold: st.nonManifold,
    inconsistent: st.inconsistent,
    shell,
    shells,
    small: small.values.slice(0, small.n),
    cutoff: small.cutoff,
  };
}

/** Above this share of vertices seen in several ranges, the finish classifies the joined mesh itself. */
const MAX_SHARED_SHARE = 1 / 8;

/**
 * The topology counts of the joined mesh from the ranges' own (`rangeEdges`), or null when this
 * shortcut does not apply and the joined mesh must be analysed in one piece (`analyzeTopology`): open
 * edges (the tolerance weld may close them), several shells (inverted shells are found per shell), an
 * undecided count of degenerate triangles, or many vertices in several ranges (ranges interleaved).
 */
export function joinRangeTopology(
  parts: { weld: RangeWeld; edges: RangeEdges }[],
  joined: JoinedVertices,
  tol: number,
): TopologyCounts | null {
  const V = joined.welder.count;
  // edges are keyed lower * V + higher below, exact while V² < 2^53
  if (V > 94_000_000) return null;
  const eps2 = degenerateBound(tol);
  // a collapsed triangle's area is 0, so it is among the areas ≤ eps2 (if eps2 is a number)
  if (!(eps2 >= 0)) return null;
  let degenerate = 0;
  let open = 0;
  let nonManifold = 0;
  let inconsistent = 0;
  for (const { edges } of parts) {
    const small = countAtMost(edges.small, edges.cutoff, eps2);
    if (small < 0) return null;
    degenerate += small;
    open += edges.open;
    nonManifold += edges.nonManifold;
    inconsistent += edges.inconsistent;
  }
  // vertices seen in more than one range (joined ids), and the ranges' shells joined through them
  // (loops, not closures, in these functions: see `putEdge` in geometry.ts)
  const multi = new Uint8Array(V);
  let shared = 0;
  let labels = 0;
  for (const p of parts) labels += p.edges.shells;
  const uf = new Int32Array(labels);
  for (let i = 0; i < labels; i++) uf[i] = i;
  let shells = labels;
  // a joined vertex's label, from the first range that has it: the first range's own (its ids are the
  // joined ones when it handed over its table), the others' noted as their new vertices come
  const head = joined.remaps[0] === null ? parts[0]!.edges.shell : null;
  const headCount = head ? parts[0]!.weld.count : 0;
  const shellOf = new Int32Array(V);
  const out = new Int32Array(2);
  let off = 0;
  for (let k = 0; k < parts.length; k++) {
    const { weld, edges } = parts[k]!;
    const remap = joined.remaps[k];
    const first = off;
    off += edges.shells;
    if (!remap) continue;
    const start = joined.starts[k]!;
    joinShells(
      remap,
      weld.count,
      edges.shell,
      first,
      start,
      k === parts.length - 1,
      multi,
      uf,
      shellOf,
      head,
      headCount,
      out,
    );
    shared += out[0]!;
    shells -= out[1]!;
  }
  if (shells !== 1 || shared > V * MAX_SHARED_SHARE) return null;
  if (shared > 0) {
    const d = crossingEdges(parts, joined.remaps, multi, V);
    open += d[1]!;
    nonManifold += d[2]!;
    inconsistent += d[3]!;
  }
  if (open > 0) return null;
  return { vertices: V, open, nonManifold, inconsistent, degenerate, shells, inverted: 0 };
}

/**
 * One range's vertices into the joined shells (`joinRangeTopology`): marks the joined vertices it
 * shares with earlier ranges in `multi` and unites their shells' labels; out[0] is how many vertices
 * it newly marked, out[1] how many unions it made. (Typed arrays and numbers only, no object literals
 * in or out: optimized code that checks an object's hidden class is dropped when the last object of
 * that class is collected, as between analyses in a pool worker.)
 */
function joinShells(
  remap: Int32Array,
  count: number,
  local: Int32Array,
  off: number,
  start: number,
  last: boolean,
  multi: Uint8Array,
  uf: Int32Array,
  shellOf: Int32Array,
  head: Int32Array | null,
  headCount: number,
  out: Int32Array,
): void {
  let shared = 0;
  let merged = 0;
  for (let v = 0; v < count; v++) {
    const g = remap[v]!;
    const label = off + local[v]!;
    if (g >= start) {
      if (!last) shellOf[g] = label;
      continue;
    }
    if (multi[g] === 0) {
      multi[g] = 1;
      shared++;
    }
    const a = ufFind(uf, g < headCount ? head![g]! : shellOf[g]!);
    const b = ufFind(uf, label);
    if (a !== b) {
      uf[a] = b;
      merged++;
    }
  }
  out[0] = shared;
  out[1] = merged;
}

/** The class of an edge used `n` times, `f` of them from its lower to its higher id. */
function classOf(n: number, f: number): 0 | 1 | 2 | 3 {
  if (n === 1) return 1; // open
  if (n > 2) return 2; // non-manifold
  return f !== 1 ? 3 : 0; // inconsistent, or fine
}

/**
 * The corrections for edges whose two ends are both in several ranges (`multi`): such an edge may be
 * used in more than one range, and each range classified only its own uses. Returns what to add to
 * the ranges' summed counts (negative where a range's class is replaced), by class: [fine, open,
 * non-manifold, inconsistent].
 */
function crossingEdges(
  parts: { weld: RangeWeld; edges: RangeEdges }[],
  remaps: (Int32Array | null)[],
  multi: Uint8Array,
  V: number,
): number[] {
  const all = new EdgeUses();
  const delta = [0, 0, 0, 0];
  for (let k = 0; k < parts.length; k++) {
    const { weld } = parts[k]!;
    const remap = remaps[k] ?? null;
    const ids = weld.ids;
    // which of the range's own vertices are in several ranges, by its own ids (read in file order)
    let shared = multi;
    if (remap) {
      shared = new Uint8Array(weld.count);
      for (let v = 0; v < weld.count; v++) shared[v] = multi[remap[v]!]!;
    }
    const mine = new EdgeUses();
    // in blocks: a function called many times is optimized on entry and stays so from one analysis to
    // the next, where one long loop, run once per finish, ran mostly before its compilation was ready
    for (let c = 0; c < ids.length; c += CROSSING_BLOCK)
      crossingsIn(ids, c, Math.min(ids.length, c + CROSSING_BLOCK), shared, remap, V, mine);
    for (const [key, i] of mine.index) {
      // the range counted this edge with its own uses: that class is taken back
      delta[classOf(mine.n[i]!, mine.f[i]!)]!--;
      all.add(key, mine.n[i]!, mine.f[i]!);
    }
  }
  for (let j = 0; j < all.n.length; j++) delta[classOf(all.n[j]!, all.f[j]!)]!++;
  kept.uses = all;
  kept.parts = parts;
  return delta;
}

/** Corners per call of `crossingsIn`. */
const CROSSING_BLOCK = 3 * 4096;

/** The uses, in the triangles of ids[from, to), of edges whose two ends are in several ranges. */
function crossingsIn(
  ids: Int32Array,
  from: number,
  to: number,
  shared: Uint8Array,
  remap: Int32Array | null,
  V: number,
  mine: EdgeUses,
): void {
  for (let c = from; c < to; c += 3) {
    const la = ids[c]!;
    const lb = ids[c + 1]!;
    const lc = ids[c + 2]!;
    // collapsed triangles have no edges (as in `classify`); local ids are equal iff joined ones are
    if (la === lb || lb === lc || la === lc) continue;
    if (shared[la]! + shared[lb]! + shared[lc]! < 2) continue;
    useEdge(mine, shared, remap, V, la, lb);
    useEdge(mine, shared, remap, V, lb, lc);
    useEdge(mine, shared, remap, V, lc, la);
  }
}

/** One use of the edge la→lb (a range's own ids) when both ends are in several ranges (`crossingEdges`). */
function useEdge(
  mine: EdgeUses,
  shared: Uint8Array,
  remap: Int32Array | null,
  V: number,
  la: number,
  lb: number,
): void {
  if (shared[la] === 0 || shared[lb] === 0) return;
  const a = remap ? remap[la]! : la;
  const b = remap ? remap[lb]! : lb;
  mine.add(a < b ? a * V + b : b * V + a, 1, a < b ? 1 : 0);
}

/**
 * The last join's edge uses (a few thousand entries) and ranges, kept so that their hidden classes
 * stay known to V8 between analyses (see `previous` in node/ascii-ranges.ts); the pool worker empties
 * the ranges' arrays once the analysis is done (`keepShapes` in node/worker.ts).
 */
const kept: { uses: EdgeUses | null; parts: { weld: RangeWeld; edges: RangeEdges }[] } = {
  uses: null,
  parts: [],
};

/** Uses of edges (key: lower * V + higher joined id): how many, and how many from lower to higher. */
class EdgeUses {
  readonly index = new Map<number, number>();
  readonly n: number[] = [];
  readonly f: number[] = [];

  add(key: number, uses: number, forward: number): void {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.n.length;
      this.index.set(key, i);
      this.n.push(0);
      this.f.push(0);
    }
    this.n[i]! += uses;
    this.f[i]! += forward;
  }
}
