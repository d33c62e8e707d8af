/**
 * `GET /v2/topology` and `GET /v2/status`: what Camunda clients ask at start. motcua is one
 * "broker" with one partition it leads; the status is 204 when the server answers (as
 * Camunda's, without authentication), the topology needs a token (any principal).
 */
import type { Router } from 'express';
import type { ApiServices } from '../../server';
import { gate, handle } from './common';

/** The Camunda version whose REST API this facade follows. */
export const CAMUNDA_API_VERSION = '8.8.0';

export function mountTopologyRoutes(router: Router, services: ApiServices): void {
  router.get(
    '/status',
    handle(async (_req, res) => {
      res.status(204).end();
    }),
  );
  router.get(
    '/topology',
    ...gate(services, () => true, ''),
    handle(async (req, res) => {
      res.status(200).json({
        brokers: [{ nodeId: 0, host: req.hostname, port: req.socket.localPort ?? 0, partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }], version: CAMUNDA_API_VERSION }],
        clusterId: null,
        clusterSize: 1,
        partitionsCount: 1,
        replicationFactor: 1,
        gatewayVersion: CAMUNDA_API_VERSION,
        lastCompletedChangeId: '-1',
      });
    }),
  );
}
