# syntax=docker/dockerfile:1.7
# The four service images from one file, chosen by --build-arg APP and --target (docker-bake.hcl
# names the four; k8s/scripts/images.sh builds them, tagged with the git SHA). From the repository root:
#   docker buildx bake gateway                      # or sandbox-manager, sandbox-router, executor
#   docker build --build-arg APP=sandbox-router --build-arg PORT=8080 --target service .
# Targets:
#   service   sandbox-manager, sandbox-router: the app's compiled dist/ (and the libs it imports) with
#             its production node_modules (stages manifests → build → prod-deps → assemble)
#   gateway   service, plus the /data directory PGlite writes to
#   executor  the one bundle `nx run @foxhound/executor:build` writes to dist/ (esbuild, every
#             dependency inside, with its V8 code cache), no node_modules, plus kubectl
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# package.json files and the lockfile only, so dependency layers survive source edits.
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS manifests
WORKDIR /context
COPY . .
RUN mkdir /manifests \
 && cp package.json package-lock.json /manifests/ \
 && find libs apps tools -mindepth 2 -maxdepth 2 -name package.json -exec cp --parents {} /manifests/ \;

# Compiling with tsc is architecture-independent: run it natively even when building for another platform.
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS build
ARG APP
WORKDIR /src
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true
COPY --from=manifests /manifests ./
# `npm install` honours the lockfile's versions; charts/foxhound/README.md ("Images") says why not `npm ci`.
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    test -n "$APP" \
 && npm install --no-audit --no-fund --ignore-scripts --include-workspace-root -w "@foxhound/$APP"
COPY tsconfig.base.json nx.json ./
COPY libs ./libs
COPY apps/${APP} ./apps/${APP}
RUN npx nx run "@foxhound/$APP:build" --outputStyle=static

FROM ${NODE_IMAGE} AS prod-deps
ARG APP
WORKDIR /src
COPY --from=manifests /manifests ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm install --omit=dev --no-audit --no-fund --ignore-scripts -w "@foxhound/$APP"

FROM build AS assemble
COPY --from=prod-deps /src /prod-deps
COPY tools/delivery/docker/assemble-runtime.sh /usr/local/bin/assemble-runtime
RUN assemble-runtime /src /prod-deps /app

# The executor's bundle: built on the target platform, since V8 accepts a code cache only from the
# same Node.js on the same architecture (apps/executor/scripts/build.cjs).
FROM ${NODE_IMAGE} AS bundle
WORKDIR /src
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true
COPY --from=manifests /manifests ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm install --no-audit --no-fund --ignore-scripts --include-workspace-root -w @foxhound/executor
COPY tsconfig.base.json nx.json ./
COPY libs ./libs
COPY apps/executor ./apps/executor
RUN npx nx run @foxhound/executor:build --outputStyle=static

# kubectl: the official binary, checked against the checksum published beside it. Only the binary
# reaches the executor: no curl, no package manager, no helm or other tool that writes.
FROM ${NODE_IMAGE} AS kubectl
ARG KUBECTL_VERSION=v1.32.3
ARG TARGETARCH
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
RUN curl -fsSLo /kubectl "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${TARGETARCH}/kubectl" \
 && echo "$(curl -fsSL "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${TARGETARCH}/kubectl.sha256")  /kubectl" \
    | sha256sum -c - \
 && chmod 0555 /kubectl \
 && /kubectl version --client

# What every image runs on: tini as PID 1 forwards SIGTERM to node (which drains) and reaps
# children. npm, npx, corepack and yarn are removed: nothing installs packages at run time.
FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
    /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
ENV NODE_ENV=production \
    HOST=0.0.0.0
WORKDIR /app
ENTRYPOINT ["/usr/bin/tini", "--"]

FROM runtime AS service
ARG APP
ARG PORT
ENV NODE_OPTIONS=--enable-source-maps \
    PORT=${PORT}
# Owned by root and not writable by the service user: the code cannot change at run time. main.js
# links to the app's entry point (node resolves its imports from where the link points).
COPY --from=assemble /app ./
RUN ln -s "apps/$APP/dist/main.js" main.js
USER 1000:1000
EXPOSE ${PORT}
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "main.js"]

FROM service AS gateway
USER root
RUN mkdir -p /data && chown 1000:1000 /data
ENV GATEWAY_DATA_DIR=/data
USER 1000:1000

FROM runtime AS executor
ENV PORT=8888 \
    HOME=/tmp \
    KUBECACHEDIR=/tmp/.kube/cache
COPY --from=bundle /src/apps/executor/dist ./apps/executor/dist
COPY --from=kubectl /kubectl /usr/local/bin/kubectl
USER 1000:1000
EXPOSE 8888
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "apps/executor/dist/main.js"]
