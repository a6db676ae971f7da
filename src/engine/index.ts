export { createEngine, type Engine, type EngineOptions, type CannedAnswer } from './engine';
export { startEngineHost, formatProblem, type EngineHost, type KnowledgeStatus } from './host';
export * from './types';
export { findOverlaps, type Overlap } from './overlaps';
