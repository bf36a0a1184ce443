/** What each CPU-stage worker thread loads (see createCpuStage): the stage alone, bundled on its own. */
export { default } from '@inventory/restock-storm/cpu-stage-thread';
