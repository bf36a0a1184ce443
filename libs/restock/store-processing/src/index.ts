export { manifestRecord } from './lib/manifest';
export { checkManifestSlice } from './lib/manifest-slice';
export { integrityHash } from './lib/sku-integrity';
export { createCpuStage, cpuStageThreads } from './lib/cpu-stage';
export { createRestockProcessor } from './lib/restock.processor';
