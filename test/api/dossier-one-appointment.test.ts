/**
 * One dossier, one appointment: a same-day procedure (birth registration, processes/) received
 * at the desk at 14:34 is due at the end of that working day, and its process's `appointmentAt`
 * is the dossier's, not a time of its own (QA finding 12). On both databases.
 */
import { testDatabases } from '../support/databases';
import { deployLibraryModel, requiredDocuments } from './dossier-e2e-support';
import { useApi } from './harness';
import { vn } from './outbox-support';

describe.each(testDatabases())('one appointment for a dossier and its process on $name', (target) => {
  let clock = vn('2026-12-07', '14:34');
  const api = useApi(target, { now: () => clock });
  const dossiers = () => api.server.app.locals.services.ctx.dossiers!;

  beforeAll(async () => {
    await deployLibraryModel(api, 'birth-registration');
  });

  it('should give the process the dossier’s appointment', async () => {
    // given a birth registration received at the desk on Monday 7/12/2026 at 14:34 (before the 15:00 cut-off)
    clock = vn('2026-12-07', '14:34');

    // when it is received
    const { record } = await dossiers().receive({ procedureCode: 'birth-registration', channel: 'desk', applicant: { name: 'Lê Thị Mai', kind: 'citizen' }, documents: requiredDocuments('birth-registration'), actor: 'desk' });

    // then the dossier is due the same day, and its process holds that very moment
    expect(record.dossier.appointmentAt).toBe(vn('2026-12-07', '17:00'));
    const variables = await api.engine.variables(record.instanceId!);
    expect(variables.appointmentAt).toBe(new Date(record.dossier.appointmentAt!).toISOString());
  });
});
