/**
 * Walking a procedure token by token (bpmn-js-token-simulation) with the legal clock
 * beside it: the walk starts at a receipt (now), the appointment is the procedure's
 * statutory time from it, and each step a token leaves moves the clock on by the step's
 * own statutory time; a supplement received restarts the procedure's time, so the
 * appointment moves. The working-time arithmetic (the agency's calendar, holidays,
 * swapped days, the cut-off) is the server's: `POST /api/analysis/legal-clock`.
 *
 * The simulation itself (bpmn-js-token-simulation) is drawn over the editor's canvas by
 * token-simulation.ts, loaded on the first walk; while it runs, the editor's canvas and its
 * properties panel are inert. Everything works from the keyboard: the toolbar's toggle (a
 * pressed button while walking), the panel's buttons (let a dossier in at a start event,
 * pause/resume, reset), the simulation's own named controls, and keys while the simulation
 * or this panel has focus (P pause/resume, R reset, L log, Esc leave).
 */
import { legalClock, type StatutoryTimeInput } from '../../shared/api';
import { h, mount } from '../../shared/dom';
import { currentLocale, t } from '../../shared/i18n';
import type { TokenSimulation } from './token-simulation';

// The simulation's events (token-simulation.ts, a chunk loaded on the first walk).
const RESET_SIMULATION_EVENT = 'tokenSimulation.resetSimulation';
const TRACE_EVENT = 'tokenSimulation.simulator.trace';

type Say = (text: string, kind?: 'info' | 'error' | 'ok') => void;

/** The walk's panel, its toolbar toggle, and the editor's hooks. */
export interface TokenWalk {
  element: HTMLElement;
  button: HTMLButtonElement;
  toggle(): Promise<void>;
  /** Leaves the walk (before the diagram is replaced). */
  close(): void;
}

interface Facts {
  agency?: string;
  time?: StatutoryTimeInput;
  status?: string;
}

function factsOf(bo: any): Facts {
  const facts = bo?.extensionElements?.values?.find((v: any) => v.$type === 'motcua:Facts');
  if (!facts) return {};
  const amount = facts.statutoryTime === undefined ? undefined : Number(facts.statutoryTime);
  return {
    agency: facts.agency || undefined,
    status: facts.dossierStatus || undefined,
    time: amount === undefined || Number.isNaN(amount) ? undefined : { amount, unit: facts.timeUnit || 'workingDays', ...(facts.cutoff ? { cutoff: facts.cutoff } : {}) },
  };
}

