# syntax=docker/dockerfile:1
# The jitops bot: `docker build -t jitops .` then run it with the App's id, key and webhook secret
# (docs/deploy.md). The same image runs the CLI: `docker run jitops node dist/cli.js expire --repo o/r`.
# Pinned by tag (the Node 24 that CI tests with); pin the digest too where your registry policy asks.

# Build stage: every dependency, then the bundles of dist/ built from source (CI checks that the
# committed dist/ equals this output, so the image and the repository ship the same code).
FROM node:24.22.3-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The simulators' workspace manifest too, so npm ci links node_modules/@jitops/sim to sim/ (its
# sources arrive with COPY . . below): the demo bundled into dist/cli.js imports them by that name.
COPY sim/package.json sim/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime stage: production dependencies only (the bundles keep the cloud SDKs and Probot external),
# the bundles, and nothing else. Runs as the image's unprivileged `node` user and writes nothing
# outside /tmp, so it runs with a read-only root filesystem.
FROM node:24.22.3-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# --workspaces=false: the simulators (the workspace sim/) run only in the demo, bundled into
# dist/cli.js, so the stage neither copies nor installs them. --ignore-scripts: no production
# dependency needs an install script to run (protobufjs's only prints a version warning); the npm
# cache is dropped so the layer holds only node_modules.
RUN npm ci --omit=dev --workspaces=false --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
# No curl in the slim image: Node's own fetch asks the bot's liveness endpoint.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node as PID 1 gets SIGTERM directly (no npm wrapper): the bot drains in-flight work on it.
CMD ["node", "dist/bot.js"]
