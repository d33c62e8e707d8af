/**
 * The smallest dossier procedure the dossier-layer suites run: submitted → receive (received) →
 * examine (processing) → returnResult (result-ready) → returned, each step's dossier status in
 * its `motcua:facts`, the process owned by `agency`.
 */
export function dossierProcessXml(options: { processId: string; agency: string; name: string; examineGroup?: string }): string {
  const { processId, agency, name } = options;
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="defs-${processId}" targetNamespace="http://motcua.vn/test">
  <bpmn:process id="${processId}" name="${name}" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="${agency}" /></bpmn:extensionElements>
    <bpmn:startEvent id="submitted"><bpmn:extensionElements><motcua:facts dossierStatus="submitted" /></bpmn:extensionElements></bpmn:startEvent>
    <bpmn:userTask id="receive" name="Tiếp nhận"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="desk" /><motcua:facts dossierStatus="received" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:userTask id="examine" name="Thẩm định"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="${options.examineGroup ?? 'desk'}" /><motcua:facts dossierStatus="processing" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:userTask id="returnResult" name="Trả kết quả"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="desk" /><motcua:facts dossierStatus="result-ready" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="returned"><bpmn:extensionElements><motcua:facts dossierStatus="returned" /></bpmn:extensionElements></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="submitted" targetRef="receive" />
    <bpmn:sequenceFlow id="f2" sourceRef="receive" targetRef="examine" />
    <bpmn:sequenceFlow id="f3" sourceRef="examine" targetRef="returnResult" />
    <bpmn:sequenceFlow id="f4" sourceRef="returnResult" targetRef="returned" />
  </bpmn:process>
</bpmn:definitions>`;
}
