export * from './gitopsBackend';
