export * from './lib/error-handler';
export * from './lib/graceful-shutdown';
export * from './lib/http-server';
export * from './lib/json-body';
export * from './lib/routing';
export * from './lib/run-main';
export * from './lib/service-app';
export * from './lib/operator-auth';
