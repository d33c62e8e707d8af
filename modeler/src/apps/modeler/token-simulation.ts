/**
 * The token simulation (bpmn-js-token-simulation), a chunk of its own loaded when the analyst
 * first starts a walk: a NavigatedViewer with the simulation's viewer modules drawn over the
 * editor's canvas, on the editor's own definitions (same elements, same ids, same place), so
 * the modeler never carries the simulation's code and editing stays out of the way while a
 * token walks (the package's modeler flavour can only be built into the modeler up front).
 *
 * The package's controls are English and partly mouse-only; here they speak the app's
 * language (Vietnamese first) and every control is reachable and named:
 * - its buttons (context pads on the diagram, palette, speed, log) get accessible names that
 *   say what they do and on which element, in the current language;
 * - the mode switch in the corner is a real toggle button;
 * - keys, when the simulation has focus (canvas or one of its controls): P or Space (on the
 *   canvas) pause/resume, R resets, L shows the log, Esc or T leaves the simulation;
 * - `start(element)` lets a token in at a start event, for the walk panel's buttons.
 * The texts are rewritten as the package draws them (a MutationObserver on its container):
 * the package has no translation hook.
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import tokenSimulationModule from 'bpmn-js-token-simulation/lib/viewer';
import { loadStyle } from '../../shared/styles';
import { t, type MessageKey } from '../../shared/i18n';

export const TOGGLE_MODE_EVENT = 'tokenSimulation.toggleMode';
export const RESET_SIMULATION_EVENT = 'tokenSimulation.resetSimulation';
export const TRACE_EVENT = 'tokenSimulation.simulator.trace';
const PLAY_EVENT = 'tokenSimulation.playSimulation';
const PAUSE_EVENT = 'tokenSimulation.pauseSimulation';

/** A running simulation over the editor's canvas. */
export interface TokenSimulation {
  viewer: any;
  /** The start events where a token can be let in (not those inside subprocesses). */
  startEvents(): Array<{ id: string; name: string }>;
  /** Lets a token in at the start event `id`. */
  start(id: string): void;
  pause(): void;
  reset(): void;
  toggleLog(): void;
  focus(): void;
  destroy(): void;
}

/** Texts the package writes (notifications, log, kinds of unnamed elements), by their English text. */
const TEXTS: Record<string, MessageKey> = {
  'Pause Simulation': 'tokens.paused',
  'Play Simulation': 'tokens.playing',
  'Reset Simulation': 'tokens.resetDone',
  'Found unsupported elements': 'tokens.unsupportedFound',
  'Not supported': 'tokens.unsupported',
  'Process started': 'tokens.processStarted',
  'Process finished': 'tokens.processFinished',
  'Process canceled': 'tokens.processCanceled',
  'SubProcess started': 'tokens.subProcessStarted',
  'SubProcess finished': 'tokens.subProcessFinished',
  'SubProcess canceled': 'tokens.subProcessCanceled',
  'Simulation Log': 'tokens.log',
  'No Entries': 'tokens.logEmpty',
  'Token Simulation': 'tokens.mode',
  'User Task': 'tokens.kind.userTask',
  'Service Task': 'tokens.kind.serviceTask',
  'Task': 'tokens.kind.task',
  'Start Event': 'tokens.kind.startEvent',
  'End Event': 'tokens.kind.endEvent',
  'Intermediate Event': 'tokens.kind.intermediateEvent',
  'Boundary Event': 'tokens.kind.boundaryEvent',
  'Exclusive Gateway': 'tokens.kind.exclusiveGateway',
  'Parallel Gateway': 'tokens.kind.parallelGateway',
  'Inclusive Gateway': 'tokens.kind.inclusiveGateway',
};

/** The package's English text in the current language (unknown texts, such as element names, stay). */
function translated(text: string): string {
  const key = TEXTS[text.trim()];
  return key ? t(key) : text;
}

