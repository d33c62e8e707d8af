import path from 'node:path';
import { InvalidInputError, ConflictError } from '../../../engine/src/errors';
import { setStateLimits } from '../../../engine/src/runtime/limits';
import { endStatus, InstanceDriver, loadFixture, ofType } from '../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'limits.bpmn');

async function driver(): Promise<InstanceDriver> {
  const { graph } = await loadFixture(FIXTURE);
  return new InstanceDriver(graph);
}

/** Calls `fn` and returns what it threw (fails the test when it does not throw). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

const NOTE = 'x'.repeat(100);

describe('runtime/limits', () => {
  beforeEach(() => setStateLimits({ maxVariableBytes: 10_000, maxStateBytes: 50_000 }));
  afterAll(() => setStateLimits());

  describe('variables from outside', () => {
    it('should refuse a start variable over the bound, naming it', async () => {
      // given
      const run = await driver();

      // when
      const error = thrown(() => run.start({ note: NOTE, scan: 'x'.repeat(10_000) }));

      // then
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).details).toMatchObject({ field: 'variables.scan' });
      expect(error.message).toContain('variables.scan is larger than 10000 bytes');
      expect(run.state).toBeUndefined();
    });

    it('should refuse task completion variables over the bound and keep the state as it was', async () => {
      // given
      const run = await driver();
      run.start({ note: NOTE, copies: 1, rows: 1, hostile: false });
      const before = JSON.stringify(run.state);

      // when
      const error = thrown(() => run.completeTask('Review', { remark: ['é'.repeat(5_000)] }));

      // then (é is two bytes in UTF-8)
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toContain('variables.remark');
      expect(JSON.stringify(run.state)).toBe(before);
    });

    it('should refuse variables that fit one by one but not in the state together', async () => {
      // given
      const run = await driver();
      run.start({ note: NOTE, copies: 1, rows: 1, hostile: false });
      const variables = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`part${i}`, 'x'.repeat(9_000)]));

      // when
      const error = thrown(() => run.setVariables(variables));

      // then
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toMatch(/limit of an instance's state/);
    });
  });

  describe('the whole state', () => {
    it('should refuse a command whose state would outgrow the bound, and store nothing of it', async () => {
      // given an instance holding 45,000 bytes in five variables
      const run = await driver();
      run.start({ note: NOTE, copies: 1, rows: 1, hostile: false });
      for (let i = 0; i < 5; i++) run.setVariables({ [`part${i}`]: 'x'.repeat(9_000) });
      const before = JSON.stringify(run.state);

      // when one more variable of 9,000 bytes is set
      const error = thrown(() => run.setVariables({ part5: 'x'.repeat(9_000) }));

      // then
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toContain("instance 'i1' would grow larger than 50000 bytes of JSON");
      expect(JSON.stringify(run.state)).toBe(before);

      // and the operator can still suspend, resume and cancel it
      run.send({ type: 'suspend' });
      run.send({ type: 'resume' });
      expect(endStatus(run.cancel())).toBe('cancelled');
    });
  });

  describe('variables the model computes', () => {
    it('should raise an incident on the element whose output mapping is too big', async () => {
      // given 200 copies of 100 characters: 20,000 bytes
      const run = await driver();
      run.start({ note: NOTE, copies: 200, rows: 1, hostile: false });

      // when
      run.completeTask('Review');

      // then
      const incident = run.incident('Review');
      expect(incident.message).toContain("variable 'copied' would be larger than 10000 bytes");
      expect(run.variables.copied).toBeUndefined();
    });

    it('should raise an incident on the element whose output would push the state over its bound', async () => {
      // given an instance holding 45,000 bytes, and a mapping that will produce 8,000 more
      const run = await driver();
      run.start({ note: NOTE, copies: 80, rows: 1, hostile: false });
      for (let i = 0; i < 5; i++) run.setVariables({ [`part${i}`]: 'x'.repeat(9_000) });

      // when
      run.completeTask('Review');

      // then the element stops there, and the state was not stored bloated
      expect(run.incident('Review').message).toContain("variable 'copied' (8002 bytes) would make the instance's state larger than 50000 bytes");
      expect(run.variables.copied).toBeUndefined();

      // when the operator makes room and retries
      run.setVariables({ part0: null, part1: null });
      run.resolveIncident('Review');

      // then
      expect(run.variables.copied).toHaveLength(8_000);
    });

    it('should raise an incident on a script whose result is too big, and go on once the data is fixed', async () => {
      // given
      const run = await driver();
      run.start({ note: NOTE, copies: 1, rows: 500, hostile: false });

      // when
      run.completeTask('Review');

      // then
      expect(run.incident('Build').message).toContain("variable 'table' would be larger");
      expect(run.variables.table).toBeUndefined();

      // when the data is fixed and the incident resolved
      run.setVariables({ rows: 2 });
      run.resolveIncident('Build');

      // then
      expect(run.variables.table).toEqual([NOTE, NOTE]);
      expect(run.timer('Hold')).toBeDefined();
    });
  });

  describe('a hostile timer expression', () => {
    it('should raise an incident at the timer, after which cancel works', async () => {
      // given
      const run = await driver();
      run.start({ note: NOTE, copies: 1, rows: 1, hostile: true });

      // when
      run.completeTask('Review');

      // then
      expect(run.incident('Hold').message).toMatch(/exceeds the budget of \d+ operations/);

      // when
      const effects = run.cancel('hostile timer');

      // then
      expect(endStatus(effects)).toBe('cancelled');
    });
  });

  describe('suspend and resume', () => {
    it('should refuse commands that move a suspended instance on, and accept them after resume', async () => {
      // given
      const run = await driver();
      run.start({ note: NOTE, copies: 1, rows: 1, hostile: false });

      // when
      const suspended = run.send({ type: 'suspend', reason: 'investigating' });

      // then
      expect(ofType(suspended, 'instanceSuspended')).toEqual([{ type: 'instanceSuspended', reason: 'investigating' }]);
      expect(run.current.suspended).toMatchObject({ reason: 'investigating' });
      const error = thrown(() => run.completeTask('Review'));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toContain('is suspended; resume it first (completeTask refused)');
      expect(thrown(() => run.send({ type: 'suspend' }))).toBeInstanceOf(ConflictError);
      run.setVariables({ copies: 2 }); // an operator may fix data meanwhile

      // when
      const resumed = run.send({ type: 'resume' });
      run.completeTask('Review');

      // then
      expect(ofType(resumed, 'instanceResumed')).toHaveLength(1);
      expect(run.current.suspended).toBeUndefined();
      expect(run.variables.copied).toBe(NOTE + NOTE);
      expect(thrown(() => run.send({ type: 'resume' }))).toBeInstanceOf(ConflictError);
    });

    it('should refuse a due timer while suspended and fire it after resume', async () => {
      // given
      const run = await driver();
      run.start({ note: NOTE, copies: 1, rows: 1, hostile: false });
      run.completeTask('Review');
      run.send({ type: 'suspend' });
      run.advance('PT2H');

      // when
      const error = thrown(() => run.fireTimer('Hold'));
      run.send({ type: 'resume' });
      run.fireTimer('Hold');

      // then
      expect(error).toBeInstanceOf(ConflictError);
      expect(run.task('Close')).toBeDefined();
    });

    it('should cancel a suspended instance', async () => {
      // given
      const run = await driver();
      run.start({ note: NOTE, copies: 1, rows: 1, hostile: false });
      run.send({ type: 'suspend' });

      // when
      const effects = run.cancel();

      // then
      expect(endStatus(effects)).toBe('cancelled');
      expect(run.current.suspended).toBeUndefined();
    });
  });
});
