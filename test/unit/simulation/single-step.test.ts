import { simulate } from '../../../onestop/src/simulation';
import { graphOf, ROUND_THE_CLOCK, singleStepXml, vietnameseCalendar } from './fixtures';

describe('simulation/simulate', () => {
  describe('a single step with a fixed duration', () => {
    it('should give every dossier exactly that duration when staff never run short', async () => {
      // given
      const graph = await graphOf(singleStepXml());
      const params = { dossiers: 2000, arrivals: { perWorkingDay: 20 }, durations: { work: { type: 'fixed' as const, value: 4, unit: 'workingHours' as const } }, pools: [{ agency: 'A', role: 'clerk', staff: 1000 }] };

      // when
      const { result, cycleTimes } = simulate(graph, params, { calendar: vietnameseCalendar(), seed: 3 });

      // then: 4 working hours of an 8-hour day, whatever nights, weekends and holidays lie between
      for (const days of cycleTimes) expect(days).toBeCloseTo(0.5, 6);
      expect(result.cycleTime.p50).toBeCloseTo(0.5, 6);
      expect(result.cycleTime.p90).toBeCloseTo(0.5, 6);
      expect(result.elements.work).toMatchObject({ visits: 2000, meanWaitHours: 0, maxWaitHours: 0 });
      expect(result.elements.work.meanServiceHours).toBeCloseTo(4, 9);
      expect(result.pools[0]).toMatchObject({ id: 'A/clerk', staff: 1000, maxQueue: 0, meanQueue: 0 });
    });

    it('should queue Poisson arrivals behind one official as an M/D/1 queue does', async () => {
      // given: 1 official, 0.2 hours each, 60 a day on a 24-hour day → utilisation 12/24
      const graph = await graphOf(singleStepXml());
      const params = { dossiers: 50_000, arrivals: { perWorkingDay: 60 }, durations: { work: { type: 'fixed' as const, value: 0.2 } }, pools: [{ agency: 'A', role: 'clerk', staff: 1 }] };

      // when
      const { result } = simulate(graph, params, { calendar: ROUND_THE_CLOCK, seed: 11 });

      // then: M/D/1 with ρ = 0.5: Wq = ρ·s / (2(1 − ρ)) = 0.1 hour (Pollaczek–Khinchine)
      expect(result.pools[0].utilisation).toBeCloseTo(0.5, 1);
      expect(result.pools[0].meanWaitHours).toBeGreaterThan(0.095);
      expect(result.pools[0].meanWaitHours).toBeLessThan(0.105);
    });

    it('should work only in the pool’s own hours (a morning-only desk that also opens Saturday mornings)', async () => {
      // given: 6 working hours of work received at the opening of Thursday 5/3/2026; the desk works 08:00–11:00, and Saturdays 08:00–11:00 too
      const graph = await graphOf(singleStepXml());
      const morning = [{ start: '08:00', end: '11:00' }];
      const params = {
        dossiers: 1,
        start: '2026-03-05',
        arrivals: { perWorkingDay: 1e6 },
        durations: { work: { type: 'fixed' as const, value: 6 } },
        pools: [{ agency: 'A', role: 'clerk', staff: 1, workingHours: morning, weekdays: { '6': morning } }],
      };

      // when
      const { result } = simulate(graph, params, { calendar: vietnameseCalendar(), seed: 1 });

      // then: received 07:30 (the reception calendar opens), work 08:00–11:00 Thursday and Friday: done Friday 11:00 local (04:00 UTC)
      expect(result.lastFinish.slice(0, 16)).toBe('2026-03-06T04:00');

      // and with 9 hours the Saturday morning counts: done Saturday 7/3 11:00 local
      const saturday = simulate(graph, { ...params, durations: { work: { type: 'fixed' as const, value: 9 } } }, { calendar: vietnameseCalendar(), seed: 1 });
      expect(saturday.result.lastFinish.slice(0, 16)).toBe('2026-03-07T04:00');
      expect(saturday.result.pools[0].utilisation).toBeGreaterThan(0.99);
    });
  });
});
