# timerstack as the scheduler of a container: PID 1 runs the table /etc/timerstack/timers, reaps
# every orphan, relays SIGTERM (docker stop, the kubelet) to the commands and waits for them
# (--kill-after, 10s by default: keep the engine's stop timeout above it), and logs NDJSON.
#   docker build -t timerstack .
#   docker run --rm -v "$PWD/timers:/etc/timerstack/timers:ro" timerstack
FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
WORKDIR /opt/timerstack
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/bin ./bin
COPY --from=build /src/schema ./schema
COPY --from=build /src/man ./man
COPY docker/timers /etc/timerstack/timers
RUN ln -s /opt/timerstack/bin/timerstack.js /usr/local/bin/timerstack
# bin/timerstack.js starts as sh (to record the caller's open-file limit), then execs node.
ENTRYPOINT ["/opt/timerstack/bin/timerstack.js", "run", "/etc/timerstack/timers"]
CMD ["--json"]
