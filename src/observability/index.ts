export { createLogger, silentLogger, LOG_LEVELS, type LogLevel, type Logger } from './logger';
export { createMetrics, metricsRoute, type Metrics } from './metrics';
export { redactUrl } from './redact-url';
