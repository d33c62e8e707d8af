/** The port mining reads the history through (implemented in onestop/src/store-sequelize/mining-log-reader.ts). */
import type { MiningSource } from './build-log';

/** Which cases to read. */
export interface MiningLogQuery {
  processId?: string;
  /** The procedure's agency (its definition's). */
  agency?: string;
  /** Instances started at or after this moment (epoch ms). */
  from?: number;
  /** Instances started before this moment (epoch ms). */
  to?: number;
  /** At most this many cases; `truncated` says when there were more. */
  maxCases: number;
  /** The applicant's pseudonym (a keyed HMAC): the only form in which an applicant is returned. */
  pseudonymise: (applicantId: string) => string;
}

/** The records and whether more cases matched than `maxCases`. */
export interface MiningLogRead extends MiningSource {
  truncated: boolean;
}

/** Reads the records of the cases a query selects. */
export type MiningLogSource = (query: MiningLogQuery) => Promise<MiningLogRead>;
