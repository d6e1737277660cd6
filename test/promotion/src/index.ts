export * from './sandboxWorld';
