#!/usr/bin/env node
// A server package's `build`: its TypeScript sources (src/) transpiled file by file to plain JavaScript
// in dist/, at the same depth, with relative `.ts` imports rewritten to `.js` and every other file
// (SQL, text, .mjs) copied. `pnpm start` and `pnpm worker` then run plain `node` with the
// `ktizo-compiled` export condition, which points each workspace package at its dist/; tsx, Vitest,
// Vite and tsc keep the default condition and read the sources. Types are checked by `typecheck`.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import ts from "typescript";

const packageDir = process.cwd();
const srcDir = join(packageDir, "src");
const outDir = join(packageDir, "dist");

const options = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  jsx: ts.JsxEmit.ReactJSX,
  verbatimModuleSyntax: true,
  rewriteRelativeImportExtensions: true,
  sourceMap: false,
};

/** Files that only tests use never reach production. */
const isTest = (name) => /\.(test|e2e\.test|db\.test|ops\.test)\.tsx?$/.test(name);

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

// A file deleted from src/ must not live on in dist/; the widget's own bundle (dist/widget.js) stays.
if (existsSync(outDir)) {
  for (const entry of readdirSync(outDir)) {
    if (entry !== "widget.js") rmSync(join(outDir, entry), { recursive: true, force: true });
  }
}

let count = 0;
for (const file of walk(srcDir)) {
  const rel = relative(srcDir, file);
  if (isTest(rel)) continue;
  const target = join(outDir, rel);
  mkdirSync(dirname(target), { recursive: true });
  if (/\.tsx?$/.test(rel) && !rel.endsWith(".d.ts")) {
    const { outputText, diagnostics } = ts.transpileModule(readFileSync(file, "utf8"), {
      fileName: file,
      compilerOptions: options,
      reportDiagnostics: true,
    });
    if (diagnostics?.length) {
      for (const d of diagnostics)
        console.error(`${rel}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
      process.exit(1);
    }
    writeFileSync(target.replace(/\.tsx?$/, ".js"), outputText);
  } else {
    copyFileSync(file, target);
  }
  count++;
}
console.log(
  `compiled ${count} files from ${relative(process.cwd(), srcDir)} to ${relative(process.cwd(), outDir)}`,
);
