import { createBotRuntime } from '../../src/channels/bot-runtime';
import type { Engine } from '../../src/engine';

/** An engine whose matching fails (a bug, a broken edit): only what the runtime does with the throw matters here. */
const failingEngine = {
  version: 'v1',
  respond: () => {
    throw new Error('matcher failed');
  },
} as unknown as Engine;

describe('the bot runtime', () => {
  it('lets a turn meet a failed early understanding, and does not leave it unhandled when no turn does', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const runtime = createBotRuntime(() => failingEngine);
      // A retried message's turn never looks at its early reply.
      runtime.understand('hola', 'es');
      const used = runtime.understand('¿cuánto cuesta el envío?', 'es');
      await expect(runtime.turn({ kind: 'message', conversationId: 'c1', lang: 'es', text: '¿cuánto cuesta el envío?', understood: used })).rejects.toThrow('matcher failed');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
