export * from './corpusCases';
