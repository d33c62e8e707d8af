/**
 * `motcua users …`: manage the built-in user store from the command line.
 *
 *   motcua users add <username> --role <role>[,<role>…] [--agency <id>] [--groups a,b] [--name "…"] [--password-stdin]
 *   motcua users list [--agency <id>]
 *   motcua users disable <username>
 *   motcua users enable <username>
 *   motcua users set-password <username> [--password-stdin]
 *
 * The password is read from standard input with `--password-stdin` (one line; the
 * final newline is dropped), otherwise from the environment variable
 * `MOTCUA_NEW_PASSWORD`. Never from an argument: command lines are visible to every
 * user of the machine (`ps`) and stay in shell history.
 *
 * Exit codes: 0 done, 1 refused or failed (message on stderr), 2 usage error.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConflictError, InvalidInputError, NotFoundError } from '../../engine/src/index';
import type { Database } from '../../engine/src/store-sequelize/connect';
import { createSequelizeUserStore } from './store-sequelize/sequelize-user-store';
import type { UserRecord } from './store/user-store';
import { addUser } from './auth/auth-service';
import { checkPasswordPolicy, hashPassword } from './auth/passwords';
import { ROLES, type Role } from './auth/principal';

export const USERS_USAGE = `usage: motcua users <command>
  add <username> --role <role>[,<role>…] [--agency <id>] [--groups <g>[,<g>…]] [--name <name>] [--password-stdin]
  list [--agency <id>]
  disable <username>
  enable <username>
  set-password <username> [--password-stdin]
roles: ${ROLES.join(', ')}
The password comes from standard input (--password-stdin) or MOTCUA_NEW_PASSWORD, never from an argument.`;

/** What `runUsersCommand` works with; everything but `db` defaults to the process's own. */
export interface UsersCommandContext {
  /** The migrated database. */
  db: Database;
  /** The new password when not read from standard input (`MOTCUA_NEW_PASSWORD`, read by api/src/config.ts). */
  newPassword?: string;
  /** Environment holding `MOTCUA_NEW_PASSWORD` (tests); `newPassword` wins. */
  env?: NodeJS.ProcessEnv;
  /** Standard input, for `--password-stdin`; default `process.stdin`. */
  stdin?: AsyncIterable<string | Buffer>;
  /** Writes a line of output; default `console.log`. */
  out?: (line: string) => void;
  /** Writes a line of error output; default `console.error`. */
  err?: (line: string) => void;
}

class UsageError extends Error {}

async function readAll(input: AsyncIterable<string | Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function readPassword(passwordStdin: boolean, ctx: UsersCommandContext): Promise<string> {
  if (passwordStdin) {
    const text = await readAll(ctx.stdin ?? process.stdin);
    return text.replace(/\r?\n$/, '');
  }
  const fromEnv = ctx.newPassword ?? ctx.env?.MOTCUA_NEW_PASSWORD;
  if (fromEnv === undefined || fromEnv === '') {
    throw new UsageError('no password given: pipe it in with --password-stdin or set MOTCUA_NEW_PASSWORD');
  }
  return fromEnv;
}

function list(value: string | string[] | undefined): string[] {
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values, positionals };
  } catch (error) {
    const message = (error as Error).message;
    if (/'--password'/.test(message) && !/password-stdin/.test(message)) {
      throw new UsageError('a password is never given as an argument: use --password-stdin or MOTCUA_NEW_PASSWORD');
    }
    throw new UsageError(message);
  }
}

function oneUsername(positionals: string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`${command} takes exactly one username`);
  return positionals[0];
}

function describe(user: UserRecord): string {
  return [
    user.username,
    user.name ?? '-',
    user.roles.join(',') || '-',
    user.agency ?? '-',
    user.groups.join(',') || '-',
    user.disabled ? 'disabled' : 'active',
  ].join('\t');
}

/**
 * Runs `motcua users <args…>` (`args` without the leading `users`) and resolves to the
 * exit code. Prints what it did on `out`, errors on `err`; never prints passwords or hashes.
 *
 * @example
 *   // echo "$PW" | motcua users add lan --role official --agency 000.00.15.H29 --groups desk --name "Nguyễn Thị Lan" --password-stdin
 *   process.exitCode = await runUsersCommand(process.argv.slice(3), { db });
 */
export async function runUsersCommand(args: string[], ctx: UsersCommandContext): Promise<number> {
  const out = ctx.out ?? ((line: string) => console.log(line));
  const err = ctx.err ?? ((line: string) => console.error(line));
  const users = createSequelizeUserStore(ctx.db);
  const [command, ...rest] = args;

  try {
    switch (command) {
      case 'add': {
        const { values, positionals } = parse(rest, {
          role: { type: 'string', multiple: true },
          roles: { type: 'string', multiple: true },
          agency: { type: 'string' },
          groups: { type: 'string', multiple: true },
          name: { type: 'string' },
          'password-stdin': { type: 'boolean' },
        });
        const username = oneUsername(positionals, 'add');
        const roles = [...list(values.role as string[] | undefined), ...list(values.roles as string[] | undefined)];
        if (roles.length === 0) throw new UsageError(`add needs --role (one or more of ${ROLES.join(', ')})`);
        const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
        if (unknown.length > 0) throw new UsageError(`unknown role ${unknown.join(', ')}; known roles: ${ROLES.join(', ')}`);
        const password = await readPassword(values['password-stdin'] === true, ctx);
        const user = await addUser(users, {
          username,
          password,
          roles: roles as Role[],
          agency: values.agency as string | undefined,
          groups: list(values.groups as string[] | undefined),
          name: values.name as string | undefined,
        });
        out(`added ${describe(user)}`);
        return 0;
      }

      case 'list': {
        const { values, positionals } = parse(rest, { agency: { type: 'string' } });
        if (positionals.length > 0) throw new UsageError('list takes no username');
        const found = await users.list({ agency: values.agency as string | undefined });
        out(['username', 'name', 'roles', 'agency', 'groups', 'status'].join('\t'));
        for (const user of found) out(describe(user));
        return 0;
      }

      case 'disable':
      case 'enable': {
        const { positionals } = parse(rest, {});
        const username = oneUsername(positionals, command);
        const user = await users.byUsername(username);
        if (!user) throw new NotFoundError(`no user '${username}'`);
        await users.setDisabled(user.id, command === 'disable');
        out(`${command}d ${user.username}`);
        return 0;
      }

      case 'set-password': {
        const { values, positionals } = parse(rest, { 'password-stdin': { type: 'boolean' } });
        const username = oneUsername(positionals, command);
        const password = await readPassword(values['password-stdin'] === true, ctx);
        const user = await users.byUsername(username);
        if (!user) throw new NotFoundError(`no user '${username}'`);
        checkPasswordPolicy(password);
        await users.setPassword(user.id, await hashPassword(password));
        out(`password of ${user.username} changed`);
        return 0;
      }

      default:
        err(command === undefined ? USERS_USAGE : `unknown users command '${command}'\n${USERS_USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(`motcua users: ${error.message}\n${USERS_USAGE}`);
      return 2;
    }
    if (error instanceof InvalidInputError || error instanceof ConflictError || error instanceof NotFoundError) {
      err(`motcua users: ${error.message}`);
      return 1;
    }
    err(`motcua users: failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
