import { parentPort } from 'node:worker_threads';
import { createEngine, type Engine } from './engine';
import type { ThreadRequest, ThreadResponse } from './thread-protocol';
import type { Reply, TurnReply } from './types';

/**
 * The engine thread (src/engine/thread.ts): builds the same engine as the event loop from the same
 * knowledge base, and answers batches of messages with it.
 */
if (!parentPort) throw new Error('src/engine/worker.ts runs as a worker thread only');
const port = parentPort;
let engine: Engine | null = null;

port.on('message', (request: ThreadRequest) => {
  if (request.type === 'build') {
    engine = createEngine(request.knowledge, request.options);
    return reply({ type: 'built', version: engine.version });
  }
  const current = engine;
  if (!current) return;
  reply({ type: 'replies', version: current.version, replies: request.messages.map(({ text, context }) => forTurn(current.respond(text, context))) });
});

/** Copying the candidates and the explanation back cost the event loop more than matching saved it. */
function forTurn({ candidates: _candidates, explanation: _explanation, ...reply }: Reply): TurnReply {
  return reply;
}

function reply(response: ThreadResponse): void {
  port.postMessage(response);
}
