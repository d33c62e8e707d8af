/** A moddle type as BPMN's XML names it: `bpmn:UserTask` → `userTask`, `zeebe:X` kept whole. */
export function bpmnTypeName(type: string): string {
  if (!type.startsWith('bpmn:')) return type;
  const name = type.slice('bpmn:'.length);
  return name.charAt(0).toLowerCase() + name.slice(1);
}
