#!/usr/bin/env bash
# Roll out one app: push the image `nx run <app>:docker-build` made, pin it in the overlay, apply only
# that app's objects (selected by label), and wait for the rollout. Run by `nx affected -t deploy`,
# so an unaffected app is neither rebuilt nor restarted. Shared objects (namespace, ConfigMap,
# ServiceAccount, Ingress) are applied once beforehand by tools/deploy/apply-shared.sh.
#
#   tools/deploy/deploy-app.sh <app> <registry> <tag> <overlay>
set -euo pipefail

app="$1" registry="$2" tag="$3" overlay="$4"
overlay_dir="k8s/overlays/$overlay"
image="$registry/inventory/$app:$tag"

[[ -d "$overlay_dir" ]] || { echo "deploy-app: no overlay $overlay_dir" >&2; exit 2; }
for tool in docker kubectl kustomize; do
  command -v "$tool" >/dev/null || { echo "deploy-app: $tool is not on PATH" >&2; exit 2; }
done

docker push "$image"

# Pin the tag in a scratch copy so a deploy never leaves the checkout modified.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp -r k8s "$scratch/"
(cd "$scratch/$overlay_dir" && kustomize edit set image "inventory/$app=$image")

kubectl apply -k "$scratch/$overlay_dir" --selector "app.kubernetes.io/name=$app"
kubectl --namespace inventory rollout status "deployment/$app" --timeout=10m
