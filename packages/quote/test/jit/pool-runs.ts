// Run by pool-jit.test.ts under `node --trace-deopt`: one pool analyses the same ASCII STL, split
// across two workers, several times, and marks each analysis on stdout among V8's trace lines.
import { writeSync } from "node:fs";
import { createAnalysisPool } from "../../src/node/index.ts";

const [file, runs] = process.argv.slice(2);
const pool = createAnalysisPool({ size: 2, splitMinBytes: 1 << 20 });
for (let i = 0; i < Number(runs); i++) {
  const a = await pool.analyzeFile(file!);
  // the workers' collections after their tasks, and the deoptimizations they cause, come after the answer
  await new Promise((r) => setTimeout(r, 300));
  writeSync(1, `==== analysis ${i}: ${a.triangles} triangles, watertight ${a.watertight}\n`);
}
await pool.close();
