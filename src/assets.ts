/**
 * Where the WebAssembly files live. Installed from npm they sit inside their packages; in the
 * esbuild bundle of the GitHub Action they are copied next to the bundle (there is no
 * node_modules there), so the bundle's own directory is looked at first.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface WasmAsset {
  /** File name, also the name the bundle copies it under. */
  readonly fileName: string;
  /** Package-relative specifier for require.resolve when not bundled. */
  readonly specifier: string;
}

/** web-tree-sitter's runtime. */
export const TREE_SITTER_WASM: WasmAsset = {
  fileName: 'tree-sitter.wasm',
  specifier: 'web-tree-sitter/tree-sitter.wasm',
};

/** The HCL grammar (the package's native binding is not used, only its .wasm). */
export const HCL_GRAMMAR_WASM: WasmAsset = {
  fileName: 'tree-sitter-hcl.wasm',
  specifier: '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm',
};

/** The assets a bundle must carry next to itself (for the build script). */
export const WASM_ASSETS: readonly WasmAsset[] = [TREE_SITTER_WASM, HCL_GRAMMAR_WASM];

/** Absolute path of an asset: beside this code if present (bundle), else from its package. */
export function assetPath(asset: WasmAsset): string {
  const beside = path.join(__dirname, asset.fileName);
  if (fs.existsSync(beside)) return beside;
  return require.resolve(asset.specifier);
}
