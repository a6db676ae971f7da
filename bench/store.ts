/**
 * The SQLite store's CPU per shopper turn: the real `openStore` on a fresh file, replaying the store calls
 * of a typed question answered by the bot (src/channels/turn.ts and the handoff's beforeBot/afterBot) in
 * group commits, as the shopper gateway does.
 *
 *   npm run bench:store -- [--conversations 2000] [--turns 60000] [--batch 50] [--keep]
 *
 * Per turn: conversations.get, messages.findByClientId, messages.insert (the question, normalized, with
 * its client id), a dialog-state read (beforeBot, given the conversation the turn read), conversations.get
 * (is the bot still in charge?), a dialog-state read (afterBot), one in ten turns a low-confidence streak
 * written (and deleted on that conversation's next turn), messages.insert (the answer: replyTo, entryId,
 * action, confidence, related choices). `--batch` turns on distinct
 * conversations share one group commit (groupWrites, then the setImmediate commit). CPU is the whole
 * process's (user + system, every thread) over the timed turns, and the main thread's alone (on Linux,
 * from /proc: what the event loop pays, the figure the server's answers per second depend on); the text
 * is normalized before timing. The last line is one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Choice } from '../src/engine/types';
import { normalize } from '../src/nlp';
import { openStore } from '../src/store';
import { newClientMessageId } from '../web-widget/src/client-id';
import { parseArgs, percentile, round } from './stats';

const USAGE = 'usage: npm run bench:store -- [--conversations N] [--turns N] [--batch N] [--keep]';
const QUESTIONS = [
  '¿Cuánto tarda el envío a Monterrey?',
  '¿Puedo pagar a meses sin intereses con mi tarjeta?',
  'Quiero devolver unos tenis que me quedaron chicos',
  '¿Dónde está mi pedido? Ya pasaron cinco días',
  'How much is shipping to Texas?',
  '¿Me pueden dar factura con mi RFC?',
  'Do you accept PayPal?',
  '¿Tienen tienda física en Guadalajara?',
];
const RELATED: Choice[] = [
  { id: 'shipping-cost', label: '¿Cuánto cuesta el envío?' },
  { id: 'order-tracking', label: '¿Cómo rastreo mi pedido?' },
  { id: 'returns', label: '¿Cómo hago una devolución?' },
];
/** One turn in ten is a low-confidence answer: the handoff's dialog memory then keeps a streak. */
const LOW_CONFIDENCE_EVERY = 10;

