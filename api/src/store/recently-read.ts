/**
 * The users and service accounts a request's token names, remembered for a short time: verifying
 * a token then costs no read of its user. A change made in this process (a disabling, a password,
 * a revocation) forgets the entry at once; one made by another process is seen within the time
 * to live (`MOTCUA_AUTH_CACHE_MS`). Decorators over the ports, wired by the composition root.
 */
import type { ServiceAccountStore } from '../auth/service-accounts';
import type { ApiStore, FormRecord } from './api-store';
import type { UserStore } from './user-store';

/** Values by key for `ttlMs` of the clock; bounded (oldest out first); a failed read is not kept. */
export class RecentReads<T> {
  private readonly entries = new Map<string, { until: number; value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly max = 10_000,
  ) {}

  get(key: string, read: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return read();
    const at = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > at) return hit.value;
    const value = read();
    this.entries.delete(key);
    this.entries.set(key, { until: at + this.ttlMs, value });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
    value.catch(() => this.entries.delete(key));
    return value;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}

/** `users` whose `byId` is remembered for `ttlMs`; every change through it forgets the user. */
export function recentlyReadUsers(users: UserStore, ttlMs: number, now: () => number): UserStore {
  const recent = new RecentReads<Awaited<ReturnType<UserStore['byId']>>>(ttlMs, now);
  return {
    create: (user) => users.create(user),
    byUsername: (username) => users.byUsername(username),
    byId: (id) => recent.get(id, () => users.byId(id)),
    refresh(id) {
      recent.forget(id);
      return recent.get(id, () => users.byId(id));
    },
    list: (filter) => users.list(filter),
    async setPassword(id, passwordHash) {
      recent.forget(id);
      try {
        await users.setPassword(id, passwordHash);
      } finally {
        recent.forget(id);
      }
    },
    async setDisabled(id, disabled) {
      recent.forget(id);
      try {
        await users.setDisabled(id, disabled);
      } finally {
        recent.forget(id);
      }
    },
  };
}

/** `accounts` whose `byId` is remembered for `ttlMs`; a revocation through it forgets the account. */
export function recentlyReadServiceAccounts(accounts: ServiceAccountStore, ttlMs: number, now: () => number): ServiceAccountStore {
  const recent = new RecentReads<Awaited<ReturnType<ServiceAccountStore['byId']>>>(ttlMs, now);
  return {
    create: (account) => accounts.create(account),
    byId: (id) => recent.get(id, () => accounts.byId(id)),
    list: (filter) => accounts.list(filter),
    async revoke(id, options) {
      recent.forget(id);
      try {
        return await accounts.revoke(id, options);
      } finally {
        recent.forget(id);
      }
    },
  };
}

/**
 * `api` whose `formOfDefinition` is remembered: a deployment's forms never change after the
 * deploy, and the form a definition resolves to is fixed by its deployment, so a task's form is
 * read once per process (bounded, oldest out first); an absent form is read again.
 */
export function rememberedForms(api: ApiStore, max = 10_000): ApiStore {
  const forms = new Map<string, Promise<FormRecord | undefined>>();
  const settled = new Map<string, FormRecord>();
  return {
    ...api,
    formOfDefinition(definitionId, formKey) {
      const key = `${definitionId}\u0000${formKey}`;
      const hit = forms.get(key);
      if (hit) return hit;
      const read = api.formOfDefinition(definitionId, formKey);
      forms.set(key, read);
      if (forms.size > max) {
        const oldest = forms.keys().next().value as string;
        forms.delete(oldest);
        settled.delete(oldest);
      }
      read.then(
        (form) => (form && forms.get(key) === read ? settled.set(key, form) : forms.delete(key)),
        () => forms.delete(key),
      );
      return read;
    },
    rememberedFormOf(definitionId, formKey) {
      const form = settled.get(`${definitionId}\u0000${formKey}`);
      return form && { form };
    },
  };
}
