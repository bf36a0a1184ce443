/** What each CPU-stage worker thread loads (see createCpuStage): the stage alone, bundled on its own. */
export { default } from '@inventory/restock/store-processing/cpu-stage-thread';
