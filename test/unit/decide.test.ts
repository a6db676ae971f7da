import { parseConfig } from '../../src/config';
import { decide } from '../../src/dialogue';
import type { Entry } from '../../src/knowledge';

const thresholds = parseConfig({ matching: { answerThreshold: 0.5, clarifyThreshold: 0.25, clarifyMargin: 0.15, maxOptions: 3 } }).matching;

function entry(id: string, kind: Entry['kind'] = 'faq', escalate = false): Entry {
  return { id, kind, lang: 'es', question: id, phrasings: [], answer: id, tags: [], related: [], escalate, source: { file: 'f.md', line: 1 } };
}
const entries = new Map(
  [entry('returns'), entry('refunds'), entry('exchanges'), entry('double-charge', 'faq', true), entry('greeting', 'intent'), entry('human-request', 'intent', true)].map((e) => [e.id, e]),
);
const lookup = (id: string) => entries.get(id);
const scored = (...pairs: Array<[string, number]>) => pairs.map(([id, confidence]) => ({ id, confidence, matched: ['word'] }));

describe('decide', () => {
  it('answers when one candidate is confident and clearly ahead', () => {
    expect(decide(scored(['returns', 0.8], ['refunds', 0.1]), lookup, thresholds)).toMatchObject({ action: 'answer', entry: { id: 'returns' } });
  });

  it('offers the close candidates as choices when two are near each other', () => {
    const decision = decide(scored(['returns', 0.45], ['refunds', 0.4], ['exchanges', 0.33], ['greeting', 0.3]), lookup, thresholds);
    expect(decision.action).toBe('clarify');
    expect(decision.options.map((o) => o.id)).toEqual(['returns', 'refunds', 'exchanges']);
  });

  it('asks "did you mean…?" with one option when the best FAQ is plausible but not confident', () => {
    const decision = decide(scored(['returns', 0.4], ['refunds', 0.1]), lookup, thresholds);
    expect(decision).toMatchObject({ action: 'clarify', options: [{ id: 'returns' }] });
  });

  it('falls back when nothing clears the clarify threshold', () => {
    expect(decide(scored(['returns', 0.2]), lookup, thresholds).action).toBe('fallback');
    expect(decide([], lookup, thresholds).action).toBe('fallback');
  });

  it('escalates an exception FAQ after answering it', () => {
    expect(decide(scored(['double-charge', 0.9]), lookup, thresholds)).toMatchObject({ action: 'escalate', entry: { id: 'double-charge' } });
  });

  it('lets an escalating intent interrupt even when a FAQ ranks higher', () => {
    const decision = decide(scored(["returns", 0.65], ["human-request", 0.55]), lookup, thresholds);
    expect(decision).toMatchObject({ action: 'escalate', entry: { id: 'human-request' } });
  });

  it('does not hand off on a vague resemblance: no words of its own, or far below the best answer', () => {
    const unmatched = [{ id: 'refunds', confidence: 0.83, matched: ['datos'] }, { id: 'human-request', confidence: 0.5, matched: [] }];
    expect(decide(unmatched, lookup, thresholds)).toMatchObject({ action: 'answer', entry: { id: 'refunds' } });
    expect(decide(scored(['returns', 0.9], ['human-request', 0.55]), lookup, thresholds)).toMatchObject({ action: 'answer', entry: { id: 'returns' } });
  });

  it('never offers a chit-chat intent as a clarify button', () => {
    const decision = decide(scored(['greeting', 0.4], ['returns', 0.35]), lookup, thresholds);
    expect(decision.options.map((o) => o.id)).toEqual(['returns']);
  });

  it('offers an answer that rests on one word, barely over the threshold with a rival near, as a choice', () => {
    // "a que hora abre el registro civil": support-hours at 0.506 on "hora" alone, a rival 0.175 behind.
    const oneWord = [{ id: 'returns', confidence: 0.51, matched: ['hora'] }, { id: 'refunds', confidence: 0.33, matched: ['abre'] }];
    expect(decide(oneWord, lookup, thresholds)).toMatchObject({ action: 'clarify', options: [{ id: 'returns' }], rule: 'one-word' });
    // Two words of the message, a clear lead, or a clear margin over the threshold: answered.
    const twoWords = [{ ...oneWord[0], matched: ['hora', 'abre'] }, oneWord[1]];
    expect(decide(twoWords, lookup, thresholds)).toMatchObject({ action: 'answer', rule: 'confident' });
    expect(decide([{ ...oneWord[0], confidence: 0.56 }, oneWord[1]], lookup, thresholds)).toMatchObject({ action: 'answer', rule: 'confident' });
    expect(decide([oneWord[0], { ...oneWord[1], confidence: 0.3 }], lookup, thresholds)).toMatchObject({ action: 'answer', rule: 'confident' });
  });

  it('says which rule decided', () => {
    expect(decide(scored(['returns', 0.8], ['refunds', 0.1]), lookup, thresholds).rule).toBe('confident');
    expect(decide(scored(['returns', 0.7], ['refunds', 0.6]), lookup, thresholds).rule).toBe('close-rival');
    expect(decide(scored(['returns', 0.45], ['refunds', 0.1]), lookup, thresholds).rule).toBe('unsure');
    expect(decide(scored(['returns', 0.2]), lookup, thresholds).rule).toBe('nothing-close');
    expect(decide(scored(['returns', 0.65], ['human-request', 0.55]), lookup, thresholds).rule).toBe('interrupt');
  });
});
