/**
 * Statistics of the one-stop shop: the Decision 766 / Decree 118 indicators as pure
 * functions over per-dossier facts (see indicators.ts); the projections that feed them
 * are maintained by the dossier listeners.
 */
export {
  channelShare,
  digitisationRate,
  eResultRate,
  factsOfDossier,
  legalTimeliness,
  onlinePaymentRate,
  onTimeRate,
  processingTime,
  processingWorkingDays,
  satisfaction,
  timeliness766,
  timelinessCounts,
  type DossierFacts,
  type DossierOutcomeFacts,
  type DossierTimeliness,
  type Indicator,
  type IndicatorOptions,
  type TimelinessCounts,
} from './indicators';
