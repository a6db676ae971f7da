import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../observability';
import type { Engine, EngineOptions } from './engine';
import type { ThreadRequest, ThreadResponse } from './thread-protocol';
import type { RespondContext, TurnReply } from './types';

/**
 * Understanding a message is the largest pure-CPU part of a turn that does not touch the store (about
 * 18 µs per message on the default content, 0.12 ms on 10,000 FAQs). The engine thread does it beside the
 * event loop, which then only hands the text over and takes the reply back (about 3 µs in a batch): the
 * two cores of a small machine both answer shoppers. The thread builds its own engine from the event
 * loop's knowledge base; until it has built the live version (at start-up, after an editor's change,
 * after a crash) the event loop's engine answers, so the replies are the same either way and never wait
 * for a build.
 */
export interface EngineThread {
  /** The engine's reply to `text`, computed on the thread when it runs `engine`'s version. */
  respond(engine: Engine, text: string, context: RespondContext): Promise<TurnReply>;
  /** Has the thread build `engine`'s version now (at start-up) rather than at the first message. */
  prepare(engine: Engine): void;
  close(): Promise<void>;
}

interface Pending {
  engine: Engine;
  text: string;
  context: RespondContext;
  resolve: (reply: TurnReply) => void;
  reject: (error: unknown) => void;
}

/**
 * After a crash, the thread is started again after this long; the event loop answers meanwhile. A thread
 * that ended before building anything (its script missing or broken) is not restarted.
 */
const RESTART_DELAY_MS = 1000;

export function startEngineThread(options: EngineOptions, log: Logger): EngineThread {
  let worker: Worker | null = null;
  /** The version the thread runs, and the one it is building. */
  let built: string | null = null;
  let building: string | null = null;
  /**
   * Asked for while the thread works on the batch in flight; sent as one batch when that one comes back.
   * An idle thread gets a message at once (at the end of the tick): low latency when quiet, large
   * batches (few hand-overs) under load.
   */
  let batch: Pending[] = [];
  let flushing = false;
  /** The batch sent (at most one), answered in order. */
  const inFlight: Pending[][] = [];
  let closed = false;

  const answerHere = (pending: Pending[]) => {
    for (const { engine, text, context, resolve, reject } of pending) {
      try {
        resolve(engine.respond(text, context));
      } catch (error) {
        reject(error);
      }
    }
  };

  const start = () => {
    built = null;
    building = null;
    const current = spawn();
    worker = current;
    let workedOnce = false;
    current.on('message', (response: ThreadResponse) => {
      if (response.type === 'built') {
        built = response.version;
        workedOnce = true;
        return;
      }
      const pending = inFlight.shift() ?? [];
      pending.forEach((request, i) => {
        const reply = response.replies[i];
        // Built from another version than the asker's (an edit went live in between): answer with the asker's.
        if (reply && response.version === request.engine.version) request.resolve(reply);
        else answerHere([request]);
      });
      if (batch.length > 0) flush();
    });
    current.on('error', (error) => log.error({ err: error }, 'engine thread failed; the event loop answers until it restarts'));
    current.on('exit', () => {
      if (worker !== current) return;
      worker = null;
      answerHere([...inFlight.splice(0).flat(), ...batch.splice(0)]);
      if (closed) return;
      if (workedOnce) setTimeout(start, RESTART_DELAY_MS).unref();
      else log.error('engine thread never started; messages are understood in the event loop');
    });
  };

  const post = (request: ThreadRequest) => worker?.postMessage(request);

  const flush = () => {
    flushing = false;
    const sending = batch;
    batch = [];
    if (sending.length === 0) return;
    if (!worker) return answerHere(sending);
    inFlight.push(sending);
    post({ type: 'respond', messages: sending.map(({ text, context }) => ({ text, context })) });
  };

  start();

  const prepare = (engine: Engine) => {
    if (!worker || built === engine.version || building === engine.version) return;
    building = engine.version;
    post({ type: 'build', knowledge: engine.knowledge, options });
  };

  return {
    respond(engine, text, context) {
      if (!worker || built !== engine.version) {
        prepare(engine);
        return new Promise((resolve) => resolve(engine.respond(text, context)));
      }
      return new Promise((resolve, reject) => {
        batch.push({ engine, text, context, resolve, reject });
        if (inFlight.length > 0 || flushing) return;
        flushing = true;
        process.nextTick(flush);
      });
    },
    prepare,
    async close() {
      closed = true;
      const current = worker;
      if (current) await current.terminate();
    },
  };
}

/**
 * The thread runs src/engine/worker: the compiled file beside this one, or from the TypeScript sources
 * (tests, which run them untranspiled) through esbuild, a development dependency.
 */
function spawn(): Worker {
  const script = path.join(__dirname, `worker${path.extname(__filename)}`);
  const esbuild = script.endsWith('.ts') ? require.resolve('esbuild') : null;
  return new Worker(BOOTSTRAP, { eval: true, workerData: { script, esbuild } });
}

const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.esbuild) {
  const fs = require('node:fs');
  const esbuild = require(workerData.esbuild);
  require.extensions['.ts'] = (module, file) =>
    module._compile(esbuild.transformSync(fs.readFileSync(file, 'utf8'), { loader: 'ts', format: 'cjs', target: 'node20', sourcefile: file }).code, file);
}
require(workerData.script);
`;
