/**
 * Administering the working calendars: list, read and replace a year's schedule
 * and an agency's own hours. A replacement is validated, put in force in this
 * process and stored with a change record; then (setting `MOTCUA_RECOMPUTE_DUE_DATES`)
 * the open tasks due by their share of the statutory time get due dates counted
 * on the new data by the rule that set them, instance by instance, each a
 * `rescheduleTasks` step of its instance (history, audit trail, inboxes): a
 * dossier's steps on its legal clock (restart or pause after a supplement), an
 * instance's without a dossier from their opening, and never after the
 * appointment. Appointments never move (the dossier's printed on its receipt, the
 * process's `appointmentAt`): a step the new data would push past one is due at
 * it. Timers already scheduled keep their moment.
 */
import { type CalendarChange, type CalendarDataStore, type Engine, type InstanceRecord, instanceAppointment, InvalidInputError, type StoreTransaction } from '../../../engine/src/index';
import { CalendarRegistry, ClockDataError, type AgencyCalendarOptions, type VnYearData, type YearSummary } from '../../../onestop/src/clocks';
import { openStepsOf } from '../../../onestop/src/dossiers/dossier-service';
import { openingShareDueDates, type OpenStep, type StepDueDate } from '../../../onestop/src/dossiers/step-due-dates';

/**
 * The due dates of an instance's open steps on a layer's own clock (the dossier layer's
 * `stepDueDatesOnCalendar`), in the transaction of the instance's `rescheduleTasks`, the
 * instance and `tasks` locked; undefined for an instance the layer does not run.
 */
export type StepDueDateRule = (tx: StoreTransaction, instance: InstanceRecord, tasks: readonly OpenStep[]) => Promise<StepDueDate[] | undefined>;

/** Options of {@link CalendarService.open}. */
export interface CalendarServiceOptions {
  /** Where the calendar data is kept. */
  store: CalendarDataStore;
  now: () => number;
  /** Recompute open tasks' due dates on a change (default true). */
  recomputeDueDates?: boolean;
  /** The registry (default: the bundled data); stored rows are loaded into it. */
  registry?: CalendarRegistry;
}

/** The calendar data of this process, its storage and its change record. */
export class CalendarService {
  private stepRule?: StepDueDateRule;

  private constructor(
    readonly registry: CalendarRegistry,
    private readonly options: CalendarServiceOptions,
  ) {}

  /** Loads the stored years and agencies over the bundled data; a stored row that no longer validates stops start-up, naming it. */
  static async open(options: CalendarServiceOptions): Promise<CalendarService> {
    const registry = options.registry ?? new CalendarRegistry();
    const years = [...(await options.store.data('year')).entries()].sort(([a], [b]) => Number(a) - Number(b));
    for (const [key, data] of years) registry.replaceYear(data, `stored year ${key}`);
    for (const [agency, data] of await options.store.data('agency')) registry.replaceAgency(agency, data);
    return new CalendarService(registry, options);
  }

  /**
   * Counts the open steps of the instances a layer runs by its rule (the dossier layer's legal
   * clock); the others keep the engine's. Returns a function that removes it.
   */
  useStepRule(rule: StepDueDateRule): () => void {
    this.stepRule = rule;
    return () => {
      if (this.stepRule === rule) this.stepRule = undefined;
    };
  }

  /** The years known, in order. */
  years(): YearSummary[] {
    return this.registry.years();
  }

  /** One year's schedule, or undefined. */
  year(year: number): VnYearData | undefined {
    return this.registry.year(year);
  }

  /** An agency's own hours ({} when it keeps the legal ones). */
  agency(agency: string): AgencyCalendarOptions {
    return this.registry.agencyOptions()[agency] ?? {};
  }

  /** The recorded changes, newest first. */
  changes(limit?: number): Promise<CalendarChange[]> {
    return this.options.store.changes(limit);
  }

  /**
   * Replaces (or adds, right after the last) a year's schedule. Throws
   * InvalidInputError naming the field when the data is bad; nothing changes then.
   */
  async replaceYear(engine: Engine, year: number, data: unknown, actor?: string): Promise<CalendarChange> {
    const before = this.registry.year(year);
    const given = (data as { year?: unknown } | null)?.year;
    if (given !== year) throw new InvalidInputError(`the schedule's /year is ${JSON.stringify(given)}, but it is loaded as ${year}`, { field: 'body.year' });
    const replaced = invalidInput(() => this.registry.replaceYear(data, `year ${year}`));
    return this.store(engine, { kind: 'year', key: String(year), data: replaced, before, actor }, () => {
      if (before) this.registry.replaceYear(before, `year ${year}`);
    });
  }

  /** Replaces an agency's own hours (`{}`: the legal ones). Throws InvalidInputError naming the field. */
  async replaceAgency(engine: Engine, agency: string, options: unknown, actor?: string): Promise<CalendarChange> {
    const before = this.registry.agencyOptions()[agency];
    const replaced = invalidInput(() => this.registry.replaceAgency(agency, options));
    return this.store(engine, { kind: 'agency', key: agency, data: replaced, before, actor }, () => this.registry.replaceAgency(agency, before ?? {}));
  }

  /**
   * Stores the change (the registry already holds it; `undo` puts it back when that fails),
   * then moves the open tasks' due dates instance by instance and records how many moved.
   */
  private async store(engine: Engine, change: { kind: 'year' | 'agency'; key: string; data: unknown; before: unknown; actor?: string }, undo: () => void): Promise<CalendarChange> {
    let recorded: CalendarChange;
    try {
      recorded = await this.options.store.replace({ ...change, at: this.options.now() });
    } catch (error) {
      undo();
      throw error;
    }
    if (this.options.recomputeDueDates === false) return recorded;
    let moved = 0;
    try {
      for (const instanceId of await this.options.store.instancesWithOpenDueDates()) moved += await this.reschedule(engine, instanceId, change.actor);
    } finally {
      // What moved is recorded also when an instance failed (the change stands: running it again moves the rest).
      if (moved > 0) await this.options.store.recordRecomputed(recorded.id, moved);
    }
    return { ...recorded, recomputedTasks: moved };
  }

  /** Moves an instance's open steps to the due dates counted on the data in force, as one step of it; resolves with how many moved. */
  private reschedule(engine: Engine, instanceId: string, actor?: string): Promise<number> {
    return engine.rescheduleTasks(instanceId, {
      actor,
      within: async (tx, instance) => {
        if (instance?.status !== 'active') return { result: 0 };
        const tasks = await openStepsOf(tx, instance, true);
        if (tasks.length === 0) return { result: 0 };
        const moved = (await this.stepRule?.(tx, instance, tasks)) ?? openingShareDueDates({ graph: await engine.graph(instance.definitionId), calendars: this.registry.provider, tasks, appointmentAt: instanceAppointment(instance.state) });
        return { result: moved.length, tasks: moved };
      },
    });
  }
}

function invalidInput<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ClockDataError) {
      const field = error.details.field ?? '';
      throw new InvalidInputError(error.message, { field: field.startsWith('/') ? `body${field.replace(/\//g, '.')}` : field === '(root)' || field === '' ? 'body' : `body.${field}` });
    }
    throw error;
  }
}
