/**
 * `/api/dossiers`, `/api/procedures`, `/api/tracking`: the dossier layer over HTTP. Thin:
 * validate, authorize on the dossier's facts, call the DossierService, answer.
 *
 * Who sees what (Law 91/2025 on personal data):
 * - staff (officials, agency admins) of the competent agency: the dossier with its applicant,
 *   each read logged; staff of the other agencies of an inter-agency dossier: the dossier
 *   without the applicant; anyone else: 404, as if it did not exist;
 * - the citizen who submitted it online: its own dossier, applicant included (logged too);
 * - the public, with the code and the secret: the tracking view, never personal data.
 */
import type { Router } from 'express';
import { ConflictError, InvalidInputError, InvariantError, NotFoundError } from '../../../engine/src/index';
import { receiptDataOf } from '../../../onestop/src/documents/dossier-forms';
import { renderDossierDocument } from '../../../onestop/src/documents/index';
import type { DossierService } from '../../../onestop/src/dossiers/dossier-service';
import type { DossierRecord } from '../../../onestop/src/dossiers/dossier-store';
import type { DossierOperation } from '../../../onestop/src/dossiers/lifecycle';
import { agencyProperName, type ProcedureRecord } from '../../../onestop/src/procedures/procedure';
import { ForbiddenError } from '../auth/errors';
import { canStartInstance } from '../auth/policy';
import type { Principal } from '../auth/principal';
import * as schemas from '../schemas/dossiers';
import type { ApiServices } from '../server';
import { epoch, iso, mount } from '../validation';
import { trackingPageUrl } from './web-app';

const isStaff = (p: Principal): boolean => p.roles.includes('official') || p.roles.includes('agency-admin');
const hasAgency = (p: Principal): p is Principal & { agency: string } => typeof p.agency === 'string' && p.agency !== '';

/** Staff of the competent agency. */
function competent(p: Principal, record: DossierRecord): boolean {
  return isStaff(p) && hasAgency(p) && p.agency === record.agency;
}

/** Staff of an agency that holds or held a step of the dossier (the competent one included). */
function involved(p: Principal, record: DossierRecord): boolean {
  return isStaff(p) && hasAgency(p) && (p.agency === record.agency || record.agencies.includes(p.agency));
}

/** The citizen who submitted it. */
function owner(p: Principal, record: DossierRecord): boolean {
  return p.roles.includes('citizen') && record.applicantUser !== undefined && record.applicantUser === p.id;
}

/** A dossier the caller may not see gets the answer of one that does not exist (docs/conventions.md). */
function notVisible(id: string): NotFoundError {
  return new NotFoundError(`dossier '${id}' does not exist`, { field: 'params.id' });
}

/** Refuses what a caller who sees the dossier may not do (403); one who does not see it gets {@link notVisible}. */
function refuse(p: Principal, record: DossierRecord, id: string, what: string): never {
  if (involved(p, record) || owner(p, record)) throw new ForbiddenError(what);
  throw notVisible(id);
}

function procedureView(p: ProcedureRecord) {
  return { code: p.code, version: p.version, effectiveFrom: p.effectiveFrom, effectiveTo: p.effectiveTo, document: p.document, updatedAt: iso(p.updatedAt), updatedBy: p.updatedBy };
}

function dossierView(record: DossierRecord, extra: { applicant?: boolean; secret?: string } = {}) {
  const d = record.dossier;
  return {
    id: d.id,
    code: d.code,
    status: d.status,
    channel: d.channel,
    agency: record.agency,
    agencies: record.agencies,
    procedureCode: record.procedureCode,
    procedureVersion: record.procedureVersion,
    instanceId: record.instanceId,
    submittedAt: iso(d.submittedAt),
    receivedAt: iso(d.receivedAt),
    receiptAppointmentAt: iso(d.receiptAppointmentAt),
    appointmentAt: iso(d.appointmentAt),
    originalAppointmentAt: iso(d.originalAppointmentAt),
    late: d.late,
    supplementRequests: d.supplementRequests,
    supplement: d.supplement
      ? { stage: d.supplement.stage, requestedAt: iso(d.supplement.requestedAt), dueAt: iso(d.supplement.dueAt), items: d.supplement.items, completedAt: iso(d.supplement.completedAt) }
      : undefined,
    finishedAt: iso(d.finishedAt),
    currentStep: record.details.currentStep ? { agency: record.details.currentStep.agency, name: record.details.currentStep.name } : undefined,
    documents: record.details.documents,
    fee: record.details.fee,
    ...(extra.applicant ? { applicant: record.applicant } : {}),
    ...(extra.secret ? { trackingSecret: extra.secret } : {}),
  };
}

