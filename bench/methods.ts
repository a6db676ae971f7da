import Fuse from 'fuse.js';
import type { MatchingConfig } from '../src/config';
import { decide } from '../src/dialogue';
import type { Entry, Lang } from '../src/knowledge/types';
import { buildMatcher } from '../src/matcher';

/** A labelled example in the `[text, label]` format of the data sets; label `oos` = out of scope. */
export type Pair = [string, string];

export interface Prediction {
  label: string | null;
  confidence: number;
}

export interface Classifier {
  classify(text: string): Prediction | Promise<Prediction>;
  /** Atento only: what the dialogue would do (src/dialogue `decide`, every label an FAQ). */
  respond?(text: string, matching: MatchingConfig): DialogueOutcome;
}

export interface DialogueOutcome {
  action: 'answer' | 'clarify' | 'escalate' | 'fallback';
  /** The label answered, or null. */
  label: string | null;
  /** The labels offered as choices (clarify only). */
  options: string[];
}

/** A label as the dialogue sees it: an FAQ with no answer text. */
export function entryOf(id: string, lang: Lang): Entry {
  return { id, kind: 'faq', lang, question: id, phrasings: [], answer: '', tags: [], related: [], escalate: false, source: { file: '', line: 0 } };
}

export interface Method {
  name: string;
  /** True when a query costs so much that only a sample of the queries is run. */
  slow?: boolean;
  build(train: readonly Pair[], lang: Lang): Promise<Classifier>;
}

export const atento: Method = {
  name: 'Atento',
  async build(train, lang) {
    const matcher = buildMatcher(
      train.map(([text, label]) => ({ text, label })),
      { lang },
    );
    return {
      classify(text) {
        const best = matcher.rank(text, 1).candidates[0];
        return { label: best?.id ?? null, confidence: best?.confidence ?? 0 };
      },
      respond(text, matching) {
        const decision = decide(matcher.rank(text, 10).candidates, (id) => entryOf(id, lang), matching);
        return { action: decision.action, label: decision.action === 'answer' ? decision.entry!.id : null, options: decision.options.map((o) => o.id) };
      },
    };
  },
};

/** NLP.js 4 (node-nlp), as a shop would use it: one NlpManager, its own threshold-free score. */
const nlpjs: Method = {
  name: 'NLP.js 4.27',
  async build(train, lang) {
    const { NlpManager } = (await import('node-nlp')) as unknown as { NlpManager: new (options: object) => NlpManagerLike };
    const manager = new NlpManager({ languages: [lang], forceNER: false, autoSave: false, nlu: { log: false } });
    for (const [text, label] of train) manager.addDocument(lang, text, label);
    await manager.train();
    return {
      async classify(text) {
        const result = await manager.process(lang, text);
        return result.intent && result.intent !== 'None' ? { label: result.intent, confidence: result.score ?? 0 } : { label: null, confidence: 0 };
      },
    };
  },
};
interface NlpManagerLike {
  addDocument(lang: string, text: string, intent: string): void;
  train(): Promise<void>;
  process(lang: string, text: string): Promise<{ intent?: string; score?: number }>;
}

/** Fuse.js alone: the label of the nearest training phrasing, confidence = 1 - Fuse score. */
const fuseAlone: Method = {
  name: 'Fuse.js alone',
  slow: true,
  async build(train) {
    const fuse = new Fuse(
      train.map(([text, label]) => ({ text, label })),
      { keys: ['text'], includeScore: true, ignoreLocation: true, threshold: 1 },
    );
    return {
      classify(text) {
        const best = fuse.search(text, { limit: 1 })[0];
        return best ? { label: best.item.label, confidence: 1 - (best.score ?? 1) } : { label: null, confidence: 0 };
      },
    };
  },
};

/** natural's BayesClassifier with its Porter stemmer; confidence = the top class's share of the scores. */
const naturalBayes: Method = {
  name: 'natural Bayes',
  async build(train, lang) {
    const BayesClassifier = (await import('natural/lib/natural/classifiers/bayes_classifier')).default as unknown as new (
      stemmer?: unknown,
    ) => BayesLike;
    const stemmer = lang === 'es' ? (await import('natural/lib/natural/stemmers/porter_stemmer_es')).default : undefined;
    const classifier = new BayesClassifier(stemmer);
    for (const [text, label] of train) classifier.addDocument(text, label);
    classifier.train();
    return {
      classify(text) {
        const scores = classifier.getClassifications(text);
        const total = scores.reduce((sum, { value }) => sum + value, 0);
        const best = scores[0];
        return best && total > 0 ? { label: best.label, confidence: best.value / total } : { label: null, confidence: 0 };
      },
    };
  },
};
interface BayesLike {
  addDocument(text: string, label: string): void;
  train(): void;
  getClassifications(text: string): Array<{ label: string; value: number }>;
}

export const METHODS: Record<string, Method> = { atento, nlpjs, fuse: fuseAlone, bayes: naturalBayes };
