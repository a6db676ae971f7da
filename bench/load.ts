/**
 * The chat server under load: the real server as a child process on a fresh data folder, and a bare
 * `ws` echo server as the floor, driven in the same run from this one client process on loopback.
 *
 *   npm run bench:load -- [--sockets 2000] [--mode saturated|open|overload] [--rate 2000] [--seconds 20] [--agents 3] [--profile DIR] [--runs 1]
 *
 * saturated: each socket asks its next question when its answer arrives. open: a fixed offered rate
 * (--rate messages/s) spread over the sockets whatever comes back. overload: saturated first, to learn
 * the server's rate, then open loop at 3× that rate on the same server (what it cannot take it must
 * shed with `busy`; what it takes it must answer quickly). --profile DIR: the server runs with
 * `node --cpu-prof` and writes its profile there on exit. Saturated runs measure capacity: their server
 * sheds nothing (maxPendingTurns and maxTurnWaitMs raised in its config; 2,000 questions always in
 * flight are more than any 60 ms queue holds). Open and overload runs use the default shedding;
 * --no-shed turns it off for an open run. Questions are the shipped knowledge
 * base's own phrasings, Spanish and English: every other shopper writes in English, each in one language
 * (a shopper switching languages at every message would cost the server a write per switch that real chats
 * do not cause); a few shoppers ask for a person and then talk to the
 * agents, whose consoles measure shopper → agent delivery. Limits are raised in this run's own config
 * file only. The last line is one JSON object (see docs/performance.md). With ATENTO_DATABASE_URL set (e.g.
 * from `node scripts/throwaway-postgres.js --durable`), the server runs on that PostgreSQL database.
 * --nodes N (with ATENTO_DATABASE_URL and ATENTO_REDIS_URL): N servers as one cluster on that database
 * and that Redis; shoppers and agents are spread over them (socket i on node i mod N), and the server
 * figures (RSS, CPU) are the nodes' sums. --runs N: N whole measurements (each on a fresh server, each
 * with its own echo run) one after the other; each run's object is printed, then the spread, and the last
 * line holds each figure's median and `runs`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import { hashPassword } from '../src/auth';
import { readSentiment } from '../src/handoff';
import { loadKnowledge } from '../src/knowledge';
import type { Lang } from '../src/knowledge/types';
import { openConfiguredStore } from '../src/store/open';
import { freePort } from '../test/helpers/ports';
import { newClientMessageId } from '../web-widget/src/client-id';
import { Outbox } from '../web-widget/src/outbox';
import { parseArgs, percentile, round } from './stats';

const USAGE = 'usage: npm run bench:load -- [--sockets N] [--mode saturated|open|overload] [--rate MSG_PER_S] [--seconds S] [--agents N] [--nodes N] [--profile DIR] [--no-shed] [--runs N]';
const ROOT = path.resolve(__dirname, '..', '..');
const AGENT_PASSWORD = 'bench-agent-password-not-for-production';
const METRICS_TOKEN = 'bench-metrics-token-not-for-production-0123456789';
/** One shopper in this many talks to an agent instead of the bot. */
const HANDOFF_EVERY = 200;
/** The overload scenario offers this many times the saturated rate. */
const OVERLOAD_FACTOR = 3;
/** The server's node flags, as `npm start` gives them (package.json). */
const SERVE_NODE_FLAGS = ['--max-semi-space-size=32'];
/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s. */
const CLOCK_TICKS = 100;

interface Options {
  sockets: number;
  mode: 'saturated' | 'open' | 'overload';
  rate: number;
  seconds: number;
  agents: number;
  /** Servers in the cluster (several need ATENTO_DATABASE_URL and ATENTO_REDIS_URL). */
  nodes: number;
  profileDir: string | null;
  noShed: boolean;
  /** Whole measurements (Atento, then echo) one after the other; the last line then holds their medians. */
  runs: number;
}

