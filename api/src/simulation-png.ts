/**
 * The simulation report's plots as PNG (`motcua simulate --png`): the SVG that
 * onestop/src/simulation/plots.ts draws, rendered by resvg compiled to WebAssembly
 * (`@resvg/resvg-wasm`: the .wasm ships inside the npm package, nothing is downloaded at
 * install or run time, no native binary) with the DejaVu Sans font of `dejavu-fonts-ttf`
 * (already a dependency, for the PDF documents): the plots name that family, and the
 * renderer reads no system fonts, so the output is the same on every machine.
 *
 * The package is loaded on first use only: a server or a CLI run without `--png` never
 * needs it; without it, `--png` fails with the install line to run.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What this module uses of @resvg/resvg-wasm (typed here: the package is optional until `--png`). */
interface ResvgModule {
  initWasm(input: Uint8Array): Promise<void>;
  Resvg: new (svg: string, options: { font: { fontBuffers: Uint8Array[]; defaultFontFamily: string; loadSystemFonts?: boolean }; fitTo?: { mode: 'zoom'; value: number }; background?: string }) => {
    render(): { asPng(): Uint8Array; width: number; height: number };
  };
}

const PACKAGE = '@resvg/resvg-wasm';
const INSTALL = 'npm install -S @resvg/resvg-wasm@2.6.2';

let loading: Promise<{ resvg: ResvgModule; font: Uint8Array }> | undefined;

function load(): Promise<{ resvg: ResvgModule; font: Uint8Array }> {
  loading ??= (async () => {
    let resvg: ResvgModule;
    let wasm: Uint8Array;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      resvg = require(PACKAGE) as ResvgModule;
      wasm = readFileSync(require.resolve(`${PACKAGE}/index_bg.wasm`));
    } catch (error) {
      throw new Error(`PNG plots need the package ${PACKAGE} (${(error as Error).message.split('\n')[0]}); install it with: ${INSTALL}`);
    }
    await resvg.initWasm(wasm);
    const font = readFileSync(join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf'));
    return { resvg, font };
  })();
  // A failed load may be retried (after an install), not remembered.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** Renders one SVG plot to PNG at `scale` (2: sharp on a high-density screen or in print). */
export async function plotPng(svg: string, options: { scale?: number } = {}): Promise<Buffer> {
  const { resvg, font } = await load();
  const renderer = new resvg.Resvg(svg, {
    font: { fontBuffers: [font], defaultFontFamily: 'DejaVu Sans', loadSystemFonts: false },
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: 'white',
  });
  return Buffer.from(renderer.render().asPng());
}