const formatMoment = (iso: string) =>
  new Date(iso).toLocaleString(currentLocale() === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh', weekday: 'short', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/**
 * Creates the walk over `modeler`: the simulation is drawn over `canvasHost` (the editor's
 * canvas element); `inertWhileWalking` (the properties panel) cannot be used meanwhile.
 */
export function createTokenWalk(modeler: any, canvasHost: HTMLElement, inertWhileWalking: HTMLElement[], say: Say): TokenWalk {
  const figures = h('dl', { class: 'legal-clock', 'data-testid': 'legal-clock' });
  const steps = h('ol', { class: 'legal-steps', 'data-testid': 'legal-steps' });
  const starts = h('div', { class: 'token-walk-starts', role: 'group', 'aria-label': t('walk.startsLabel') });
  // Pause and reset mean something once a dossier walks (as the simulation's own palette).
  const pauseButton = h('button', { type: 'button', 'data-testid': 'walk-pause', 'aria-keyshortcuts': 'P', disabled: true, onclick: () => simulation?.pause() }, t('tokens.pause'));
  const resetButton = h('button', { type: 'button', 'data-testid': 'walk-reset', 'aria-keyshortcuts': 'R', disabled: true, onclick: () => simulation?.reset() }, t('tokens.reset'));
  const walking = (on: boolean) => {
    pauseButton.disabled = resetButton.disabled = !on;
    if (!on) pauseButton.textContent = t('tokens.pause');
  };
  const button = h('button', { type: 'button', 'data-testid': 'token-walk-toggle', 'aria-pressed': 'false', onclick: () => void toggle() }, t('editor.tokenWalk'));
  const element = h(
    'section',
    { class: 'token-walk', 'aria-labelledby': 'token-walk-heading', hidden: true, 'data-testid': 'token-walk' },
    h('h2', { id: 'token-walk-heading', tabindex: -1 }, t('walk.heading')),
    h('p', { class: 'muted', id: 'token-walk-hint' }, t('walk.hint')),
    h('div', { class: 'token-walk-controls' }, starts, h('div', { class: 'token-walk-buttons', role: 'group', 'aria-label': t('walk.controlsLabel') }, pauseButton, resetButton)),
    h('div', { 'aria-live': 'polite' }, figures, steps),
  );
  element.addEventListener('keydown', (event) => {
    if (simulation && keys) keys(event, simulation, close);
  });
  let receivedAt = '';
  let clock = '';
  let appointment: string | undefined;
  let moved: string | undefined;
  let agency: string | undefined;
  let procedureTime: StatutoryTimeInput | undefined;
  // The walk's requests run one after another, in the order the tokens move.
  let queue: Promise<void> = Promise.resolve();
  let generation = 0;
  let simulation: TokenSimulation | undefined;
  let keys: ((event: KeyboardEvent, simulation: TokenSimulation, exit: () => void) => boolean) | undefined;
  let host: HTMLElement | undefined;
  let opening = false;
  function process(): any {
    const roots = modeler.getDefinitions?.()?.rootElements ?? [];
    return roots.find((e: any) => e.$type === 'bpmn:Process' && e.isExecutable !== false) ?? roots.find((e: any) => e.$type === 'bpmn:Process');
  }

  function render(): void {
    const row = (key: string, label: string, value: string) => [h('dt', {}, label), h('dd', { 'data-figure': key }, value)];
    mount(
      figures,
      ...row('received', t('walk.received'), formatMoment(receivedAt)),
      ...row('appointment', t('walk.appointment'), appointment ? formatMoment(appointment) : procedureTime ? '…' : t('walk.noStatutoryTime')),
      ...(moved ? row('moved', t('walk.moved'), formatMoment(moved)) : []),
      ...row('clock', t('walk.clock'), formatMoment(clock)),
    );
    figures.dataset.late = String(Boolean(appointment && clock > appointment));
  }

  function start(): void {
    generation += 1;
    const bo = process();
    const facts = factsOf(bo);
    agency = facts.agency;
    procedureTime = facts.time;
    receivedAt = clock = new Date().toISOString();
    appointment = moved = undefined;
    mount(steps);
    render();
    enqueue(async () => {
      if (procedureTime) appointment = (await legalClock(receivedAt, [procedureTime], agency))[0];
    });
  }

  function enqueue(work: () => Promise<void>): void {
    const mine = generation;
    queue = queue
      .then(() => (mine === generation ? work() : undefined))
      .then(
        () => {
          if (mine === generation) render();
        },
        (error: Error) => say(t('walk.failed', { detail: error.message }), 'error'),
      );
  }

  function passed(shape: any): void {
    const bo = shape?.businessObject ?? shape;
    const facts = factsOf(bo);
    const stepAgency = facts.agency ?? agency;
    if (facts.time && bo.$type !== 'bpmn:Process' && !/Event$/.test(bo.$type)) {
      enqueue(async () => {
        const [due] = await legalClock(clock, [facts.time!], stepAgency);
        clock = due;
        steps.append(h('li', { 'data-step': bo.id }, `${bo.name || bo.id}: ${t('walk.stepDue', { amount: facts.time!.amount.toLocaleString(currentLocale() === 'vi' ? 'vi-VN' : 'en-GB'), unit: t(`walk.unit.${facts.time!.unit}` as never) || facts.time!.unit, due: formatMoment(due) })}`));
      });
    }
    // A supplement received: the procedure's time counts anew from it (Decree 118/2025 art. 19(5)).
    if (facts.status === 'supplemented' && procedureTime) {
      enqueue(async () => {
        const [next] = await legalClock(clock, [procedureTime!], agency);
        moved = appointment;
        appointment = next;
        steps.append(h('li', { 'data-step': bo.id, class: 'moved' }, t('walk.restarted', { due: formatMoment(next) })));
      });
    }
  }

  async function open(): Promise<void> {
    if (simulation || opening) return;
    opening = true;
    const mine = ++generation;
    button.setAttribute('aria-pressed', 'true');
    element.hidden = false;
    host = h('div', { class: 'token-simulation-canvas', 'data-testid': 'token-simulation', role: 'region', 'aria-label': t('tokens.region'), 'aria-describedby': 'token-walk-hint' });
    canvasHost.append(host);
    const editorCanvas = canvasHost.querySelector<HTMLElement>('.bjs-container');
    for (const node of [editorCanvas, ...inertWhileWalking]) if (node) node.inert = true;
    say(t('walk.loading'));
    try {
      const chunk = await import('./token-simulation');
      if (mine !== generation) return;
      keys = chunk.simulationKeys;
      simulation = await chunk.openTokenSimulation(host, modeler.getDefinitions(), modeler.get('canvas').viewbox(), close);
      if (mine !== generation) return simulation.destroy();
      const bus = simulation.viewer.get('eventBus');
      bus.on(RESET_SIMULATION_EVENT, () => (walking(false), start()));
      bus.on('tokenSimulation.simulator.createScope', () => walking(true));
      bus.on(TRACE_EVENT, (event: { action: string; element: any }) => {
        if (event.action === 'exit') passed(event.element);
      });
      bus.on('tokenSimulation.playSimulation', () => (pauseButton.textContent = t('tokens.pause')));
      bus.on('tokenSimulation.pauseSimulation', () => (pauseButton.textContent = t('tokens.resume')));
      mount(starts, ...simulation.startEvents().map((e) => h('button', { type: 'button', class: 'primary', 'data-testid': `walk-start-${e.id}`, onclick: () => simulation?.start(e.id) }, t('walk.startAt', { name: e.name }))));
      start();
      say(t('walk.opened'));
      simulation.focus();
    } catch (error) {
      say(t('walk.failed', { detail: (error as Error).message }), 'error');
      close();
    } finally {
      opening = false;
    }
  }

  function close(): void {
    if (element.hidden) return;
    generation += 1;
    const hadFocus = host?.contains(document.activeElement) || element.contains(document.activeElement);
    const closing = simulation;
    simulation = undefined;
    // Not from within the simulation's own event: its viewer goes once the event is done.
    if (closing) queueMicrotask(() => closing.destroy());
    host?.remove();
    host = undefined;
    for (const node of [canvasHost.querySelector<HTMLElement>('.bjs-container'), ...inertWhileWalking]) if (node) node.inert = false;
    element.hidden = true;
    button.setAttribute('aria-pressed', 'false');
    mount(starts);
    walking(false);
    say(t('walk.closed'));
    if (hadFocus) button.focus();
  }

  async function toggle(): Promise<void> {
    if (simulation || opening) close();
    else await open();
  }

  return { element, button, toggle, close };
}
