/**
 * The inbox's live line to the server (socket.io, api/src/push): every task event this
 * official may see (created, claimed, completed, updated, overdue, follow-up) tells the page to read
 * its list again. The server checks who sees what, so the page never decides from an event's
 * payload; it only learns that something changed, and which task. The last event id goes
 * back on every reconnection, so nothing that happened while the line was down is missed;
 * `resync` (too far behind to replay) reads the list again too.
 */
import { io, type Socket } from 'socket.io-client';
import { token } from '../../shared/api';

/** The line's state, as the page shows it. */
export type LiveState = 'connecting' | 'on' | 'off';

const TASK_EVENTS = ['task.created', 'task.claimed', 'task.completed', 'task.updated', 'task.overdue', 'task.followUp'] as const;

/**
 * Opens the line; `changed(taskId)` runs once per event (taskId absent after a resync),
 * `state` on every change of the line. Returns the function that closes it.
 */
export function openInboxLive(handlers: { changed: (taskId?: string) => void; state: (state: LiveState) => void }): () => void {
  let lastEventId: string | undefined;
  handlers.state('connecting');
  const socket: Socket = io({
    transports: ['websocket'],
    auth: (cb) => cb({ token: token(), ...(lastEventId ? { lastEventId } : {}) }),
  });
  for (const name of TASK_EVENTS) {
    socket.on(name, (event: { id?: string; task?: { id?: string }; taskId?: string }) => {
      if (event.id) lastEventId = event.id;
      handlers.changed(event.task?.id ?? event.taskId);
    });
  }
  socket.on('ready', (ready: { lastEventId?: string }) => {
    if (ready.lastEventId) lastEventId = ready.lastEventId;
    handlers.state('on');
  });
  socket.on('resync', (resync: { lastEventId?: string }) => {
    if (resync.lastEventId) lastEventId = resync.lastEventId;
    handlers.changed();
  });
  socket.on('disconnect', () => handlers.state('off'));
  socket.on('connect_error', () => handlers.state('off'));
  return () => {
    socket.removeAllListeners();
    socket.close();
  };
}
