/**
 * One dossier, one appointment: a same-day procedure (birth registration, processes/) received
 * at the desk at 14:34 is due at the end of that working day, and its process's `appointmentAt`
 * is the dossier's, not a time of its own (QA finding 12). On both databases.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readProcedureLibrary } from '../../onestop/src/procedures/procedure';
import { testDatabases } from '../support/databases';
import { useApi } from './harness';

const PROCESSES = join(__dirname, '../../processes');
const vn = (date: string, time = '09:00'): number => Date.parse(`${date}T${time}:00+07:00`);

describe.each(testDatabases())('one appointment for a dossier and its process on $name', (target) => {
  let clock = vn('2026-12-07', '14:34');
  const api = useApi(target, { now: () => clock });
  const dossiers = () => api.server.app.locals.services.ctx.dossiers!;

  beforeAll(async () => {
    await api.engine.deploy(readFileSync(join(PROCESSES, 'birth-registration/to-be.bpmn'), 'utf8'));
    await dossiers().loadLibrary(readProcedureLibrary(PROCESSES));
  });

  it('should give the process the dossier’s appointment', async () => {
    // given a birth registration received at the desk on Monday 7/12/2026 at 14:34 (before the 15:00 cut-off)
    clock = vn('2026-12-07', '14:34');

    // when it is received
    const { record } = await dossiers().receive({ procedureCode: 'birth-registration', channel: 'desk', applicant: { name: 'Lê Thị Mai', kind: 'citizen' }, documents: [{ code: 'KS.TOKHAI', name: 'Tờ khai đăng ký khai sinh', form: 'original', copies: 1 }, { code: 'KS.CHUNGSINH', name: 'Giấy chứng sinh', form: 'original', copies: 1 }], actor: 'desk' });

    // then the dossier is due the same day, and its process holds that very moment
    expect(record.dossier.appointmentAt).toBe(vn('2026-12-07', '17:00'));
    const variables = await api.engine.variables(record.instanceId!);
    expect(variables.appointmentAt).toBe(new Date(record.dossier.appointmentAt!).toISOString());
  });
});
