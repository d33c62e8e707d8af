/**
 * `motcua simulate --png`: the plots as PNG besides the SVG, rendered by resvg (WebAssembly)
 * with the bundled DejaVu Sans (api/src/simulation-png.ts). Needs @resvg/resvg-wasm installed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { parseSimulateArgs, runSimulateCommand } from '../../../api/src/cli-simulate';
import { plotPng } from '../../../api/src/simulation-png';

const reference = join(__dirname, '../../../processes/reference');

/** Pixels darker than mid-grey. */
function darkPixels(png: PNG): number {
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i] + png.data[i + 1] + png.data[i + 2] < 384 && png.data[i + 3] > 0) n++;
  return n;
}

describe('api/cli-simulate --png', () => {
  it('should accept --png as a flag without a value', () => {
    expect(parseSimulateArgs(['a.bpmn', '--png', '--seed', '3'])).toEqual({ model: 'a.bpmn', png: true, seed: 3 });
  });

  it('should draw the text of a plot with the bundled font (no system font read)', async () => {
    // given: a plot of text only, Vietnamese diacritics included
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40" font-family="DejaVu Sans"><text x="10" y="28" font-size="20">Thời gian xử lý</text></svg>';

    // when
    const png = PNG.sync.read(await plotPng(svg, { scale: 1 }));

    // then: white with dark text
    expect({ width: png.width, height: png.height }).toEqual({ width: 200, height: 40 });
    expect(darkPixels(png)).toBeGreaterThan(100);
  });

  it('should write every plot as PNG next to its SVG, at twice its size', async () => {
    const out = mkdtempSync(join(tmpdir(), 'motcua-simulate-png-'));
    const lines: string[] = [];
    try {
      // when
      const code = await runSimulateCommand([join(reference, 'to-be.bpmn'), '--params', join(reference, 'simulation.json'), '--seed', '5', '--out', out, '--png'], {
        maxDossiers: 20_000,
        maxXmlBytes: 5 * 1024 * 1024,
        now: Date.UTC(2026, 11, 7),
        log: (l) => lines.push(l),
        error: (l) => lines.push(l),
      });

      // then
      expect(code).toBe(0);
      for (const name of ['cycle-time-histogram', 'cycle-time-cdf', 'utilisation']) {
        const svg = readFileSync(join(out, `${name}.svg`), 'utf8');
        const [, width, height] = /width="(\d+)" height="(\d+)"/.exec(svg)!;
        const png = PNG.sync.read(readFileSync(join(out, `${name}.png`)));
        expect({ name, width: png.width, height: png.height }).toEqual({ name, width: 2 * Number(width), height: 2 * Number(height) });
        expect(darkPixels(png)).toBeGreaterThan(1000);
      }
      expect(lines.join('\n')).toMatch(/cycle-time-cdf\.png, utilisation\.png\)/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
