import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The mesh corpus lives with the quote engine's tests (`packages/quote/test/corpus/`, licences and
 * manifests beside the files); browser tests upload its files by path.
 */
const CORPUS = join(dirname(fileURLToPath(import.meta.url)), "../../../packages/quote/test/corpus");

/** Path of a corpus model, e.g. `corpusModelPath("stl/trimesh_20mm-xyz-cube.stl")`. */
export function corpusModelPath(rel: string): string {
  return join(CORPUS, rel);
}
