/**
 * `motcua service-account …`: the service accounts (OAuth clients) of external job
 * workers, from the command line, as an agency admin does it through the API.
 *
 *   motcua service-account create --agency <id> --name <name>   prints the client id and, once, the secret
 *   motcua service-account list [--agency <id>]
 *   motcua service-account revoke <clientId>                    its tokens are refused at once
 *
 * Exit codes: 0 done, 1 refused or failed (message on stderr), 2 usage error.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InvalidInputError, NotFoundError } from '../../engine/src/index';
import type { Database } from '../../engine/src/store-sequelize/connect';
import { issueServiceAccount, revokeServiceAccount, type ServiceAccountRecord } from './auth/service-accounts';
import { createSequelizeServiceAccountStore } from './store-sequelize/sequelize-service-account-store';

export const SERVICE_ACCOUNT_USAGE = `usage: motcua service-account <command>
  create --agency <id> --name <name>   issue a client id and secret for a job worker (the secret is printed once)
  list [--agency <id>]
  revoke <clientId>`;

export interface ServiceAccountCommandContext {
  /** The migrated database. */
  db: Database;
  /** Writes a line of output; default `console.log`. */
  out?: (line: string) => void;
  /** Writes a line of error output; default `console.error`. */
  err?: (line: string) => void;
  now?: () => number;
}

class UsageError extends Error {}

function describe(account: ServiceAccountRecord): string {
  return [account.id, account.name, account.agency, new Date(account.createdAt).toISOString(), account.revokedAt === undefined ? 'active' : `revoked ${new Date(account.revokedAt).toISOString()}`].join('\t');
}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * Runs `motcua service-account <args…>` and resolves to the exit code; never prints a
 * secret's hash, and the secret only when it is issued.
 *
 * @example
 *   process.exitCode = await runServiceAccountCommand(['create', '--agency', '000.00.15.H29', '--name', 'land-registry'], { db });
 */
export async function runServiceAccountCommand(args: string[], ctx: ServiceAccountCommandContext): Promise<number> {
  const out = ctx.out ?? ((line: string) => console.log(line));
  const err = ctx.err ?? ((line: string) => console.error(line));
  const now = ctx.now ?? Date.now;
  const store = createSequelizeServiceAccountStore(ctx.db);
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'create': {
        const { values, positionals } = parse(rest, { agency: { type: 'string' }, name: { type: 'string' } });
        if (positionals.length > 0) throw new UsageError('create takes no positional argument');
        if (!values.agency) throw new UsageError('create needs --agency <id> (the agency whose jobs the worker takes)');
        if (!values.name) throw new UsageError('create needs --name <name>');
        const { account, clientSecret } = await issueServiceAccount(store, { name: values.name as string, agency: values.agency as string, createdBy: 'cli', now: now() });
        out(`created ${describe(account)}`);
        out(`client id:     ${account.id}`);
        out(`client secret: ${clientSecret}`);
        out('(the secret is shown this once; exchange both at POST /api/oauth/token with grant_type=client_credentials)');
        return 0;
      }
      case 'list': {
        const { values, positionals } = parse(rest, { agency: { type: 'string' } });
        if (positionals.length > 0) throw new UsageError('list takes no positional argument');
        out(['clientId', 'name', 'agency', 'created', 'status'].join('\t'));
        for (const account of await store.list({ agency: values.agency as string | undefined })) out(describe(account));
        return 0;
      }
      case 'revoke': {
        const { positionals } = parse(rest, {});
        if (positionals.length !== 1) throw new UsageError('revoke takes exactly one client id');
        const account = await revokeServiceAccount(store, positionals[0], { at: now(), by: 'cli' });
        out(`revoked ${describe(account)}`);
        return 0;
      }
      default:
        err(command === undefined ? SERVICE_ACCOUNT_USAGE : `unknown service-account command '${command}'\n${SERVICE_ACCOUNT_USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(`motcua service-account: ${error.message}\n${SERVICE_ACCOUNT_USAGE}`);
      return 2;
    }
    if (error instanceof InvalidInputError || error instanceof NotFoundError) {
      err(`motcua service-account: ${error.message}`);
      return 1;
    }
    err(`motcua service-account: failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
