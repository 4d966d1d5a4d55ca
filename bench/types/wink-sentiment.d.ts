/** The part of wink-sentiment (5.x, no types of its own) the benchmarks use: the module is one function. */
declare module 'wink-sentiment' {
  interface WinkToken {
    readonly value: string;
    readonly tag: string;
    readonly score?: number;
    readonly negation?: boolean;
  }
  interface WinkSentiment {
    /** The sum of the AFINN-style scores of the words, emojis and emoticons found. */
    readonly score: number;
    /** The score normalised by the number of scored tokens, -5 to 5. */
    readonly normalizedScore: number;
    readonly tokenizedPhrase: readonly WinkToken[];
  }
  function sentiment(phrase: string): WinkSentiment;
  export = sentiment;
}
