# The emulator as a container on Node 24 (LTS; Node 20 reached end of life in April 2026): build with the dev toolchain, run on a slim image with production
# dependencies only, as the unprivileged `node` user, its data in a volume.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Without scripts: `prepare` would build before the sources are here; the build is the step below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY server ./server
# The admin page (served at /_emulator/): built into dist/ui.
COPY ui ./ui
# The build starts the command line once to write its code cache: it reads the fixture sets and schemas.
COPY fixtures ./fixtures
RUN npm run build

FROM node:24-bookworm-slim AS runtime
# HOST=0.0.0.0: reachable through a published port. Publish it on this machine only (-p 127.0.0.1:4000:4000, as
# docker-compose.yml does) unless other machines need it; then set ADMIN_TOKEN (docs/security.md).
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 DATA_FILE=/data/db.json
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY fixtures ./fixtures
COPY --from=build /app/dist/server ./dist/server
COPY --from=build /app/dist/ui ./dist/ui
# The volume inherits this owner, so the non-root user can write its data file and lock.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 4000
VOLUME ["/data"]
# Node itself asks /_emulator/health with the container's own settings (port, https): no curl in the image.
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 CMD ["node", "dist/server/bin/healthcheck.js"]
# Node as PID 1 receives SIGTERM from `docker stop` directly and exits 0 once in-flight requests are done.
CMD ["node", "dist/server/cli.js"]
