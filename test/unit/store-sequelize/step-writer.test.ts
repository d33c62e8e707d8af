/**
 * The step writer's statement texts: cached by shape, so the same step gives the same
 * text, every `$n` has its value, and the caches being cleared (many shapes, e.g.
 * multi-instance activities of every size) never mixes the texts of two shapes.
 */
import type { Effect } from '../../../engine/src/runtime/effects';
import type { InstanceState } from '../../../engine/src/runtime/state';
import { buildStepStatements, type Statement } from '../../../engine/src/store-sequelize/step-writer';
import type { InstanceRecord } from '../../../engine/src/store/ports';

const instance: InstanceRecord = {
  id: 'i-1',
  definitionId: 'p:1:abc',
  processId: 'p',
  status: 'active',
  state: { id: 'i-1', status: 'active' } as unknown as InstanceState,
  revision: 2,
  startedAt: Date.UTC(2026, 10, 24),
};

/** A step that opens `tasks` tasks (one statement shape per count). */
function opening(tasks: number): Effect[] {
  return Array.from({ length: tasks }, (_, i) => ({
    type: 'taskOpened',
    task: { id: `i-1-${i + 10}`, elementId: 'review', elementInstanceKey: 3, name: 'Review', candidateGroups: ['desk'], candidateUsers: [] },
  })) as unknown as Effect[];
}

function build(effects: Effect[]): Statement {
  const statements = buildStepStatements(instance, effects, { now: Date.UTC(2026, 10, 24, 1), actor: 'desk' }, { guarded: true, expectedRevision: 1 });
  expect(statements).toHaveLength(1);
  return statements![0];
}

/** Every `$1`…`$n` once or more, nothing beyond the values, and rows that say what they insert. */
function expectConsistent(statement: Statement, tasks: number): void {
  const numbers = new Set([...statement.text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  expect(Math.max(...numbers)).toBe(statement.values.length);
  expect(numbers.size).toBe(statement.values.length);
  const taskRows = statement.text.match(/INSERT INTO tasks .*?\) v WHERE/s)?.[0].match(/\(\$\d+::text, \$\d+::text/g) ?? [];
  expect(taskRows).toHaveLength(tasks);
}

describe('step writer statements', () => {
  it('should give the same text for the same shape, and one that fits its values', () => {
    const first = build(opening(2));
    const again = build(opening(2));
    expect(again.text).toBe(first.text);
    expectConsistent(first, 2);
    expectConsistent(build(opening(3)), 3);
  });

  it('should keep every shape right while its caches are cleared and refilled', () => {
    const before = build(opening(1)).text;
    // Each count adds two part texts (its task rows, and the history row after them at its own
    // offset): 1,040 counts pass the caches' bound of 2,000 (a guarded step fits 1,050 tasks).
    for (let tasks = 1; tasks <= 1_040; tasks += 1) {
      if (tasks % 97 === 0 || tasks <= 3) expectConsistent(build(opening(tasks)), tasks);
      else build(opening(tasks));
    }
    expect(build(opening(1)).text).toBe(before);
    expectConsistent(build(opening(2)), 2);
  });
  it('should write a continuation as a job, and nothing for one scheduled and run in the same step', () => {
    const scheduled = { type: 'continuationScheduled', continuation: { id: 'i-1-9', elementId: 'review', elementInstanceKey: 2 } } as Effect;
    const alone = build([scheduled]);
    expect(alone.text).toMatch(/INSERT INTO jobs/);
    expect(alone.values).toContain('continuation');
    const netted = build([scheduled, { type: 'continuationFired', continuationId: 'i-1-9' } as Effect]);
    expect(netted.text).not.toMatch(/jobs/);
    const cancelled = build([{ type: 'continuationCancelled', continuationId: 'i-1-8' } as Effect]);
    expect(cancelled.text).toMatch(/DELETE FROM jobs WHERE id = \$\d+/);
  });

  it('should split the rows of one table over several parts, none over the bind limit', () => {
    // 5,000 tasks of 19 columns would be 95,000 values in one INSERT (PostgreSQL takes 65,535).
    const statements = buildStepStatements(instance, opening(5_000), { now: Date.UTC(2026, 10, 24, 1), actor: 'desk' }, 'update')!;
    for (const statement of statements) expect(statement.values.length).toBeLessThanOrEqual(20_000);
    const rows = statements.reduce((n, statement) => n + (statement.text.match(/\(\$\d+::text, \$\d+::text, \$\d+::text, \$\d+::text, \$\d+::text, \$\d+::int/g)?.length ?? 0), 0);
    expect(rows).toBe(5_000);
  });
});
