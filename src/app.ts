import http from 'node:http';
import express from 'express';
import type { Config } from './config';
import {
  baseSecurityHeaders,
  createBotRuntime,
  createShopperGateway,
  errorHandler,
  notFound,
  routeUpgrades,
  shopperRoutes,
  webBundleDir,
  SHOPPER_SOCKET_PATH,
  type BotRuntime,
  type UpgradeHandler,
} from './channels';
import { LoginLimiter } from './auth';
import { proxyTrust } from './channels/client-address';
import { agentRoutes } from './channels/agent-routes';
import { knowledgeRoutes } from './channels/knowledge-routes';
import { teamRoutes } from './channels/team-routes';
import { analyticsRoutes } from './channels/analytics-routes';
import { AGENT_SOCKET_PATH, createAgentGateway } from './channels/agent-gateway';
import { AGENTS_TOPIC, agentUpdateSchema, publishToBus } from './channels/fanout';
import { engineOptions, startEngineHost, startEngineThread, type Engine, type EngineHost } from './engine';
import { HandoffService, type EntryTitle, type Timers } from './handoff';
import { createMemoryBus, type Bus } from './bus';
import { EventBus } from './events';
import { createMailer } from './mail';
import { createMetrics, metricsRoute, silentLogger, type Logger, type Metrics } from './observability';
import { createSessionSigner, loadSessionSecret, type SessionSigner } from './session';
import { committed, openStore, type Store } from './store';
import type { StoreOpener } from './store/open';

export interface AppDeps {
  /** An engine host to share (tests, CLI); by default the app loads knowledge/ and intents/ itself. */
  engineHost?: EngineHost;
  /** The server's one logger (src/server.ts makes it); by default nothing is logged. */
  logger?: Logger;
  clock?: () => Date;
  /** Folder with the built widget.js; default dist/web in the project. */
  webDir?: string;
  /** Timers for the handoff's grace periods (tests). */
  timers?: Timers;
  /**
   * The bus this node shares with the other nodes (Redis; src/server.ts connects it before the app is
   * built, and closes it after). Unset: the node is alone, and keeps what it would share to itself.
   */
  sharedBus?: Bus;
  /**
   * Opens the store (which the app then owns) with the app's options. Required with `databaseUrl`:
   * PostgreSQL connects asynchronously first (prepareConfiguredStore in src/store/open.ts, called by
   * src/server.ts); by default the app opens the SQLite file.
   */
  openStore?: StoreOpener;
}

export interface App {
  /** Not listening: the caller (src/server.ts, or a test on port 0) decides where. */
  readonly server: http.Server;
  /** Mounted after the shopper routes and before the 404 and error handlers: other services add routes here. */
  readonly routes: express.Router;
  readonly store: Store;
  readonly events: EventBus;
  readonly engine: () => Engine;
  readonly bot: BotRuntime;
  readonly sessions: SessionSigner;
  /** WebSocket endpoints by path; each authenticates before the handshake. */
  readonly upgrades: Map<string, UpgradeHandler>;
  readonly handoff: HandoffService;
  close(): Promise<void>;
}

