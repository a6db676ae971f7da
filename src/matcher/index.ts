import type { ScoredCandidate } from '../engine/types';
import type { Lang, SynonymGroup } from '../knowledge/types';
import { buildAnalyzer, type Analysis } from '../nlp';
import { confidenceOf, rankByProbability } from './confidence';
import { countFeatures, FeatureSpace } from './features';
import { SupportSoftmax } from './softmax';
import { SparseRows } from './sparse';

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
 * Builds the matcher of one language from labelled examples (each FAQ's or intent's question and
 * phrasings): the language pipeline of src/nlp, TF-IDF features, and a logistic regression over them
 * whose probability, rescaled (see confidence.ts), is the candidate's confidence. Pure and
 * deterministic: same examples, same matcher.
 */
export function buildMatcher(examples: Example[], options: MatcherOptions): Matcher {
  const analyzer = buildAnalyzer(
    examples.map((example) => example.text),
    options,
  );
  const labels = [...new Set(examples.map((example) => example.label))];
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const labelOf = examples.map((example) => labelIndex.get(example.label)!);
  // For explanations: the stems each label's phrasings use.
  const stemsOf = labels.map(() => new Set<string>());
  const knownStems = new Set<string>();
  // Two passes over the phrasings, features counted again in the second, so that the features of all
  // 15,000 phrasings of a large knowledge base never sit in memory at once.
  const space = new FeatureSpace(
    mapLazily(examples, (example, i) => {
      const analysis = analyzer.analyze(example.text);
      for (const stem of analysis.stems) {
        stemsOf[labelOf[i]].add(stem);
        knownStems.add(stem);
      }
      return countFeatures(analysis);
    }),
  );
  const model = new SupportSoftmax(
    new SparseRows(mapLazily(examples, (example) => space.vectorize(countFeatures(analyzer.analyze(example.text))))),
    labelOf,
    labels.length,
    space.size,
  );

  return {
    labels,
    rank(text, limit = DEFAULT_LIMIT) {
      const analysis = analyzer.analyze(text);
      const coverage = wordCoverage(analysis, knownStems, analyzer.isStopword);
      const ranked = rankByProbability(model, space.vectorize(countFeatures(analysis)), limit, coverage);
      const candidates = ranked.map(({ label, probability }) => ({
        id: labels[label],
        confidence: Math.round(confidenceOf(probability) * 1000) / 1000,
        matched: [
          ...new Set(analysis.words.filter((word, k) => !analyzer.isStopword(word) && stemsOf[label].has(analysis.stems[k]))),
        ],
      }));
      return { normalized: analysis.normalized, corrections: analysis.corrections, candidates };
    },
  };
}

/**
 * The share of the message's content words whose stem some phrasing uses: stop words, numbers and
 * single letters ("talla m", "12 cuotas") say nothing about the topic and are left out. 1 when no word is left.
 */
function wordCoverage(analysis: Analysis, knownStems: ReadonlySet<string>, isStopword: (word: string) => boolean): number {
  let content = 0;
  let known = 0;
  analysis.words.forEach((word, k) => {
    if (word.length < 2 || /^\d/.test(word) || isStopword(word)) return;
    content++;
    if (knownStems.has(analysis.stems[k])) known++;
  });
  return content === 0 ? 1 : known / content;
}

function* mapLazily<T, R>(items: readonly T[], transform: (item: T, index: number) => R): Generator<R> {
  for (let i = 0; i < items.length; i++) yield transform(items[i], i);
}
