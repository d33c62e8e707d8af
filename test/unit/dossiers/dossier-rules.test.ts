import { bundledDossierRules, localDateOf, rulesForDossier, rulesInForce, validateDossierRules, type DossierRules } from '../../../onestop/src/dossiers/dossier-rules';
import { DossierRulesError } from '../../../onestop/src/dossiers/errors';
import rulesJson from '../../../onestop/src/dossiers/data/dossier-rules.json';
import { at } from '../../support/local-time';

/** What `fn` threw, as a DossierRulesError (fails the test otherwise). */
function rulesError(fn: () => unknown): DossierRulesError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DossierRulesError);
    return error as DossierRulesError;
  }
  throw new Error('expected a DossierRulesError');
}

const copy = (): DossierRules => structuredClone(rulesJson) as DossierRules;

/** Two versions: the bundled one and a hypothetical later text that allows two supplement requests and 10 days. */
function twoVersions(): DossierRules {
  const rules = copy();
  const later = structuredClone(rules.versions[0]);
  later.effectiveFrom = '2027-01-01';
  later.sources = ['a hypothetical later decree'];
  later.supplementRequests = { max: 2, ground: 'hypothetical' };
  later.supplementDeadline = { amount: 10, unit: 'calendarDays', ground: 'hypothetical' };
  rules.versions.push(later);
  return validateDossierRules(rules, 'two.json');
}

