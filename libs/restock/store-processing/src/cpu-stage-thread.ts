/**
 * The entry a CPU-stage worker thread loads, kept apart from the lib's main entry point so a thread
 * loads only the stage (no BullMQ, Redis or AWS clients). Apps bundle it as its own file.
 */
export { checkManifestSlice as default } from './lib/manifest-slice';