/** The main thread's CPU time in µs (user + system), or NaN where /proc is missing. */
function mainThreadCpuUs(): number {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}
/** Linux's USER_HZ, the unit of /proc's times, is 100 on every platform Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { conversations: 'value', turns: 'value', batch: 'value', keep: 'flag' }, USAGE);
  const conversationCount = Number(args.get('conversations') ?? 2000);
  const turnCount = Number(args.get('turns') ?? 60_000);
  const batch = Number(args.get('batch') ?? 50);
  if (![conversationCount, turnCount, batch].every((n) => Number.isInteger(n) && n > 0) || batch > conversationCount) {
    throw new Error(`--conversations, --turns and --batch must be positive integers, --batch at most --conversations\n${USAGE}`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atento-bench-store-'));
  const file = path.join(dir, 'atento.db');
  const commitMs: number[] = [];
  const store = openStore(file, () => new Date(), { onCommit: (seconds) => commitMs.push(seconds * 1000) });
  const committed = () => new Promise<void>((resolve) => store.afterCommit(resolve));
  const walBytes = () => (fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0);
  let walMaxBytes = 0;

  store.groupWrites();
  const ids: string[] = [];
  for (let i = 0; i < conversationCount; i++) ids.push((await store.conversations.create(i % 5 === 0 ? 'en' : 'es', '/productos')).id);
  await committed();
  const normalized = QUESTIONS.map((text) => normalize(text));
  const streak = new Map<string, number>();
  let sent = 0;

  async function turn(conversationId: string): Promise<void> {
    const n = sent++;
    const text = QUESTIONS[n % QUESTIONS.length]!;
    const clientMessageId = newClientMessageId();
    const dialogKey = `handoff:${conversationId}`;
    // runTurn
    const conversation = (await store.conversations.get(conversationId))!;
    if (await store.messages.findByClientId(conversationId, clientMessageId)) throw new Error('duplicate client id');
    const question = await store.messages.insert({
      conversationId,
      sender: 'shopper',
      text,
      lang: conversation.lang,
      normalized: normalized[n % QUESTIONS.length],
      clientMessageId,
    });
    // handoff.beforeBot
    await store.dialogState.read(dialogKey);
    // answer: still the bot's?
    if ((await store.conversations.get(conversationId))?.status !== 'bot') throw new Error('not the bot');
    // handoff.afterBot: the dialog memory is written only when it changes
    await store.dialogState.read(dialogKey);
    const low = n % LOW_CONFIDENCE_EVERY === 0;
    const before = streak.get(conversationId) ?? 0;
    if (low) {
      streak.set(conversationId, before + 1);
      await store.dialogState.write({ [dialogKey]: { lowConfidenceStreak: before + 1, offerPending: false } });
    } else if (before > 0) {
      streak.delete(conversationId);
      await store.dialogState.delete([dialogKey]);
    }
    await store.messages.insert({
      conversationId,
      sender: 'bot',
      text: 'Los envíos a todo México tardan de 3 a 5 días hábiles.',
      lang: conversation.lang,
      entryId: low ? null : 'shipping-time',
      action: low ? 'clarify' : 'answer',
      confidence: low ? 0.41 : 0.87,
      related: low ? [] : RELATED,
      options: low ? RELATED : [],
      replyTo: question.id,
    });
  }

  let next = 0;
  const cpuBefore = process.cpuUsage();
  const mainBefore = mainThreadCpuUs();
  const started = performance.now();
  for (let done = 0; done < turnCount; done += batch) {
    store.groupWrites();
    const turns: Array<Promise<void>> = [];
    for (let i = 0; i < Math.min(batch, turnCount - done); i++) turns.push(turn(ids[next++ % conversationCount]!));
    await Promise.all(turns);
    await committed();
    walMaxBytes = Math.max(walMaxBytes, walBytes());
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const mainUs = mainThreadCpuUs() - mainBefore;
  const walEndBytes = walBytes();
  await store.close();
  if (!args.has('keep')) fs.rmSync(dir, { recursive: true, force: true });

  const sorted = commitMs.slice(1).sort((a, b) => a - b);
  const result = {
    conversations: conversationCount,
    turns: turnCount,
    batch,
    cpuUsPerTurn: round((cpu.user + cpu.system) / turnCount, 1),
    userUsPerTurn: round(cpu.user / turnCount, 1),
    systemUsPerTurn: round(cpu.system / turnCount, 1),
    mainThreadUsPerTurn: round(mainUs / turnCount, 1),
    turnsPerSec: Math.round(turnCount / (wallMs / 1000)),
    commitP50Ms: round(percentile(sorted, 0.5)),
    commitP99Ms: round(percentile(sorted, 0.99)),
    commitMaxMs: round(sorted.at(-1) ?? 0),
    walMbMax: round(walMaxBytes / 1024 / 1024, 1),
    walMbAtEnd: round(walEndBytes / 1024 / 1024, 1),
  };
  console.log(`store: ${turnCount} turns over ${conversationCount} conversations, ${batch} turns per group commit`);
  console.log(`  CPU per turn: ${result.cpuUsPerTurn} µs (user ${result.userUsPerTurn}, system ${result.systemUsPerTurn}), main thread ${result.mainThreadUsPerTurn} µs; ${result.turnsPerSec} turns/s`);
  console.log(`  commit: p50 ${result.commitP50Ms} ms, p99 ${result.commitP99Ms} ms, max ${result.commitMaxMs} ms; WAL at most ${result.walMbMax} MB, at the end ${result.walMbAtEnd} MB`);
  if (args.has('keep')) console.log(`  database kept: ${file}`);
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
