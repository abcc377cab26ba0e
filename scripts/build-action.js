#!/usr/bin/env node
/**
 * Builds the GitHub Action bundle: src/action.ts and everything it imports into one CommonJS file,
 * dist/index.js, plus the files the code reads at run time, placed where its lookups find them
 * from the bundle's own directory (there is no node_modules beside a published Action):
 *   tree-sitter.wasm, tree-sitter-hcl.wasm  src/assets.ts looks beside the bundle first
 *   main.wasm.gz                            hcl2json's Go parser (its path is rewritten below)
 *   modules/*.tf.json                       registry module stubs (rules/modules/index.ts)
 *   package.json                            {name, version} for src/version.ts
 * The output is deterministic (no timestamps, no absolute paths), so a test can rebuild and
 * compare with the committed dist/.
 *
 * Usage: node scripts/build-action.js [OUTDIR]   (default: dist)
 */
'use strict';
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..');

/** hcl2json reads `join(__dirname, "..", "main.wasm.gz")`; in the bundle __dirname is dist/. */
const HCL2JSON_WASM_READ = '(0, path_1.join)(__dirname, "..", "main.wasm.gz")';
const HCL2JSON_WASM_READ_BUNDLED = '(0, path_1.join)(__dirname, "main.wasm.gz")';

/** Rewrites hcl2json's wasm path to the copy beside the bundle; fails loudly if the package changed. */
const hcl2jsonWasmPath = {
  name: 'hcl2json-wasm-path',
  setup(build) {
    build.onLoad({ filter: /[\\/]@cdktf[\\/]hcl2json[\\/]lib[\\/]bridge\.js$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      if (!source.includes(HCL2JSON_WASM_READ)) {
        throw new Error(`${args.path}: expected "${HCL2JSON_WASM_READ}"; @cdktf/hcl2json changed how it finds main.wasm.gz`);
      }
      return { contents: source.split(HCL2JSON_WASM_READ).join(HCL2JSON_WASM_READ_BUNDLED), loader: 'js' };
    });
  },
};

/** The .wasm files src/assets.ts expects beside the bundle: its WASM_ASSETS list, loaded from source. */
function wasmAssets() {
  const file = path.join(ROOT, 'src', 'assets.ts');
  const { code } = esbuild.transformSync(fs.readFileSync(file, 'utf8'), { loader: 'ts', format: 'cjs', platform: 'node' });
  const Module = module.constructor;
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(path.dirname(file));
  m._compile(code, file);
  const assets = m.exports.WASM_ASSETS;
  if (!Array.isArray(assets) || assets.length === 0) throw new Error('src/assets.ts: WASM_ASSETS is missing or empty');
  return assets;
}

/** Clears the output directory, refusing anything that does not look like an earlier bundle. */
function cleanOutDir(outDir) {
  if (outDir === ROOT || ROOT.startsWith(outDir + path.sep)) throw new Error(`refusing to build into ${outDir}`);
  if (fs.existsSync(outDir)) {
    const entries = fs.readdirSync(outDir);
    if (entries.length > 0 && !entries.includes('index.js')) throw new Error(`${outDir} is not empty and holds no index.js; refusing to clear it`);
    fs.rmSync(outDir, { recursive: true, force: true });
  }
  fs.mkdirSync(outDir, { recursive: true });
}

async function build(outDir) {
  cleanOutDir(outDir);

  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [path.join(ROOT, 'src', 'action.ts')],
    outfile: path.join(outDir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Node 20 has globalThis.performance; hcl2json's wasm_exec only requires "performance" without it.
    external: ['performance'],
    sourcemap: false,
    minifyWhitespace: true,
    legalComments: 'eof',
    charset: 'utf8',
    logLevel: 'warning',
    plugins: [hcl2jsonWasmPath],
  });
  if (result.errors.length) throw new Error('esbuild failed');

  for (const asset of wasmAssets()) {
    fs.copyFileSync(require.resolve(asset.specifier, { paths: [ROOT] }), path.join(outDir, asset.fileName));
  }
  const hcl2jsonDir = path.dirname(require.resolve('@cdktf/hcl2json/package.json', { paths: [ROOT] }));
  fs.copyFileSync(path.join(hcl2jsonDir, 'main.wasm.gz'), path.join(outDir, 'main.wasm.gz'));

  const modulesDir = path.join(ROOT, 'rules', 'modules');
  const stubs = fs.readdirSync(modulesDir).filter((f) => f.endsWith('.tf.json')).sort();
  fs.mkdirSync(path.join(outDir, 'modules'));
  for (const f of stubs) fs.copyFileSync(path.join(modulesDir, f), path.join(outDir, 'modules', f));

  // Same file modes wherever it is built (npm packages ship some .wasm files executable).
  for (const f of listFiles(outDir)) fs.chmodSync(f, 0o644);

  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  fs.writeFileSync(path.join(outDir, 'package.json'), JSON.stringify({ name: pkg.name, version: pkg.version, private: true }, null, 2) + '\n');
}

function listFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(p) : [p];
  });
}

const outDir = path.resolve(process.argv[2] || path.join(ROOT, 'dist'));
build(outDir).catch((e) => {
  process.stderr.write(`build-action: ${e.message}\n`);
  process.exitCode = 1;
});
