/**
 * The dossier procedures the dossier-layer suites run, made to order: the process
 * (submitted → receive (received) → examine (processing) → [verify at another agency] →
 * [sign] → returnResult (result-ready) → returned, each step's dossier status in its
 * `motcua:facts`, the process owned by `agency`), the library's permanent-residence procedure
 * made the procedure of the suite's agencies, and both put in place by an agency admin.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiHarness, Client } from './harness';

export function dossierProcessXml(options: {
  processId: string;
  agency: string;
  name: string;
  examineGroup?: string;
  /** A verification step (`verify`, "Xác minh") by this other agency's specialists, 2 working days, after the examination. */
  verifyAgency?: string;
  /** A signature step (`sign`, "Phê duyệt") by the head, before the result. */
  sign?: boolean;
}): string {
  const { processId, agency, name } = options;
  const task = (id: string, label: string, group: string, facts: string) =>
    `<bpmn:userTask id="${id}" name="${label}"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="${group}" /><motcua:facts ${facts} /></bpmn:extensionElements></bpmn:userTask>`;
  const steps: Array<[string, string]> = [
    ['receive', task('receive', 'Tiếp nhận', 'desk', 'dossierStatus="received"')],
    ['examine', task('examine', 'Thẩm định', options.examineGroup ?? 'desk', 'dossierStatus="processing"')],
    ...(options.verifyAgency ? [['verify', task('verify', 'Xác minh', 'specialist', `agency="${options.verifyAgency}" dossierStatus="processing" statutoryTime="2" timeUnit="workingDays"`)] as [string, string]] : []),
    ...(options.sign ? [['sign', task('sign', 'Phê duyệt', 'head', 'dossierStatus="processing"')] as [string, string]] : []),
    ['returnResult', task('returnResult', 'Trả kết quả', 'desk', 'dossierStatus="result-ready"')],
  ];
  const chain = ['submitted', ...steps.map(([id]) => id), 'returned'];
  const flows = chain.slice(1).map((to, i) => `<bpmn:sequenceFlow id="f${i + 1}" sourceRef="${chain[i]}" targetRef="${to}" />`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="defs-${processId}" targetNamespace="http://motcua.vn/test">
  <bpmn:process id="${processId}" name="${name}" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="${agency}" /></bpmn:extensionElements>
    <bpmn:startEvent id="submitted"><bpmn:extensionElements><motcua:facts dossierStatus="submitted" /></bpmn:extensionElements></bpmn:startEvent>
    ${steps.map(([, xml]) => xml).join('\n    ')}
    <bpmn:endEvent id="returned"><bpmn:extensionElements><motcua:facts dossierStatus="returned" /></bpmn:extensionElements></bpmn:endEvent>
    ${flows.join('\n    ')}
  </bpmn:process>
</bpmn:definitions>`;
}

/**
 * The library's permanent-residence procedure (7 working days, restart after a supplement, fee
 * 20,000 đ) as `code`, running `processId`: the first agency leads (the competent one), the
 * others take part.
 */
export function residenceProcedureAs(options: { code: string; processId: string; agencies: Array<{ id: string; name: string; nameEn: string }> }): Record<string, any> {
  const base = JSON.parse(readFileSync(join(__dirname, '../../processes/permanent-residence/procedure.json'), 'utf8'));
  delete base.$schema;
  return {
    ...base,
    code: options.code,
    processId: options.processId,
    competentAgency: { ...base.competentAgency, agency: options.agencies[0].id },
    agencies: options.agencies.map((a, i) => ({ id: a.id, name: a.name, nameEn: a.nameEn, level: 'commune', role: i === 0 ? 'lead' : 'participant', demo: true })),
  };
}

/**
 * The procedure of the two-agency suites: agency A's ("Công an xã Hòa Bình") permanent
 * residence as `code`, B ("Bảo hiểm xã hội khu vực") taking part, run by a process: receipt (A,
 * desk) → examination (A, specialist) → verification (B, specialist, 2 working days) → result at
 * A's desk → returned.
 */
export function residenceOfTwoAgencies(options: { code: string; processId: string; name: string; agencies: [string, string] }): { xml: string; document: Record<string, any> } {
  const [a, b] = options.agencies;
  return {
    xml: dossierProcessXml({ processId: options.processId, agency: a, name: options.name, examineGroup: 'specialist', verifyAgency: b }),
    document: residenceProcedureAs({
      code: options.code,
      processId: options.processId,
      agencies: [
        { id: a, name: 'Công an xã Hòa Bình', nameEn: 'A' },
        { id: b, name: 'Bảo hiểm xã hội khu vực', nameEn: 'B' },
      ],
    }),
  };
}

/** Deploys `xml` as `agency`'s and has `admin` put the procedure `document` (its code in the document): it must be taken. */
export async function putDossierProcedure(api: ApiHarness, admin: Client, xml: string, agency: string, document: Record<string, any>): Promise<void> {
  await api.engine.deploy(xml, { agency });
  const put = await admin.request('PUT', `/api/procedures/${document.code}`, { json: { document } });
  if (put.status !== 200) throw new Error(`the procedure ${document.code} was not put: ${put.status} ${put.text}`);
}
