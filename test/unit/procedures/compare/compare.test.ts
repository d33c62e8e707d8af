/**
 * procedures/compare: the figures of the library's real models (checked against what a
 * reader counts in the XML), the critical path, the element diff and the reports.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compareBpmn, criticalPath, formatCsv, formatTable, type Comparison } from '../../../../onestop/src/procedures/compare';

const ROOT = join(__dirname, '../../../../processes');
const PROCEDURES = readdirSync(ROOT).filter((code) => existsSync(join(ROOT, code, 'as-is.bpmn')) && existsSync(join(ROOT, code, 'to-be.bpmn')));

function read(code: string, model: 'as-is' | 'to-be'): string {
  return readFileSync(join(ROOT, code, `${model}.bpmn`), 'utf8');
}

async function compareLibrary(code: string): Promise<Comparison> {
  return compareBpmn({ label: 'as-is', xml: read(code, 'as-is') }, { label: 'to-be', xml: read(code, 'to-be') });
}

function figures(comparison: Comparison): Record<string, [number, number, number | null]> {
  return Object.fromEntries(comparison.figures.map((r) => [r.key, [r.before, r.after, r.changePercent]]));
}

/** A one-pool process from a list of nodes `id:type[:lane[:agency[:days]]]` and flows `a>b`. */
function processXml(nodes: string[], flows: string[], extra = ''): string {
  const lanes = new Map<string, string[]>();
  const elements = nodes.map((spec) => {
    const [id, type, lane, agency, days] = spec.split(':');
    if (lane) lanes.set(lane, [...(lanes.get(lane) ?? []), id]);
    const facts = agency ? `<bpmn:extensionElements><motcua:facts agency="${agency}"${days ? ` statutoryTime="${days}"` : ''} /></bpmn:extensionElements>` : '';
    return `<bpmn:${type} id="${id}">${facts}</bpmn:${type}>`;
  });
  const laneXml = lanes.size === 0 ? '' : `<bpmn:laneSet>${[...lanes].map(([lane, ids]) => `<bpmn:lane id="${lane}">${ids.map((i) => `<bpmn:flowNodeRef>${i}</bpmn:flowNodeRef>`).join('')}</bpmn:lane>`).join('')}</bpmn:laneSet>`;
  const flowXml = flows.map((f) => {
    const [from, to] = f.split('>');
    return `<bpmn:sequenceFlow id="${from}-${to}" sourceRef="${from}" targetRef="${to}" />`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">${laneXml}${elements.join('')}${flowXml.join('')}${extra}</bpmn:process>
</bpmn:definitions>`;
}

describe('procedures/compare', () => {
  describe('the library models', () => {
    it('should count the birth group as three procedures turned into one dossier', async () => {
      // given the as-is (three pools chained by the applicant) and the to-be (one process)
      // when they are compared
      const comparison = await compareLibrary('birth-group-63-301');

      // then the figures are those a reader counts in the two files:
      // steps: as-is b1–b5, r1–r6, i1–i4 = 15; to-be receive, examine, requestSupplement, sign,
      //   registerResidence, approveResidence, issueInsuranceCard, returnResult, returnRefusal = 9
      // lane hand-offs: as-is 4 (b1→b5) + 1 (b5⇒r1) + 5 (r1→r6) + 1 (r6⇒i1) + 3 (i1→i4) = 14;
      //   to-be receive→examine, examine→requestSupplement, requestSupplement→examine (loop),
      //   examine→sign, sign→returnRefusal, sign→registerResidence, sign→issueInsuranceCard,
      //   registerResidence→approveResidence, approveResidence→returnResult, issueInsuranceCard→returnResult = 10
      // agency hand-offs: as-is the two message flows (commune → police → insurance) = 2; to-be
      //   sign → police, sign → insurance, police → desk, insurance → desk = 4 (electronic now)
      // critical path: as-is 8 working hours + 7 + 5 working days = 13; to-be 2 working hours
      //   + 16 h + 8 h + max(1 + 0.5, 1) + 2 working hours = 0.25 + 1 + 1.5 + 0.25 = 3
      // documents: as-is 4 + 3 + 2 = 9 (the birth extract asked twice); to-be 2
      // desk visits: the applicant's six manual tasks "(lần 1)" … "(lần 6)"; to-be none
      expect(figures(comparison)).toEqual({
        steps: [15, 9, -40],
        laneHandOffs: [14, 10, -28.6],
        agencyHandOffs: [2, 4, 100],
        agencies: [3, 3, 0],
        criticalPathDays: [13, 3, -76.9],
        documents: [9, 2, -77.8],
        deskVisits: [6, 0, -100],
        manualSteps: [15, 9, -40],
        automatedSteps: [0, 0, 0],
        elementsAdded: [0, comparison.elements.added.length, null],
        elementsRemoved: [0, comparison.elements.removed.length, null],
        elementsChanged: [0, 0, 0],
      });
      expect(comparison.after.metrics.criticalPath).toEqual(['submitted', 'receive', 'receiveDecision', 'examineMerge', 'examine', 'examineOutcome', 'sign', 'decision', 'handoffFork', 'registerResidence', 'approveResidence', 'handoffJoin', 'returnResult']);
      expect(comparison.before.metrics.agencyIds).toEqual(['000.00.21.H29', '000.01.00.H29', '000.02.00.H29']);
      expect(comparison.before.warnings).toEqual([]);
      expect(comparison.after.warnings).toEqual([]);
    });

    it('should find every element of the birth group as added or removed (the two models share no id)', async () => {
      // given two models drawn apart
      // when compared
      const { elements } = await compareLibrary('birth-group-63-301');

      // then the as-is steps are removed, the to-be steps added
      expect(elements.removed.map((e) => e.id)).toEqual(expect.arrayContaining(['b1', 'r3', 'i4', 'handoff-birth-residence', 'birth-group-birth-as-is-pool']));
      expect(elements.added.map((e) => e.id)).toEqual(expect.arrayContaining(['receive', 'handoffFork', 'issueInsuranceCard', 'police']));
      expect(elements.added.find((e) => e.id === 'receive')).toEqual({ id: 'receive', type: 'userTask', name: 'Tiếp nhận, kiểm tra hồ sơ (mẫu 01)' });
    });

    it.each(PROCEDURES)('%s: should count the visits the as-is names, none in the to-be, and a to-be critical path within the statutory time', async (code) => {
      // given the procedure's statutory time and its as-is steps at a desk, named "(lần n)" (visit n)
      const procedure = JSON.parse(readFileSync(join(ROOT, code, 'procedure.json'), 'utf8')) as { statutoryTime: { amount: number; unit: string; withVerification?: number } };
      const visitsNamed = (read(code, 'as-is').match(/<bpmn:manualTask [^>]*name="[^"]*\(lần [^"]*"/g) ?? []).length;

      // when the two models are compared
      const { before, after } = await compareLibrary(code);

      // then
      expect(before.metrics.deskVisits).toBe(visitsNamed);
      expect(visitsNamed).toBeGreaterThan(0);
      expect(after.metrics.deskVisits).toBe(0);
      expect(after.metrics.documents).toBeLessThan(before.metrics.documents);
      const bound = procedure.statutoryTime.withVerification ?? procedure.statutoryTime.amount;
      expect(after.metrics.criticalPathDays).toBeGreaterThan(0);
      expect(after.metrics.criticalPathDays).toBeLessThanOrEqual(bound);
      expect(after.metrics.steps).toBe(after.metrics.manualSteps + after.metrics.automatedSteps);
    });

    it('should give the figures of every procedure of the library', async () => {
      // given every procedure
      // when each is compared, then the figures are these (steps, lane and agency hand-offs,
      // agencies, critical path, documents, visits), before → after
      const table: Record<string, string> = {};
      for (const code of PROCEDURES) {
        const { before: b, after: a } = await compareLibrary(code);
        const keys = ['steps', 'laneHandOffs', 'agencyHandOffs', 'agencies', 'criticalPathDays', 'documents', 'deskVisits'] as const;
        table[code] = keys.map((k) => `${b.metrics[k]}→${a.metrics[k]}`).join(' ');
      }
      expect(table).toEqual({
        'birth-group-63-301': '15→9 14→10 2→4 3→3 13→3 9→2 6→0',
        'birth-registration': '7→6 5→6 0→0 1→1 1→1 5→2 2→0',
        'business-registration': '9→8 8→9 3→4 3→3 11→3 9→3 3→0',
        'construction-permit-house': '7→8 5→7 0→0 1→1 7→7 3→2 2→0',
        'death-group-63-301': '13→10 12→11 2→4 3→3 14→9.5 8→2 6→0',
        'judicial-record': '7→7 5→7 0→0 1→1 15→15 3→1 2→0',
        'land-use-certificate-first': '9→9 8→9 4→4 3→3 20→16 5→1 3→0',
        'permanent-residence': '7→6 5→6 0→0 1→1 7→7 3→1 2→0',
      });
    });
  });

  describe('criticalPath', () => {
    it('should count parallel branches once, the longest of them', () => {
      // given a fork into branches of 2 and 5 days joined before a last step of 1
      const costs = new Map([['s', 0], ['fork', 0], ['a', 2], ['b', 5], ['join', 0], ['z', 1]]);
      const edges = [['s', 'fork'], ['fork', 'a'], ['fork', 'b'], ['a', 'join'], ['b', 'join'], ['join', 'z']].map(([from, to]) => ({ from, to }));

      // when
      const path = criticalPath({ costs, edges });

      // then
      expect(path).toEqual({ total: 6, nodes: ['s', 'fork', 'b', 'join', 'z'] });
    });

    it('should take a loop once and end', () => {
      // given a step that may send the dossier back to an earlier one
      const costs = new Map([['a', 1], ['b', 2], ['back', 3], ['end', 0]]);
      const edges = [['a', 'b'], ['b', 'back'], ['back', 'a'], ['b', 'end']].map(([from, to]) => ({ from, to }));

      // when
      const path = criticalPath({ costs, edges });

      // then the cycle's closing edge is left out: a → b → back
      expect(path).toEqual({ total: 6, nodes: ['a', 'b', 'back'] });
    });

    it('should not overflow on a very long chain', () => {
      // given 50 000 steps in a row
      const n = 50_000;
      const costs = new Map(Array.from({ length: n }, (_, i) => [`n${i}`, 1]));
      const edges = Array.from({ length: n - 1 }, (_, i) => ({ from: `n${i}`, to: `n${i + 1}` }));

      // when / then
      expect(criticalPath({ costs, edges }).total).toBe(n);
    });
  });

  describe('two versions of one model', () => {
    const v1 = processXml(['start:startEvent:desk', 'receive:userTask:desk:A:1', 'examine:userTask:officer:A:3', 'end:endEvent:desk'], ['start>receive', 'receive>examine', 'examine>end']);
    const v2 = processXml(
      ['start:startEvent:desk', 'receive:userTask:desk:A:1', 'examine:userTask:officer:A:2', 'check:serviceTask:officer:B:0.5', 'end:endEvent:desk'],
      ['start>receive', 'receive>examine', 'examine>check', 'check>end'],
    );

    it('should name what was added, removed and changed, with the changed properties', async () => {
      // when version 2 is compared with version 1
      const { elements } = await compareBpmn({ label: 'v1', xml: v1 }, { label: 'v2', xml: v2 });

      // then
      expect(elements.added.map((e) => e.id).sort()).toEqual(['check', 'check-end', 'examine-check']);
      expect(elements.removed.map((e) => e.id)).toEqual(['examine-end']);
      expect(elements.changed).toEqual([{ id: 'examine', type: 'userTask', changes: [{ property: 'facts.statutoryTime', before: '3', after: '2' }] }]);
    });

    it('should report the figures as a table and as CSV', async () => {
      // given
      const comparison = await compareBpmn({ label: 'v1', xml: v1 }, { label: 'v2', xml: v2 });

      // when
      const table = formatTable(comparison, 'en');
      const csv = formatCsv(comparison);

      // then
      expect(figures(comparison).criticalPathDays).toEqual([4, 3.5, -12.5]);
      expect(figures(comparison).automatedSteps).toEqual([0, 1, null]);
      expect(figures(comparison).agencyHandOffs).toEqual([0, 1, null]);
      expect(table.split('\n')[0]).toMatch(/^Figure +v1 +v2 +Change +%$/);
      expect(table).toMatch(/Statutory working days on the critical path +4 +3\.5 +-0\.5 +-12\.5%/);
      expect(table).toMatch(/Automated steps +0 +1 +\+1 +new/);
      const lines = csv.split('\r\n');
      expect(lines[0]).toBe('figure,label_vi,label_en,before,after,change,change_percent');
      expect(lines).toContain('criticalPathDays,Ngày làm việc theo luật trên đường găng,Statutory working days on the critical path,4,3.5,-0.5,-12.5');
      expect(lines).toContain('automatedSteps,Bước tự động,Automated steps,0,1,1,');
      expect(csv.endsWith('\r\n')).toBe(true);
    });

    it('should warn about a statutory time that is not a number, naming the element', async () => {
      // given a step whose statutory time cannot be read
      const bad = v1.replace('statutoryTime="3"', 'statutoryTime="-2"');

      // when
      const comparison = await compareBpmn({ label: 'v1', xml: v1 }, { label: 'bad', xml: bad });

      // then
      expect(comparison.after.warnings).toEqual([expect.stringContaining("userTask 'examine': statutoryTime '-2'")]);
      expect(comparison.after.metrics.criticalPathDays).toBe(1);
    });

    it('should name the side that cannot be read', async () => {
      await expect(compareBpmn({ label: 'v1', xml: v1 }, { label: 'broken.bpmn', xml: '<bpmn:definitions' })).rejects.toThrow(/^broken\.bpmn: /);
    });
  });
});
