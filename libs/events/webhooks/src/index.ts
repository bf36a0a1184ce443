export { WebhookTargetRefusedError, checkWebhookTarget } from './lib/webhook-target.guard';
export { WebhookRepository, webhookView, cachedWebhooks, type Webhook } from './lib/webhook.repository';
export {
  WEBHOOK_QUEUE_NAME,
  createWebhookQueue,
  enqueueDeliveries,
  type WebhookDeliveryData,
  type WebhookQueue,
  DELIVERIES_KEPT,
} from './lib/webhook-delivery.queue';
export { startWebhookDeliveryWorker } from './lib/webhook-delivery.worker';
export { webhookSecretBox } from './lib/webhook-secret-box';
