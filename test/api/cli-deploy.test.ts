/**
 * `motcua deploy <folder>` and `serve`'s start-up deploy: every model of a procedure folder
 * goes in with the JSON Schema forms beside it (forms/*.schema.json), so a task's form is
 * served and its input checked exactly as after a deploy through the API.
 */
import { join } from 'node:path';
import { bpmnFiles, deployFiles } from '../../api/src/cli';
import { createSequelizeApiStore } from '../../api/src/store-sequelize/sequelize-api-store';
import { testDatabases } from '../support/databases';
import { useApi } from './harness';

const PROCESSES = join(__dirname, '../../processes');

describe.each(testDatabases())('cli deploy of the procedure library on $name', (target) => {
  const api = useApi(target);

  it('should deploy every to-be with the forms beside it', async () => {
    // given
    const files = bpmnFiles(PROCESSES).filter((f) => !f.endsWith('as-is.bpmn'));
    const lines: string[] = [];

    // when
    const failed = await deployFiles(api.engine, createSequelizeApiStore(api.db), files, PROCESSES, (line) => lines.push(line));

    // then
    expect({ failed, lines }).toEqual({ failed: 0, lines: expect.any(Array) });
    const birth = lines.find((l) => l.includes('birth-registration/to-be.bpmn'));
    expect(birth).toMatch(/\d+ form\(s\)$/);
    const forms = await api.sql<{ form_key: string }>(
      `SELECT f.form_key FROM forms f JOIN definitions d ON d.deployment_id = f.deployment_id WHERE d.process_id = 'birth-registration' ORDER BY 1`,
    );
    expect(forms.map((f) => f.form_key)).toEqual(expect.arrayContaining(['receive', 'examine', 'sign']));
  });
});
