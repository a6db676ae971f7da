// Types for the packages only the benchmarks use.
declare module 'natural/lib/natural/classifiers/bayes_classifier' {
  const BayesClassifier: unknown;
  export default BayesClassifier;
}
declare module 'node-nlp';
