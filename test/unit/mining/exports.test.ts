import { buildMiningLog, logEvents, toOcel, toXes, xmlAttribute, type MiningLog } from '../../../onestop/src/mining';
import { at } from '../../support/local-time';
import { childrenNamed, parseXml, xesValue } from '../../support/xml-tree';
import { AS_OF, SOURCE } from './hand-built-log';

/** C1: start (start, complete), examine twice (schedule, start, complete), sign (schedule); C2: start (2), examine (schedule, complete), sign (schedule, start). Gateways are left out. */
const EXPECTED_EVENTS = { C1: 9, C2: 6 };

describe('mining/exports', () => {
  const log = buildMiningLog(SOURCE, AS_OF);

  describe('logEvents', () => {
    it('should give each step its lifecycle transitions in time order, without gateways', () => {
      // when
      const events = logEvents(log).filter((e) => e.case.id === 'C1');

      // then
      expect(events.map((e) => `${e.step.elementId} ${e.lifecycle}`)).toEqual([
        'start start',
        'start complete',
        'examine schedule',
        'examine start',
        'examine complete',
        'examine schedule',
        'examine start',
        'examine complete',
        'sign schedule',
      ]);
      expect(events[3]).toMatchObject({ at: at('2026-11-02 10:00'), resource: 'u1' });
      expect(new Set(logEvents(log).map((e) => e.id)).size).toBe(15);
    });
  });

  describe('toXes', () => {
    it('should write a document that parses back to one trace per dossier and one event per transition', () => {
      // when
      const root = parseXml(toXes(log));

      // then
      expect(root.name).toBe('log');
      expect(root.attrs['xes.version']).toBe('1849-2016');
      expect(childrenNamed(root, 'extension').map((e) => e.attrs.prefix)).toEqual(['concept', 'time', 'lifecycle', 'org']);
      const traces = childrenNamed(root, 'trace');
      expect(Object.fromEntries(traces.map((t) => [xesValue(t, 'concept:name'), childrenNamed(t, 'event').length]))).toEqual(EXPECTED_EVENTS);
      const c1 = traces.find((t) => xesValue(t, 'concept:name') === 'C1')!;
      expect(xesValue(c1, 'applicant')).toBe('ap-1');
      const claim = childrenNamed(c1, 'event')[3];
      expect({
        name: xesValue(claim, 'concept:name'),
        lifecycle: xesValue(claim, 'lifecycle:transition'),
        time: xesValue(claim, 'time:timestamp'),
        resource: xesValue(claim, 'org:resource'),
        group: xesValue(claim, 'org:group'),
      }).toEqual({ name: 'Examine the dossier', lifecycle: 'start', time: new Date(at('2026-11-02 10:00')).toISOString(), resource: 'u1', group: 'A' });
      expect(claim.children.find((c) => c.attrs.key === 'time:timestamp')!.name).toBe('date');
    });

    it('should keep markup, quotes and line ends in names, and replace what XML cannot hold', () => {
      // given a step named with everything an attribute must escape
      const name = 'Thẩm định <hồ sơ> & "ký"\n\ttab \u0001 \uD800 😀';
      const tricky: MiningLog = { ...log, cases: [{ ...log.cases[1], steps: log.cases[1].steps.map((s) => ({ ...s, name })) }] };

      // when
      const root = parseXml(toXes(tricky));

      // then
      const [event] = childrenNamed(childrenNamed(root, 'trace')[0], 'event');
      expect(xesValue(event, 'concept:name')).toBe('Thẩm định <hồ sơ> & "ký"\n\ttab \uFFFD \uFFFD 😀');
      expect(xmlAttribute('a"b<c')).toBe('a&quot;b&lt;c');
    });
  });

  describe('toOcel', () => {
    it('should write the same events, each related to its dossier, task, official and agency', () => {
      // when
      const ocel = JSON.parse(JSON.stringify(toOcel(log)));

      // then
      expect(ocel.events).toHaveLength(15);
      const perDossier = (id: string) => ocel.events.filter((e: any) => e.relationships.some((r: any) => r.objectId === `dossier:${id}` && r.qualifier === 'dossier')).length;
      expect({ C1: perDossier('C1'), C2: perDossier('C2') }).toEqual(EXPECTED_EVENTS);
      expect(ocel.objectTypes.map((t: any) => t.name)).toEqual(['dossier', 'task', 'official', 'agency']);
      expect(ocel.eventTypes.map((t: any) => t.name)).toEqual(['Examine the dossier', 'Sign the result', 'start']);
      const ids = new Set(ocel.objects.map((o: any) => o.id));
      expect(ids.size).toBe(ocel.objects.length);
      // every relationship points at an object of the document
      const targets = [...ocel.events, ...ocel.objects].flatMap((x: any) => x.relationships.map((r: any) => r.objectId));
      expect(targets.filter((id: string) => !ids.has(id))).toEqual([]);
      expect([...ids].sort()).toEqual(['agency:A', 'dossier:C1', 'dossier:C2', 'official:u1', 'official:u2', 'task:t1', 'task:t2', 'task:t3', 'task:t4', 'task:t5']);
      const c1 = ocel.objects.find((o: any) => o.id === 'dossier:C1');
      expect(c1.attributes).toContainEqual({ name: 'applicant', time: new Date(at('2026-11-02 08:00')).toISOString(), value: 'ap-1' });
      expect(ocel.objects.find((o: any) => o.id === 'task:t3').relationships).toEqual([
        { objectId: 'dossier:C1', qualifier: 'belongs to' },
        { objectId: 'agency:A', qualifier: 'assigned to' },
      ]);
    });
  });
});