/** One measurement's figures: the last line's JSON object. */
type Summary = Record<string, number | string | null>;

/** How one drive offers its questions. */
type Offer = { mode: 'saturated' } | { mode: 'open'; rate: number };

interface RunResult {
  answers: number;
  answersPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  shed: number;
  unanswered: number;
  /** Acknowledged (stored) questions still without a bot message 5 s after the end. */
  ackedUnanswered: number;
  /** This client's own event-loop delay, p99 (ms): how late it may have read an answer or sent a question. */
  clientLagP99Ms: number;
}

type Frame = { type: string; [key: string]: unknown };
type Question = { type: 'message'; clientMessageId: string; text: string };

/** The knowledge base's phrasings by language: each shopper writes in one language, as shoppers do. */
type Pool = Record<Lang, string[]>;

/**
 * The bot's questions: FAQ phrasings that neither the FAQ (`escalate`) nor the tone ("my payment failed
 * again") hands to a person. A handed-off shopper's next questions wait for the bench's agents, who do not
 * answer them: in a saturated run that socket would stop asking, and the run would measure fewer sockets.
 */
function questions(): Pool {
  const knowledge = loadKnowledge({ knowledgeDir: path.join(ROOT, 'knowledge'), intentsDir: path.join(ROOT, 'intents') });
  const faqs = knowledge.entries.filter((entry) => entry.kind === 'faq' && !entry.escalate);
  const calm = (lang: Lang) => faqs.filter((entry) => entry.lang === lang).flatMap((entry) => entry.phrasings).filter((text) => !readSentiment(text, lang).strongNegative);
  return { es: calm('es'), en: calm('en') };
}

/** Shopper i's language: every other shopper writes in English. */
const langOf = (i: number): Lang => (i % 2 ? 'en' : 'es');

/** One server of the run: its process, its shopper socket URL and its HTTP root. */
interface AtentoNode {
  child: ChildProcess;
  url: string;
  httpUrl: string;
}

interface Atento {
  nodes: AtentoNode[];
  agents: string[];
}

async function startAtento(options: Options, shed: boolean): Promise<Atento> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atento-load-'));
  const agents = Array.from({ length: options.agents }, (_, i) => `agente${i + 1}@bench.example`);
  // ATENTO_DATABASE_URL: the server runs on that PostgreSQL database (agents of an earlier run are reused).
  const databaseUrl = process.env.ATENTO_DATABASE_URL;
  const store = await openConfiguredStore({ databaseFile: path.join(dataDir, 'atento.db'), databaseUrl });
  for (const email of agents) {
    if (!(await store.agents.credentials(email))) await store.agents.create({ email, name: email.split('@')[0]!, role: 'agent', passwordHash: hashPassword(AGENT_PASSWORD) });
  }
  await store.close();
  const open = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, '00:00-24:00']));
  const configFile = path.join(dataDir, 'bench-config.json');
  fs.writeFileSync(configFile, JSON.stringify({
    watchKnowledge: false,
    metrics: { token: METRICS_TOKEN },
    limits: {
      messagesPerMinute: 100_000,
      framesPerMinute: 100_000,
      newConversationsPerMinute: 1_000_000,
      socketsPerAddress: 1_000_000,
      // Capacity runs: no load shedding (the queue still runs turns in slices, one commit each).
      ...(shed ? {} : { maxPendingTurns: 100_000, maxTurnWaitMs: 60_000 }),
    },
    handoff: { businessHours: open, agentCapacity: 50 },
  }));
  const cluster: Record<string, string> =
    options.nodes > 1 ? { ATENTO_REDIS_URL: process.env.ATENTO_REDIS_URL!, ATENTO_CLUSTER: 'on', ATENTO_SESSION_SECRET: 'bench-session-secret-shared-by-the-nodes' } : {};
  // ATENTO_ENGINE_THREAD=false npm run bench:load …: the same run with the engine in the event loop.
  const engineThread: Record<string, string> = process.env.ATENTO_ENGINE_THREAD ? { ATENTO_ENGINE_THREAD: process.env.ATENTO_ENGINE_THREAD } : {};
  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.profileDir)}`] : [];
  // One after the other: the first migrates the database.
  const nodes: AtentoNode[] = [];
  for (let i = 0; i < options.nodes; i++) {
    const port = await freePort();
    const child = started(
      spawn(process.execPath, [...profile, ...SERVE_NODE_FLAGS, path.join(ROOT, 'bin/atento.js'), 'serve'], {
        env: { PATH: process.env.PATH ?? '', PORT: String(port), ATENTO_DATA_DIR: dataDir, ATENTO_CONFIG: configFile, ...(databaseUrl ? { ATENTO_DATABASE_URL: databaseUrl } : {}), ...cluster, ...engineThread },
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`atento exited with ${code} before listening`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        if (String(chunk).includes('listening on')) resolve();
      });
    });
    child.stdout!.resume();
    nodes.push({ child, url: `ws://127.0.0.1:${port}/ws/shopper`, httpUrl: `http://127.0.0.1:${port}` });
  }
  return { nodes, agents };
}