describe('dossiers/dossier-rules', () => {
  describe('bundled rules', () => {
    const version = rulesInForce(bundledDossierRules(), '2026-11-23');

    it.each<[rule: string, actual: () => unknown, expected: unknown]>([
      ['Decree 118 art. 11(2)(c), 16(3): one supplement request per dossier', () => version.supplementRequests.max, 1],
      ['Decree 118 art. 19(5): 15 days to supplement, then stopped', () => [version.supplementDeadline.amount, version.supplementDeadline.unit], [15, 'calendarDays']],
      ['Decree 118 art. 19(5): the processing unit asks within 3 working days', () => [version.processingSupplementWindow.amount, version.processingSupplementWindow.unit], [3, 'workingDays']],
      ['Decree 118 art. 17(2): online dossiers accepted or sent back within 8 working hours', () => [version.onlineAcceptance.amount, version.onlineAcceptance.unit], [8, 'workingHours']],
      ['Decree 118 art. 19(6): the apology at the latest 1 day before the due date', () => version.lateApology.noticeBefore, { amount: 1, unit: 'calendarDays' }],
      ['Decree 118 art. 19(6): the appointment re-dated once only', () => version.lateApology.maxRedates, 1],
      ['Decree 118 art. 19(5): the clock restarts after a complete supplement by default', () => version.clockAfterSupplement.default, 'restart'],
      ['Decree 118 art. 18(2): transfer cut-off 15:00', () => version.transferCutoff.time, '15:00'],
      ['Decree 118 art. 28, Circular 01/2018: code <agency>-<yymmdd>-<4-digit sequence>', () => version.dossierCode.pattern, '{agency}-{yymmdd}-{seq:4}'],
      ['Decree 118 art. 28: the pattern is flagged unconfirmed (no newer text restates it)', () => version.dossierCode.unconfirmed, true],
    ])('%s', (_rule, actual, expected) => {
      expect(actual()).toEqual(expected);
    });

    it('should name a legal source for every rule', () => {
      for (const key of ['supplementRequests', 'supplementDeadline', 'processingSupplementWindow', 'onlineAcceptance', 'lateApology', 'clockAfterSupplement', 'transferCutoff', 'dossierCode'] as const) {
        expect(version[key].ground).toMatch(/Decree|Circular|Decision/);
      }
    });
  });

  describe('rulesInForce', () => {
    const rules = twoVersions();

    it.each<[date: string, effectiveFrom: string]>([
      ['2025-07-01', '2025-07-01'],
      ['2026-12-31', '2025-07-01'],
      ['2027-01-01', '2027-01-01'],
      ['2030-05-05', '2027-01-01'],
    ])('on %s should give the version of %s', (date, effectiveFrom) => {
      expect(rulesInForce(rules, date).effectiveFrom).toBe(effectiveFrom);
    });

    it('should refuse a date before every version, naming the first one', () => {
      expect(rulesError(() => rulesInForce(rules, '2025-06-30')).message).toBe('no dossier rules in force on 2025-06-30: the first version starts 2025-07-01');
    });
  });

  describe('rulesForDossier', () => {
    const rules = twoVersions();

    it('should keep the rules in force at receipt when a later version comes into force (design: a dossier keeps its rules)', () => {
      // given a dossier received on 31/12/2026 under the first version
      const receivedAt = at('2026-12-31 16:00');
      const atReceipt = rulesForDossier(rules, {}, receivedAt);
      // when it is handled on 04/01/2027, with rulesFrom kept
      const later = rulesForDossier(rules, { rulesFrom: atReceipt.effectiveFrom }, at('2027-01-04 09:00'));
      // then it still has one supplement request
      expect(atReceipt.effectiveFrom).toBe('2025-07-01');
      expect(later.supplementRequests.max).toBe(1);
    });

    it('should read the receipt date in Vietnam time (23:30 UTC on 31/12 is 01/01 local)', () => {
      const receivedAt = Date.UTC(2026, 11, 31, 23, 30);
      expect(localDateOf(receivedAt, 420)).toBe('2027-01-01');
      expect(rulesForDossier(rules, {}, receivedAt).effectiveFrom).toBe('2027-01-01');
    });

    it('should refuse a dossier whose kept version is no longer listed', () => {
      expect(rulesError(() => rulesForDossier(rules, { rulesFrom: '2020-01-01' }, 0)).message).toMatch(/rules of 2020-01-01, which are no longer listed/);
    });
  });

  describe('validateDossierRules', () => {
    it.each<[what: string, mutate: (rules: DossierRules & Record<string, unknown>) => void, message: string, field: string]>([
      ['a missing rule', (r) => delete (r.versions[0] as Partial<DossierRules['versions'][0]>).supplementDeadline, "bad.json: /versions/0 must have required property 'supplementDeadline'", '/versions/0'],
      ['zero supplement requests', (r) => (r.versions[0].supplementRequests.max = 0), 'bad.json: /versions/0/supplementRequests/max must be >= 1', '/versions/0/supplementRequests/max'],
      ['an unknown unit', (r) => ((r.versions[0].supplementDeadline as { unit: string }).unit = 'weeks'), 'bad.json: /versions/0/supplementDeadline/unit must be equal to one of the allowed values (["workingDays","workingHours","hours","calendarDays"])', '/versions/0/supplementDeadline/unit'],
      ['an unknown clock rule', (r) => ((r.versions[0].clockAfterSupplement as { default: string }).default = 'stop'), 'bad.json: /versions/0/clockAfterSupplement/default must be equal to one of the allowed values (["restart","pause"])', '/versions/0/clockAfterSupplement/default'],
      ['a bad cut-off', (r) => (r.versions[0].transferCutoff.time = '3pm'), 'bad.json: /versions/0/transferCutoff/time must match pattern "^([01][0-9]|2[0-3]):[0-5][0-9]$"', '/versions/0/transferCutoff/time'],
      ['an unknown field', (r) => ((r.versions[0] as unknown as Record<string, unknown>).extra = 1), 'bad.json: /versions/0 must NOT have additional properties ("extra")', '/versions/0'],
      ['an unreal date', (r) => (r.versions[0].effectiveFrom = '2025-02-30'), 'bad.json: /versions/0/effectiveFrom must match format "date"', '/versions/0/effectiveFrom'],
      ['a code pattern without the sequence', (r) => (r.versions[0].dossierCode.pattern = '{agency}-{yymmdd}'), 'bad.json: /versions/0/dossierCode/pattern the dossier code pattern "{agency}-{yymmdd}" must have {seq:N} exactly once (Decree 118/2025 art. 28: agency, receipt date, daily sequence), found 0', '/versions/0/dossierCode/pattern'],
      ['an agency expression that does not compile', (r) => (r.versions[0].dossierCode.agencyIdentifier = '[0-9'), 'bad.json: /versions/0/dossierCode/agencyIdentifier is not a regular expression: Invalid regular expression: /[0-9/: Unterminated character class', '/versions/0/dossierCode/agencyIdentifier'],
      ['a warning no shorter than the limit', (r) => (r.versions[0].onlineAcceptance.warningBefore = { amount: 8, unit: 'workingHours' }), 'bad.json: /versions/0/onlineAcceptance/warningBefore (8 workingHours) must be shorter than the limit (8 workingHours)', '/versions/0/onlineAcceptance/warningBefore'],
      [
        'versions out of order',
        (r) => r.versions.push({ ...structuredClone(r.versions[0]), effectiveFrom: '2025-01-01' }),
        "bad.json: /versions/1/effectiveFrom (2025-01-01) must be after the previous version's (2025-07-01)",
        '/versions/1/effectiveFrom',
      ],
    ])('should refuse %s, naming the file and the field', (_what, mutate, message, field) => {
      const rules = copy() as DossierRules & Record<string, unknown>;
      mutate(rules);
      const error = rulesError(() => validateDossierRules(rules, 'bad.json'));
      expect(error.message).toBe(message);
      expect(error.details).toEqual({ file: 'bad.json', field });
      expect(error.code).toBe('DOSSIER_RULES_INVALID');
    });

    it('should refuse what is not an object', () => {
      expect(rulesError(() => validateDossierRules('rules', 'bad.json')).message).toBe('bad.json: (root) must be object');
    });
  });
});
