export { createEngine, type Engine, type EngineOptions, type CannedAnswer } from './engine';
export { startEngineHost, formatProblem, type EngineHost } from './host';
export * from './types';
export { findOverlaps, type Overlap } from './overlaps';