async function startEcho(): Promise<{ child: ChildProcess; url: string }> {
  const child = started(spawn(process.execPath, [path.join(__dirname, 'echo-server.js')], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const port = await new Promise<string>((resolve) => child.stdout!.once('data', (chunk: Buffer) => resolve(String(chunk).trim())));
  return { child, url: `ws://127.0.0.1:${port}` };
}

function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/**
 * The server's own view from /metrics: p99 of atento_answer_seconds (frame read → turn done, queue wait
 * included) as the upper bound of its histogram bucket, in ms. Set apart from the client's p99, it tells
 * time in the server from time in socket buffers and in this client.
 */
async function serverStats(httpUrl: string): Promise<{ turnP99Ms: number | null; turns: number; commits: number }> {
  const text = await (await fetch(`${httpUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const buckets = [...text.matchAll(/^atento_answer_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)].map((m) => ({ le: Number(m[1]), count: Number(m[2]) }));
  const turns = buckets.at(-1)?.count ?? 0;
  // Group commits (SQLite; none on PostgreSQL): turns per commit is what each commit's cost is shared by.
  const commits = Number(/^atento_store_commit_seconds_count (\d+)$/m.exec(text)?.[1] ?? 0);
  if (turns === 0) return { turnP99Ms: null, turns, commits };
  const bucket = buckets.find((b) => b.count >= turns * 0.99)!;
  return { turnP99Ms: Number.isFinite(bucket.le) ? bucket.le * 1000 : Infinity, turns, commits };
}

/** Every server this run started: ended if the run fails, so none is left running (and holding its stdout). */
const children = new Set<ChildProcess>();

function started(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** SIGTERM, and wait for the exit (a --cpu-prof profile is written then). */
function stopChild(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  return exited;
}

/** CPU seconds (user + system) the process has used so far. */
/** Summed over the nodes' processes. */
const sumOver = (nodes: AtentoNode[], measure: (pid: number) => number) => nodes.reduce((sum, node) => sum + measure(node.child.pid!), 0);

function cpuSecondsOf(pid: number): number {
  return cpuSecondsIn(`/proc/${pid}/stat`);
}

/** The main thread only (its thread id is the process id): the event loop, whose CPU per answer bounds the rate. */
function eventLoopCpuSecondsOf(pid: number): number {
  return cpuSecondsIn(`/proc/${pid}/task/${pid}/stat`);
}

function clientCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function cpuSecondsIn(statFile: string): number {
  const fields = fs.readFileSync(statFile, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function rssMbOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024, 1);
}

/** A shopper socket that records each question's send time and resolves it on its answer. */
class Shopper {
  /** Questions in flight, oldest first; `storedId` is the stored shopper message's id once acknowledged. */
  private readonly pending: Array<{ id: string; text: string; sentAt: number; storedId?: number }> = [];
  /** The widget's own outbox: after a `busy` wait it re-sends held questions one at a time, same ids. */
  private readonly outbox = new Outbox<Question>({
    send: (question) => {
      // Latency counts from the attempt the server took: what an admitted message waits.
      const entry = this.pending.find((p) => p.id === question.clientMessageId);
      if (entry) entry.sentAt = performance.now();
      this.ws.send(JSON.stringify(question));
    },
    isOpen: () => this.ws.readyState === WebSocket.OPEN,
  });
  /** Cleared at the end of a run (stopRetrying): shed questions are then dropped instead of re-sent. */
  private retrying = true;

  constructor(
    readonly ws: WebSocket,
    readonly lang: Lang,
    private readonly onAnswer: (ms: number, shopper: Shopper) => void,
    private readonly onError: (code: string, shopper: Shopper) => void,
  ) {
    ws.on('message', (data) => {
      Shopper.framesReceived += 1;
      this.receive(JSON.parse(String(data)) as Frame);
    });
  }

  /** Frames all shoppers received: what this client parses per answer bounds the rate on a shared machine. */
  static framesReceived = 0;

  get waiting(): number {
    return this.pending.length;
  }

  get waitingAcked(): number {
    return this.pending.filter((p) => p.storedId !== undefined).length;
  }

  ask(text: string): void {
    const id = newClientMessageId();
    this.pending.push({ id, text, sentAt: performance.now() });
    this.outbox.add({ type: 'message', clientMessageId: id, text });
  }

  /** End of run: nothing held goes again, and questions never stored are owed nothing. */
  stopRetrying(): void {
    this.retrying = false;
    this.outbox.clear();
    for (let i = this.pending.length - 1; i >= 0; i -= 1) if (this.pending[i]!.storedId === undefined) this.pending.splice(i, 1);
  }

  private receive(frame: Frame): void {
    if (frame.type === 'echo') {
      this.outbox.settle(String(frame.clientMessageId));
      return this.resolve(this.pending.findIndex((p) => p.id === frame.clientMessageId));
    }
    if (frame.type === 'ack') {
      const entry = this.pending.find((p) => p.id === frame.clientMessageId);
      if (entry) entry.storedId = Number(frame.messageId);
      return this.outbox.settle(String(frame.clientMessageId));
    }
    if (frame.type === 'error') {
      const index = this.pending.findIndex((p) => p.id === frame.clientMessageId);
      this.onError(String(frame.code), this);
      // Shed: re-sent like the widget does, same id, after the server's wait; any other error drops it.
      if (frame.code === 'busy' && this.retrying) return this.outbox.holdFor(Number(frame.retryAfterMs));
      if (index >= 0) this.pending.splice(index, 1);
      if (frame.clientMessageId !== undefined) this.outbox.settle(String(frame.clientMessageId));
      return;
    }
    // The server does not send a socket its own messages back (the ack has the id): only the bot's come.
    if (frame.type === 'message' && frame.from === 'bot') {
      // Turns are serialized per conversation: the oldest question whose message came before this one.
      this.resolve(this.pending.findIndex((p) => p.storedId !== undefined && p.storedId < Number(frame.id)));
    }
  }

  private resolve(index: number): void {
    if (index < 0) return;
    const [entry] = this.pending.splice(index, 1);
    this.onAnswer(performance.now() - entry!.sentAt, this);
  }
}

async function openShoppers(urls: string[], count: number, onAnswer: (ms: number, shopper: Shopper) => void, onError: (code: string, shopper: Shopper) => void): Promise<Shopper[]> {
  const shoppers: Shopper[] = [];
  const batch = 100;
  for (let start = 0; start < count; start += batch) {
    const sockets = await Promise.all(Array.from({ length: Math.min(batch, count - start) }, (_, i) => connect(urls[(start + i) % urls.length]!)));
    await Promise.all(
      sockets.map(
        (ws, i) =>
          new Promise<void>((resolve) => {
            ws.once('message', () => resolve());
            ws.send(JSON.stringify({ type: 'hello', lang: langOf(start + i) }));
          }),
      ),
    );
    shoppers.push(...sockets.map((ws, i) => new Shopper(ws, langOf(start + i), onAnswer, onError)));
  }
  return shoppers;
}

/** Agents' consoles, and shoppers who asked for a person and now write to them: shopper → agent delivery. */
async function startHandoffs(target: Atento, count: number): Promise<{ delays: number[]; stop: () => void }> {
  const delays: number[] = [];
  const sentAt = new Map<string, number>();
  const consoles: WebSocket[] = [];
  const nodeFor = (i: number) => target.nodes[i % target.nodes.length]!;
  for (const [i, email] of target.agents.entries()) {
    const { url, httpUrl } = nodeFor(i);
    const response = await fetch(`${httpUrl}/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: AGENT_PASSWORD }) });
    const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
    const ws = await connect(url.replace('/ws/shopper', '/agent/socket'), { cookie, origin: httpUrl });
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      const message = frame.message as { from?: string; text?: string } | undefined;
      if (frame.type === 'message' && message?.from === 'shopper' && message.text && sentAt.has(message.text)) {
        delays.push(performance.now() - sentAt.get(message.text)!);
        sentAt.delete(message.text);
      }
    });
    consoles.push(ws);
  }
  const shoppers: WebSocket[] = [];
  for (let i = 0; i < count; i++) {
    // Next to the agents' nodes rather than on them: with several nodes, most of these chats cross nodes.
    const ws = await connect(nodeFor(i + 1).url);
    await new Promise<void>((resolve) => {
      ws.once('message', () => resolve());
      ws.send(JSON.stringify({ type: 'hello', lang: 'es' }));
    });
    ws.send(JSON.stringify({ type: 'handoff_request' }));
    shoppers.push(ws);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  let n = 0;
  const timer = setInterval(() => {
    for (const ws of shoppers) {
      const text = `mensaje para el agente ${n++}`;
      sentAt.set(text, performance.now());
      ws.send(JSON.stringify({ type: 'message', clientMessageId: newClientMessageId(), text }));
    }
  }, 250);
  return {
    delays,
    stop: () => {
      clearInterval(timer);
      [...consoles, ...shoppers].forEach((ws) => ws.terminate());
    },
  };
}