/** Opens the simulation over `host` on the editor's `definitions`, at the editor's `viewbox`. */
export async function openTokenSimulation(host: HTMLElement, definitions: any, viewbox: { x: number; y: number; width: number; height: number } | undefined, onExit: () => void): Promise<TokenSimulation> {
  await loadStyle('token-simulation');
  const viewer = new (NavigatedViewer as any)({ container: host, additionalModules: [tokenSimulationModule] });
  await viewer.importDefinitions(definitions);
  const canvas = viewer.get('canvas');
  if (viewbox) canvas.viewbox(viewbox);
  const registry = viewer.get('elementRegistry');
  const bus = viewer.get('eventBus');
  const container: HTMLElement = canvas.getContainer();
  let paused = true;

  const nameOf = (id: string | undefined) => {
    const element = id ? registry.get(id) : undefined;
    return element ? element.businessObject?.name || element.id : '';
  };

  /** Names and texts of the package's controls, rewritten in the current language. */
  function localize(root: ParentNode): void {
    const set = (element: Element, name: string, value: string) => element.getAttribute(name) !== value && element.setAttribute(name, value);
    for (const button of root.querySelectorAll<HTMLElement>('.bts-context-pad')) {
      const original = button.dataset.original ?? button.getAttribute('title') ?? '';
      button.dataset.original = original;
      const element = registry.get(button.closest<HTMLElement>('.djs-overlays')?.dataset.containerId ?? '');
      const name = nameOf(element?.id);
      const kind = element?.type;
      const key: MessageKey | undefined =
        original === 'Trigger Event' ? (kind === 'bpmn:StartEvent' ? 'tokens.startAt' : 'tokens.triggerAt')
        : original === 'Set Sequence Flow' ? 'tokens.chooseBranch'
        : original === 'Add pause point' ? 'tokens.addPause'
        : original === 'Remove pause point' ? 'tokens.removePause'
        : undefined;
      if (!key) continue;
      // An inclusive gateway's pad sits on the flow it switches: name the flow's gateway and target.
      const label = element?.type === 'bpmn:SequenceFlow' ? t('tokens.switchFlow', { name: nameOf(element.target?.id) || element.id }) : t(key, { name });
      set(button, 'title', label);
      set(button, 'aria-label', label);
    }
    for (const svg of root.querySelectorAll('.bts-context-pad svg, .bts-entry svg, .bts-animation-speed-button svg, .bts-toggle svg, .bts-set-animation-speed > svg')) set(svg, 'aria-hidden', 'true');
    const paletteNames: Record<string, MessageKey> = { 'Play/Pause Simulation': 'tokens.pause', 'Reset Simulation': 'tokens.reset', 'Toggle Simulation Log': 'tokens.showLog' };
    for (const entry of root.querySelectorAll<HTMLElement>('.bts-palette .bts-entry')) {
      const original = entry.dataset.original ?? entry.getAttribute('title') ?? '';
      entry.dataset.original = original;
      let key = paletteNames[original];
      if (!key) continue;
      if (key === 'tokens.pause' && paused) key = 'tokens.resume';
      set(entry, 'title', t(key));
      set(entry, 'aria-label', t(key));
      set(entry, 'aria-keyshortcuts', key === 'tokens.reset' ? 'R' : key === 'tokens.showLog' ? 'L' : 'P');
    }
    for (const speed of root.querySelectorAll<HTMLElement>('.bts-animation-speed-button')) {
      const key: MessageKey = speed.dataset.speed === '0.5' ? 'tokens.speedSlow' : speed.dataset.speed === '2' ? 'tokens.speedFast' : 'tokens.speedNormal';
      set(speed, 'title', t(key));
      set(speed, 'aria-label', t(key));
      set(speed, 'aria-pressed', String(speed.classList.contains('active')));
    }
    for (const scope of root.querySelectorAll<HTMLElement>('button.bts-scope[data-scope-id]')) {
      set(scope, 'title', t('tokens.focusScope', { id: scope.dataset.scopeId ?? '' }));
    }
    for (const close of root.querySelectorAll('.bts-log .bts-close')) set(close, 'aria-label', t('tokens.closeLog'));
    // The log scrolls: reachable with Tab so it can be scrolled with the keys, and read as a log.
    for (const content of root.querySelectorAll('.bts-log .bts-content')) {
      set(content, 'tabindex', '0');
      set(content, 'role', 'log');
      set(content, 'aria-label', t('tokens.log'));
    }
    for (const text of root.querySelectorAll<HTMLElement>('.bts-text, .bts-entry.placeholder')) {
      const next = translated(text.textContent ?? '');
      if (text.textContent !== next) text.textContent = next;
      if (text.hasAttribute('title')) set(text, 'title', next);
    }
    for (const header of root.querySelectorAll('.bts-log .bts-header')) {
      for (const node of header.childNodes) if (node.nodeType === Node.TEXT_NODE && node.textContent!.trim()) node.textContent = ` ${translated(node.textContent!)} `;
    }
    const toggle = container.querySelector<HTMLElement>('.bts-toggle-mode');
    if (toggle) {
      set(toggle, 'role', 'button');
      set(toggle, 'tabindex', '0');
      set(toggle, 'aria-pressed', 'true');
      set(toggle, 'aria-label', t('tokens.leave'));
      set(toggle, 'aria-keyshortcuts', 'Escape');
      for (const node of toggle.childNodes) if (node.nodeType === Node.TEXT_NODE && node.textContent!.trim()) node.textContent = `${t('tokens.mode')} `;
    }
    for (const notifications of root.querySelectorAll('.bts-notifications')) {
      set(notifications, 'role', 'status');
      set(notifications, 'aria-live', 'polite');
    }
  }

  // The package redraws its buttons (a reset removes every context pad): a keyboard user whose
  // focused button went is given the canvas, not the page's start.
  let focusInside = false;
  host.addEventListener('focusin', () => (focusInside = true));
  host.addEventListener('focusout', (event) => {
    if (event.relatedTarget instanceof Node && !host.contains(event.relatedTarget)) focusInside = false;
  });
  // A press elsewhere on the page (even on no control) leaves the simulation: never pull the focus back then.
  const pressedElsewhere = (event: Event) => {
    if (!(event.target instanceof Node && host.contains(event.target))) focusInside = false;
  };
  document.addEventListener('pointerdown', pressedElsewhere, true);
  const observer = new MutationObserver((records) => {
    // The tokens' animation is SVG: only the package's HTML controls need their texts.
    if (records.every((record) => record.target instanceof SVGElement)) return;
    localize(container);
    if (focusInside && (!document.activeElement || document.activeElement === document.body)) canvas.focus();
  });
  localize(container);
  observer.observe(container, { childList: true, subtree: true });

  const toggle = container.querySelector<HTMLElement>('.bts-toggle-mode');
  toggle?.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    toggle.click();
  });

  bus.on(PLAY_EVENT, () => ((paused = false), localize(container)));
  bus.on(PAUSE_EVENT, () => ((paused = true), localize(container)));
  bus.on(RESET_SIMULATION_EVENT, () => ((paused = true), localize(container)));
  bus.on(TOGGLE_MODE_EVENT, (event: { active: boolean }) => {
    if (!event.active) onExit();
  });

  const simulator = viewer.get('simulator');
  const simulation: TokenSimulation = {
    viewer,
    startEvents() {
      return registry
        .filter((e: any) => e.type === 'bpmn:StartEvent' && !/SubProcess$/.test(e.parent?.type ?? ''))
        .map((e: any) => ({ id: e.id, name: nameOf(e.id) }));
    },
    start(id) {
      const element = registry.get(id);
      const subscriptions = element ? simulator.findSubscriptions({ element }) : [];
      const chosen = [...subscriptions].sort((a: any) => (a.event.type === 'none' ? 1 : -1))[0];
      if (chosen) simulator.trigger({ event: chosen.event, scope: chosen.scope });
    },
    pause: () => viewer.get('pauseSimulation').toggle(),
    reset() {
      // As the palette's button does: reset, and say so.
      viewer.get('resetSimulation').resetSimulation();
      viewer.get('notifications').showNotification({ text: t('tokens.resetDone'), type: 'info' });
    },
    toggleLog: () => viewer.get('log').toggle(),
    focus: () => canvas.focus(),
    destroy() {
      observer.disconnect();
      document.removeEventListener('pointerdown', pressedElsewhere, true);
      viewer.destroy();
    },
  };

  // Keys while the simulation has focus (the canvas or one of its controls).
  host.addEventListener('keydown', (event) => simulationKeys(event, simulation, onExit));
  viewer.get('toggleMode').toggleMode(true);
  return simulation;
}

/** The simulation's keys; true when the key was one of them. Space pauses only off buttons (on a button it presses it). */
export function simulationKeys(event: KeyboardEvent, simulation: TokenSimulation, exit: () => void): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey) return false;
  const target = event.target as HTMLElement | null;
  if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return false;
  const onButton = target?.closest('button, [role="button"]');
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (key === 'p' || (key === ' ' && !onButton)) simulation.pause();
  else if (key === 'r') simulation.reset();
  else if (key === 'l') simulation.toggleLog();
  else if (key === 'Escape' || key === 't') exit();
  else return false;
  event.preventDefault();
  event.stopPropagation();
  return true;
}
