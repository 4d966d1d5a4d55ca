/** The part of vader-sentiment (1.1.x, no types of its own) the benchmarks use. */
declare module 'vader-sentiment' {
  export interface PolarityScores {
    readonly neg: number;
    readonly neu: number;
    readonly pos: number;
    /** The normalised sum of the valences, -1 (most negative) to 1 (most positive). */
    readonly compound: number;
  }
  export const SentimentIntensityAnalyzer: {
    polarity_scores(text: string): PolarityScores;
  };
}