/** Hooks into one drive: once its sockets are open, and around its measured window. */
interface DriveHooks {
  opened?: () => void;
  window?: (edge: 'start' | 'end') => void;
}

async function drive(urls: string[], options: Options, offer: Offer, pool: Pool, hooks: DriveHooks = {}): Promise<RunResult> {
  const latencies: number[] = [];
  let errors = 0;
  let shed = 0;
  let measuring = false;
  let running = true;
  const next: Record<Lang, number> = { es: 0, en: 0 };
  const question = ({ lang }: Shopper) => pool[lang][next[lang]++ % pool[lang].length]!;
  const shoppers = await openShoppers(
    urls,
    options.sockets,
    (ms, shopper) => {
      if (measuring) latencies.push(ms);
      if (offer.mode === 'saturated' && running) shopper.ask(question(shopper));
    },
    (code) => {
      if (code === 'busy') shed++;
      else errors++;
    },
  );
  hooks.opened?.();
  const warmUpMs = 2000;
  let timer: NodeJS.Timeout | undefined;
  if (offer.mode === 'saturated') {
    for (const shopper of shoppers) shopper.ask(question(shopper));
  } else {
    // Owed by the clock, not by ticks: a late timer sends what it owes, so the offered rate holds.
    let sent = 0;
    let cursor = 0;
    const since = performance.now();
    timer = setInterval(() => {
      const owed = Math.floor(((performance.now() - since) * offer.rate) / 1000);
      for (; sent < owed; sent++) {
        const shopper = shoppers[cursor++ % shoppers.length]!;
        shopper.ask(question(shopper));
      }
    }, 10);
  }
  await new Promise((resolve) => setTimeout(resolve, warmUpMs));
  measuring = true;
  hooks.window?.('start');
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, options.seconds * 1000));
  const elapsed = (performance.now() - started) / 1000;
  measuring = false;
  hooks.window?.('end');
  lag.disable();
  running = false;
  clearInterval(timer);
  shoppers.forEach((shopper) => shopper.stopRetrying());
  const answers = latencies.length;
  // Whatever is still owed an answer 5 s after the end was never answered.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const unanswered = shoppers.reduce((sum, shopper) => sum + shopper.waiting, 0);
  const ackedUnanswered = shoppers.reduce((sum, shopper) => sum + shopper.waitingAcked, 0);
  shoppers.forEach((shopper) => shopper.ws.terminate());
  latencies.sort((a, b) => a - b);
  return {
    answers,
    answersPerSec: round(answers / elapsed, 0),
    p50Ms: round(percentile(latencies, 0.5), 2),
    p99Ms: round(percentile(latencies, 0.99), 2),
    maxMs: round(latencies.at(-1) ?? 0, 2),
    errors,
    shed,
    unanswered,
    ackedUnanswered,
    clientLagP99Ms: round(lag.percentile(99) / 1e6, 1),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { sockets: 'value', mode: 'value', rate: 'value', seconds: 'value', agents: 'value', nodes: 'value', profile: 'value', 'no-shed': 'flag', runs: 'value' }, USAGE);
  const mode = (args.get('mode') ?? 'saturated') as Options['mode'];
  if (!['saturated', 'open', 'overload'].includes(mode)) throw new Error(`--mode must be saturated, open or overload\n${USAGE}`);
  const options: Options = {
    sockets: Number(args.get('sockets') ?? 2000),
    mode,
    rate: Number(args.get('rate') ?? 2000),
    seconds: Number(args.get('seconds') ?? 20),
    agents: Number(args.get('agents') ?? 3),
    nodes: Number(args.get('nodes') ?? 1),
    profileDir: args.get('profile') ?? null,
    noShed: args.has('no-shed'),
    runs: Number(args.get('runs') ?? 1),
  };
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error(`--runs must be a whole number ≥ 1\n${USAGE}`);
  if (!Number.isInteger(options.nodes) || options.nodes < 1) throw new Error(`--nodes must be a whole number ≥ 1\n${USAGE}`);
  if (options.nodes > 1 && (!process.env.ATENTO_DATABASE_URL || !process.env.ATENTO_REDIS_URL)) {
    throw new Error('--nodes > 1 needs ATENTO_DATABASE_URL (a PostgreSQL database, e.g. from node scripts/throwaway-postgres.js --durable) and ATENTO_REDIS_URL (a Redis the nodes share)');
  }
  const pool = questions();
  console.log(`bench:load ${JSON.stringify(options)}, ${pool.es.length} + ${pool.en.length} questions (es + en) from the shipped knowledge base, every other shopper writing in English`);
  const runs: Summary[] = [];
  for (let run = 1; run <= options.runs; run++) {
    if (options.runs > 1) console.log(`run ${run} of ${options.runs}`);
    runs.push(await measure(options, pool));
    if (options.runs > 1) console.log(JSON.stringify(runs.at(-1)));
  }
  if (options.runs > 1) showSpread(runs);
  console.log(JSON.stringify(options.runs > 1 ? { ...medians(runs), runs: options.runs } : runs[0]));
}

