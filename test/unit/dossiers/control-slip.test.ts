import { controlSlipHandOffs, holderShares } from '../../../onestop/src/dossiers/control-slip';
import type { DossierEvent } from '../../../onestop/src/dossiers/dossier-events';
import { decide, type DossierOperation } from '../../../onestop/src/dossiers/lifecycle';
import { at } from '../../support/local-time';
import { clock, context, newDossier } from './lifecycle-support';

/** Runs operations and collects their events. */
function events(...steps: Array<[string, DossierOperation]>): DossierEvent[] {
  let dossier = newDossier('2026-11-02 09:00');
  const out: DossierEvent[] = [];
  for (const [now, operation] of steps) {
    const decision = decide(dossier, operation, context(now));
    if (!decision.ok) throw new Error(decision.refusal.reason);
    dossier = decision.dossier;
    out.push(...decision.events);
  }
  return out;
}

describe('dossiers/control-slip', () => {
  // desk → specialist (due Wed 04/11 17:00, done Wed 10:00: on time) → tax and police at once (due Mon 09/11 17:00) → desk
  const trail = () =>
    events(
      ['2026-11-02 09:30', { type: 'receive' }],
      ['2026-11-02 10:00', { type: 'handOff', to: 'specialist', dueAt: at('2026-11-04 17:00') }],
      ['2026-11-04 10:00', { type: 'handOff', to: 'tax', dueAt: at('2026-11-09 17:00') }],
      ['2026-11-04 10:00', { type: 'handOff', to: 'police', from: 'specialist', dueAt: at('2026-11-09 17:00') }],
    );

  it('should fill mẫu 06 with each hand-off, its due date and result', () => {
    // the tax office hands back on Fri 06/11 (early); the police still hold it on Tue 10/11 (late already)
    const withTax = events(
      ['2026-11-02 09:30', { type: 'receive' }],
      ['2026-11-02 10:00', { type: 'handOff', to: 'specialist', dueAt: at('2026-11-04 17:00') }],
      ['2026-11-04 10:00', { type: 'handOff', to: 'tax', dueAt: at('2026-11-09 17:00') }],
      ['2026-11-04 10:00', { type: 'handOff', to: 'police', from: 'specialist', dueAt: at('2026-11-09 17:00') }],
      ['2026-11-06 10:00', { type: 'handOff', to: 'desk', from: 'tax' }],
    );
    const rows = controlSlipHandOffs(withTax, { asOf: at('2026-11-10 09:00') });
    expect(rows).toEqual([
      { from: 'lan', to: 'specialist', at: at('2026-11-02 10:00'), dueAt: at('2026-11-04 17:00'), result: 'on-time' },
      { from: 'specialist (lan)', to: 'tax', at: at('2026-11-04 10:00'), dueAt: at('2026-11-09 17:00'), result: 'early' },
      { from: 'specialist (lan)', to: 'police', at: at('2026-11-04 10:00'), dueAt: at('2026-11-09 17:00'), result: 'late' },
      { from: 'tax (lan)', to: 'desk', at: at('2026-11-06 10:00') },
    ]);
  });

  it('should leave the result empty while a step is open and not yet due', () => {
    expect(controlSlipHandOffs(trail(), { asOf: at('2026-11-05 09:00') }).at(-1)).toEqual({ from: 'specialist (lan)', to: 'police', at: at('2026-11-04 10:00'), dueAt: at('2026-11-09 17:00') });
  });

  it('should give each holder its own share of working time (Decree 118 art. 20)', () => {
    const shares = holderShares(trail(), clock, at('2026-11-06 10:00'));
    expect(shares).toEqual([
      { holder: 'specialist', workingDays: 2, handOffs: 1, open: false },
      { holder: 'tax', workingDays: 2, handOffs: 1, open: true },
      { holder: 'police', workingDays: 2, handOffs: 1, open: true },
    ]);
  });
});
