// Deep import of natural's sentiment analyzer (the package root loads dotenv and prints noise).
declare module 'natural/lib/natural/sentiment/SentimentAnalyzer' {
  class SentimentAnalyzer {
    constructor(language: string, stemmer: { stem(word: string): string } | null, vocabulary: 'afinn' | 'senticon' | 'pattern');
    /** Average word score; negative is unhappy. */
    getSentiment(words: string[]): number;
  }
  export = SentimentAnalyzer;
}
