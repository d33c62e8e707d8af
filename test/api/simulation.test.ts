/** `POST /api/analysis/simulate`: the simulation of procedure models, for analysts and agency admins. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { testDatabases } from '../support/databases';
import { useApi } from './harness';

const library = join(__dirname, '../../processes');
const toBe = readFileSync(join(library, 'birth-registration/to-be.bpmn'), 'utf8');
const asIs = readFileSync(join(library, 'birth-registration/as-is.bpmn'), 'utf8');
const parameters = {
  dossiers: 500,
  start: '2026-03-02',
  arrivals: { perWorkingDay: 20 },
  pools: [
    { agency: '000.01.00.H29', role: 'desk', staff: 2 },
    { agency: '000.01.00.H29', role: 'specialist', staff: 4 },
    { agency: '000.01.00.H29', role: 'head', staff: 1 },
  ],
};

describe.each(testDatabases())('simulation on $name', (target) => {
  const api = useApi(target, { config: { simulationMaxDossiers: 1000 } });

  it('should answer the same as-is / to-be report for the same seed', async () => {
    // given
    const body = { model: { xml: toBe, parameters }, compare: { xml: asIs }, seed: 7 };

    // when
    const first = await api.as('analyst').post('/api/analysis/simulate', body);
    const again = await api.as('adminA').post('/api/analysis/simulate', body);

    // then
    expect(first.status).toBe(200);
    expect(first.body.toBe).toMatchObject({ processId: 'birth-registration', dossiers: 500, seed: 7, cycleTime: { unit: 'workingDays' } });
    expect(first.body.asIs).toMatchObject({ processId: 'birth-registration-as-is', dossiers: 500 });
    expect(first.body.toBe.elements.examine).toMatchObject({ visits: expect.any(Number), meanWaitHours: expect.any(Number), pool: '000.01.00.H29/specialist' });
    expect(first.body.plots.cycleTimeCdf).toMatch(/^<svg /);
    expect(first.body.comparison.cycleTimeP90).toHaveProperty('change');
    expect(again.body).toEqual(first.body);
  });

  it('should give the plots as PNG too when asked, each decoding at twice its SVG’s size', async () => {
    // given
    const body = { model: { xml: toBe, parameters: { ...parameters, dossiers: 100 } }, compare: { xml: asIs }, seed: 7 };

    // when
    const svgOnly = await api.as('analyst').post('/api/analysis/simulate', body);
    const withPng = await api.as('analyst').post('/api/analysis/simulate', { ...body, plots: 'png' });

    // then: the SVG report unchanged, and beside it each plot as a PNG of the SVG's size × 2
    expect([svgOnly.status, withPng.status]).toEqual([200, 200]);
    expect(svgOnly.body.plotsPng).toBeUndefined();
    const { plotsPng, ...report } = withPng.body;
    expect(report).toEqual(svgOnly.body);
    for (const name of ['cycleTimeHistogram', 'cycleTimeCdf', 'utilisation'] as const) {
      const [, width, height] = /width="(\d+)" height="(\d+)"/.exec(svgOnly.body.plots[name])!;
      const png = PNG.sync.read(Buffer.from(plotsPng[name], 'base64'));
      expect({ name, width: png.width, height: png.height }).toEqual({ name, width: 2 * Number(width), height: 2 * Number(height) });
      // not blank: some pixels are dark (axes, text, bars)
      let dark = 0;
      for (let i = 0; i < png.data.length; i += 4) if (png.data[i] + png.data[i + 1] + png.data[i + 2] < 384) dark++;
      expect(dark).toBeGreaterThan(1000);
    }
  });

  it('should refuse an unknown plot format with a 400 naming the field and the formats', async () => {
    const gif = await api.as('analyst').post('/api/analysis/simulate', { model: { xml: toBe, parameters }, plots: 'gif' });
    const notText = await api.as('analyst').post('/api/analysis/simulate', { model: { xml: toBe, parameters }, plots: true });
    for (const res of [gif, notText]) {
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(/plots/);
    }
    expect(gif.body.detail).toMatch(/svg.*png/);
  });

  it('should refuse bad parameters, too many dossiers and an unreadable model, naming what', async () => {
    const badField = await api.as('analyst').post('/api/analysis/simulate', { model: { xml: toBe, parameters: { durations: { examine: { type: 'exponential', mean: -1 } } } } });
    const unknownElement = await api.as('analyst').post('/api/analysis/simulate', { model: { xml: toBe, parameters: { branches: { nowhere: { a: 1 } } } } });
    const tooMany = await api.as('analyst').post('/api/analysis/simulate', { model: { xml: toBe, parameters: { dossiers: 1001 } } });
    const notBpmn = await api.as('analyst').post('/api/analysis/simulate', { model: { xml: '<nope/>' } });
    const noModel = await api.as('analyst').post('/api/analysis/simulate', { compare: { xml: asIs } });

    expect(badField.status).toBe(400);
    expect(badField.body.detail).toMatch(/model\.parameters: simulation parameters: durations\.examine\.mean must be > 0/);
    expect(unknownElement.status).toBe(400);
    expect(unknownElement.body.detail).toMatch(/branches\.nowhere names no exclusive or event-based gateway/);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.detail).toMatch(/dossiers \(1001\) is more than the 1000 allowed/);
    expect(notBpmn.status).toBe(400);
    expect(noModel.status).toBe(400);
  });

  it('should let only analysts and agency admins simulate', async () => {
    const body = { model: { xml: toBe, parameters: { dossiers: 10 } } };
    expect((await api.as('officialA').post('/api/analysis/simulate', body)).status).toBe(403);
    expect((await api.as('citizen').post('/api/analysis/simulate', body)).status).toBe(403);
    expect((await api.as('anonymous').post('/api/analysis/simulate', body)).status).toBe(401);
  });
});