/**
 * Answers per second and latency move a lot from run to run on a shared 2-core machine (docs/performance.md):
 * the spread of several runs, each against its own echo run, says more than any one of them.
 */
function showSpread(runs: Summary[]): void {
  const spread = (name: string, of: (run: Summary) => number) => {
    const values = runs.map(of).sort((a, b) => a - b);
    return `${name} ${values.map((value) => round(value, 1)).join(' · ')}`;
  };
  console.log(`over ${runs.length} runs (lowest to highest): ${spread('answers/s', (r) => Number(r.answersPerSec))}; ${spread('% of the echo rate', (r) => (100 * Number(r.answersPerSec)) / Number(r.echoAnswersPerSec))}; ${spread('p99 × echo p99', (r) => Number(r.p99Ms) / Math.max(Number(r.echoP99Ms), 0.001))}`);
}

/** Each numeric figure's median over the runs (the mean of the middle two for an even count); others as in the first run. */
function medians(runs: Summary[]): Summary {
  const result: Summary = { ...runs[0] };
  for (const key of Object.keys(result)) {
    const values = runs.map((run) => run[key]);
    if (!values.every((value): value is number => typeof value === 'number')) continue;
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    result[key] = sorted.length % 2 ? sorted[middle]! : round((sorted[middle - 1]! + sorted[middle]!) / 2, 2);
  }
  return result;
}

