/**
 * The Camunda 8 REST (v2) facade beyond the job routes (`../v2-jobs.ts`): topology and status,
 * deployments, process instances, messages and signals, user tasks, incidents. Mounted by the
 * server at `/v2`. Keys are numbers (`common.ts`, `v2_keys`); errors are problem documents.
 */
import express, { type Router } from 'express';
import type { ApiServices } from '../../server';
import { refuseUnstorableText } from '../../text-guard';
import { mountDeploymentRoutes } from './deployments';
import { mountIncidentRoutes } from './incidents';
import { mountMessageRoutes } from './messages';
import { mountProcessInstanceRoutes } from './process-instances';
import { mountTopologyRoutes } from './topology';
import { mountUserTaskRoutes } from './user-tasks';

/** Largest JSON body (as the /api routes). */
const MAX_JSON_BYTES = 1024 * 1024;

export function createV2Router(services: ApiServices): Router {
  const router = express.Router();
  router.use(express.json({ limit: MAX_JSON_BYTES, type: ['application/json', 'application/*+json'] }), refuseUnstorableText());
  mountTopologyRoutes(router, services);
  mountDeploymentRoutes(router, services);
  mountProcessInstanceRoutes(router, services);
  mountMessageRoutes(router, services);
  mountUserTaskRoutes(router, services);
  mountIncidentRoutes(router, services);
  return router;
}
