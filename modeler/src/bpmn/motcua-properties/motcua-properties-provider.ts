/**
 * The "Một cửa" group of the properties panel: the one-stop-shop facts of a step or
 * of the procedure (agency, statutory time and unit, the dossier status the step
 * represents, the documents asked), kept in `motcua:facts` as the engine reads them
 * (engine/src/model/motcua.json). Added after the Zeebe groups, on flow nodes and
 * processes (a participant edits its process).
 */
import { SelectEntry, TextAreaEntry, TextFieldEntry, isSelectEntryEdited, isTextAreaEntryEdited, isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
import { useService } from 'bpmn-js-properties-panel';
import { is } from 'bpmn-js/lib/util/ModelUtil';
import { t } from '../../shared/i18n';
import { documentsFor, factsOf, getFact, parseStatutoryTime, setFacts } from './facts';

const TIME_UNITS = ['workingDays', 'workingHours', 'days', 'hours'] as const;

function useFactsServices() {
  return { modeling: useService('modeling'), bpmnFactory: useService('bpmnFactory'), debounce: useService('debounceInput') };
}

function AgencyEntry(props: { element: any; id: string }) {
  const { element, id } = props;
  const services = useFactsServices();
  return h(TextFieldEntry, {
    element,
    id,
    label: t('motcua.agency'),
    description: t('motcua.agency.description'),
    getValue: () => (getFact(element, 'agency') as string | undefined) ?? '',
    setValue: (value: string) => setFacts(element, { agency: value.trim() || undefined }, services),
    debounce: services.debounce,
  });
}

function StatutoryTimeEntry(props: { element: any; id: string }) {
  const { element, id } = props;
  const services = useFactsServices();
  return h(TextFieldEntry, {
    element,
    id,
    label: t('motcua.statutoryTime'),
    description: t('motcua.statutoryTime.description'),
    getValue: () => {
      const value = getFact(element, 'statutoryTime');
      return value === undefined ? '' : String(value);
    },
    setValue: (text: string) => {
      const value = parseStatutoryTime(text ?? '');
      if (value !== 'invalid') setFacts(element, { statutoryTime: value }, services);
    },
    validate: (text: string) => (parseStatutoryTime(text ?? '') === 'invalid' ? t('motcua.statutoryTime.invalid') : undefined),
    debounce: services.debounce,
  });
}

function TimeUnitEntry(props: { element: any; id: string }) {
  const { element, id } = props;
  const services = useFactsServices();
  return h(SelectEntry, {
    element,
    id,
    label: t('motcua.timeUnit'),
    getValue: () => (getFact(element, 'timeUnit') as string | undefined) ?? 'workingDays',
    setValue: (value: string) => setFacts(element, { timeUnit: value === 'workingDays' ? undefined : value }, services),
    getOptions: () => TIME_UNITS.map((unit) => ({ value: unit, label: t(`motcua.unit.${unit}`) })),
  });
}

function DossierStatusEntry(props: { element: any; id: string }) {
  const { element, id } = props;
  const services = useFactsServices();
  return h(TextFieldEntry, {
    element,
    id,
    label: t('motcua.dossierStatus'),
    getValue: () => (getFact(element, 'dossierStatus') as string | undefined) ?? '',
    setValue: (value: string) => setFacts(element, { dossierStatus: value.trim() || undefined }, services),
    debounce: services.debounce,
  });
}

function DocumentsEntry(props: { element: any; id: string }) {
  const { element, id } = props;
  const services = useFactsServices();
  return h(TextAreaEntry, {
    element,
    id,
    label: t('motcua.documents'),
    rows: 3,
    getValue: () => ((factsOf(element)?.get('documents') as any[] | undefined) ?? []).map((d) => d.name ?? '').join('\n'),
    setValue: (text: string) => {
      const names = (text ?? '').split('\n').map((line) => line.trim()).filter(Boolean);
      const facts = factsOf(element);
      const current = ((facts?.get('documents') as any[] | undefined) ?? []).map((d) => d.name ?? '');
      if (current.join('\n') === names.join('\n')) return;
      if (facts) services.modeling.updateModdleProperties(element, facts, { documents: documentsFor(names, services.bpmnFactory, facts) });
      else if (names.length > 0) setFacts(element, { documents: documentsFor(names, services.bpmnFactory) }, services);
    },
    debounce: services.debounce,
  });
}

/** The properties provider (a didi service) that adds the "Một cửa" group. */
export default class MotcuaPropertiesProvider {
  static $inject = ['propertiesPanel'];

  constructor(propertiesPanel: any) {
    propertiesPanel.registerProvider(500, this);
  }

  getGroups(element: any) {
    return (groups: any[]) => {
      if (!is(element, 'bpmn:FlowNode') && !is(element, 'bpmn:Process') && !is(element, 'bpmn:Participant')) return groups;
      if (is(element, 'bpmn:Participant') && !element.businessObject.processRef) return groups;
      const stepOnly = is(element, 'bpmn:FlowNode');
      const entries = [
        { id: 'motcua-agency', element, component: AgencyEntry, isEdited: isTextFieldEntryEdited },
        { id: 'motcua-statutoryTime', element, component: StatutoryTimeEntry, isEdited: isTextFieldEntryEdited },
        { id: 'motcua-timeUnit', element, component: TimeUnitEntry, isEdited: isSelectEntryEdited },
        stepOnly && { id: 'motcua-dossierStatus', element, component: DossierStatusEntry, isEdited: isTextFieldEntryEdited },
        { id: 'motcua-documents', element, component: DocumentsEntry, isEdited: isTextAreaEntryEdited },
      ].filter(Boolean);
      groups.push({ id: 'motcua', label: t('motcua.group'), entries });
      return groups;
    };
  }
}