/** One measurement: Atento under the offer, then the same offer against the echo server. */
async function measure(options: Options, pool: Pool): Promise<Summary> {
  const { mode } = options;
  const show = (name: string, r: RunResult) =>
    console.log(`${name} ${r.answersPerSec} answers/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms; errors ${r.errors}, shed ${r.shed}, unanswered 5 s after the end ${r.unanswered} (acknowledged ${r.ackedUnanswered}); this client's event-loop delay p99 ${r.clientLagP99Ms} ms`);

  let saturated: RunResult | null = null;
  let offer: Offer = mode === 'open' ? { mode: 'open', rate: options.rate } : { mode: 'saturated' };
  if (mode === 'overload') {
    // The capacity first, on a server of its own that sheds nothing; then a fresh one with the defaults.
    const probe = await startAtento(options, false);
    saturated = await drive(probe.nodes.map((node) => node.url), options, offer, pool);
    await Promise.all(probe.nodes.map((node) => stopChild(node.child)));
    show('atento saturated:', saturated);
    offer = { mode: 'open', rate: Math.round(saturated.answersPerSec * OVERLOAD_FACTOR) };
    console.log(`overload: offering ${offer.rate} messages/s (${OVERLOAD_FACTOR}× the saturated rate) for ${options.seconds} s`);
  }
  const atento = await startAtento(options, mode === 'overload' || (mode === 'open' && !options.noShed));
  const handoffs = await startHandoffs(atento, Math.max(1, Math.round(options.sockets / HANDOFF_EVERY)));
  const idleRss = sumOver(atento.nodes, rssMbOf);
  let maxRss = idleRss;
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, sumOver(atento.nodes, rssMbOf))), 250);
  let rssBefore = idleRss;
  // RSS with the sockets open, before any question: what the sockets themselves cost.
  const measureSockets = () => (rssBefore = sumOver(atento.nodes, rssMbOf));
  // Server CPU per answer holds still when other work shares the machine; answers/s does not.
  let cpu = 0;
  let loopCpu = 0;
  let clientCpu = 0;
  let frames = 0;
  const window = (edge: 'start' | 'end') => {
    cpu = sumOver(atento.nodes, cpuSecondsOf) - (edge === 'end' ? cpu : 0);
    loopCpu = sumOver(atento.nodes, eventLoopCpuSecondsOf) - (edge === 'end' ? loopCpu : 0);
    clientCpu = clientCpuSeconds() - (edge === 'end' ? clientCpu : 0);
    frames = Shopper.framesReceived - (edge === 'end' ? frames : 0);
  };
  const result = await drive(atento.nodes.map((node) => node.url), options, offer, pool, { opened: measureSockets, window });
  const serverCpuMsPerAnswer = result.answers ? round((cpu * 1000) / result.answers, 3) : null;
  const eventLoopCpuMsPerAnswer = result.answers ? round((loopCpu * 1000) / result.answers, 3) : null;
  const serverCpuShare = round((cpu / options.seconds) * 100, 0);
  const clientCpuMsPerAnswer = result.answers ? round((clientCpu * 1000) / result.answers, 3) : null;
  const framesPerAnswer = result.answers ? round(frames / result.answers, 2) : null;
  clearInterval(sampler);
  handoffs.stop();
  const rss = sumOver(atento.nodes, rssMbOf);
  const nodeStats = await Promise.all(atento.nodes.map((node) => serverStats(node.httpUrl)));
  const nodeP99s = nodeStats.map((stats) => stats.turnP99Ms);
  const serverP99Ms = nodeP99s.some((p99) => p99 === null) ? null : Math.max(...(nodeP99s as number[]));
  const commits = nodeStats.reduce((sum, stats) => sum + stats.commits, 0);
  const turnsPerCommit = commits ? round(nodeStats.reduce((sum, stats) => sum + stats.turns, 0) / commits, 1) : null;
  await Promise.all(atento.nodes.map((node) => stopChild(node.child)));

  // The floor: the same offer against a bare ws echo server (after the server, so both are not running at once).
  const echo = await startEcho();
  const echoResult = await drive([echo.url], options, offer, pool);
  echo.child.kill('SIGTERM');

  handoffs.delays.sort((a, b) => a - b);
  const handoffP99Ms = handoffs.delays.length ? round(percentile(handoffs.delays, 0.99), 2) : null;
  const rssMbPerThousandSockets = round(((rssBefore - idleRss) / options.sockets) * 1000, 1);
  show('echo: ', echoResult);
  show(mode === 'overload' ? 'atento overload:' : 'atento:', result);
  console.log(`        handoff delivery shopper → agent p99 ${handoffP99Ms} ms (${handoffs.delays.length} messages); server RSS idle ${idleRss} MB, with the sockets ${rssBefore} MB (${rssMbPerThousandSockets} MB per 1,000 sockets), max ${maxRss} MB, at the end ${rss} MB`);
  console.log(`        server CPU ${serverCpuMsPerAnswer} ms per answer, of which the event loop ${eventLoopCpuMsPerAnswer} ms (the server used ${serverCpuShare} % of one core while measured); in the server, p99 ≤ ${serverP99Ms} ms from frame read to turn done, ${turnsPerCommit} turns per group commit (its /metrics, whole run)`);
  console.log(`        this client: CPU ${clientCpuMsPerAnswer} ms and ${framesPerAnswer} frames received per answer (it shares the machine's 2 cores with the server)`);
  console.log(`ratio:  ${round((result.answersPerSec / echoResult.answersPerSec) * 100, 1)} % of the echo rate; p99 ${round(result.p99Ms / Math.max(echoResult.p99Ms, 0.001), 1)}× the echo p99`);
  return {
    mode: options.mode,
    nodes: options.nodes,
    sockets: options.sockets,
    seconds: options.seconds,
    offeredPerSec: offer.mode === 'open' ? offer.rate : null,
    saturatedAnswersPerSec: saturated?.answersPerSec ?? null,
    answersPerSec: result.answersPerSec,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    maxMs: result.maxMs,
    echoAnswersPerSec: echoResult.answersPerSec,
    echoP99Ms: echoResult.p99Ms,
    handoffP99Ms,
    rssMbPerThousandSockets,
    rssMbMax: maxRss,
    serverCpuMsPerAnswer,
    eventLoopCpuMsPerAnswer,
    clientCpuMsPerAnswer,
    framesPerAnswer,
    clientLagP99Ms: result.clientLagP99Ms,
    turnsPerCommit,
    serverTurnP99Ms: serverP99Ms,
    errors: result.errors,
    shed: result.shed,
    unanswered: result.unanswered,
    ackedUnanswered: result.ackedUnanswered,
  };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    for (const child of children) child.kill('SIGKILL');
    process.exit(1);
  },
);
