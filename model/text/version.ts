/**
 * Identifies the text pipeline's behaviour. Bump it whenever any text now gives other tokens
 * (the golden vectors will say so): vocabularies and models built before then stop loading.
 */
export const TEXT_PIPELINE_VERSION = 'reelsense-text/1';
