/**
 * The users a model names on a user task (`assignee`, `candidateUsers`), resolved to user ids
 * when the task is stored.
 *
 * Why: Camunda models name users by username (`assignee="demo"`, `assignee="=initiator"` with the
 * starter's username in a variable), while tasks, inboxes and the authorization rules compare user
 * ids. A name that is the username of a user (any case, as logins are) is stored as that user's
 * id, in the task row and in its history; anything else (an id already, or nobody's name) is kept
 * as written. Only steps that open a task naming users pay for the look-up.
 */
import type { Effect } from '../runtime/effects';

/** Reads `{ id, username }` rows of the users whose lower-case username is in the list. */
export type UserLookup = (lowerNames: string[]) => Promise<Array<{ id: string; username: string }>>;

/** The SQL of a {@link UserLookup}, with the lower-case names as `$1`. */
export const USERS_BY_NAME_SQL = 'SELECT id, username FROM users WHERE lower(username) = ANY($1::text[])';

/**
 * `effects` with the users of opened tasks resolved: the same array when no task names a user,
 * else a copy where those tasks are copies (the runtime's effects are not changed).
 */
export async function withResolvedTaskUsers(effects: Effect[], lookup: UserLookup): Promise<Effect[]> {
  const names = new Set<string>();
  for (const effect of effects) {
    for (const name of namesOf(effect)) names.add(name.toLowerCase());
  }
  if (names.size === 0) return effects;
  const ids = new Map<string, string>();
  for (const row of await lookup([...names])) ids.set(row.username.toLowerCase(), row.id);
  if (ids.size === 0) return effects;
  const resolve = (name: string) => ids.get(name.toLowerCase()) ?? name;
  return effects.map((effect) => {
    if (namesOf(effect).length === 0) return effect;
    switch (effect.type) {
      case 'taskOpened': {
        const task = { ...effect.task, candidateUsers: effect.task.candidateUsers.map(resolve) };
        if (effect.task.assignee) task.assignee = resolve(effect.task.assignee);
        return { ...effect, task };
      }
      // A task listener's corrections name users by username too (Camunda's workers do).
      case 'taskAssigned':
      case 'taskClaimed':
        return { ...effect, assignee: resolve(effect.assignee) };
      case 'taskUpdated': {
        const changes = { ...effect.changes };
        if (changes.assignee) changes.assignee = resolve(changes.assignee);
        if (changes.candidateUsers) changes.candidateUsers = changes.candidateUsers.map(resolve);
        return { ...effect, changes };
      }
      default:
        return effect;
    }
  });
}

/** The user names an effect gives a task. */
function namesOf(effect: Effect): string[] {
  switch (effect.type) {
    case 'taskOpened':
      return [...(effect.task.assignee ? [effect.task.assignee] : []), ...effect.task.candidateUsers];
    case 'taskAssigned':
    case 'taskClaimed':
      return [effect.assignee];
    case 'taskUpdated':
      return [...(effect.changes.assignee ? [effect.changes.assignee] : []), ...(effect.changes.candidateUsers ?? [])];
    default:
      return [];
  }
}
