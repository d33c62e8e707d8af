/**
 * api/cli-lint: `motcua lint <file|folder>` over the procedure library and over a broken model.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpmnFiles } from '../../../api/src/cli';
import { lintFiles } from '../../../api/src/cli-lint';

const PROCESSES = join(__dirname, '../../../processes');

describe('api/cli-lint', () => {
  it('should pass every to-be of the library, each against its procedure.json', async () => {
    // given
    const files = bpmnFiles(PROCESSES).filter((file) => file.endsWith('to-be.bpmn') && !file.includes('/reference/'));
    const lines: string[] = [];

    // when
    const failed = await lintFiles(files, PROCESSES, (line) => lines.push(line));

    // then
    expect(failed).toBe(0);
    expect(lines).toEqual(files.map((file) => `${file.slice(PROCESSES.length + 1)}: 0 error(s), 0 warning(s)`));
  });

  it('should print each finding and count the file as failed', async () => {
    // given the same-day birth registration with its cut-off switched off, beside its procedure.json
    const folder = mkdtempSync(join(tmpdir(), 'motcua-lint-'));
    try {
      const xml = readFileSync(join(PROCESSES, 'birth-registration/to-be.bpmn'), 'utf8').replace(' cutoff="legal"', ' cutoff="none"');
      writeFileSync(join(folder, 'to-be.bpmn'), xml);
      writeFileSync(join(folder, 'procedure.json'), readFileSync(join(PROCESSES, 'birth-registration/procedure.json')));
      const lines: string[] = [];

      // when
      const failed = await lintFiles([join(folder, 'to-be.bpmn')], folder, (line) => lines.push(line));

      // then
      expect(failed).toBe(1);
      expect(lines).toEqual(['to-be.bpmn: 1 error(s), 0 warning(s)', expect.stringMatching(/^ {2}error motcua\/cutoff birth-registration-pool: Same-day procedure has its cut-off switched off/)]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
