export { dispatchStorm, stopStormAtDeadline, DISPATCH_CHUNK } from './lib/storm-dispatch';
export { StormRecords, type StormRecord, type StormState } from './lib/storm-records';
export { StormTimeline, type StormMoment } from './lib/storm-timeline';
