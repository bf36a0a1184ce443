export {
  startAppEnvironment,
  spawnBuiltApps,
  stopApps,
  type AppEnvironment,
  type AppEnvironmentOptions,
  type RunningApps,
} from './lib/app-environment';
export { builtAppBundle, spawnApp, profileArgs, type AppChild, type Child } from './lib/app-process';
