import type { ScoredCandidate } from '../engine/types';
import type { Lang, SynonymGroup } from '../knowledge/types';
import { buildAnalyzer } from '../nlp';
import { countFeatures, FeatureSpace } from './features';
import { centroid, InvertedIndex } from './sparse';

export interface Example {
  text: string;
  label: string;
}

export interface MatchResult {
  /** The query after normalization. */
  normalized: string;
  /** Typo repairs made. */
  corrections: Array<{ from: string; to: string }>;
  /** Best first. */
  candidates: ScoredCandidate[];
}

export interface Matcher {
  rank(text: string, limit?: number): MatchResult;
  readonly labels: readonly string[];
}

export interface MatcherOptions {
  lang: Lang;
  synonyms?: readonly SynonymGroup[];
}

const DEFAULT_LIMIT = 5;

/**
 * Builds a matcher for one language from labelled examples (each FAQ's or intent's question and
 * phrasings). Pure: same examples, same matcher.
 */
export function buildMatcher(examples: Example[], options: MatcherOptions): Matcher {
  const analyzer = buildAnalyzer(
    examples.map((example) => example.text),
    options,
  );
  const labels = [...new Set(examples.map((example) => example.label))];
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const labelOf = examples.map((example) => labelIndex.get(example.label)!);
  const analyses = examples.map((example) => analyzer.analyze(example.text));
  const counts = analyses.map(countFeatures);
  const space = new FeatureSpace();
  space.fit(counts, labelOf, labels.length);
  const vectors = counts.map((c) => space.vectorize(c));
  const exampleIndex = new InvertedIndex(vectors, space.size);
  const centroidIndex = new InvertedIndex(
    labels.map((_, label) => centroid(vectors.filter((_, i) => labelOf[i] === label))),
    space.size,
  );
  const stemsOf = labels.map(() => new Set<string>());
  analyses.forEach((analysis, i) => analysis.stems.forEach((s) => stemsOf[labelOf[i]].add(s)));

  const exampleScores = new Float32Array(examples.length);
  const centroidScores = new Float32Array(labels.length);
  const nearest = new Float32Array(labels.length);

  return {
    labels,
    rank(text, limit = DEFAULT_LIMIT) {
      const analysis = analyzer.analyze(text);
      const query = space.vectorize(countFeatures(analysis));
      exampleScores.fill(0);
      centroidScores.fill(0);
      nearest.fill(0);
      exampleIndex.dotAll(query, exampleScores);
      centroidIndex.dotAll(query, centroidScores);
      for (let i = 0; i < examples.length; i++) if (exampleScores[i] > nearest[labelOf[i]]) nearest[labelOf[i]] = exampleScores[i];
      const scored = labels.map((label, i) => ({ label, i, confidence: clamp(0.5 * nearest[i] + 0.5 * centroidScores[i]) }));
      scored.sort((a, b) => b.confidence - a.confidence || a.i - b.i);
      const candidates = scored
        .slice(0, limit)
        .filter((c) => c.confidence > 0)
        .map(({ label, i, confidence }) => ({
          id: label,
          confidence: Math.round(confidence * 1000) / 1000,
          matched: [...new Set(analysis.words.filter((word, k) => !analyzer.isStopword(word) && stemsOf[i].has(analysis.stems[k])))],
        }));
      return { normalized: analysis.normalized, corrections: analysis.corrections, candidates };
    },
  };
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}
