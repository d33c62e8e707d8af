/**
 * The lint and the deploy agree, over every model of the repository (processes/) and
 * the shared conformance models (../shared/conformance, as test/conformance reads
 * them): every deploy problem is a lint error on the same element with the same
 * reason; a model with no lint error deploys; and every to-be of the procedure library
 * lints with no error and no warning against its procedure.json.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { compileDefinitions, parseBpmn } from '../../../../engine/src/model';
import { lintBpmn } from '../../../../onestop/src/procedures/lint-bpmn';

const REPO_ROOT = resolve(__dirname, '../../../..');
const PROCESSES = join(REPO_ROOT, 'processes');
const CONFORMANCE = resolve(REPO_ROOT, '../shared/conformance');

function bpmnFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : bpmnFiles(path);
    return entry.name.endsWith('.bpmn') ? [path] : [];
  });
}

/** What the deploy says: its problems (`elementId: reason`), or the parse error that refuses the document. */
async function deploy(xml: string): Promise<{ problems: string[]; refusedUnread: boolean }> {
  try {
    const { definitions, warnings } = await parseBpmn(xml);
    return { problems: compileDefinitions(definitions, { warnings }).problems.map((p) => `${p.elementId}: ${p.reason}`), refusedUnread: false };
  } catch {
    return { problems: [], refusedUnread: true };
  }
}

const MODELS = [...bpmnFiles(PROCESSES), ...bpmnFiles(CONFORMANCE)];

/** The library's procedures: a to-be with its procedure.json beside it. */
const LIBRARY = readdirSync(PROCESSES).filter((code) => existsSync(join(PROCESSES, code, 'procedure.json')) && existsSync(join(PROCESSES, code, 'to-be.bpmn')));

describe('procedures/lint over every model', () => {
  it('should find the models (the library\'s as-is and to-be, the reference model and the conformance suite)', () => {
    expect(MODELS.filter((path) => path.startsWith(PROCESSES)).length).toBeGreaterThanOrEqual(2 * LIBRARY.length + 1);
    expect(MODELS.filter((path) => path.startsWith(CONFORMANCE)).length).toBeGreaterThanOrEqual(20);
    expect(LIBRARY.length).toBe(8);
  });

  it('should include models the deploy refuses, so that the agreement below is tested both ways', async () => {
    const refused = [];
    for (const path of MODELS) if ((await deploy(readFileSync(path, 'utf8'))).problems.length > 0) refused.push(path);
    expect(refused.length).toBeGreaterThanOrEqual(10);
  });

  describe.each(MODELS.map((path) => [relative(REPO_ROOT, path), path]))('%s', (_name, path) => {
    it('should report every deploy problem as a lint error on its element, and pass only what deploys', async () => {
      // given
      const xml = readFileSync(path, 'utf8');

      // when
      const deployed = await deploy(xml);
      const { findings, errors } = await lintBpmn(xml);

      // then
      const lintErrors = new Set(findings.filter((f) => f.severity === 'error').map((f) => `${f.elementId}: ${f.message}`));
      expect(deployed.problems.filter((problem) => !lintErrors.has(problem))).toEqual([]);
      if (errors === 0) expect(deployed).toEqual({ problems: [], refusedUnread: false });
      if (deployed.refusedUnread) expect(findings).toEqual([expect.objectContaining({ rule: 'motcua/engine-deploy', severity: 'error' })]);
    });
  });

  describe.each(LIBRARY)('processes/%s/to-be.bpmn', (code) => {
    it('should lint with no error and no warning against its procedure.json', async () => {
      // given
      const xml = readFileSync(join(PROCESSES, code, 'to-be.bpmn'), 'utf8');
      const procedure = JSON.parse(readFileSync(join(PROCESSES, code, 'procedure.json'), 'utf8'));

      // when
      const { findings } = await lintBpmn(xml, { procedure });

      // then
      expect(findings.map((f) => `${f.severity} ${f.rule} ${f.elementId}: ${f.message}`)).toEqual([]);
    });
  });
});
