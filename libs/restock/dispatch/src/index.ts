export * from './lib/storm-dispatch';
