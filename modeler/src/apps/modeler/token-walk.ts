/**
 * Walking a procedure token by token (bpmn-js-token-simulation) with the legal clock
 * beside it: the walk starts at a receipt (now), the appointment is the procedure's
 * statutory time from it, and each step a token leaves moves the clock on by the step's
 * own statutory time; a supplement received restarts the procedure's time, so the
 * appointment moves. The working-time arithmetic (the agency's calendar, holidays,
 * swapped days, the cut-off) is the server's: `POST /api/analysis/legal-clock`.
 */
import { legalClock, type StatutoryTimeInput } from '../../shared/api';
import { h, mount } from '../../shared/dom';
import { currentLocale, t } from '../../shared/i18n';

const TOGGLE_MODE_EVENT = 'tokenSimulation.toggleMode';
const RESET_SIMULATION_EVENT = 'tokenSimulation.resetSimulation';
const TRACE_EVENT = 'tokenSimulation.simulator.trace';

type Say = (text: string, kind?: 'info' | 'error' | 'ok') => void;

/** The walk's panel and its toggle. */
export interface TokenWalk {
  element: HTMLElement;
  toggle(): void;
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

/** Creates the walk over `modeler` (whose modules include the token simulation). */
export function createTokenWalk(modeler: any, say: Say): TokenWalk {
  const figures = h('dl', { class: 'legal-clock', 'data-testid': 'legal-clock' });
  const steps = h('ol', { class: 'legal-steps', 'data-testid': 'legal-steps' });
  const element = h(
    'section',
    { class: 'token-walk', 'aria-labelledby': 'token-walk-heading', hidden: true, 'data-testid': 'token-walk' },
    h('h2', { id: 'token-walk-heading' }, t('walk.heading')),
    h('p', { class: 'muted' }, t('walk.hint')),
    h('div', { 'aria-live': 'polite' }, figures, steps),
  );
  let receivedAt = '';
  let clock = '';
  let appointment: string | undefined;
  let moved: string | undefined;
  let agency: string | undefined;
  let procedureTime: StatutoryTimeInput | undefined;
  // The walk's requests run one after another, in the order the tokens move.
  let queue: Promise<void> = Promise.resolve();
  let generation = 0;

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

  const bus = modeler.get('eventBus');
  bus.on(TOGGLE_MODE_EVENT, (event: { active: boolean }) => {
    element.hidden = !event.active;
    if (event.active) start();
    else generation += 1;
  });
  bus.on(RESET_SIMULATION_EVENT, () => !element.hidden && start());
  bus.on(TRACE_EVENT, (event: { action: string; element: any }) => {
    if (event.action === 'exit') passed(event.element);
  });

  return { element, toggle: () => modeler.get('toggleMode').toggleMode() };
}
