export { cpuAllowanceCores } from './lib/cpu-allowance';
export { CpuGovernor } from './lib/cpu-governor';
export { reportCpuUsage } from './lib/cpu-usage.reporter';
