/** Every operation of the REST API, in the order the OpenAPI document lists them. */
import { operations as analysis } from './analysis';
import { operations as audit } from './audit';
import { operations as calendars } from './calendars';
import { operations as portal } from './portal';
import { operations as definitions } from './definitions';
import { operations as deployments } from './deployments';
import { operations as dossiers } from './dossiers';
import { operations as drafts } from './drafts';
import { operations as health } from './health';
import { operations as incidents } from './incidents';
import { operations as instances } from './instances';
import { operations as jobs } from './jobs';
import { operations as messages } from './messages';
import { operations as mining } from './mining';
import type { OperationSpec } from './operation';
import { operations as processes } from './processes';
import { operations as serviceAccounts } from './service-accounts';
import { operations as signals } from './signals';
import { operations as simulation } from './simulation';
import { operations as statistics } from './statistics';
import { operations as tasks } from './tasks';

export const API_OPERATIONS: readonly OperationSpec[] = [...health, ...deployments, ...definitions, ...instances, ...tasks, ...messages, ...signals, ...incidents, ...processes, ...drafts, ...calendars, ...analysis, ...simulation, ...mining, ...jobs, ...serviceAccounts, ...dossiers, ...portal, ...audit, ...statistics];
