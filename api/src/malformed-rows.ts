/**
 * Where the API process reports a malformed stored row that a background reader skipped
 * (the push feed's history rows): one pino line with the row's place, and the Prometheus
 * counter `motcua_malformed_rows_skipped_total{reader}`, so that an operator sees it and
 * can mend or remove the row while everything else goes on.
 */
import type { Logger } from 'pino';
import type { ApiMetrics } from './metrics';
import type { SkippedRow } from './push';

/** A reporter of skipped rows for `reader` (the metric's label, e.g. `push-feed`). */
export function malformedRowReporter(services: { logger: Logger; metrics: ApiMetrics }, reader: string): (row: SkippedRow) => void {
  return (row) => {
    services.metrics.malformedRowSkipped(reader);
    services.logger.error({ reader, row }, `${reader}: malformed row skipped (history tx ${row.tx}, id ${row.id}, position ${row.position}): ${row.reason}`);
  };
}
