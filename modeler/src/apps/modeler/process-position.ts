/**
 * A dossier's process drawn with where it stands: the deployed version its instance runs
 * (`/api/definitions/{id}`), the steps done and the flows taken shaded, the current steps
 * outlined (`/api/instances/{id}/position`), in bpmn-js's NavigatedViewer (pan and zoom, no
 * editing). A chunk of its own, loaded after the task and its form are on the page.
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { request } from '../../shared/api';
import { h, mount } from '../../shared/dom';
import { t } from '../../shared/i18n';
import { hasDiagram, layoutDocument } from '../../bpmn/auto-layout';

interface Position {
  activeElementIds: string[];
  completedElementIds: string[];
  takenFlowIds: string[];
  incidentElementIds: string[];
}

/** Draws the instance's process into `host`; returns what frees the viewer. */
export async function drawProcessPosition(host: HTMLElement, task: { instanceId: string; definitionId: string }): Promise<() => void> {
  const [definition, position] = await Promise.all([
    request<{ xml: string }>('GET', `/api/definitions/${encodeURIComponent(task.definitionId)}`),
    request<Position>('GET', `/api/instances/${encodeURIComponent(task.instanceId)}/position`),
  ]);
  const canvasHost = h('div', { class: 'position-canvas', 'data-testid': 'position-canvas' });
  mount(
    host,
    canvasHost,
    h(
      'p',
      { class: 'position-legend' },
      h('span', { class: 'swatch current' }), ` ${t('position.current')} `,
      h('span', { class: 'swatch done' }), ` ${t('position.done')}`,
    ),
  );
  const viewer = new (NavigatedViewer as any)({ container: canvasHost });
  const xml = hasDiagram(definition.xml) ? definition.xml : await layoutDocument(definition.xml, viewer.get('moddle'));
  await viewer.importXML(xml);
  const canvas = viewer.get('canvas');
  const registry = viewer.get('elementRegistry');
  const mark = (ids: string[], marker: string) => ids.filter((id) => registry.get(id)).forEach((id) => canvas.addMarker(id, marker));
  mark(position.completedElementIds, 'position-done');
  mark(position.takenFlowIds, 'position-taken');
  mark(position.activeElementIds, 'position-current');
  mark(position.incidentElementIds, 'position-incident');
  canvas.zoom('fit-viewport', 'auto');
  // The canvas can be panned and zoomed (focusable), so no role="img" on it: the where-it-stands sentence is text beside it.
  canvasHost.before(h('p', { class: 'visually-hidden', 'data-testid': 'position-text' }, t('position.label', { steps: position.activeElementIds.map((id) => registry.get(id)?.businessObject?.name ?? id).join(', ') })));
  return () => viewer.destroy();
}
