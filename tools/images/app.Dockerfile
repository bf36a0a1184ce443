# syntax=docker/dockerfile:1.7
# One image per app, from this one definition (the stages are the same for all three; only the
# bundle differs): `nx run <app>:docker-build` runs
#   docker build -f tools/images/app.Dockerfile --build-arg APP=<app> -t <registry>/inventory/<app>:<tag> .
# from the repository root.
ARG NODE_IMAGE=node:22.23.3-bookworm-slim

# 1. The workspace's toolchain and the app's esbuild bundle (dist/apps/<app>: main.js + package.json + lockfile).
FROM ${NODE_IMAGE} AS build
ARG APP
RUN test -n "${APP}" || (echo "--build-arg APP=<query-api|write-api|restock-worker> is required" >&2; exit 1)
WORKDIR /workspace
COPY package.json package-lock.json ./
COPY tools/checks/ci/unlink-bundled-node.mjs tools/checks/ci/
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
ENV NX_NO_CLOUD=true NX_DAEMON=false
RUN npx nx build "${APP}" --skip-nx-cache

# 2. Only the production dependencies the bundle's generated package.json names.
FROM ${NODE_IMAGE} AS dependencies
ARG APP
WORKDIR /app
COPY --from=build /workspace/dist/apps/${APP}/package.json /workspace/dist/apps/${APP}/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# 3. Runtime: the bundle, its dependencies, a non-root user; no npm, no sources, no toolchain.
FROM ${NODE_IMAGE} AS runtime
ARG APP
ENV NODE_ENV=production PORT=8080
WORKDIR /app
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/bin/npm /usr/local/bin/npx
COPY --from=dependencies /app/node_modules ./node_modules
# The whole built directory: main.js and, for the worker, its CPU-stage thread entry.
COPY --from=build /workspace/dist/apps/${APP}/ ./
# The API reference's renderer (GET /docs), one file of a dev dependency, not its packages (sizes: tools/benchmarks/README.md).
COPY --from=build /workspace/node_modules/@scalar/api-reference/dist/browser/standalone.js ./
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node as PID 1 receives SIGTERM directly, so the app's drain runs.
CMD ["node", "--enable-source-maps", "main.js"]
