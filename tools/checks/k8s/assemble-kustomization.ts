import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as YAML describes it. */
/* eslint-disable @typescript-eslint/no-explicit-any -- any field of any kind of object */
export type KubernetesObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: any };
  [key: string]: any;
};
/* eslint-enable @typescript-eslint/no-explicit-any */

interface Kustomization {
  resources?: string[];
  namespace?: string;
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
  patches?: Array<{ path: string }>;
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches']);

function readYaml(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
      return document.toJS();
    })
    .filter((value) => value !== null);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Strategic merge as kustomize applies it to what these manifests patch: maps merge key by key,
 * lists of named items (containers, env) merge by name, other lists are replaced.
 */
export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (isObject(target) && isObject(patch)) {
    const merged: Record<string, unknown> = { ...target };
    for (const [key, value] of Object.entries(patch)) merged[key] = key in target ? strategicMerge(target[key], value) : value;
    return merged;
  }
  if (Array.isArray(target) && Array.isArray(patch) && patch.every((item) => isObject(item) && typeof item['name'] === 'string')) {
    const merged = [...target];
    for (const item of patch as Array<Record<string, unknown>>) {
      const index = merged.findIndex((existing) => isObject(existing) && existing['name'] === item['name']);
      if (index >= 0) merged[index] = strategicMerge(merged[index], item);
      else merged.push(item);
    }
    return merged;
  }
  return patch;
}

const identity = (object: KubernetesObject) => `${object.apiVersion}/${object.kind}/${object.metadata.name}`;

/**
 * Builds what `kustomize build <dir>` builds, for the subset of kustomize these manifests use
 * (resources, namespace, images, strategic-merge patches); anything else is refused rather than
 * silently ignored, so the manifests stay within what this can check.
 */
export function assembleKustomization(directory: string): KubernetesObject[] {
  const file = join(directory, 'kustomization.yaml');
  const [kustomization] = readYaml(file) as Kustomization[];
  if (!kustomization) throw new Error(`${file} is empty`);
  const unsupported = Object.keys(kustomization).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0) throw new Error(`${file}: unsupported fields ${unsupported.join(', ')}`);

  let objects: KubernetesObject[] = [];
  for (const resource of kustomization.resources ?? []) {
    const path = resolve(directory, resource);
    if (!existsSync(path)) throw new Error(`${file}: resource ${resource} does not exist`);
    objects.push(...(statSync(path).isDirectory() ? assembleKustomization(path) : (readYaml(path) as KubernetesObject[])));
  }
  const seen = new Set<string>();
  for (const object of objects) {
    if (seen.has(identity(object))) throw new Error(`${file}: ${identity(object)} is defined twice`);
    seen.add(identity(object));
  }

  for (const { path } of kustomization.patches ?? []) {
    for (const patch of readYaml(join(directory, path)) as KubernetesObject[]) {
      const index = objects.findIndex((object) => identity(object) === identity(patch));
      if (index < 0) throw new Error(`${join(dirname(file), path)}: no ${identity(patch)} to patch`);
      objects[index] = strategicMerge(objects[index], patch) as KubernetesObject;
    }
  }

  if (kustomization.namespace) {
    objects = objects.map((object) =>
      object.kind === 'Namespace' ? object : { ...object, metadata: { ...object.metadata, namespace: kustomization.namespace } },
    );
  }
  for (const image of kustomization.images ?? []) {
    for (const object of objects) {
      // A Deployment's pod template, or a CronJob's (inside its job template).
      const pod = (object['spec']?.jobTemplate?.spec ?? object['spec'])?.template?.spec;
      for (const container of pod?.containers ?? []) {
        const [name, tag] = String(container.image).split(':');
        if (name !== image.name) continue;
        container.image = `${image.newName ?? name}:${image.newTag ?? tag ?? 'latest'}`;
      }
    }
  }
  return objects;
}