/** Builds the whole server (HTTP routes, shopper socket, store, engine) without listening. */
export function createApp(config: Config, deps: AppDeps = {}): App {
  const log = deps.logger ?? silentLogger();
  const sessions = createSessionSigner(loadSessionSecret(config.sessionSecret, config.dataDir));
  // Created below, once the gateways it reads from exist; commits before that are not timed.
  let metrics: Metrics | null = null;
  if (config.databaseUrl && !deps.openStore) throw new Error('createApp: with databaseUrl, connect first (prepareConfiguredStore) and pass deps.openStore');
  const storeOptions = {
    onCommit: (seconds: number) => metrics?.observeCommit(seconds),
    onCommitError: (error: Error) => log.error({ err: error }, 'group commit failed: its writes were rolled back and not acknowledged'),
  };
  const store = deps.openStore ? deps.openStore(storeOptions) : openStore(config.databaseFile, deps.clock, storeOptions);
  const ownsEngine = deps.engineHost === undefined;
  const knowledgeLog = log.child({ component: 'knowledge' });
  const engineHost = deps.engineHost ?? startEngineHost(config, (level, line) => knowledgeLog[level](line));
  const engine = () => engineHost.current();
  const events = new EventBus((event, error) => log.error({ err: error, event }, 'event listener failed'));
  const engineThread = config.engineThread ? startEngineThread(engineOptions(config), log.child({ component: 'engine-thread' })) : null;
  engineThread?.prepare(engine());
  const bot = createBotRuntime(engine, engineThread ?? undefined);
  const clock = deps.clock ?? (() => new Date());
  // Agents read cases by the FAQ's title, in the conversation's language; an entry written in one language only still has one.
  const entryTitle: EntryTitle = (id, lang = 'es') => engine().label(id, lang) ?? engine().label(id, lang === 'es' ? 'en' : 'es');
  // One node alone fans out in memory (the same synchronous calls as the events); several share Redis.
  const bus = deps.sharedBus ?? createMemoryBus({ onError: (error) => log.error({ err: error }, 'event listener failed') });
  const handoff = new HandoffService({ store, log, events, config, now: clock, timers: deps.timers, entryTitle, mailer: createMailer(config), bus });
  handoff.start().catch((error: unknown) => log.error({ err: error }, 'handoff start failed'));
  const stopPublishing = publishToBus(bus, events, handoff);
  // An agent came or went on some node: routing and "is anyone online" read the team again. A shopper
  // came or went on some node: the consoles' lists here show it too.
  const stopHearingTeam = bus.subscribe(AGENTS_TOPIC, agentUpdateSchema, (update) => {
    if (update.type === 'agents') handoff.teamChanged().catch((error: unknown) => log.error({ err: error }, 'agent presence refresh failed'));
    if (update.type === 'presence') handoff.shopperPresenceHeard(update.conversationId, update, update.node);
  });
  const gateway = createShopperGateway({ config, store, events, engine, bot, sessions, log, handoff, fanout: bus, turnLeases: deps.sharedBus?.leases, sharedCounters: deps.sharedBus?.counters, onTurnDone: (seconds) => metrics?.observeAnswer(seconds) });
  const agentGateway = createAgentGateway({ config, agents: store.agents, handoff, events, engine, log, fanout: bus, afterCommit: (send, lost) => store.afterCommit(send, lost) });
  metrics = createMetrics({ events, pendingTurns: () => gateway.pendingTurns(), sockets: () => ({ shopper: gateway.connectionCount(), agent: agentGateway.connectionCount() }) });
  const webDir = deps.webDir ?? webBundleDir();
  // WhatsApp and Messenger load the Bot Framework (tens of MB): only when one of them is configured.
  const providers =
    config.whatsapp || config.messenger
      ? (require('./channels/providers') as typeof import('./channels/providers')).createProviderChannels({ config, store, events, handoff, engine, bot, log, leases: deps.sharedBus?.leases })
      : null;

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(baseSecurityHeaders);
  if (config.metrics.token) app.get('/metrics', metricsRoute(metrics, config.metrics.token));
  if (providers) app.use(providers.router);
  app.use(express.json({ limit: config.limits.httpBodyBytes }));
  app.use(express.urlencoded({ limit: config.limits.httpBodyBytes, extended: false }));
  app.use(shopperRoutes({ config, store, engine, webDir }));
  app.use(agentRoutes({ agents: store.agents, secureCookies: config.secureCookies, proxies: proxyTrust(config.trustedProxies), limiter: new LoginLimiter(deps.sharedBus?.loginFailures ?? store.loginFailures, clock), now: clock, webDir, onLogout: () => agentGateway.dropEndedSessions(), committed: () => committed(store) }));
  const routes = express.Router();
  app.use(teamRoutes({ agents: store.agents, store, log }));
  app.use(knowledgeRoutes({ agents: store.agents, store, engineHost, config, clock, log, webDir }));
  app.use(analyticsRoutes({ agents: store.agents, analytics: store.analytics, engine, timeZone: config.handoff.timeZone, now: clock, webDir }));
  app.use(routes);
  app.use(notFound);
  app.use(errorHandler(log));

  const server = http.createServer(app);
  const upgrades = new Map<string, UpgradeHandler>([
    [SHOPPER_SOCKET_PATH, gateway.handleUpgrade],
    [AGENT_SOCKET_PATH, agentGateway.handleUpgrade],
  ]);
  server.on('upgrade', routeUpgrades(upgrades));

  let closing: Promise<void> | null = null;
  return {
    server,
    routes,
    store,
    events,
    engine,
    bot,
    sessions,
    upgrades,
    handoff,
    close() {
      closing ??= (async () => {
        // Stop accepting connections, finish the turns in progress, then close every socket.
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await gateway.close();
        await providers?.close();
        await engineThread?.close();
        agentGateway.close();
        stopPublishing();
        stopHearingTeam();
        if (bus !== deps.sharedBus) await bus.close();
        handoff.close();
        metrics?.close();
        server.closeAllConnections();
        await stopped;
        if (ownsEngine) engineHost.close();
        await store.close();
      })();
      return closing;
    },
  };
}
