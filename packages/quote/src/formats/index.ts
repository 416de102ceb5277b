/**
 * The engine's mesh readers, for packages that need the parsed triangles themselves (the slicer), not an
 * analysis: one reader per format for the whole platform. Exported as `@ktizo/quote/formats`.
 */
export { parseObj } from "./obj.ts";
export { AsciiStlParser, binaryStlExpectedSize, parseBinaryStl, startsWithSolid } from "./stl.ts";
export { parse3mf } from "./threemf.ts";