type OperationBody = {
  type: 'accept' | 'refuse' | 'request-supplement' | 'supplement' | 'reject' | 'apologize' | 'stop' | 'withdraw';
  reasons?: string[];
  items?: Array<{ name: string; reason: string }>;
  reason?: string;
  newAppointmentAt?: string;
};

function operationOf(body: OperationBody): DossierOperation {
  switch (body.type) {
    case 'accept':
      return { type: 'receive' };
    case 'refuse':
      return { type: 'refuse', reasons: body.reasons ?? [] };
    case 'request-supplement':
      return { type: 'requestSupplement', items: body.items ?? [] };
    case 'supplement':
      return { type: 'supplement' };
    case 'reject':
      return { type: 'reject', reasons: body.reasons ?? [] };
    case 'apologize':
      return { type: 'apologize', reason: body.reason ?? '', newAppointmentAt: epoch(body.newAppointmentAt) ?? Number.NaN };
    case 'stop':
      return { type: 'stop' };
    case 'withdraw':
      return { type: 'withdraw', ...(body.reason ? { reason: body.reason } : {}) };
  }
}

const APPLICANT_OPERATIONS: ReadonlySet<OperationBody['type']> = new Set(['withdraw', 'supplement']);

export function createDossierRoutes(router: Router, services: ApiServices): void {
  const { ctx } = services;
  const dossiers = (): DossierService => {
    if (!ctx.dossiers) throw new InvariantError('this server has no dossier layer');
    return ctx.dossiers;
  };

  /** The agency a deployed process id belongs to: its recorded owner, else its latest version's agency. */
  const processAgencyOf = async (processId: string): Promise<string | undefined> => {
    const owner = await services.apiStore.processOwner(processId);
    if (owner) return owner.agency;
    return (await services.apiStore.definitions({ processId, latest: true, limit: 1 })).items[0]?.agency;
  };

  // ---------------------------------------------------------------- catalogue
  mount<Record<string, string>, { agency?: string }>(router, schemas.listProcedures, services.mount, async ({ query }) => ({
    status: 200,
    body: { items: (await dossiers().procedures(query.agency ? { agency: query.agency } : {})).map(procedureView) },
  }));

  mount<{ code: string }>(router, schemas.getProcedure, services.mount, async ({ params }) => ({ status: 200, body: procedureView(await dossiers().procedure(params.code)) }));

  mount<{ code: string }, Record<string, never>, { document: unknown; effectiveFrom?: string; effectiveTo?: string }>(
    router,
    schemas.putProcedure,
    services.mount,
    async ({ params, body, principal }) => {
      // The process a procedure starts must be its agency's own (the rule deployments follow: a
      // process id belongs to the agency that first deployed it), or an admin could send
      // dossiers into another agency's inbox.
      const named = body.document && typeof body.document === 'object' ? (body.document as { processId?: unknown }).processId : undefined;
      const processAgency = typeof named === 'string' ? await processAgencyOf(named) : undefined;
      const saved = await dossiers().saveProcedure(params.code, body, principal!.id, (before, after) => {
        const agency = principal!.agency;
        if (!hasAgency(principal!) || after.competentAgency.agency !== agency || (before && before.document.competentAgency.agency !== agency)) {
          throw new ForbiddenError(`procedure '${params.code}' belongs to its competent agency's admins${before ? ` (${before.document.competentAgency.agency})` : ''}`);
        }
        if (after.processId === named && processAgency !== undefined && processAgency !== agency) {
          throw new ForbiddenError(`process '${after.processId}' belongs to agency '${processAgency}': a procedure of agency '${agency}' cannot start it`, { field: 'body.document.processId', processId: after.processId, owner: processAgency });
        }
      });
      return { status: 200, body: procedureView(saved) };
    },
    { allow: (p) => p.roles.includes('agency-admin') },
  );

  // ---------------------------------------------------------------- dossiers
  mount<Record<string, string>, Record<string, never>, { procedureCode: string; channel: 'desk' | 'post' | 'online'; applicant: any; documents: any[]; fee?: { paid: boolean; paidOnline: boolean } }>(
    router,
    schemas.receiveDossier,
    services.mount,
    async ({ body, principal }) => {
      const p = principal!;
      const citizen = p.roles.includes('citizen');
      if (body.channel === 'online' ? !citizen : !p.roles.includes('official')) {
        throw new ForbiddenError(body.channel === 'online' ? 'online dossiers are submitted by the citizen' : 'a dossier is received at the desk or by post by an official of the competent agency');
      }
      const procedure = await dossiers().procedure(body.procedureCode);
      const competentAgency = procedure.document.competentAgency.agency;
      if (!citizen) {
        if (!hasAgency(p) || competentAgency !== p.agency) throw new ForbiddenError(`procedure '${procedure.code}' is received by its competent agency (${competentAgency})`);
      }
      // The receipt starts only what the receiving official could start directly (online: an official of the competent agency).
      const checkDefinition = (d: { processId: string; agency?: string }) => {
        const allowed = citizen ? d.agency !== undefined && d.agency === competentAgency : canStartInstance(p, { agency: d.agency });
        if (!allowed) {
          throw new ForbiddenError(`process '${d.processId}' of procedure '${procedure.code}' belongs to ${d.agency ? `agency '${d.agency}'` : 'no agency'}, not to the receiving agency '${citizen ? competentAgency : p.agency}'`, { field: 'body.procedureCode', processId: d.processId });
        }
      };
      const receipt = await dossiers().receive({
        checkDefinition,
        procedureCode: body.procedureCode,
        channel: body.channel,
        applicant: body.applicant,
        documents: body.documents,
        ...(body.fee ? { fee: body.fee } : {}),
        actor: p.id,
        ...(citizen ? { applicantUser: p.id } : {}),
      });
      // The secret is shown once: an Idempotency-Key replay gives it again to the same caller only, and the stored answer keeps it encrypted.
      return { status: 201, body: dossierView(receipt.record, { applicant: true, secret: receipt.secret }), sealed: ['trackingSecret'] };
    },
    { allow: (p) => p.roles.includes('official') || p.roles.includes('citizen') },
  );

  mount<Record<string, string>, { status?: string; procedureCode?: string; code?: string; limit: number }>(
    router,
    schemas.listDossiers,
    services.mount,
    async ({ query, principal }) => {
      const p = principal!;
      if (isStaff(p)) {
        if (!hasAgency(p)) return { status: 200, body: { items: [] } };
        const items = await dossiers().list({ agency: p.agency, limit: query.limit, ...(query.status ? { status: query.status as never } : {}), ...(query.procedureCode ? { procedureCode: query.procedureCode } : {}), ...(query.code ? { code: query.code } : {}) });
        return { status: 200, body: { items: items.map((r) => dossierView(r)) } };
      }
      const items = (await dossiers().listOfApplicant(p.id, query.limit)).filter((r) => (!query.status || r.dossier.status === query.status) && (!query.code || r.dossier.code === query.code) && (!query.procedureCode || r.procedureCode === query.procedureCode));
      return { status: 200, body: { items: items.map((r) => dossierView(r)) } };
    },
    { allow: (p) => isStaff(p) || p.roles.includes('citizen') },
  );

  mount<{ id: string }>(
    router,
    schemas.getDossier,
    services.mount,
    async ({ params, principal }) => {
      const p = principal!;
      const record = await dossiers().get(params.id);
      if (competent(p, record) || owner(p, record)) {
        const read = await dossiers().readPersonalData(params.id, { id: p.id, ...(p.agency ? { agency: p.agency } : {}) }, (current) => {
          if (!competent(p, current) && !owner(p, current)) throw notVisible(params.id);
        });
        return { status: 200, body: dossierView(read, { applicant: true }) };
      }
      if (involved(p, record)) return { status: 200, body: dossierView(record) };
      throw notVisible(params.id);
    },
    { allow: (p) => isStaff(p) || p.roles.includes('citizen') },
  );

  mount<{ id: string }>(
    router,
    schemas.getDossierHistory,
    services.mount,
    async ({ params, principal }) => {
      const record = await dossiers().get(params.id);
      if (!involved(principal!, record) && !owner(principal!, record)) throw notVisible(params.id);
      const items = (await dossiers().history(params.id)).map(({ event }) => ({ at: iso(event.at), type: event.type, from: event.from, to: event.to, actor: event.actor, event }));
      return { status: 200, body: { items } };
    },
    { allow: (p) => isStaff(p) || p.roles.includes('citizen') },
  );

  mount<{ id: string }>(
    router,
    schemas.getDossierHandOffs,
    services.mount,
    async ({ params, principal }) => {
      const record = await dossiers().get(params.id);
      if (!involved(principal!, record)) throw notVisible(params.id);
      const { handOffs, shares } = await dossiers().handOffs(record);
      return { status: 200, body: { handOffs: handOffs.map((h) => ({ ...h, at: iso(h.at), dueAt: iso(h.dueAt) })), shares } };
    },
    { allow: isStaff },
  );

  mount<{ id: string }>(
    router,
    schemas.getPersonalDataReads,
    services.mount,
    async ({ params, principal }) => {
      const record = await dossiers().get(params.id);
      if (!competent(principal!, record)) refuse(principal!, record, params.id, `the reads of dossier ${record.dossier.code}'s personal data are for the admins of its competent agency (${record.agency})`);
      const items = (await dossiers().personalDataReads(params.id)).map((r) => ({ at: iso(r.at), reader: r.reader, readerAgency: r.readerAgency, purpose: r.purpose }));
      return { status: 200, body: { items } };
    },
    { allow: (p) => p.roles.includes('agency-admin') },
  );

  mount<{ id: string }, { secret?: string }>(
    router,
    schemas.getDossierReceipt,
    services.mount,
    async ({ params, query, principal }) => {
      const p = principal!;
      const record = await dossiers().readPersonalData(params.id, { id: p.id, ...(p.agency ? { agency: p.agency } : {}) }, (current) => {
        if (!competent(p, current) && !owner(p, current)) refuse(p, current, params.id, `the receipt of dossier ${current.dossier.code} (personal data) is for its competent agency (${current.agency}) and its applicant`);
        // Refused before the read is logged: nothing personal leaves.
        if (current.dossier.receivedAt === undefined || current.dossier.receiptAppointmentAt === undefined) throw new ConflictError(`dossier ${current.dossier.code} is not received yet: it has no receipt`, { field: 'params.id' });
      });
      const d = record.dossier as typeof record.dossier & { receivedAt: number; receiptAppointmentAt: number };
      // The secret is kept only as a hash: the copy for the applicant prints it when the caller (the desk, at receipt) gives it.
      const secret = query.secret;
      if (secret !== undefined && !(await dossiers().track(d.code, secret))) throw new InvalidInputError(`the secret is not dossier ${d.code}'s tracking secret`, { field: 'query.secret' });
      const procedure = await dossiers().procedure(record.procedureCode);
      const receiver = record.details.receivedBy ? await services.users.byId(record.details.receivedBy) : undefined;
      const data = receiptDataOf(
        {
          record,
          procedure,
          history: [],
          trackingUrl: trackingPageUrl(ctx.config, d.code, secret),
          ...(receiver ? { names: new Map([[receiver.id, receiver.name ?? receiver.username]]) } : {}),
        },
        { at: d.receivedAt, appointmentAt: d.receiptAppointmentAt, actor: record.details.receivedBy ?? '' },
      );
      const pdf = await renderDossierDocument('receipt', { ...data, ...(secret !== undefined ? { trackingSecret: secret } : {}) });
      return { status: 200, body: pdf, contentType: 'application/pdf' };
    },
    { allow: (p) => isStaff(p) || p.roles.includes('citizen') },
  );

  mount<{ id: string }, Record<string, never>, OperationBody>(
    router,
    schemas.operateDossier,
    services.mount,
    async ({ params, body, principal }) => {
      const p = principal!;
      const record = await dossiers().operate(params.id, operationOf(body), p.id, (current) => {
        if (p.roles.includes('official') && competent(p, current)) return;
        if (owner(p, current)) {
          if (APPLICANT_OPERATIONS.has(body.type)) return;
          throw new ForbiddenError(`the applicant may withdraw or supplement a dossier, not ${body.type} it`);
        }
        refuse(p, current, params.id, `dossier ${current.dossier.code} is operated by the officials of its competent agency (${current.agency})`);
      });
      return { status: 200, body: dossierView(record) };
    },
    { allow: (p) => p.roles.includes('official') || p.roles.includes('citizen') },
  );

  // ---------------------------------------------------------------- tracking (public)
  mount<{ code: string }, { secret: string }>(router, schemas.trackDossier, services.mount, async ({ params, query }) => {
    const view = await dossiers().track(params.code, query.secret);
    if (!view) throw new NotFoundError('no dossier with this code and secret', { field: 'params.code' });
    // The current step's agency by its proper name too (the public page shows it; the id alone means nothing to a citizen).
    const step = view.currentStep;
    const document = step?.agency ? await dossiers().procedure(view.procedure.code).then((p) => p.document, () => undefined) : undefined;
    return {
      status: 200,
      body: {
        ...view,
        ...(step ? { currentStep: { ...step, ...(step.agency && document ? { agencyName: agencyProperName(document, step.agency) } : {}) } } : {}),
        submittedAt: iso(view.submittedAt),
        receivedAt: iso(view.receivedAt),
        appointmentAt: iso(view.appointmentAt),
        history: view.history.map((h) => ({ ...h, at: iso(h.at) })),
      },
    };
  });
}
