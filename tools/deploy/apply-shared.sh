#!/usr/bin/env bash
# Apply what the three apps share (objects without an app.kubernetes.io/name label: namespace,
# ConfigMap, ServiceAccount, Ingress) before `nx affected -t deploy` rolls out the apps.
#
#   tools/deploy/apply-shared.sh <overlay>
set -euo pipefail

overlay_dir="k8s/overlays/$1"
[[ -d "$overlay_dir" ]] || { echo "apply-shared: no overlay $overlay_dir" >&2; exit 2; }
kubectl apply -k "$overlay_dir" --selector '!app.kubernetes.io/name'
