export * from './lib/webhook-signature';
export * from './lib/webhook-target.guard';
export * from './lib/webhook.repository';
export * from './lib/webhook-delivery.queue';
export * from './lib/webhook-delivery.worker';
