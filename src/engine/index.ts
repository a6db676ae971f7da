export { createEngine, type Engine, type EngineOptions, type CannedAnswer } from './engine';
export { startEngineThread, type EngineThread } from './thread';
export { startEngineHost, engineOptions, formatProblem, type EngineHost, type KnowledgeStatus } from './host';
export * from './types';
export { findOverlaps, type Overlap } from './overlaps';
