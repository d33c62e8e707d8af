/**
 * The engine's public surface for server code: the `Engine` (commands in transactions), the
 * job executor and its built-in HTTP connector, the store ports an adapter implements (and the
 * layers above write through: `TransactionSql`), and everything browser-safe of `pure.ts`.
 * `api/` and `onestop/` import the engine only through here (or `pure.ts`); the sequelize
 * adapter (`store-sequelize/`) is wired by the composition roots alone.
 */
export * from './pure';
export { Engine } from './engine';
export type { BroadcastOptions, CommittedEvent, JobCheck, CorrelateOptions, DeployOptions, DeployResult, EngineOptions, ListenedStep, ProcessOwnershipFacts, StartedInstance, StartOptions, StepListener, StepListenerOutcome, TaskSchedule } from './engine';
export { silentLogger, type Logger } from './logger';
export { BpmnError, JobExecutor, JobFailure, type ActivatedJob, type JobExecutorOptions, type JobHandler } from './jobs/job-executor';
export { httpConnector, type HttpConnectorOptions } from './jobs/http-connector';
export { ExternalJobs, parseJobKey, unservedJobTypeWarnings, type ActivateOptions, type ExternalJob, type ExternalJobsOptions, type ReportScope } from './jobs/external-jobs';
export type * from './store/external-job-store';
export type * from './store/ports';
export { decodeCursor, encodeCursor, type CursorValue } from './store/page-cursor';
export type { InboxQuery, Page, TaskComment, TaskStore } from './store/task-store';
export type * from './store/calendar-data-store';
export type { TaskChangeListener, TaskEffect, TaskEvent } from './task-assignments';
export { TASK_EVENT, TaskAssignments, type AssigningListeners } from './task-assignments';
export { TaskListenerDeniedError, TaskTransitionPendingError, type CompleteTaskOptions, type TaskCompletion } from './executor/commands/task-commands';
export type { JobResult, RescheduleTasksCommand } from './runtime/commands';
export { TASK_LISTENER_EVENT_HEADER } from './runtime/behaviors/task-listeners';
