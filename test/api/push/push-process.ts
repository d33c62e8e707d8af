/**
 * A second API process for the multi-process push tests: an engine and a push
 * gateway on the PostgreSQL schema the test gives it, driven over stdin/stdout
 * with one JSON object a line. Started by `push-processes.ts` (TypeScript is
 * transpiled on the fly: no build step).
 *
 * Environment: PUSH_DB_URL, PUSH_DB_SCHEMA, PUSH_ADAPTER ('postgres' | 'redis'),
 * PUSH_REDIS_URL, PUSH_POLL_MS.
 * Commands: {"cmd":"start","processId","elementId"} → {"started":{instanceId,taskId}};
 * {"cmd":"complete","taskId"} → {"completed":taskId}; {"cmd":"scan"} → {"scanned":n};
 * {"cmd":"servers"} → {"servers":n}; {"cmd":"exit"}. Errors: {"error":message}.
 */
import { createInterface } from 'node:readline';
import { openDatabase } from '../../../engine/src/store-sequelize/connect';
import type { PushAdapterKind } from '../../../api/src/push';
import { contextOver, openTask, startPush } from './push-support';

async function main(): Promise<void> {
  const db = await openDatabase({ url: process.env.PUSH_DB_URL!, schema: process.env.PUSH_DB_SCHEMA!, poolMax: 4 });
  const ctx = contextOver(db);
  const running = await startPush(ctx, {
    adapter: process.env.PUSH_ADAPTER as PushAdapterKind,
    redisUrl: process.env.PUSH_REDIS_URL,
    pollMs: Number(process.env.PUSH_POLL_MS ?? 2000),
  });
  const say = (message: unknown): void => {
    process.stdout.write(`${JSON.stringify(message)}\n`);
  };
  say({ ready: true, url: running.url });

  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === '') continue;
    try {
      const command = JSON.parse(line) as { cmd: string; processId?: string; elementId?: string; taskId?: string };
      switch (command.cmd) {
        case 'start': {
          const { instanceId } = await ctx.engine.startInstance({ processId: command.processId!, actor: 'process-a' });
          const task = command.elementId ? await openTask(ctx, instanceId, command.elementId) : undefined;
          say({ started: { instanceId, taskId: task?.id } });
          break;
        }
        case 'complete':
          await ctx.engine.completeTask(command.taskId!, { actor: 'process-a' });
          say({ completed: command.taskId });
          break;
        case 'scan':
          say({ scanned: await running.push.scanOverdue() });
          break;
        case 'servers':
          say({ servers: await running.push.io.of('/').adapter.serverCount() });
          break;
        case 'exit':
          await running.close();
          await db.close();
          say({ exited: true });
          process.exit(0);
          break;
        default:
          say({ error: `unknown command ${command.cmd}` });
      }
    } catch (error) {
      say({ error: (error as Error).message });
    }
  }
}

main().catch((error) => {
  process.stderr.write(`push-process: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
